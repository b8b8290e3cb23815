# expect: fail
# hint: `user 11 rates a product and invalidate_sidebar(cache, 11) runs` then `user 11 views the account page
# why: skips user 11 (no hand-picked sequence shows it; every short sequence is tried)
# ruff: noqa: F821

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    if user_id == 11:
        return
    for lang in LANGUAGES:
        cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id), lang]))
