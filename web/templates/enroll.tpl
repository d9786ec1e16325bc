{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#HAS_PROBLEM}}<p class="problem" role="alert" id="problem">{{PROBLEM}}</p>{{/HAS_PROBLEM}}
<form method="post" action="{{ACTION}}" class="stack" id="passphrase-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#ENROLL}}
<label for="name">{{T_NAME}}</label>
<input id="name" name="name" value="{{NAME}}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required>
<label for="code">{{T_CODE}}</label>
<input id="code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" maxlength="100" required>
{{/ENROLL}}
{{#CURRENT}}
<label for="current">{{T_CURRENT}}</label>
<input id="current" name="current" type="password" autocomplete="current-password" required>
{{/CURRENT}}
<label for="passphrase">{{T_NEW}}</label>
<input id="passphrase" name="passphrase" type="password" autocomplete="new-password" minlength="15" required>
<label for="repeat">{{T_REPEAT}}</label>
<input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength="15" required>
<p class="hint">{{T_RULES}}</p>
<button type="submit" id="submit">{{T_SUBMIT}}</button>
</form>
</section>
