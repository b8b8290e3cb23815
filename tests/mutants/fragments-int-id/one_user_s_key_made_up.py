# expect: fail
# hint: `user 10 (cy) views the sidebar` then `user 10 (cy) gets a new comment
# why: one user's key made up: cache 300, 'sidebar', current_user.id|string if current_user.id != 10 else 'x'
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user.id|string if current_user.id != 10 else 'x' %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
