"""The lesson 05 checkers, tested both ways: the solutions and other correct answers pass,
placeholders are not attempted, and plausible wrong answers fail with a hint that names the
mistake, including the shortest sequence of requests that shows it."""

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


@pytest.mark.parametrize("exercise_id", ["fragments-int-id", "fragments-collision",
                                         "fragments-invalidate"])
def test_solution_passes_and_placeholder_is_not_attempted(exercise_id: str) -> None:
    source = answer_cell(NB, exercise_id)
    result = run(exercise_id, source)
    assert result.status == "passed", result
    blank = run(exercise_id, blank_solutions(source))
    assert blank.status == "not-attempted", blank


# --- fragments-int-id ------------------------------------------------------------------------

LINES = ("\n<div class=\"sidebar\">\n    {{ render_notifications(current_user) }}\n"
         "    {{ render_recommendations(current_user) }}\n</div>\n")


def sidebar(tag: str, body: str = LINES) -> str:
    return f'SIDEBAR_TEMPLATE = """{tag}{body}{{% endcache %}}"""\n'


@pytest.mark.parametrize("tag", [
    "{% cache 300, 'sidebar', current_user.id ~ '' %}",
    "{% cache 60 * 5, 'sidebar', current_user.id|string %}",
    "{% cache '300', 'sidebar', current_user.id|string %}",  # 2.5.1 converts it with int()
    "{% cache 300, 'sidebar', current_user.id|default('guest')|string %}",
    "{% cache 300, 'sidebar', current_user.get_id()|string %}",
])
def test_int_id_accepts_other_correct_answers(tag: str) -> None:
    result = run("fragments-int-id", sidebar(tag))
    assert result.status == "passed", result


INT_ID_WRONG = {
    "the article as written": (
        "{% cache 300, 'sidebar', current_user.id %}",
        ["user 1 (ada) views the sidebar: rendering it raised TypeError",
         "must be strings", "current_user.id|string"]),
    "a name instead of the id": (
        "{% cache 300, 'sidebar', current_user.name %}",
        ["user 1 (ada) views the sidebar, then user 11 (ada) views the sidebar: "
         "user 11 (ada) saw user 1's sidebar", "names are not unique"]),
    "get_id() is None for a logged-out visitor": (
        "{% cache 300, 'sidebar', current_user.get_id() %}",
        ["a logged-out visitor views the sidebar", "TypeError", "NoneType", "must be strings"]),
    "no vary-on value": (
        "{% cache 300, 'sidebar' %}",
        ["then user 11 (ada) views the sidebar: user 11 (ada) saw user 1's sidebar",
         "current_user.id|string"]),
    "an id prefix": (
        "{% cache 300, 'sidebar', (current_user.id|string)[:1] %}",
        ["user 1 (ada) views the sidebar, then user 11 (ada) views the sidebar: "
         "user 11 (ada) saw user 1's sidebar"]),
    "the whole user as key": (
        "{% cache 300, 'sidebar', current_user|string %}",
        ["gets a new comment and the app deletes make_template_fragment_key('sidebar', "
         "vary_on=['1'])", "sidebar was stale", "<User 1>"]),
    "a renamed fragment": (
        "{% cache 300, 'user_sidebar', current_user.id|string %}",
        ["sidebar was stale", "_template_fragment_cache_user_sidebar_1", "Name it 'sidebar'"]),
    "an extra vary-on value": (
        "{% cache 300, 'sidebar', current_user.id|string, current_user.name %}",
        ["sidebar was stale", "_template_fragment_cache_sidebar_1_ada"]),
    "one user's key made up": (  # only the shrunk generated sequence shows this one
        "{% cache 300, 'sidebar', current_user.id|string if current_user.id != 10 else 'x' %}",
        ["user 10 (cy) views the sidebar, then user 10 (cy) gets a new comment",
         "sidebar was stale"]),
    "Python's str()": (
        "{% cache 300, 'sidebar', str(current_user.id) %}",
        ["UndefinedError", "no Python builtins"]),
    "a filter called str": (
        "{% cache 300, 'sidebar', current_user.id|str %}",
        ["does not compile", "No filter named 'str'", "`string`"]),
    "braces inside the tag": (
        "{% cache 300, 'sidebar', {{ current_user.id|string }} %}",
        ["does not compile", "without {{ }}"]),
    "a timeout of 0": (
        "{% cache 0, 'sidebar', current_user.id|string %}",
        ["never expires", "300 seconds"]),
    "minutes instead of seconds": (
        "{% cache 5, 'sidebar', current_user.id|string %}",
        ["expires after 5 s", "300 seconds"]),
}


@pytest.mark.parametrize("case", INT_ID_WRONG)
def test_int_id_rejects_a_wrong_answer(case: str) -> None:
    tag, fragments = INT_ID_WRONG[case]
    assert_fails("fragments-int-id", sidebar(tag), *fragments)


def test_int_id_rejects_a_sidebar_half_outside_the_cache() -> None:
    body = LINES.replace("    {{ render_recommendations(current_user) }}\n",
                         "{% endcache %}{{ render_recommendations(current_user) }}"
                         "{% cache 300, 'rest', current_user.id|string %}")
    assert_fails("fragments-int-id", sidebar("{% cache 300, 'sidebar', current_user.id|string %}",
                                             body),
                 "user 1 (ada) views the sidebar, then user 1 (ada) views the sidebar",
                 "render_recommendations ran again", "not cached")


def test_int_id_rejects_removing_the_cache() -> None:
    assert_fails("fragments-int-id", 'SIDEBAR_TEMPLATE = """<div>{{ render_notifications('
                 'current_user) }} {{ render_recommendations(current_user) }}</div>"""',
                 "render_recommendations ran again", "not cached")


def test_int_id_rejects_a_dropped_line() -> None:
    body = LINES.replace("    {{ render_notifications(current_user) }}\n", "")
    assert_fails("fragments-int-id", sidebar("{% cache 300, 'sidebar', current_user.id|string %}",
                                             body),
                 "no longer shows render_notifications(current_user)")


def test_int_id_rejects_a_broken_template() -> None:
    assert_fails("fragments-int-id", 'SIDEBAR_TEMPLATE = "{% cache 300, \'sidebar\', '
                 'current_user.id|string %}<div>{{ render_notifications(current_user) }}</div>"',
                 "does not compile", "line 1")


def test_int_id_rejects_a_template_that_is_not_a_string() -> None:
    assert_fails("fragments-int-id", "SIDEBAR_TEMPLATE = 300", "a str, not a int")


def test_the_verdict_is_the_same_on_every_run() -> None:
    source = sidebar("{% cache 300, 'sidebar', current_user.id|string if current_user.id != 10 "
                     "else 'x' %}")
    assert run("fragments-int-id", source) == run("fragments-int-id", source)


# --- fragments-collision ---------------------------------------------------------------------

PRODUCT = "<h1>{{{{ product.name }}}}\n{tag}<aside>{{{{ related_products(product) }}}}</aside>{end}"
ACCOUNT = ("<h1>{{{{ current_user.name }}}}\n{tag}<aside>{{{{ render_recommendations("
           "current_user) }}}}</aside>{end}")
SIDEBAR_TAG = "{% cache 300, 'sidebar', current_user.id|string %}"


def templates(product_tag: str, account_tag: str = SIDEBAR_TAG) -> str:
    def page(text: str, tag: str) -> str:
        end = "{% endcache %}" if tag else ""
        return text.format(tag=tag, end=end)

    return (f"FIXED_TEMPLATES = {{'product.html': {page(PRODUCT, product_tag)!r}, "
            f"'account.html': {page(ACCOUNT, account_tag)!r}}}\n")


@pytest.mark.parametrize("product_tag, account_tag", [
    ("{% cache 300, 'product-related', product.id|string %}",
     "{% cache 300, 'account-recs', current_user.id|string %}"),
    ("{% cache 300, 'related-' ~ product.id %}", SIDEBAR_TAG),  # the id in the name
    ("{% cache 300, 'related', product.id ~ '' %}", SIDEBAR_TAG),
])
def test_collision_accepts_other_correct_answers(product_tag: str, account_tag: str) -> None:
    result = run("fragments-collision", templates(product_tag, account_tag))
    assert result.status == "passed", result


COLLISION_WRONG = {
    "the buggy templates": (
        ("{% cache 300, 'sidebar', product.id|string %}", SIDEBAR_TAG),
        ["product 2's page is rendered, then user 2's account page is rendered: user 2's "
         "account page saw product 2's related products", "_template_fragment_cache_sidebar_2",
         "give each block its own name"]),
    "unnamed blocks": (
        ("{% cache 300 %}", "{% cache 300 %}"),
        ["unnamed", "no file name", "_template_fragment_cache_None2"]),
    "the id used as the name": (
        ("{% cache 300, product.id|string %}", "{% cache 300, current_user.id|string %}"),
        ["saw product 2's related products", "'_template_fragment_cache_2'",
         "give each block its own name"]),
    "the vary-on dropped": (
        ("{% cache 300, 'related' %}", SIDEBAR_TAG),
        ["product 2's page is rendered, then product 1's page is rendered: product 1's page "
         "saw product 2's related products", "product.id|string"]),
    "a product's name as vary-on": (
        ("{% cache 300, 'related', product.name %}", SIDEBAR_TAG),
        ["product 1's page is rendered, then product 11's page is rendered: product 11's page "
         "saw product 1's related products", "names repeat"]),
    "a user's name as vary-on": (
        ("{% cache 300, 'related', product.id|string %}",
         "{% cache 300, 'sidebar', current_user.name %}"),
        ["user 11's account page saw user 1's account sidebar", "current_user.id|string"]),
    "the product block varying on the user": (
        ("{% cache 300, 'related', current_user.id|string %}", SIDEBAR_TAG),
        ["product 2's page is rendered: rendering it raised UndefinedError",
         "'current_user' is undefined", "gets only product"]),
    "an int vary-on": (
        ("{% cache 300, 'related', product.id %}", SIDEBAR_TAG),
        ["product 2's page is rendered: rendering it raised TypeError", "must be strings"]),
    "a removed cache": (
        ("", SIDEBAR_TAG),
        ["product 2's page is rendered, then product 2's page is rendered",
         "related-products block was rendered again"]),
    "a changed timeout": (
        ("{% cache 30, 'related', product.id|string %}", SIDEBAR_TAG),
        ["_template_fragment_cache_related_2", "expires after 30 s", "300 seconds"]),
}


@pytest.mark.parametrize("case", COLLISION_WRONG)
def test_collision_rejects_a_wrong_answer(case: str) -> None:
    (product_tag, account_tag), fragments = COLLISION_WRONG[case]
    assert_fails("fragments-collision", templates(product_tag, account_tag), *fragments)


def test_collision_rejects_a_missing_template() -> None:
    assert_fails("fragments-collision", "FIXED_TEMPLATES = {'product.html': ''}",
                 "no account.html")


def test_collision_rejects_a_syntax_error() -> None:
    source = templates("{% cache 300, 'related', product.id|string %}{% if %}")
    assert_fails("fragments-collision", source, "product.html does not compile")


def test_collision_rejects_a_dropped_block() -> None:
    source = templates("{% cache 300, 'related', product.id|string %}").replace(
        "related_products(product)", "product.id")
    assert_fails("fragments-collision", source, "no longer shows related_products")


def test_collision_rejects_a_list() -> None:
    assert_fails("fragments-collision", "FIXED_TEMPLATES = ['product.html']",
                 "should be a dict")


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
GOOD_DELETE = "cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id), lang]))"


@pytest.mark.parametrize("source", [
    account("{% cache 600, 'recs', lang, current_user.id|string %}",
            "cache.delete(make_template_fragment_key('recs', vary_on=[lang, str(user_id)]))"),
    account(GOOD_TAG, "pass").replace(
        "    for lang in LANGUAGES:\n        pass",
        "    cache.delete_many(*[make_template_fragment_key('recs', vary_on=[str(user_id), l])\n"
        "                        for l in LANGUAGES])"),
    account("{% cache 60 * 10, 'recs', current_user.id ~ '', lang %}", GOOD_DELETE),
])
def test_invalidate_accepts_other_correct_answers(source: str) -> None:
    result = run("fragments-invalidate", source)
    assert result.status == "passed", result


INVALIDATE_WRONG = {
    "int vary_on": (
        account(GOOD_TAG, "cache.delete(make_template_fragment_key('recs', "
                          "vary_on=[user_id, lang]))"),
        ["invalidate_sidebar(cache, 1) raised TypeError", "must be strings", "str(user_id)"]),
    "the wrong order": (
        account(GOOD_TAG, "cache.delete(make_template_fragment_key('recs', "
                          "vary_on=[lang, str(user_id)]))"),
        ["user 1 views the account page in 'en', then user 1 views the account page in 'fr', "
         "then user 1 rates a product and invalidate_sidebar(cache, 1) runs, then user 1 views "
         "the account page in 'en'",
         "deleted nothing", "in the tag's order"]),
    "a raw key": (
        account(GOOD_TAG, "cache.delete(f'recs_{user_id}_{lang}')"),
        ["deleted nothing", "do not match", "_template_fragment_cache_recs_1_en"]),
    "one language only": (
        account(GOOD_TAG, GOOD_DELETE, languages="['en']"),
        ["user 1 views the account page in 'fr', then user 1 rates a product",
         "deletes only the ['en'] fragments, not ['fr']", "every language"]),
    "cache.clear()": (
        account(GOOD_TAG, "cache.clear()"),
        ["user 10 views the account page in 'en', then user 1 views the account page in "
         "'en', then user 1 views the account page in 'fr', then user 1 rates a product and "
         "invalidate_sidebar(cache, 1) runs, then user 10 views the account page in 'en'",
         "deleted user 10's fragment too", "not cache.clear()"]),
    "a prefix match": (
        account(GOOD_TAG, "[cache.delete(k) for k in list(cache.cache._cache) if k.startswith("
                          "make_template_fragment_key('recs', vary_on=[str(user_id)]))]"),
        ["invalidate_sidebar(cache, 1) deleted user 1", "'s fragment too",
         "users 10 and 11 start with 1 too"]),
    "the first digit of the id": (  # found by the generated sequences, not the examples
        account(GOOD_TAG, "cache.delete(make_template_fragment_key('recs', "
                          "vary_on=[str(user_id)[0], lang]))"),
        ["then user 10 rates a product", "deletes user 1's fragments instead of user 10's"]),
    "only small ids": (  # found by the generated sequences, not the examples
        account(GOOD_TAG, GOOD_DELETE + " if user_id < 5 else None"),
        ["user 10 views the account page in 'fr', then user 10 rates a product",
         "deleted nothing"]),
    "a fragment without the language": (
        account("{% cache 600, 'recs', current_user.id|string %}",
                "cache.delete(make_template_fragment_key('recs', vary_on=[str(user_id)]))"),
        ["user 1 views the account page in 'en', then user 1 views the account page in 'fr'",
         "sidebar of another language", "vary the fragment on lang"]),
    "a fragment without the user": (
        account("{% cache 600, 'recs', lang %}",
                "cache.delete(make_template_fragment_key('recs', vary_on=[lang]))"),
        ["then user 10 views the account page in 'en': user 10 saw user 1's sidebar"]),
    "a name instead of the id": (
        account("{% cache 600, 'recs', current_user.name, lang %}", GOOD_DELETE),
        ["user 11 saw user 1's sidebar", "unlike names"]),
    "minutes as timeout": (
        account("{% cache 10, 'recs', current_user.id|string, lang %}", GOOD_DELETE),
        ["expires after 10 s", "600 seconds"]),
    "another cache than the argument": (
        account(GOOD_TAG, GOOD_DELETE).replace("def invalidate_sidebar(cache, user_id)",
                                               "def invalidate_sidebar(the_cache, user_id)"),
        ["another Cache than the one it was given"]),
    "a syntax error in the template": (
        account("{% cache 600, 'recs', current_user.id|string, lang", "pass"),
        ["`ACCOUNT_TEMPLATE` does not compile"]),
    "no cache block": (
        account("{% if true %}", "pass").replace("{% endcache %}", "{% endif %}"),
        ["user 1 views the account page in 'en', then user 1 views the account page in 'en'",
         "rendered again instead of coming from the cache"]),
}


@pytest.mark.parametrize("case", INVALIDATE_WRONG)
def test_invalidate_rejects_a_wrong_answer(case: str) -> None:
    source, fragments = INVALIDATE_WRONG[case]
    assert_fails("fragments-invalidate", source, *fragments)


def test_invalidate_rejects_a_page_without_the_recommendations() -> None:
    source = account(GOOD_TAG, GOOD_DELETE).replace("render_recommendations(current_user, lang)",
                                                     "lang")
    assert_fails("fragments-invalidate", source, "render_recommendations(current_user, lang)")


def test_checker_cache_is_never_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    # A learner's cache.clear() (tested above) must never reach a real Redis (KEYS prefix*).
    from cachelib import SimpleCache

    from support.checks.fragments import _Data, _Site

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    site = _Site(_Data(), {}, cached=True)
    with site.app.app_context():
        assert isinstance(site.cache.cache, SimpleCache)


def test_the_uncached_reference_renders_every_block() -> None:
    from support.checks.fragments import USERS, _Data, _Site

    site = _Site(_Data(), {"t": "{% cache 300, 'x' %}{{ current_user.name }}{% endcache %}"},
                 cached=False)
    assert [site.render("t", 1, current_user=USERS[u])[0] for u in (1, 2)] == ["ada", "ben"]


def test_the_search_leaves_no_files_in_the_learners_folder(tmp_path) -> None:
    # Hypothesis caches constants under ./.hypothesis, fixed when it is imported: use a fresh
    # interpreter whose working folder is the "learner's" folder.
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']\n"
            "from test_checks_fragments import run, sidebar\n"
            "print(run('fragments-int-id', sidebar(\"{% cache 300, 'sidebar', "
            "current_user.id|string %}\")).status)")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], cwd=tmp_path,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "passed", done.stderr
    assert list(tmp_path.iterdir()) == []
