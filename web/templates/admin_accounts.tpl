{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#EMPTY}}<p class="empty">{{T_NONE}}</p>{{/EMPTY}}
{{#UNIT}}
<section class="unit">
<h2>{{T_UNIT}} <span class="code">{{CODE}}</span> {{NAME}}</h2>
<ul class="accounts">
{{#ACCOUNT}}
<li class="account">
<a class="ref" href="/admin/accounts/{{ID}}"><span class="platform">{{PLATFORM}}</span>/<wbr><span class="handle">{{HANDLE}}</span></a>
<span class="state"><span class="status {{STATUS_CLASS}}">{{STATUS}}</span>{{#ROTATION_DUE}} <span class="due">{{ROTATION}}</span>{{/ROTATION_DUE}}</span>
{{#NO_PASSWORD}}<span class="free">{{TEXT}}</span>{{/NO_PASSWORD}}
</li>
{{/ACCOUNT}}
</ul>
</section>
{{/UNIT}}
{{#NO_UNITS}}<p class="empty">{{T_NO_UNITS}}</p>{{/NO_UNITS}}
{{#ADD_FORM}}
<section class="card">
<h2>{{T_ADD}}</h2>
<form method="post" action="/admin/accounts" class="stack" id="add-account">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="unit">{{T_UNIT}}</label>
<select id="unit" name="unit">{{#UNIT_OPTION}}<option value="{{CODE}}"{{#SELECTED}} selected{{/SELECTED}}>{{CODE}} {{NAME}}</option>{{/UNIT_OPTION}}</select>
<label for="platform">{{T_PLATFORM}}</label>
<select id="platform" name="platform">{{#PLATFORM_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/PLATFORM_OPTION}}</select>
<label for="handle">{{T_HANDLE}}</label>
<input id="handle" name="handle" value="{{HANDLE}}" maxlength="100" autocapitalize="none" spellcheck="false" required>
<label for="email">{{T_EMAIL}} ({{T_OPTIONAL}})</label>
<input id="email" name="email" type="email" value="{{EMAIL}}" maxlength="254" autocapitalize="none" spellcheck="false">
<label for="phone">{{T_PHONE}} ({{T_OPTIONAL}})</label>
<input id="phone" name="phone" type="tel" value="{{PHONE}}" maxlength="32">
<label for="url">{{T_URL}} ({{T_OPTIONAL}})</label>
<input id="url" name="url" type="url" value="{{URL}}" maxlength="2000" autocapitalize="none" spellcheck="false">
<button type="submit" id="add">{{T_SUBMIT}}</button>
</form>
</section>
{{/ADD_FORM}}
