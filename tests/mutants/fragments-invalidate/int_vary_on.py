# expect: fail
# hint: invalidate_sidebar(cache, 1) raised TypeError
# why: the user id not turned into a string
# ruff: noqa: F821

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        cache.delete(make_template_fragment_key('recs', vary_on=[user_id, lang]))
