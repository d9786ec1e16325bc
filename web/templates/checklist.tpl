{{%AUTOESCAPE context="HTML"}}
<p class="crumbs"><a href="/accounts/{{ID}}" id="back">{{T_BACK}}</a></p>
<h1 id="heading">{{T_HEADING}} {{REF_PLATFORM}}/<wbr>{{REF_HANDLE}}</h1>
{{#PROBLEM_ALONE}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/PROBLEM_ALONE}}
{{#NO_LIST}}<p class="empty" id="no-checklist">{{NO_LIST_TEXT}}</p>{{/NO_LIST}}
{{#LIST}}
<p class="intro">{{OPENED}}</p>
<ol class="steps" id="steps">
{{#STEP}}
<li class="step" id="step-{{STEP_ID}}">
<span class="step-text">{{TEXT}}</span>
{{#DONE}}<span class="done">{{DONE_TEXT}}</span>{{/DONE}}
{{#WAITS}}<span class="due">{{WAIT_TEXT}}</span>{{/WAITS}}
{{#OPEN}}
<form method="post" action="/accounts/{{ID}}/checklist" class="stack">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="step" value="{{STEP_ID}}">
<label for="note-{{STEP_ID}}">{{T_NOTE}}</label>
<input id="note-{{STEP_ID}}" name="note" value="{{TYPED_NOTE}}" maxlength="1000">
<button type="submit" id="tick-{{STEP_ID}}">{{T_TICK}}</button>
</form>
{{/OPEN}}
</li>
{{/STEP}}
</ol>
{{#COMPLETE}}<p class="ok" id="complete">{{T_COMPLETE}}</p>{{/COMPLETE}}
{{/LIST}}
