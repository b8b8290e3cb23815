# expect: pass
# why: the language first, in the tag and in the key alike
# ruff: noqa: F821

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', lang, current_user.id|string %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        cache.delete(make_template_fragment_key('recs', vary_on=[lang, str(user_id)]))
