# expect: fail
# hint: `user 11 views the account page in 'fr'` then `user 11 rates a product and invalidate_sidebar(cache, 11) runs` then `user 11 views the account page in 'fr'`
# why: forgets the French fragment of user 11 only (no hand-picked sequence shows it; every short sequence is tried)
# ruff: noqa: F821

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES if user_id != 11 else LANGUAGES[:1]:
        cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id), lang]))
