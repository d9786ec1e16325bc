{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<p class="crumbs"><a href="/admin/accounts">{{T_BACK}}</a></p>
<h1 class="ref"><span class="platform">{{REF_PLATFORM}}</span>/<wbr><span class="handle">{{REF_HANDLE}}</span></h1>
<dl class="facts">
<dt>{{T_UNIT}}</dt><dd>{{UNIT}}</dd>
<dt>{{T_STATUS}}</dt><dd><span class="status {{STATUS_CLASS}}" id="status">{{STATUS}}</span>{{#ROTATION_DUE}} <span class="due">{{ROTATION}}</span>{{/ROTATION_DUE}}</dd>
<dt>{{T_VERSION}}</dt><dd id="version">{{VERSION}}</dd>
</dl>
{{#CHANGEABLE}}
<section class="card">
<h2>{{T_PASSWORD_HEADING}}</h2>
<p class="hint">{{T_PASSWORD_INTRO}}</p>
<form method="post" action="/admin/accounts/{{ID}}/password" class="stack" id="password-form">
{{#PASSWORD_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p><p class="hint" id="type-again">{{T_TYPE_AGAIN}}</p>{{/PASSWORD_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="password">{{T_PASSWORD}}</label>
<input id="password" name="password" type="password" autocomplete="new-password" maxlength="1024" required>
<label for="password_again">{{T_PASSWORD_AGAIN}}</label>
<input id="password_again" name="password_again" type="password" autocomplete="new-password" maxlength="1024" required>
<label for="password-reason">{{T_REASON}}</label>
<input id="password-reason" name="reason" value="{{PASSWORD_REASON}}" maxlength="1000">
<button type="submit" id="store-password">{{T_STORE}}</button>
</form>
<h2 id="generate-heading">{{T_GENERATE_HEADING}}</h2>
<form method="post" action="/admin/accounts/{{ID}}/generate" class="stack" id="generate-form">
{{#GENERATE_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/GENERATE_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="length">{{T_LENGTH}}</label>
<input id="length" name="length" type="number" min="{{MIN_LENGTH}}" max="{{MAX_LENGTH}}" value="{{LENGTH}}" required>
<label for="generate-reason">{{T_REASON}}</label>
<input id="generate-reason" name="reason" value="{{GENERATE_REASON}}" maxlength="1000">
<p class="hint">{{T_GENERATE_HINT}}</p>
<button type="submit" id="generate">{{T_GENERATE}}</button>
</form>
</section>
<section class="card">
<h2>{{T_EDIT}}</h2>
<form method="post" action="/admin/accounts/{{ID}}/edit" class="stack" id="edit-form">
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="platform">{{T_PLATFORM}}</label>
<select id="platform" name="platform">{{#PLATFORM_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/PLATFORM_OPTION}}</select>
<label for="handle">{{T_HANDLE}}</label>
<input id="handle" name="handle" value="{{HANDLE}}" maxlength="100" autocapitalize="none" spellcheck="false" required>
<label for="email">{{T_EMAIL}}</label>
<input id="email" name="email" type="email" value="{{EMAIL}}" maxlength="254" autocapitalize="none" spellcheck="false">
<label for="phone">{{T_PHONE}}</label>
<input id="phone" name="phone" type="tel" value="{{PHONE}}" maxlength="32">
<label for="url">{{T_URL}}</label>
<input id="url" name="url" type="url" value="{{URL}}" maxlength="2000" autocapitalize="none" spellcheck="false">
<button type="submit" id="save">{{T_SAVE}}</button>
</form>
</section>
<section class="card">
<h2>{{T_ARCHIVE_HEADING}}</h2>
<p class="hint">{{T_ARCHIVE_HINT}}</p>
<form method="post" action="/admin/accounts/{{ID}}/archive" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" id="archive">{{T_ARCHIVE}}</button>
</form>
</section>
{{/CHANGEABLE}}
