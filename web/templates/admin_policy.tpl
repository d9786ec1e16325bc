{{%AUTOESCAPE context="HTML"}}
{{>ADMIN_MENU}}
<h1>{{T_HEADING}}</h1>
<section class="card">
<h2>{{T_EXPLAIN}}</h2>
<p class="hint">{{T_EXPLAIN_INTRO}}</p>
<form method="get" action="/admin/policy" class="stack" id="explain-form">
<label for="as">{{T_AS}}</label>
<select id="as" name="as">{{#PERSON_OPTION}}<option value="{{NAME}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/PERSON_OPTION}}</select>
<label for="action">{{T_ACTION}}</label>
<select id="action" name="action">{{#ACTION_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{VALUE}}: {{LABEL}}</option>{{/ACTION_OPTION}}</select>
<label for="target">{{T_TARGET}}</label>
<input id="target" name="target" value="{{TARGET}}" maxlength="200" autocapitalize="none" spellcheck="false">
<button type="submit" id="explain">{{T_ASK}}</button>
</form>
{{#EXPLANATION}}
<div class="explanation" id="explanation">
<p class="verdict {{VERDICT_CLASS}}" id="verdict">{{VERDICT}}</p>
<p class="ref" id="question">{{QUESTION}}</p>
{{#ACCOUNT_FACTS}}<h3>{{T_FACTS}}</h3><dl class="facts">
<dt>{{T_UNIT}}</dt><dd>{{UNIT}}</dd><dt>{{T_SCOPE}}</dt><dd>{{SCOPE}}</dd><dt>{{T_TERM}}</dt><dd>{{TERM}}</dd><dt>{{T_HOLDER}}</dt><dd>{{HOLDER}}</dd>
</dl>{{/ACCOUNT_FACTS}}
{{#HANDOVER_FACTS}}<h3>{{T_FACTS}}</h3><dl class="facts">
<dt>{{T_UNIT}}</dt><dd>{{UNIT}}</dd><dt>{{T_STATE}}</dt><dd>{{STATE}}</dd><dt>{{T_RECEIVER}}</dt><dd>{{RECEIVER}}</dd><dt>{{T_OUTGOING}}</dt><dd>{{OUTGOING}}</dd><dt>{{T_WITNESS}}</dt><dd>{{WITNESS}}</dd>
</dl>{{/HANDOVER_FACTS}}
<h3>{{T_RULES}}</h3>
<ul class="reasons" id="reasons">{{#REASON}}<li><span class="ref">[{{RULE}}]</span> {{EFFECT}}: {{TEXT}}</li>{{/REASON}}</ul>
{{#OBLIGATION}}<p class="hint obligation">{{T_OBLIGATIONS}}: {{NAME}} ({{LABEL}})</p>{{/OBLIGATION}}
</div>
{{/EXPLANATION}}
</section>
<section class="card">
<h2>{{T_IN_FORCE}}</h2>
<p class="hint" id="policy-set">{{SET}}</p>
<pre class="document" id="policy-document">{{DOCUMENT:pre_escape}}</pre>
</section>
