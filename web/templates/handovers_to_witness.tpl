{{%AUTOESCAPE context="HTML"}}
{{>TABS}}
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#EMPTY}}<p class="empty" id="no-handovers">{{T_NONE}}</p>{{/EMPTY}}
{{#HANDOVER}}
<section class="card" id="handover-{{ID}}">
<h2>#{{ID}} {{UNIT}}</h2>
<dl class="facts">
<dt>{{T_FROM}}</dt><dd>{{FROM}}</dd>
<dt>{{T_TO}}</dt><dd>{{RECEIVER}}</dd>
<dt>{{T_STARTED}}</dt><dd>{{STARTED}}</dd>
<dt>{{T_ACCEPTED}}</dt><dd>{{ACCEPTED}}</dd>
<dt>{{T_NAMED}}</dt><dd id="named-{{ID}}">{{NAMED}}</dd>
{{#HAS_NOTE}}<dt>{{T_NOTE}}</dt><dd>{{NOTE}}</dd>{{/HAS_NOTE}}
<dt>{{T_ACCOUNTS}} ({{ACCOUNT_COUNT}})</dt><dd><ul class="votes">{{#ACCOUNT}}<li>{{REF}}</li>{{/ACCOUNT}}</ul></dd>
</dl>
<form method="post" action="/handovers/{{ID}}/witness" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" id="witness-{{ID}}">{{T_WITNESS}}</button>
</form>
</section>
{{/HANDOVER}}
