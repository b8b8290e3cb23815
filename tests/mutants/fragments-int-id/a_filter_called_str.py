# expect: fail
# hint: does not compile
# why: a filter called str: cache 300, 'sidebar', current_user.id|str
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user.id|str %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
