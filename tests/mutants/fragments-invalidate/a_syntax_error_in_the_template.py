# expect: fail
# hint: `ACCOUNT_TEMPLATE` does not compile
# why: the cache tag is never closed
# ruff: noqa: F821, B007

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        pass
