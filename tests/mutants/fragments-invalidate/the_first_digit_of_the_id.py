# expect: fail
# hint: then `user 10 rates a product
# why: deletes by the id's first digit
# ruff: noqa: F821

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id)[0], lang]))
