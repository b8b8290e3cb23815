# expect: fail
# hint: `user 1 (ada) views the sidebar` then `user 11 (ada) views the sidebar`: the second was served the first's sidebar. User 11 (ada) saw user 1's sidebar
# why: a name instead of the id: cache 300, 'sidebar', current_user.name
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user.name %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
