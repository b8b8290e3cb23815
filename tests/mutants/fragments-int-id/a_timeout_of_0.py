# expect: fail
# hint: never expires
# why: a timeout of 0: cache 0, 'sidebar', current_user.id|string
SIDEBAR_TEMPLATE = """{% cache 0, 'sidebar', current_user.id|string %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
