{{%AUTOESCAPE context="HTML"}}
<p class="crumbs"><a href="/accounts">{{T_BACK}}</a></p>
<h1 class="ref"><span class="platform">{{PLATFORM}}</span>/<wbr><span class="handle">{{HANDLE}}</span></h1>
<dl class="facts">
<dt>{{T_UNIT}}</dt><dd>{{UNIT}}</dd>
<dt>{{T_STATUS}}</dt><dd><span class="status {{STATUS_CLASS}}">{{STATUS}}</span>{{#ROTATION_DUE}} <span class="due">{{ROTATION}}</span>{{/ROTATION_DUE}}</dd>
{{#HAS_EMAIL}}<dt>{{T_EMAIL}}</dt><dd>{{EMAIL}}</dd>{{/HAS_EMAIL}}
{{#HAS_PHONE}}<dt>{{T_PHONE}}</dt><dd>{{PHONE}}</dd>{{/HAS_PHONE}}
{{#HAS_URL}}<dt>{{T_URL}}</dt><dd>{{URL}}</dd>{{/HAS_URL}}
</dl>
<p class="crumbs links">{{#CAN_ROTATE}}<a href="/accounts/{{ID}}/rotation" id="to-rotation">{{T_ROTATION}}</a> {{/CAN_ROTATE}}<a href="/accounts/{{ID}}/checklist" id="to-checklist">{{T_CHECKLIST}}</a></p>
{{#AUDITOR}}<p class="hint" id="auditor">{{T_AUDITOR}}</p>{{/AUDITOR}}
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
{{#HELD}}
<section class="card">
<h2>{{T_HOLD}}</h2>
<p class="hold" id="hold">{{HOLD}}</p>
{{#HAS_REASON}}<p class="reason">{{T_REASON}}: {{REASON}}</p>{{/HAS_REASON}}
{{#CAN_CHECKIN}}
<form method="post" action="/accounts/{{ID}}/checkin" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" id="checkin">{{T_CHECKIN}}</button>
</form>
<p class="hint">{{T_CHECKIN_HINT}}</p>
{{/CAN_CHECKIN}}
</section>
{{/HELD}}
{{#NO_PASSWORD}}<p class="empty">{{T_NO_PASSWORD}}</p>{{/NO_PASSWORD}}
{{#CAN_CHECKOUT}}
<section class="card">
<form method="post" action="/accounts/{{ID}}/checkout" class="stack" id="checkout-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="reason">{{T_REASON}}</label>
{{#REASON_REQUIRED}}<input id="reason" name="reason" value="{{TYPED_REASON}}" maxlength="1000" required>{{/REASON_REQUIRED}}
{{#REASON_OPTIONAL}}<input id="reason" name="reason" value="{{TYPED_REASON}}" maxlength="1000">{{/REASON_OPTIONAL}}
<p class="hint">{{T_REASON_HINT}}</p>
<label for="duration">{{T_DURATION}}</label>
<select id="duration" name="duration">
{{#DURATION}}{{#SELECTED}}<option value="{{VALUE}}" selected>{{LABEL}}</option>{{/SELECTED}}{{#OTHER}}<option value="{{VALUE}}">{{LABEL}}</option>{{/OTHER}}{{/DURATION}}
</select>
<button type="submit" id="checkout">{{T_CHECKOUT}}</button>
</form>
</section>
{{/CAN_CHECKOUT}}
{{#APPROVED}}
<section class="card" id="approved-{{REQUEST}}">
<h2>{{T_APPROVED}}</h2>
<p class="approved">{{TEXT}}</p>
<form method="post" action="/accounts/{{ID}}/checkout" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="break_glass" value="1">
<input type="hidden" name="request" value="{{REQUEST}}">
<button type="submit" id="use-request-{{REQUEST}}">{{T_USE}}</button>
</form>
</section>
{{/APPROVED}}
{{#BREAK_GLASS}}
<details class="card break-glass" id="break-glass"{{#OPEN}} open{{/OPEN}}>
<summary>{{T_BREAK_GLASS}}</summary>
<p class="hint">{{T_BREAK_GLASS_HINT}}</p>
<form method="post" action="/accounts/{{ID}}/checkout" class="stack" id="break-glass-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="break_glass" value="1">
<label for="break-glass-reason">{{T_REASON}}</label>
<input id="break-glass-reason" name="reason" value="{{TYPED_REASON}}" maxlength="1000" required>
<p class="hint">{{T_BREAK_GLASS_REASON_HINT}}</p>
<label for="break-glass-duration">{{T_DURATION}}</label>
<select id="break-glass-duration" name="duration">
{{#DURATION}}{{#SELECTED}}<option value="{{VALUE}}" selected>{{LABEL}}</option>{{/SELECTED}}{{#OTHER}}<option value="{{VALUE}}">{{LABEL}}</option>{{/OTHER}}{{/DURATION}}
</select>
<button type="submit" id="break-glass-submit">{{T_BREAK_GLASS_SUBMIT}}</button>
</form>
</details>
{{/BREAK_GLASS}}
