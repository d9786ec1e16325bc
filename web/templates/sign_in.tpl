{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{T_HEADING}}</h1>
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<form method="post" action="/sign-in" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="next" value="{{NEXT}}">
<label for="name">{{T_NAME}}</label>
<input id="name" name="name" value="{{NAME}}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required>
<label for="passphrase">{{T_PASSPHRASE}}</label>
<input id="passphrase" name="passphrase" type="password" autocomplete="current-password" required>
<button type="submit" id="sign-in">{{T_SUBMIT}}</button>
</form>
<p class="hint">{{T_HINT}}</p>
<p class="hint"><a href="/enroll" id="to-enroll">{{T_ENROLL}}</a></p>
</section>
