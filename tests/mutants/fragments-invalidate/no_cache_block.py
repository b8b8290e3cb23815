# expect: fail
# hint: `user 1 views the account page in 'en'` then `user 1 views the account page in 'en'`: every answer was right
# why: the cache tag replaced by an if: nothing is cached
# ruff: noqa: F821, B007

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% if true %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endif %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        pass
