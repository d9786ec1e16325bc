{{%AUTOESCAPE context="HTML"}}
<h1>{{T_HEADING}}</h1>
<p class="intro">{{T_INTRO}}</p>
{{#EMPTY}}<p class="empty" id="no-requests">{{T_NONE}}</p>{{/EMPTY}}
{{#EMPTY_ALL}}<p class="empty" id="no-requests">{{T_NONE_ALL}}</p>{{/EMPTY_ALL}}
<ul class="rows" id="requests">
{{#REQUEST}}<li class="row" id="request-{{ID}}"><a class="ref" href="/approvals/{{ID}}">#{{ID}} {{WHAT}}</a>
<span class="standing {{STANDING_CLASS}}">{{STANDING}} &middot; {{COUNT}}</span>
<span>{{T_BY}}: {{REQUESTER}} &middot; {{T_REASON}}: {{REASON}}</span>
<span class="hint">{{T_UNTIL}}: {{UNTIL}}</span></li>
{{/REQUEST}}</ul>
{{#WAITING}}<p class="crumbs"><a href="/approvals?all=1" id="show-all">{{T_SHOW_ALL}}</a></p>{{/WAITING}}
{{#ALL}}<p class="crumbs"><a href="/approvals" id="show-waiting">{{T_SHOW_WAITING}}</a></p>{{/ALL}}
