"""The lesson 05 checkers: the solutions pass, placeholders are not attempted, and plausible
wrong answers fail with a hint that names the mistake."""

from __future__ import annotations

import pytest
from conftest import answer_cell, run_answer

from support.exercises import blank_solutions
from support.grading import Result, run_check

NB = "05_fragments.ipynb"
# What the notebook defines before the answer cells (the playground's cache and imports).
PRELUDE = """
from flask_caching import Cache, make_template_fragment_key
cache = Cache()
"""


def run(exercise_id: str, source: str) -> Result:
    return run_check(exercise_id, run_answer(PRELUDE + source))


def assert_fails(exercise_id: str, source: str, *fragments: str) -> None:
    result = run(exercise_id, source)
    assert result.status == "failed", result
    for fragment in fragments:
        assert fragment in result.message, result.message


def sidebar(tag: str, body: str = "") -> str:
    body = body or ("\n<div class=\"sidebar\">\n    {{ render_notifications(current_user) }}\n"
                    "    {{ render_recommendations(current_user) }}\n</div>\n")
    return f'SIDEBAR_TEMPLATE = """{tag}{body}{{% endcache %}}"""\n'


@pytest.mark.parametrize("exercise_id", ["fragments-int-id", "fragments-collision",
                                         "fragments-invalidate"])
def test_solution_passes_and_placeholder_is_not_attempted(exercise_id: str) -> None:
    source = answer_cell(NB, exercise_id)
    result = run(exercise_id, source)
    assert result.status == "passed", result
    blank = run(exercise_id, blank_solutions(source))
    assert blank.status == "not-attempted", blank


# --- fragments-int-id ------------------------------------------------------------------------


def test_int_id_accepts_other_correct_answers() -> None:
    assert run("fragments-int-id", sidebar("{% cache 300, 'sidebar', current_user.id ~ '' %}")
               ).status == "passed"
    assert run("fragments-int-id", sidebar(
        "{% cache 60 * 5, 'sidebar', current_user.id|string %}")).status == "passed"


def test_int_id_rejects_the_article_as_written() -> None:
    assert_fails("fragments-int-id", sidebar("{% cache 300, 'sidebar', current_user.id %}"),
                 "TypeError", "must be strings", "current_user.id|string")


def test_int_id_rejects_a_fragment_that_does_not_vary_on_the_user() -> None:
    assert_fails("fragments-int-id", sidebar("{% cache 300, 'sidebar' %}"),
                 "ben was shown ada's sidebar", "does not vary on the user")


def test_int_id_rejects_the_whole_user_as_key() -> None:
    assert_fails("fragments-int-id", sidebar("{% cache 300, 'sidebar', current_user|string %}"),
                 "not under the name 'sidebar' with the user's id as a string")


def test_int_id_rejects_a_renamed_fragment() -> None:
    assert_fails("fragments-int-id", sidebar("{% cache 300, 'user_sidebar', current_user.id|string %}"),
                 "not under the name 'sidebar'")


def test_int_id_rejects_python_str_in_a_template() -> None:
    assert_fails("fragments-int-id", sidebar("{% cache 300, 'sidebar', str(current_user.id) %}"),
                 "UndefinedError", "no Python builtins")


def test_int_id_rejects_a_missing_filter_with_a_syntax_message() -> None:
    assert_fails("fragments-int-id", sidebar("{% cache 300, 'sidebar', current_user.id|str %}"),
                 "does not compile", "No filter named 'str'", "`string`")


def test_int_id_rejects_braces_inside_the_tag() -> None:
    assert_fails("fragments-int-id",
                 sidebar("{% cache 300, 'sidebar', {{ current_user.id|string }} %}"),
                 "does not compile", "without {{ }}")


def test_int_id_rejects_a_broken_template() -> None:
    assert_fails("fragments-int-id", 'SIDEBAR_TEMPLATE = "{% cache 300, \'sidebar\', '
                 'current_user.id|string %}<div>{{ render_notifications(current_user) }}</div>"',
                 "does not compile", "line 1")


def test_int_id_rejects_removing_the_cache() -> None:
    assert_fails("fragments-int-id", 'SIDEBAR_TEMPLATE = """<div>{{ render_notifications('
                 'current_user) }} {{ render_recommendations(current_user) }}</div>"""',
                 "not cached")


def test_int_id_rejects_a_changed_timeout() -> None:
    assert_fails("fragments-int-id", sidebar("{% cache 0, 'sidebar', current_user.id|string %}"),
                 "never expires", "300 seconds")


def test_int_id_rejects_a_template_that_is_not_a_string() -> None:
    assert_fails("fragments-int-id", "SIDEBAR_TEMPLATE = 300", "a str, not a int")


# --- fragments-collision ---------------------------------------------------------------------

PRODUCT = "<h1>{{{{ product.name }}}}\n{tag}<aside>{{{{ related_products(product) }}}}</aside>{end}"
ACCOUNT = ("<h1>{{{{ current_user.name }}}}\n{tag}<aside>{{{{ render_recommendations("
           "current_user) }}}}</aside>{end}")


def templates(product_tag: str, account_tag: str) -> str:
    def page(text: str, tag: str) -> str:
        end = "{% endcache %}" if tag else ""
        return text.format(tag=tag, end=end)

    return (f"FIXED_TEMPLATES = {{'product.html': {page(PRODUCT, product_tag)!r}, "
            f"'account.html': {page(ACCOUNT, account_tag)!r}}}\n")


def test_collision_accepts_other_names() -> None:
    source = templates("{% cache 300, 'product-related', product.id|string %}",
                       "{% cache 300, 'account-recs', current_user.id|string %}")
    assert run("fragments-collision", source).status == "passed"


def test_collision_rejects_the_buggy_templates() -> None:
    source = templates("{% cache 300, 'sidebar', product.id|string %}",
                       "{% cache 300, 'sidebar', current_user.id|string %}")
    assert_fails("fragments-collision", source, "share one cache entry",
                 "_template_fragment_cache_sidebar_2", "names must differ")


def test_collision_rejects_unnamed_fragments() -> None:
    source = templates("{% cache 300 %}", "{% cache 300 %}")
    assert_fails("fragments-collision", source, "unnamed", "no file name",
                 "_template_fragment_cache_None2")


def test_collision_rejects_a_fix_that_drops_the_vary_on() -> None:
    source = templates("{% cache 300, 'related' %}",
                       "{% cache 300, 'sidebar', current_user.id|string %}")
    assert_fails("fragments-collision", source,
                 "product 3's page showed product 2's related products", "product.id|string")


def test_collision_rejects_removing_a_cache() -> None:
    source = templates("", "{% cache 300, 'sidebar', current_user.id|string %}")
    assert_fails("fragments-collision", source, "related-products block is not cached")


def test_collision_rejects_an_int_vary_on() -> None:
    source = templates("{% cache 300, 'related', product.id %}",
                       "{% cache 300, 'sidebar', current_user.id|string %}")
    assert_fails("fragments-collision", source, "TypeError", "must be strings")


def test_collision_rejects_a_missing_template() -> None:
    assert_fails("fragments-collision", "FIXED_TEMPLATES = {'product.html': ''}",
                 "no account.html")


def test_collision_rejects_a_syntax_error() -> None:
    source = templates("{% cache 300, 'related', product.id|string %}{% if %}",
                       "{% cache 300, 'sidebar', current_user.id|string %}")
    assert_fails("fragments-collision", source, "product.html does not compile")


# --- fragments-invalidate --------------------------------------------------------------------


def account(tag: str, delete: str, languages: str = "LANGUAGES") -> str:
    return f'''
LANGUAGES = ("en", "fr")
ACCOUNT_TEMPLATE = """<h1>{{{{ current_user.name }}}}</h1>
{tag}<aside>{{{{ render_recommendations(current_user, lang) }}}}</aside>{{% endcache %}}"""

def invalidate_sidebar(cache, user_id):
    for lang in {languages}:
        {delete}
'''


GOOD_TAG = "{% cache 600, 'recs', current_user.id|string, lang %}"


def test_invalidate_accepts_another_correct_answer() -> None:
    source = account("{% cache 600, 'recs', lang, current_user.id|string %}",
                     "cache.delete(make_template_fragment_key('recs', vary_on=[lang, "
                     "str(user_id)]))")
    assert run("fragments-invalidate", source).status == "passed"


def test_invalidate_rejects_int_vary_on() -> None:
    source = account(GOOD_TAG, "cache.delete(make_template_fragment_key('recs', "
                               "vary_on=[user_id, lang]))")
    assert_fails("fragments-invalidate", source, "invalidate_sidebar(cache, 1) raised TypeError",
                 "must be strings", "str(user_id)")


def test_invalidate_rejects_the_wrong_order() -> None:
    source = account(GOOD_TAG, "cache.delete(make_template_fragment_key('recs', "
                               "vary_on=[lang, str(user_id)]))")
    assert_fails("fragments-invalidate", source, "nothing was deleted", "in the tag's order")


def test_invalidate_rejects_a_raw_key() -> None:
    source = account(GOOD_TAG, "cache.delete(f'recs_{user_id}_{lang}')")
    assert_fails("fragments-invalidate", source, "nothing was deleted", "do not match")


def test_invalidate_rejects_one_language_only() -> None:
    source = account(GOOD_TAG, "cache.delete(make_template_fragment_key('recs', "
                               "vary_on=[str(user_id), lang]))", languages="['en']")
    assert_fails("fragments-invalidate", source, "ada's 'fr' sidebar still shows",
                 "every language")


def test_invalidate_rejects_clear() -> None:
    source = account(GOOD_TAG, "cache.clear()")
    assert_fails("fragments-invalidate", source, "ben's sidebar was rendered again",
                 "not cache.clear()")


def test_invalidate_rejects_a_fragment_without_the_language() -> None:
    source = account("{% cache 600, 'recs', current_user.id|string %}",
                     "cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id)]))")
    assert_fails("fragments-invalidate", source, "the 'fr' page showed the sidebar of another "
                 "language", "vary the fragment on lang")


def test_invalidate_rejects_a_fragment_without_the_user() -> None:
    source = account("{% cache 600, 'recs', lang %}",
                     "cache.delete(make_template_fragment_key('recs', vary_on=[lang]))")
    assert_fails("fragments-invalidate", source, "ben's page showed another user's sidebar")


def test_invalidate_rejects_minutes_as_timeout() -> None:
    source = account("{% cache 10, 'recs', current_user.id|string, lang %}",
                     "cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id), "
                     "lang]))")
    assert_fails("fragments-invalidate", source, "10 minutes", "600")


def test_invalidate_rejects_another_cache_than_the_argument() -> None:
    source = account(GOOD_TAG, "cache.delete(make_template_fragment_key('recs', "
                               "vary_on=[str(user_id), lang]))").replace(
        "def invalidate_sidebar(cache, user_id)", "def invalidate_sidebar(the_cache, user_id)")
    assert_fails("fragments-invalidate", source, "another Cache than the one it was given")


def test_invalidate_rejects_a_syntax_error_in_the_template() -> None:
    source = account("{% cache 600, 'recs', current_user.id|string, lang", "pass")
    assert_fails("fragments-invalidate", source, "`ACCOUNT_TEMPLATE` does not compile")


def test_invalidate_rejects_a_missing_cache_block() -> None:
    source = account("{% if true %}", "pass").replace("{% endcache %}", "{% endif %}")
    assert_fails("fragments-invalidate", source, "not cached")


def test_checker_cache_is_never_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    # A learner's cache.clear() (tested above) must never reach a real Redis (KEYS prefix*).
    from cachelib import SimpleCache

    from support.checks.fragments import _Shop

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    assert isinstance(_Shop().cache.cache, SimpleCache)
