{{%AUTOESCAPE context="HTML"}}
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
<h2>{{T_UNITS}}</h2>
{{#NO_UNITS}}<p class="empty" id="no-units">{{T_NO_UNITS}}</p>{{/NO_UNITS}}
<ul class="rows" id="units">
{{#UNIT}}<li class="row" id="unit-{{CODE}}"><span class="ref">{{CODE}} {{NAME}}</span>
<span class="hint">{{T_ACCOUNTS}}: {{ACCOUNTS}} &middot; {{T_HOLDERS}}: {{HOLDERS}}</span></li>
{{/UNIT}}</ul>
<h2>{{T_PEOPLE}}</h2>
<ul class="rows" id="people">
{{#PERSON}}<li class="row person" id="person-{{NAME}}">
<span class="ref">{{NAME}}</span>
<span>{{FULL_NAME}}</span>
<span class="state">{{ROLE}}{{#HAS_UNITS}} &middot; <span class="units">{{UNITS}}</span>{{/HAS_UNITS}}</span>
{{#HAS_POSITION}}<span class="hint">{{T_POSITION}}: {{POSITION}}</span>{{/HAS_POSITION}}
{{#HAS_NIP}}<span class="hint">{{T_NIP}}: {{NIP}}</span>{{/HAS_NIP}}
</li>
{{/PERSON}}</ul>
