{{%AUTOESCAPE context="HTML"}}
<h1 id="heading">{{HEADING}}</h1>
{{#HAS_INTRO}}<p class="intro">{{INTRO}}</p>{{/HAS_INTRO}}
{{#LINKS}}<p class="crumbs links">{{#LINK}}<a href="{{HREF}}" id="{{ID}}">{{LABEL}}</a> {{/LINK}}</p>{{/LINKS}}
{{#SLOTS}}<ul class="problem" id="slot-problems">{{#SLOT}}<li>{{TEXT}}</li>{{/SLOT}}</ul>{{/SLOTS}}
{{#FILTER}}
<form method="get" action="{{ACTION}}" class="filters" id="filters">
{{#FIELD}}<label>{{LABEL}} <input name="{{NAME}}" id="filter-{{NAME}}" value="{{VALUE}}" placeholder="{{HINT}}"></label>
{{/FIELD}}
{{#CHOICE}}<label>{{LABEL}} <select name="{{NAME}}" id="filter-{{NAME}}"><option value="">{{ANY}}</option>{{#OPTION}}{{#SELECTED}}<option selected>{{VALUE}}</option>{{/SELECTED}}{{#OTHER}}<option>{{VALUE}}</option>{{/OTHER}}{{/OPTION}}</select></label>
{{/CHOICE}}
<button type="submit" id="filter">{{T_FILTER}}</button>
</form>
{{/FILTER}}
{{#DOWNLOADS}}<p class="downloads">{{T_DOWNLOAD}}: {{#DOWNLOAD}}<a id="{{ID}}" href="{{HREF}}">{{LABEL}}</a> {{/DOWNLOAD}}</p>{{/DOWNLOADS}}
{{#TABLE}}
<section class="report">
{{#HAS_CAPTION}}<h2>{{CAPTION}}</h2>{{/HAS_CAPTION}}
{{#HAS_NOTE}}<p class="hint">{{NOTE}}</p>{{/HAS_NOTE}}
<div class="scroll"><table id="{{ID}}">
<thead><tr>{{#COL}}<th scope="col">{{NAME}}</th>{{/COL}}</tr></thead>
<tbody>{{#ROW}}<tr>{{#CELL}}<td>{{TEXT}}</td>{{/CELL}}</tr>
{{/ROW}}</tbody>
</table></div>
{{#EMPTY}}<p class="empty">{{NONE}}</p>{{/EMPTY}}
</section>
{{/TABLE}}
