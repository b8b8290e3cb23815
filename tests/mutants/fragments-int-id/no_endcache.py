# expect: fail
# hint: does not compile
# why: the {% endcache %} forgotten
SIDEBAR_TEMPLATE = "{% cache 300, 'sidebar', current_user.id|string %}<div>{{ render_notifications(current_user) }}</div>"
