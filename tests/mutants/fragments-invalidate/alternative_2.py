# expect: pass
# why: the id joined with ~ '' and the timeout written 60 * 10
# ruff: noqa: F821

LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{ current_user.name }}</h1>
{% cache 60 * 10, 'recs', current_user.id ~ '', lang %}<aside>{{ render_recommendations(current_user, lang) }}</aside>{% endcache %}"""

def invalidate_sidebar(cache, user_id):
    for lang in LANGUAGES:
        cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id), lang]))
