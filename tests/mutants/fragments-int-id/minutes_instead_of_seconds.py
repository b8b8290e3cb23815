# expect: fail
# hint: expires after 5 s
# why: minutes instead of seconds: cache 5, 'sidebar', current_user.id|string
SIDEBAR_TEMPLATE = """{% cache 5, 'sidebar', current_user.id|string %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
