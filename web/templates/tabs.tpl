{{%AUTOESCAPE context="HTML"}}
<nav class="admin-menu" aria-label="{{T_MENU}}">
{{#ITEM}}<a href="{{PATH}}" id="tab-{{ID}}"{{#CURRENT}} class="current" aria-current="page"{{/CURRENT}}>{{LABEL}}</a>
{{/ITEM}}</nav>
