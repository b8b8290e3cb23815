# expect: pass
# why: delete_many with every language's key at once
# ruff: noqa: F821

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 600, 'recs', current_user.id|string, lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    cache.delete_many(*[make_template_fragment_key('recs', vary_on=[str(user_id), language])
                        for language in LANGUAGES])
