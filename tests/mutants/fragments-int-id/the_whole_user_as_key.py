# expect: fail
# hint: gets a new comment and the app deletes make_template_fragment_key('sidebar', vary_on=['1'])
# why: the whole user as key: cache 300, 'sidebar', current_user|string
SIDEBAR_TEMPLATE = """{% cache 300, 'sidebar', current_user|string %}
<div class="sidebar">
    {{ render_notifications(current_user) }}
    {{ render_recommendations(current_user) }}
</div>
{% endcache %}"""
