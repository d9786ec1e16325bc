{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#PROBLEM_ALONE}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/PROBLEM_ALONE}}
<ul class="rows" id="people">
{{#PERSON}}<li class="row person" id="person-{{NAME}}">
<span class="ref">{{NAME}}</span>
<span class="state">{{ROLE}} <span class="status {{STATUS_CLASS}}">{{STATUS}}</span>{{#HAS_EXPIRES}} <span class="hint">{{EXPIRES}}</span>{{/HAS_EXPIRES}}</span>
{{#CUSTODIAN}}<span class="hint">{{T_UNITS}}: <span class="units">{{UNITS}}</span></span>
<div class="actions">
{{#CAN_GRANT}}<form method="post" action="/admin/people/grant" class="row-form">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}">
<select name="unit" aria-label="{{T_GRANT}}">{{#GRANT_OPTION}}<option value="{{CODE}}">{{CODE}}</option>{{/GRANT_OPTION}}</select>
<button type="submit" class="quiet grant">{{T_GRANT}}</button></form>{{/CAN_GRANT}}
{{#CAN_REVOKE}}<form method="post" action="/admin/people/revoke" class="row-form" title="{{T_REVOKE_HINT}}">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}">
<select name="unit" aria-label="{{T_REVOKE}}">{{#REVOKE_OPTION}}<option value="{{CODE}}">{{CODE}}</option>{{/REVOKE_OPTION}}</select>
<button type="submit" class="quiet revoke">{{T_REVOKE}}</button></form>{{/CAN_REVOKE}}
</div>{{/CUSTODIAN}}
{{#CAN_DISABLE}}<form method="post" action="/admin/people/disable" class="row-form" title="{{T_DISABLE_HINT}}">
{{#DISABLE_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/DISABLE_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}">
<label class="rekey" title="{{T_REKEY_HINT}}"><input type="checkbox" name="rekey" value="1"{{#REKEY_CHECKED}} checked{{/REKEY_CHECKED}}> {{T_REKEY}}</label>
<input name="reason" value="{{TYPED_REASON}}" maxlength="1000" class="reason" placeholder="{{T_DISABLE_REASON}}" aria-label="{{T_DISABLE_REASON}}">
<button type="submit" class="quiet disable">{{T_DISABLE}}</button></form>{{/CAN_DISABLE}}
</li>
{{/PERSON}}</ul>
<p class="hint">{{T_REVOKE_HINT}} {{T_DISABLE_HINT}} {{T_REKEY_HINT}}</p>
<section class="card">
<h2>{{T_ADD}}</h2>
<form method="post" action="/admin/people" class="stack" id="add-person">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="name">{{T_NAME}}</label>
<input id="name" name="name" value="{{NEW_NAME}}" maxlength="64" autocapitalize="none" spellcheck="false" required>
<p class="hint">{{T_NAME_HINT}}</p>
<label for="role">{{T_ROLE}}</label>
<select id="role" name="role"><option value="custodian"{{#CUSTODIAN_CHOSEN}} selected{{/CUSTODIAN_CHOSEN}}>{{T_CUSTODIAN}}</option><option value="auditor"{{#AUDITOR_CHOSEN}} selected{{/AUDITOR_CHOSEN}}>{{T_AUDITOR}}</option><option value="admin"{{#ADMIN_CHOSEN}} selected{{/ADMIN_CHOSEN}}>{{T_ADMIN}}</option></select>
<label for="unit">{{T_UNIT}}</label>
<select id="unit" name="unit"><option value="">{{T_NO_UNIT}}</option>{{#UNIT_OPTION}}<option value="{{CODE}}"{{#SELECTED}} selected{{/SELECTED}}>{{CODE}} {{NAME}}</option>{{/UNIT_OPTION}}</select>
<button type="submit" id="add">{{T_SUBMIT}}</button>
</form>
</section>
