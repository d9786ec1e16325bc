{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<section class="card">
<h1>{{T_HEADING}}</h1>
<p id="added">{{ADDED}}</p>
<p><code id="code" class="secret">{{CODE}}</code></p>
<p class="until" id="until">{{UNTIL}}</p>
<p>{{T_GIVE}}</p>
<p class="hint">{{T_HOW}}</p>
<p class="crumbs"><a href="/admin/people">{{T_BACK}}</a></p>
</section>
