# expect: fail
# hint: `user 1 views the account page in 'en'` then `user 1 rates a product and invalidate_sidebar(cache, 1) runs` then `user 1 views the account page in 'en'`
# why: the vary_on values in another order than the tag's
# ruff: noqa: F821

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        cache.delete(make_template_fragment_key('recs', vary_on=[lang, str(user_id)]))
