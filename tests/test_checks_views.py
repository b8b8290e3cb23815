"""The lesson 01 checkers, both ways: the solution passes, the placeholder is not attempted,
plausible wrong answers (at least eight per exercise) fail with a hint that names the shortest
request sequence showing the mistake, and other correct answers (at least two) pass."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import nbformat
import pytest

from support.exercises import blank_solutions
from support.grading import run_check

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions" / "01_views.ipynb"
IDS = ["views-query-string", "views-allow-list", "views-error-filter", "views-per-user"]


def _tags(cell: Any) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@pytest.fixture(scope="module")
def notebook() -> Any:
    return nbformat.read(SOLUTIONS, as_version=4)


@pytest.fixture(scope="module")
def setup_source(notebook: Any) -> str:
    """The notebook's untagged code cells: the helpers every answer uses."""
    return "\n\n".join(c.source for c in notebook.cells
                       if c.cell_type == "code" and not _tags(c))


def _answer(notebook: Any, exercise_id: str) -> str:
    cells = [c.source for c in notebook.cells if f"exercise:{exercise_id}" in _tags(c)]
    assert cells, f"no answer cell tagged exercise:{exercise_id}"
    return "\n\n".join(cells)


def _run(setup_source: str, answer: str, exercise_id: str) -> Any:
    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(setup_source, ns)
    exec(textwrap.dedent(answer), ns)
    return run_check(exercise_id, ns)


def test_every_exercise_has_a_test(notebook: Any) -> None:
    found = {t.split(":", 1)[1] for c in notebook.cells for t in _tags(c)
             if t.startswith("exercise:")}
    assert found == set(IDS)
    assert set(WRONG) == set(IDS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_solution_passes(notebook: Any, setup_source: str, exercise_id: str) -> None:
    result = _run(setup_source, _answer(notebook, exercise_id), exercise_id)
    assert result.status == "passed", result.message


@pytest.mark.parametrize("exercise_id", IDS)
def test_placeholder_is_not_attempted(notebook: Any, setup_source: str, exercise_id: str) -> None:
    placeholder = blank_solutions(_answer(notebook, exercise_id))
    result = _run(setup_source, placeholder, exercise_id)
    assert result.status == "not-attempted", result.message


@pytest.mark.parametrize("exercise_id", IDS)
def test_missing_answer_is_not_attempted(setup_source: str, exercise_id: str) -> None:
    result = _run(setup_source, "", exercise_id)
    assert result.status == "not-attempted", result.message


WRONG: dict[str, list[tuple[str, str, str]]] = {
    "views-query-string": [
        ('path-only key', """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60)
                def list_products():
                    return listing()
         """,
         "`GET /api/products` then `GET /api/products?category=`: the second was served the first's body"),
        ('fixed key_prefix', """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60, key_prefix="products")
                def list_products():
                    return listing()
         """,
         "`GET /api/products` then `GET /api/products?category=`: the second was served the first's body"),
        ('cached above the route', """
            def register_listing(app, cache):
                @cache.cached(timeout=60, query_string=True)
                @app.route("/api/products")
                def list_products():
                    return listing()
         """,
         'nothing was cached'),
        ('not cached at all', """
            def register_listing(app, cache):
                @app.route("/api/products")
                def list_products():
                    return listing()
         """,
         'nothing was cached'),
        ('key ignores category', """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60,
                              make_cache_key=lambda: "p" + request.args.get("page", "1"))
                def list_products():
                    return listing()
         """,
         "the second was served the first's body"),
        ('another Cache object', """
            other_cache = Cache()

            def register_listing(app, cache):
                @app.route("/api/products")
                @other_cache.cached(timeout=60, query_string=True)
                def list_products():
                    return listing()
         """,
         'not another Cache object'),
        ("the playground's cache", """
            playground_app, playground_cache = create_app()

            def register_listing(app, cache):
                @app.route("/api/products")
                @playground_cache.cached(timeout=60, query_string=True)
                def list_products():
                    return listing()
         """,
         'not another Cache object'),
        ('no route', """
            def register_listing(app, cache):
                @cache.cached(timeout=60, query_string=True)
                def list_products():
                    return listing()
         """,
         'did not add a route for /api/products'),
        ('raises', """
            def register_listing(app, cache):
                raise RuntimeError("oops")
         """,
         'raised RuntimeError: oops'),
        ('raw query string in request order', """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60, key_prefix=lambda: request.full_path)
                def list_products():
                    return listing()
         """,
         'The same parameters in another order should give the same key'),
        ('values only, no names', """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60, key_prefix=lambda: request.path + "".join(
                    sorted(request.args.values())))
                def list_products():
                    return listing()
         """,
         "the second was served the first's body"),
        ('lower-cased query string', """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60,
                              key_prefix=lambda: request.path + str(sorted(
                                  (k, v.lower()) for k, v in request.args.items())))
                def list_products():
                    return listing()
         """,
         "`GET /api/products?category=BOOKS`: the second was served the first's body"),
        ('absent and empty category merged', """
            def register_listing(app, cache):
                def key():
                    page = request.args.get("page", 1, type=int)
                    return f"{request.path}?page={page}&category={request.args.get('category', '')}"

                @app.route("/api/products")
                @cache.cached(timeout=60, make_cache_key=key)
                def list_products():
                    return listing()
         """,
         "`GET /api/products` then `GET /api/products?category=`: the second was served the first's body"),
        ('stripped category', """
            def register_listing(app, cache):
                def key():
                    page = request.args.get("page", 1, type=int)
                    category = request.args.get("category")
                    return f"{request.path}?page={page}&c={category.strip() if category is not None else None!r}"

                @app.route("/api/products")
                @cache.cached(timeout=60, make_cache_key=key)
                def list_products():
                    return listing()
         """,
         "`GET /api/products?category=books+`: the second was served the first's body"),
    ],
    "views-allow-list": [
        ('whole query string', """
            def listing_key():
                return request.full_path
         """,
         'the second ran the query again, where the worked solution answered it from the cache'),
        ('all args sorted', """
            def listing_key():
                return request.path + str(sorted(request.args.items()))
         """,
         'the second ran the query again, where the worked solution answered it from the cache'),
        ('ignores category', """
            def listing_key():
                return f"{request.path}?page={request.args.get('page', 1, type=int)}"
         """,
         "`GET /api/products` then `GET /api/products?category=`: the second was served the first's body"),
        ('no path', """
            def listing_key():
                page = request.args.get("page", 1, type=int)
                return f"page={page}&category={request.args.get('category')!r}"
         """,
         "`GET /api/products` then `GET /api/sale`: the second was served the first's body"),
        ('args in request order', """
            def listing_key():
                wanted = [f"{k}={v}" for k, v in request.args.items() if k in ("page", "category")]
                return request.path + "?" + "&".join(wanted)
         """,
         'the second ran the query again'),
        ('raw page string', """
            def listing_key():
                page = request.args.get("page", "1")
                return f"view/{request.path}?page={page}&category={request.args.get('category')!r}"
         """,
         'The view parses `page` as a number'),
        ('int() on the raw page', """
            def listing_key():
                page = int(request.args.get("page", 1))
                return f"view/{request.path}?page={page}&category={request.args.get('category')!r}"
         """,
         'listing_key() must work for every request: it raised ValueError'),
        ('not a string', """
            def listing_key():
                return (request.path, request.args.get("page"), request.args.get("category"))
         """,
         'should return a string'),
        ('absent and empty category merged (the old lesson key)', """
            def listing_key():
                page = request.args.get("page", 1, type=int)
                category = request.args.get("category", "")
                return f"view/{request.path}?page={page}&category={category}"
         """,
         "`GET /api/products` then `GET /api/products?category=`: the second was served the first's body"),
        ('None written without repr', """
            def listing_key():
                page = request.args.get("page", 1, type=int)
                return f"view/{request.path}?page={page}&category={request.args.get('category')}"
         """,
         "`GET /api/products` then `GET /api/products?category=None`: the second was served the first's body"),
        ('lower-cased category', """
            def listing_key():
                page = request.args.get("page", 1, type=int)
                category = request.args.get("category")
                category = category.lower() if category is not None else None
                return f"view/{request.path}?page={page}&category={category!r}"
         """,
         'The view filters on the exact text of `category`'),
        ('values only, no separator', """
            def listing_key():
                page = request.args.get("page", 1, type=int)
                return f"{request.path}{page}{request.args.get('category', '')}"
         """,
         "the second was served the first's body"),
        ('default page 0', """
            def listing_key():
                page = request.args.get("page", 0, type=int)
                return f"view/{request.path}?page={page}&category={request.args.get('category')!r}"
         """,
         'The view parses `page` as a number'),
        ('last value of a repeated category', """
            def listing_key():
                page = request.args.get("page", 1, type=int)
                categories = request.args.getlist("category")
                category = categories[-1] if categories else None
                return f"view/{request.path}?page={page}&category={category!r}"
         """,
         '`GET /api/products?category=books&category=`'),
    ],
    "views-error-filter": [
        ('assumes a Response', """
            def cacheable(rv):
                return rv.status_code < 400
         """,
         '`GET /dict`: it raised AttributeError'),
        ('assumes a tuple', """
            def cacheable(rv):
                return rv[1] < 400
         """,
         'when the view returned a dict'),
        ('only rejects tuples', """
            def cacheable(rv):
                return not isinstance(rv, tuple)
         """,
         'was not cached'),
        ('caches everything', """
            def cacheable(rv):
                return rv is not None
         """,
         "`GET /missing` then `GET /missing`: the second was served the first's body"),
        ('caches nothing', """
            def cacheable(rv):
                return rv is None
         """,
         '`GET /dict` then `GET /dict`: the second called the view again'),
        ('tuple status only', """
            def cacheable(rv):
                if isinstance(rv, tuple):
                    return rv[1] < 400
                return True
         """,
         'the view returned abort(404), and that error was cached'),
        ('only 200', """
            def cacheable(rv):
                return current_app.make_response(rv).status_code == 200
         """,
         '`GET /created` then `GET /created`: the second called the view again'),
        ('server errors only', """
            def cacheable(rv):
                return current_app.make_response(rv).status_code < 500
         """,
         'that error was cached'),
        ('400 counted as success', """
            def cacheable(rv):
                return current_app.make_response(rv).status_code <= 400
         """,
         "`GET /bad` then `GET /bad`: the second was served the first's body"),
        ('Response status only', """
            def cacheable(rv):
                if hasattr(rv, "status_code"):
                    return rv.status_code < 400
                return True
         """,
         'that error was cached'),
    ],
    "views-per-user": [
        ('path-only key', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60)
                def me():
                    return current_profile()
         """,
         'browser A logs in as user 1 (ada), browser A `GET /api/me` then browser B `GET /api/me`: the last was served the body of step 2'),
        ('key from a query parameter nobody sends', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: "me:" + request.args.get("user", ""))
                def me():
                    return current_profile()
         """,
         'the last was served the body of step 2'),
        ('not cached', """
            def register_me(app, cache):
                @app.route("/api/me")
                def me():
                    return current_profile()
         """,
         'the last ran the query again, where the worked solution answered it from the cache'),
        ('bypassed with unless', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, unless=lambda: "user_id" in session)
                def me():
                    return current_profile()
         """,
         'the last ran the query again'),
        ('key changes every request', """
            import itertools
            counter = itertools.count()

            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60,
                              key_prefix=lambda: f"me:{session['user_id']}:{next(counter)}")
                def me():
                    return current_profile()
         """,
         'the cache failed'),
        ('key crashes for a logged-out visitor', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session['user_id']}")
                def me():
                    return current_profile()
         """,
         "browser A `GET /api/me`: the cache failed during it (KeyError: 'user_id')"),
        ('view crashes for a logged-out visitor', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id')}")
                def me():
                    return db.session.get(User, session["user_id"]).to_dict()
         """,
         "browser A `GET /api/me`: it raised KeyError: 'user_id'"),
        ('logged-out visitor keyed as user 1', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id', 1)}")
                def me():
                    return current_profile()
         """,
         'but without a cache it answers 401'),
        ('wrong body', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id')}")
                def me():
                    return {"user": session.get("user_id")}
         """,
         'return current_profile()'),
        ('query string in the key', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, query_string=True,
                              key_prefix=lambda: f"me:{session.get('user_id')}")
                def me():
                    return current_profile()
         """,
         'then browser A `GET /api/me?x=1`: the last ran the query again'),
        ('key looks the user up in the database', """
            def register_me(app, cache):
                def key():
                    user = db.session.get(User, session["user_id"]) if "user_id" in session else None
                    return f"me:{user.email if user else '-'}"

                @app.route("/api/me")
                @cache.cached(timeout=60, make_cache_key=key)
                def me():
                    return current_profile()
         """,
         'the second ran the query again'),
        ('user id without a separator from the path', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60,
                              key_prefix=lambda: f"me{session.get('user_id', '')}"[:3])
                def me():
                    return current_profile()
         """,
         'browser A logs in as user 11 (kai) then browser A `GET /api/me`: the last was served the body of step 2'),
    ],
}

# Other correct answers: another API or structure that must pass too.
RIGHT: dict[str, list[tuple[str, str]]] = {
    "views-query-string": [
        ('allow-list key', """
            def register_listing(app, cache):
                def key():
                    page = request.args.get("page", 1, type=int)
                    return f"{request.path}?page={page}&category={request.args.get('category')!r}"

                @app.route("/api/products")
                @cache.cached(timeout=60, make_cache_key=key)
                def list_products():
                    return listing()
         """),
        ('sorted pairs by hand', """
            from urllib.parse import urlencode

            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60, make_cache_key=lambda: request.path + "?" + urlencode(
                    sorted(request.args.items(multi=True))))
                def list_products():
                    return listing()
         """),
        ('query_string with a key_prefix', """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60, query_string=True, key_prefix="listing/%s")
                def list_products():
                    return listing()
         """),
    ],
    "views-allow-list": [
        ('presence flag', """
            def listing_key():
                page = request.args.get("page", 1, type=int)
                if "category" in request.args:
                    return f"{request.path}|{page}|c:{request.args['category']}"
                return f"{request.path}|{page}|all"
         """),
        ('json', """
            import json

            def listing_key():
                return json.dumps([request.path, request.args.get("page", 1, type=int),
                                   request.args.get("category")])
         """),
    ],
    "views-error-filter": [
        ('flask.make_response', """
            from flask import make_response

            def cacheable(rv):
                return make_response(rv).status_code < 400
         """),
        ('status class', """
            def cacheable(rv):
                return current_app.make_response(rv).status_code // 100 in (2, 3)
         """),
    ],
    "views-per-user": [
        ('session.get in the key', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id')}")
                def me():
                    return current_profile()
         """),
        ('make_cache_key and unless', """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, make_cache_key=lambda: f"{request.path}:{session['user_id']}",
                              unless=lambda: session.get("user_id") is None)
                def me():
                    return current_profile()
         """),
    ],
}

CASES = [(eid, name, src, hint) for eid, cases in WRONG.items() for name, src, hint in cases]
ALTERNATIVES = [(eid, name, src) for eid, cases in RIGHT.items() for name, src in cases]


@pytest.mark.parametrize(("exercise_id", "name", "source", "expected"), CASES,
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_wrong_answer_fails_with_hint(setup_source: str, exercise_id: str, name: str,
                                      source: str, expected: str) -> None:
    result = _run(setup_source, source, exercise_id)
    assert result.status == "failed", f"{name}: {result.status}: {result.message}"
    assert expected in result.message, f"{name}: {result.message}"


@pytest.mark.parametrize(("exercise_id", "name", "source"), ALTERNATIVES,
                         ids=[f"{c[0]}:{c[1]}" for c in ALTERNATIVES])
def test_correct_alternative_passes(setup_source: str, exercise_id: str, name: str,
                                    source: str) -> None:
    result = _run(setup_source, source, exercise_id)
    assert result.status == "passed", f"{name}: {result.status}: {result.message}"


@pytest.mark.parametrize("exercise_id", IDS)
def test_enough_wrong_answers_and_alternatives(exercise_id: str) -> None:
    assert len(WRONG[exercise_id]) >= 8
    assert len(RIGHT[exercise_id]) >= 2


@pytest.mark.parametrize("exercise_id", IDS)
def test_verdict_is_the_same_on_every_run(setup_source: str, exercise_id: str) -> None:
    """Derandomised: the same wrong answer gets the same hint twice."""
    name, source, _ = WRONG[exercise_id][0]
    first = _run(setup_source, source, exercise_id)
    second = _run(setup_source, source, exercise_id)
    assert (first.status, first.message) == (second.status, second.message), name


def test_transparency_finds_the_shortest_sequence() -> None:
    """The core on its own: a key that merges an absent and an empty category is caught, and
    the hint is the two-request sequence, whatever longer sequence first showed it."""
    from support.checks import views

    def tempting_key() -> str:
        from flask import request
        page = request.args.get("page", 1, type=int)
        return f"{request.path}?page={page}&category={request.args.get('category', '')}"

    def decorate(app, cache) -> None:
        app.add_url_rule("/api/products", "products", cache.cached(
            timeout=60, make_cache_key=tempting_key)(lambda: views._listing()))

    learner, solution, reference = views._listing_sites("core_test", decorate, ["/api/products"])
    world = views._ListingWorld(views._solution_listing_key)
    scenario = views.Scenario(steps=views._listing_steps(["/api/products"]), apply=world.apply,
                              describe=views._describe_get, simplify=views._simpler_listing)
    long = [("GET", "/api/products", (("page", "2"),)), ("GET", "/api/products", ()),
            ("GET", "/api/products", (("x", "1"),)),
            ("GET", "/api/products", (("category", ""), ("utm_source", "mail")))]
    failure = views._shortest(scenario, learner, solution, reference, long)
    assert str(failure).startswith(
        "`GET /api/products` then `GET /api/products?category=`: the second was served the "
        "first's body"), str(failure)


def test_generated_sequences_find_a_merge_without_the_systematic_pairs() -> None:
    """Hypothesis alone (no systematic pairs) finds a key that ignores the category, and the
    hint is shortened to two requests."""
    from support.checks import views
    from support.grading import Fail

    def page_only_key() -> str:
        from flask import request
        return f"{request.path}?page={request.args.get('page', 1, type=int)}"

    def decorate(app, cache) -> None:
        app.add_url_rule("/api/products", "products", cache.cached(
            timeout=60, make_cache_key=page_only_key)(lambda: views._listing()))

    learner, solution, reference = views._listing_sites("core_generated", decorate,
                                                        ["/api/products"])
    world = views._ListingWorld(views._solution_listing_key)
    scenario = views.Scenario(steps=views._listing_steps(["/api/products"]), apply=world.apply,
                              describe=views._describe_get, simplify=views._simpler_listing)
    with pytest.raises(Fail) as failure:
        views.judge_transparency(scenario, learner, solution, reference, max_examples=30)
    message = str(failure.value)
    assert message.count("`GET ") == 2 and "the second was served the first's body" in message, \
        message


def test_a_correct_key_passes_the_core() -> None:
    from support.checks import views

    def decorate(app, cache) -> None:
        app.add_url_rule("/api/products", "products", cache.cached(
            timeout=60, make_cache_key=views._solution_listing_key)(lambda: views._listing()))

    learner, solution, reference = views._listing_sites("core_right", decorate, ["/api/products"])
    world = views._ListingWorld(views._solution_listing_key)
    scenario = views.Scenario(steps=views._listing_steps(["/api/products"]), apply=world.apply,
                              describe=views._describe_get, simplify=views._simpler_listing,
                              entries=views._listing_entries)
    views.judge_transparency(scenario, learner, solution, reference, max_examples=20)
