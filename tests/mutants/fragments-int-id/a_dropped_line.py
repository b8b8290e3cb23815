# expect: fail
# hint: no longer shows render_notifications(current_user)
# why: the notifications line dropped from the sidebar
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user.id|string %}
<div class="sidebar">
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
