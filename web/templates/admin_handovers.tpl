{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#EMPTY}}<p class="empty">{{T_NONE}}</p>{{/EMPTY}}
<ul class="rows" id="handovers">
{{#HANDOVER}}<li class="row"><a class="ref" href="/admin/handovers/{{ID}}">#{{ID}} {{UNIT}}</a>
<span>{{PARTIES}}</span>
<span class="hint">{{STATE}}{{#HAS_NUMBER}} &middot; {{NUMBER}}{{/HAS_NUMBER}}</span></li>
{{/HANDOVER}}</ul>
<section class="card">
<h2>{{T_START}}</h2>
<form method="post" action="/admin/handovers" class="stack" id="start-handover">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="unit">{{T_UNIT}}</label>
<select id="unit" name="unit">{{#UNIT_OPTION}}<option value="{{CODE}}"{{#SELECTED}} selected{{/SELECTED}}>{{CODE}} {{NAME}}</option>{{/UNIT_OPTION}}</select>
<label for="receiver">{{T_RECEIVER}}</label>
<select id="receiver" name="receiver">{{#RECEIVER_OPTION}}<option value="{{NAME}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/RECEIVER_OPTION}}</select>
<label for="witness">{{T_WITNESS}}</label>
<select id="witness" name="witness"><option value="">{{T_NO_WITNESS}}</option>{{#WITNESS_OPTION}}<option value="{{NAME}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/WITNESS_OPTION}}</select>
<label for="note">{{T_NOTE}}</label>
<input id="note" name="note" value="{{NOTE}}" maxlength="1000" required>
<button type="submit" id="start">{{T_SUBMIT}}</button>
</form>
</section>
