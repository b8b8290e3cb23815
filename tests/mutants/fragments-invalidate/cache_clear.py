# expect: fail
# hint: `user 10 views the account page in 'en'` then `user 1 rates a product and invalidate_sidebar(cache, 1) runs` then `user 10 views the account page in 'en'`
# why: clear() drops every user's fragments
# ruff: noqa: F821, B007

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        cache.clear()
