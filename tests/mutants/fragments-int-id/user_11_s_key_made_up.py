# expect: fail
# hint: `user 11 (ada) views the sidebar` then `user 11 (ada) gets a new comment
# why: user 11's fragment stored under a made-up key, which the app's deletion misses (no hand-picked sequence shows it; every short sequence is tried)
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user.id|string if current_user.id != 11 else 'eleven' %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
