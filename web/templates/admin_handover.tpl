{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<p class="crumbs"><a href="/admin/handovers">{{T_BACK}}</a></p>
<h1>{{HEADING}}</h1>
{{#PROBLEM_ALONE}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/PROBLEM_ALONE}}
<dl class="facts">
<dt>{{T_UNIT}}</dt><dd>{{UNIT}}</dd>
<dt>{{T_OUTGOING}}</dt><dd>{{OUTGOING}}</dd>
<dt>{{T_RECEIVER}}</dt><dd>{{RECEIVER}}</dd>
<dt>{{T_WITNESS}}</dt><dd>{{WITNESS}}</dd>
<dt>{{T_STATE}}</dt><dd id="state">{{STATE}}</dd>
<dt>{{T_RELEASE}}</dt><dd id="release">{{RELEASE}}</dd>
<dt>{{T_NOTE}}</dt><dd>{{NOTE}}</dd>
</dl>
<h2>{{T_STEPS}}</h2>
<ul id="steps">{{#STEP}}<li id="step-{{ID}}">{{WHAT}} <span class="hint">({{T_EVENT}} {{SEQ}})</span></li>{{/STEP}}</ul>
<h2>{{T_ACCOUNTS}}</h2>
<ul id="handover-accounts">{{#ACCOUNT}}<li>{{REF}}</li>{{/ACCOUNT}}</ul>
{{#COMPLETED}}<section class="card">
<dl class="facts"><dt>{{T_NUMBER}}</dt><dd id="number">{{NUMBER}}</dd><dt>{{T_CODE}}</dt><dd><code id="code">{{CODE}}</code></dd></dl>
<p><a href="/admin/handovers/{{ID}}/minutes" id="minutes" target="_blank" rel="noopener">{{T_MINUTES}}</a></p>
</section>{{/COMPLETED}}
{{#OPEN}}<section class="card">
<form method="post" action="/admin/handovers/{{ID}}/witness" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" id="witness">{{T_WITNESS_BUTTON}}</button>
</form>
<form method="post" action="/admin/handovers/{{ID}}/complete" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<p class="hint">{{T_COMPLETE_HINT}}</p>
<button type="submit" id="complete">{{T_COMPLETE}}</button>
</form>
<form method="post" action="/admin/handovers/{{ID}}/cancel" class="stack" id="cancel-form">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="reason">{{T_REASON}}</label>
<input id="reason" name="reason" value="{{TYPED_REASON}}" maxlength="1000">
<button type="submit" id="cancel" class="quiet">{{T_CANCEL}}</button>
</form>
</section>{{/OPEN}}
