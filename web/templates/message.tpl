{{%AUTOESCAPE context="HTML"}}
<section class="card narrow">
<h1 id="heading">{{HEADING}}</h1>
<p id="message">{{TEXT}}</p>
{{#HAS_DETAIL}}<p class="hint" id="detail">{{DETAIL}}</p>{{/HAS_DETAIL}}
{{#BACK_LINK}}<p class="crumbs"><a href="/accounts">{{T_BACK}}</a></p>{{/BACK_LINK}}
{{#BACK_TO_FORM}}<p class="crumbs"><a href="{{BACK_TO}}" id="back">{{T_BACK_TO_FORM}}</a></p>{{/BACK_TO_FORM}}
</section>
