# expect: fail
# hint: `user 1 views the account page in 'en'` then `user 1 views the account page in 'fr'`: the second was served the first's page
# why: the fragment no longer varies on the language
# ruff: noqa: F821, B007

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id)]))
