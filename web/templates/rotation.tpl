{{%AUTOESCAPE context="HTML"}}
<p class="crumbs"><a href="/accounts/{{ID}}" id="back">{{T_BACK}}</a></p>
<h1 id="heading">{{T_HEADING}} {{REF_PLATFORM}}/<wbr>{{REF_HANDLE}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#SHOWN}}
<section class="card secret">
<p class="hint">{{VERSION_TEXT}}</p>
<dl class="facts">
<dt>{{T_PENDING}}</dt>
<dd><code id="password" class="secret">{{PASSWORD}}</code><button type="button" class="copy" data-copy="password">{{T_COPY}}</button></dd>
</dl>
<p class="hint">{{T_SET_IT}}</p>
</section>
{{/SHOWN}}
{{#NONE_PENDING}}
<form method="post" action="/accounts/{{ID}}/rotation/start" class="stack" id="start-form">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="start-reason">{{T_REASON}}</label>
<input id="start-reason" name="reason" value="{{TYPED_REASON}}" maxlength="1000" required>
<p class="hint">{{T_REASON_HINT}}</p>
{{#CAN_BREAK_GLASS}}<label class="rekey"><input type="checkbox" name="break_glass" value="1" id="rotation-break-glass"{{#GLASS_CHECKED}} checked{{/GLASS_CHECKED}}> {{T_BREAK_GLASS}}</label>{{/CAN_BREAK_GLASS}}
<button type="submit" id="start-rotation">{{T_START}}</button>
</form>
{{/NONE_PENDING}}
{{#PENDING}}
<p id="pending">{{PENDING_TEXT}}</p>
<form method="post" action="/accounts/{{ID}}/rotation/show" class="stack" id="show-form">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="reason">{{T_REASON}}</label>
<input id="reason" name="reason" value="{{TYPED_REASON}}" maxlength="1000">
<button type="submit" id="show-pending" class="quiet">{{T_SHOW}}</button>
</form>
<form method="post" action="/accounts/{{ID}}/rotation/confirm" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" id="confirm-rotation">{{T_CONFIRM}}</button>
</form>
<form method="post" action="/accounts/{{ID}}/rotation/abort" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" id="abort-rotation" class="quiet">{{T_ABORT}}</button>
</form>
{{/PENDING}}
