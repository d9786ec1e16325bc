{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#EMPTY}}<p class="empty">{{T_NONE}}</p>{{/EMPTY}}
<ul class="rows" id="units">
{{#UNIT}}<li class="row"><span class="ref">{{CODE}} {{NAME}}</span>
<span class="hint">{{T_ACCOUNTS}}: {{ACCOUNTS}} &middot; {{T_HOLDERS}}: {{HOLDERS}}</span></li>
{{/UNIT}}</ul>
<section class="card">
<h2>{{T_ADD}}</h2>
<form method="post" action="/admin/units" class="stack" id="add-unit">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="code">{{T_CODE}}</label>
<input id="code" name="code" value="{{NEW_CODE}}" maxlength="32" inputmode="decimal" required>
<p class="hint">{{T_CODE_HINT}}</p>
<label for="name">{{T_NAME}}</label>
<input id="name" name="name" value="{{NEW_NAME}}" maxlength="100" required>
<button type="submit" id="add">{{T_SUBMIT}}</button>
</form>
</section>
