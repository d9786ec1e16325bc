{{%AUTOESCAPE context="HTML"}}
<section class="card narrow" id="confirmation">
<h1 id="heading">{{HEADING}}</h1>
<p id="what">{{WHAT}}</p>
<form method="post" action="{{ACTION}}" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#FIELD}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">
{{/FIELD}}<input type="hidden" name="confirmed" value="1">
<button type="submit" id="confirm">{{BUTTON}}</button>
</form>
<p class="crumbs"><a href="{{BACK_TO}}" id="back">{{T_BACK}}</a></p>
</section>
