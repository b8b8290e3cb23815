# expect: fail
# hint: UndefinedError
# why: Python's str(): cache 300, 'sidebar', str(current_user.id)
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', str(current_user.id) %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
