# expect: fail
# hint: not cached
# why: the cache block removed
SIDEBAR_TEMPLATE = """<div>{{ render_notifications(current_user) }} {{ render_recommendations(current_user) }}</div>"""
