{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
{{#HAS_REFRESH}}<meta http-equiv="refresh" content="{{REFRESH}}">{{/HAS_REFRESH}}
<title>{{TITLE}} - {{T_APP}}</title>
<link rel="stylesheet" href="/static/brankas.css">
<script src="/static/copy.js" defer></script>
</head>
<body>
<a class="skip" href="#main">{{T_SKIP}}</a>
<header class="bar">
<a class="brand" href="/accounts">{{T_APP}}</a>
<nav>
<a class="lang" id="language" href="/language/{{OTHER_LANG}}?next={{HERE}}" hreflang="{{OTHER_LANG}}">{{OTHER_LANGUAGE}}</a>
{{#SIGNED_IN}}
<span class="who" title="{{T_SIGNED_IN_AS}}">{{USER}}</span>
<form method="post" action="/sign-out" class="inline">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="quiet" id="sign-out">{{T_SIGN_OUT}}</button>
</form>
{{/SIGNED_IN}}
</nav>
</header>
{{#HAS_MENU}}<nav class="menu" id="menu" aria-label="{{MENU_NAME}}">
{{#MENU}}<a href="{{HREF}}" id="menu-{{ID}}">{{LABEL}}</a>
{{/MENU}}</nav>{{/HAS_MENU}}
<main id="main">
{{#HAS_NOTICE}}<p class="notice" role="status" id="notice">{{NOTICE}}</p>{{/HAS_NOTICE}}
{{>BODY}}
</main>
</body>
</html>
