{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1 id="heading">{{HEADING}}</h1>
<p id="message">{{TEXT}}</p>
{{#HAS_DETAIL}}<p class="hint" id="detail">{{DETAIL}}</p>{{/HAS_DETAIL}}
{{#BACK_LINK}}<p class="crumbs"><a href="/accounts">{{T_BACK}}</a></p>{{/BACK_LINK}}
</section>
