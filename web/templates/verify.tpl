{{%AUTOESCAPE context="HTML"}}
<h1 id="heading">{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#RUNNING}}
<p id="progress" role="status">{{PROGRESS}}</p>
<progress id="bar" max="{{TOTAL}}" value="{{DONE}}">{{PERCENT}}</progress>
<p class="hint">{{T_REFRESH}}</p>
{{/RUNNING}}
{{#PASSED}}<section class="card"><p class="{{RESULT_CLASS}}" id="result">{{RESULT}}</p>{{#SLOTS}}<ul class="problem" id="slot-problems">{{#SLOT}}<li>{{TEXT}}</li>{{/SLOT}}</ul>{{/SLOTS}}<dl class="facts">{{#FACT}}<dt>{{NAME}}</dt><dd>{{VALUE}}</dd>{{/FACT}}</dl></section>{{/PASSED}}
{{#FAILED}}<section class="card"><p class="bad" id="result">{{RESULT}}</p></section>{{/FAILED}}
{{#CAN_START}}
<form method="post" action="/audit/verify" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" id="verify">{{T_START}}</button>
</form>
{{/CAN_START}}
