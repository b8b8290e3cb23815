# expect: fail
# hint: then `user 11 (ada) views the sidebar`: the second was served the first's sidebar
# why: no vary-on value: cache 300, 'sidebar'
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar' %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
