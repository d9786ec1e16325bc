{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<h1>{{T_HEADING}}</h1>
<dl class="facts" id="status">
<dt>{{T_INSTITUTION}}</dt><dd id="institution">{{INSTITUTION}}</dd>
<dt>{{T_LOG}}</dt><dd id="log">{{LOG}}</dd>
<dt>{{T_HEAD}}</dt><dd><code class="hash">{{HEAD}}</code></dd>
<dt>{{T_STORE}}</dt><dd>{{STORE}}</dd>
<dt>{{T_CHECKPOINT}}</dt><dd>{{CHECKPOINT}}</dd>
<dt>{{T_RECOVERY}}</dt><dd>{{RECOVERY}}</dd>
<dt>{{T_PEOPLE}}</dt><dd>{{PEOPLE}}</dd>
</dl>
<section class="card" id="attention">
<h2>{{T_NEEDS}}</h2>
{{#NOTHING}}<p class="empty">{{T_NOTHING}}</p>{{/NOTHING}}
{{#ATTENTION}}<h3>{{HEADING}} ({{COUNT}})</h3>
<ul>{{#ITEM}}<li>{{TEXT}}</li>{{/ITEM}}</ul>{{/ATTENTION}}
</section>
