# expect: fail
# hint: render_recommendations ran again
# why: the recommendations moved out of the sidebar's cache block
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user.id|string %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
{% endcache %}{{ render_recommendations(current_user) }}{% cache 300, 'rest', current_user.id|string %}</div>
{% endcache %}"""
