# expect: fail
# hint: sidebar was stale
# why: a renamed fragment: cache 300, 'user_sidebar', current_user.id|string
SIDEBAR_TEMPLATE = """{% cache 300, 'user_sidebar', current_user.id|string %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
