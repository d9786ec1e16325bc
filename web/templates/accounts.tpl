{{%AUTOESCAPE context="HTML"}}
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#EMPTY}}<p class="empty">{{T_NONE}}</p>{{/EMPTY}}
{{#PAST_END}}<p class="empty" id="past-end">{{T_PAST_END}}</p>{{/PAST_END}}
{{#UNIT}}
<section class="unit">
<h2>{{T_UNIT}} <span class="code">{{CODE}}</span> {{NAME}}</h2>
<ul class="accounts">
{{#ACCOUNT}}
<li class="account">
<a class="ref" href="/accounts/{{ID}}"><span class="platform">{{PLATFORM}}</span>/<wbr><span class="handle">{{HANDLE}}</span></a>
<span class="state"><span class="status {{STATUS_CLASS}}">{{STATUS}}</span>{{#ROTATION_DUE}} <span class="due">{{ROTATION}}</span>{{/ROTATION_DUE}}</span>
{{#HELD}}<span class="hold">{{HOLD}}</span>{{/HELD}}{{#NOT_HELD}}<span class="free">{{FREE}}</span>{{/NOT_HELD}}
</li>
{{/ACCOUNT}}
</ul>
</section>
{{/UNIT}}
{{#EARLIER}}<p class="crumbs pages"><a href="/accounts?page={{EARLIER_PAGE}}" id="earlier">{{T_EARLIER}}</a></p>{{/EARLIER}}
{{#LATER}}<p class="crumbs pages"><a href="/accounts?page={{LATER_PAGE}}" id="later">{{T_LATER}}</a></p>{{/LATER}}
