# expect: fail
# hint: invalidate_sidebar(cache, 1) deleted user 1
# why: deletes every key that starts with the user's key: user 1 takes users 10 and 11 along
# ruff: noqa: F821, B007

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        [cache.delete(k) for k in list(cache.cache._cache) if k.startswith(make_template_fragment_key('recs', vary_on=[str(user_id)]))]
