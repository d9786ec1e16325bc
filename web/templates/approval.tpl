{{%AUTOESCAPE context="HTML"}}
<p class="crumbs"><a href="/approvals" id="back">{{T_BACK}}</a></p>
<h1 id="heading">#{{ID}} {{WHAT}}</h1>
<dl class="facts" id="request">
<dt>{{T_STANDING}}</dt><dd><span class="standing {{STANDING_CLASS}}" id="standing">{{STANDING}}</span></dd>
<dt>{{T_BY}}</dt><dd id="requester">{{REQUESTER}}</dd>
<dt>{{T_ASKED_AT}}</dt><dd>{{REQUESTED}}</dd>
<dt>{{T_WHAT}}</dt><dd>{{#HAS_ACCOUNT}}<a href="/accounts/{{ACCOUNT}}" id="to-account">{{WHAT}}</a>{{/HAS_ACCOUNT}}</dd>
<dt>{{T_UNIT}}</dt><dd>{{UNIT}}</dd>
<dt>{{T_REASON}}</dt><dd id="reason">{{REASON}}</dd>
<dt>{{T_APPROVALS}}</dt><dd id="count">{{COUNT}}</dd>
<dt>{{T_UNTIL}}</dt><dd id="until">{{UNTIL}}</dd>
</dl>
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
{{#HAS_VOTES}}
<section class="card">
<h2>{{T_VOTES}}</h2>
<ul class="votes" id="votes">{{#VOTE}}<li>{{TEXT}}</li>{{/VOTE}}</ul>
</section>
{{/HAS_VOTES}}
{{#CAN_DECIDE}}
<section class="card" id="decide">
<h2>{{T_DECIDE}}</h2>
<form method="post" action="/approvals/{{ID}}/approve" class="stack" id="approve-form">
{{#APPROVE_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/APPROVE_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="approve-reason">{{T_DECIDE_REASON}}</label>
<input id="approve-reason" name="reason" value="{{APPROVE_REASON}}" maxlength="1000" required>
<button type="submit" id="approve">{{T_APPROVE}}</button>
</form>
<form method="post" action="/approvals/{{ID}}/reject" class="stack" id="reject-form">
{{#REJECT_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/REJECT_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="reject-reason">{{T_DECIDE_REASON}}</label>
<input id="reject-reason" name="reason" value="{{REJECT_REASON}}" maxlength="1000" required>
<button type="submit" id="reject" class="quiet">{{T_REJECT}}</button>
</form>
</section>
{{/CAN_DECIDE}}
{{#CAN_USE}}
<section class="card" id="use">
<p class="hint">{{T_USE_HINT}}</p>
<form method="post" action="/accounts/{{ACCOUNT}}/checkout" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="break_glass" value="1">
<input type="hidden" name="request" value="{{ID}}">
<button type="submit" id="use-request">{{T_USE}}</button>
</form>
</section>
{{/CAN_USE}}
{{#CAN_USE_REKEY}}
<section class="card" id="use">
<p class="hint">{{T_USE_HINT}}</p>
<form method="post" action="/admin/people/disable" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="name" value="{{PERSON}}">
<input type="hidden" name="rekey" value="1">
<input type="hidden" name="request" value="{{ID}}">
<input type="hidden" name="confirmed" value="1">
<button type="submit" id="use-request">{{T_USE_REKEY}}</button>
</form>
</section>
{{/CAN_USE_REKEY}}
