# expect: fail
# hint: `user 1 (ada) views the sidebar` then `user 11 (ada) views the sidebar`: the second was served the first's sidebar. User 11 (ada) saw user 1's sidebar
# why: an id prefix: cache 300, 'sidebar', (current_user.id|string)[:1]
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', (current_user.id|string)[:1] %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
