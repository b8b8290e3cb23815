# expect: fail
# hint: sidebar was stale
# why: an extra vary-on value: cache 300, 'sidebar', current_user.id|string, current_user.name
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user.id|string, current_user.name %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
