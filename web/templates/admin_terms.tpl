{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#PROBLEM_ALONE}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/PROBLEM_ALONE}}
{{#EMPTY}}<p class="empty">{{T_NONE}}</p>{{/EMPTY}}
<ul class="rows" id="terms">
{{#TERM}}<li class="row term">
<span class="ref">{{NAME}}</span>
<span>{{FROM}} &ndash; {{LAST}} <span class="status">{{STATE}}</span></span>
<span class="hint">{{T_UNITS}}: {{UNITS}}{{#HAS_OWN}} &middot; {{T_OWN_ENDS}}: {{OWN}}{{/HAS_OWN}}</span>
{{#OPEN}}<div class="actions">
{{#EXTEND_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/EXTEND_PROBLEM}}
<form method="post" action="/admin/terms/extend" class="row-form">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}">
<label>{{T_NEW_LAST}} <input type="date" name="end" value="{{TYPED_END}}" required></label>
<button type="submit" class="quiet extend">{{T_EXTEND}}</button></form>
{{#END_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/END_PROBLEM}}
<form method="post" action="/admin/terms/end" class="row-form" title="{{T_END_HINT}}">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}">
<input name="units" value="{{TYPED_UNITS}}" maxlength="2000" placeholder="{{T_UNITS}}" aria-label="{{T_UNITS}}">
<button type="submit" class="quiet end">{{T_END}}</button></form>
</div>{{/OPEN}}
</li>
{{/TERM}}</ul>
<p class="hint">{{T_END_HINT}}</p>
<section class="card">
<h2>{{T_ADD}}</h2>
<form method="post" action="/admin/terms" class="stack" id="add-term">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="name">{{T_NAME}}</label>
<input id="name" name="name" value="{{NEW_NAME}}" maxlength="64" required>
<label for="start">{{T_FROM}} ({{ZONE}})</label>
<input id="start" name="start" type="date" value="{{NEW_START}}" required>
<label for="end">{{T_LAST}} ({{ZONE}})</label>
<input id="end" name="end" type="date" value="{{NEW_END}}" required>
<label for="units">{{T_UNITS}}</label>
<input id="units" name="units" value="{{NEW_UNITS}}" maxlength="2000">
<p class="hint">{{T_UNITS_HINT}}</p>
<button type="submit" id="add">{{T_SUBMIT}}</button>
</form>
</section>
