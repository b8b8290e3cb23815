# expect: fail
# hint: a logged-out visitor views the sidebar
# why: get_id() is None for a logged-out visitor: cache 300, 'sidebar', current_user.get_id()
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user.get_id() %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
