# expect: pass
# why: a correct key: cache '300', 'sidebar', current_user.id|string
SIDEBAR_TEMPLATE = """{% cache '300', 'sidebar', current_user.id|string %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
