# expect: fail
# hint: `user 1 views the account page in 'fr'` then `user 1 rates a product
# why: deletes the English fragment only
# ruff: noqa: F821

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in ['en']:
        cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id), lang]))
