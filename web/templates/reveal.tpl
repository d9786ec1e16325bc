{{%AUTOESCAPE context="HTML"}}
<h1>{{T_HEADING}}</h1>
<p class="ref">{{REF}}</p>
<dl class="login">
<dt>{{T_USERNAME}}</dt>
<dd><code id="username">{{USERNAME}}</code><button type="button" class="copy quiet" data-copy="username">{{T_COPY}}</button></dd>
{{#HAS_EMAIL}}<dt>{{T_EMAIL}}</dt>
<dd><code id="email">{{EMAIL}}</code><button type="button" class="copy quiet" data-copy="email">{{T_COPY}}</button></dd>{{/HAS_EMAIL}}
<dt>{{T_PASSWORD}}</dt>
<dd><code id="password" class="secret">{{PASSWORD}}</code><button type="button" class="copy" data-copy="password">{{T_COPY}}</button></dd>
{{#HAS_TOTP}}<dt>{{T_TOTP}}</dt>
<dd><code id="totp" class="secret">{{TOTP}}</code><button type="button" class="copy quiet" data-copy="totp">{{T_COPY}}</button></dd>{{/HAS_TOTP}}
</dl>
<p class="notice" id="copied" role="status" hidden>{{T_COPIED}}</p>
<p class="until" id="until">{{UNTIL}}</p>
<p class="hint">{{T_ONCE}}</p>
<form method="post" action="/accounts/{{ID}}/checkin" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" id="checkin">{{T_CHECKIN}}</button>
</form>
<p class="crumbs"><a href="/accounts/{{ID}}">{{T_BACK}}</a></p>
