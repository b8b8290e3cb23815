# expect: fail
# hint: `user 1 (ada) views the sidebar`: rendering it raised TypeError
# why: the article as written: cache 300, 'sidebar', current_user.id
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user.id %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
