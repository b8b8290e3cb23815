"""The lesson 01 checkers, both ways: the solution passes, the placeholder is not attempted, and
plausible wrong answers fail with a hint that names the mistake."""

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


WRONG: dict[str, list[tuple[str, str, str | None]]] = {
    "views-query-string": [
        ("path-only key", """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60)
                def list_products():
                    return listing()
         """, "came back with the body of GET /api/products?page=1"),
        ("fixed key_prefix", """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60, key_prefix="products")
                def list_products():
                    return listing()
         """, "ignores `page`"),
        ("cached above the route", """
            def register_listing(app, cache):
                @cache.cached(timeout=60, query_string=True)
                @app.route("/api/products")
                def list_products():
                    return listing()
         """, "nothing was cached"),
        ("not cached at all", """
            def register_listing(app, cache):
                @app.route("/api/products")
                def list_products():
                    return listing()
         """, "nothing was cached"),
        ("key ignores category", """
            def register_listing(app, cache):
                @app.route("/api/products")
                @cache.cached(timeout=60,
                              make_cache_key=lambda: "p" + request.args.get("page", "1"))
                def list_products():
                    return listing()
         """, "ignores `category`"),
        ("another Cache object", """
            other_cache = Cache()

            def register_listing(app, cache):
                @app.route("/api/products")
                @other_cache.cached(timeout=60, query_string=True)
                def list_products():
                    return listing()
         """, "not another Cache object"),
        ("the playground's cache", """
            playground_app, playground_cache = create_app()

            def register_listing(app, cache):
                @app.route("/api/products")
                @playground_cache.cached(timeout=60, query_string=True)
                def list_products():
                    return listing()
         """, "not another Cache object"),
        ("no route", """
            def register_listing(app, cache):
                @cache.cached(timeout=60, query_string=True)
                def list_products():
                    return listing()
         """, "did not add a route for /api/products"),
        ("raises", """
            def register_listing(app, cache):
                raise RuntimeError("oops")
         """, "raised RuntimeError: oops"),
    ],
    "views-allow-list": [
        ("whole query string", """
            def listing_key():
                return request.full_path
         """, "junk parameter"),
        ("all args sorted", """
            def listing_key():
                return request.path + str(sorted(request.args.items()))
         """, "junk parameter"),
        ("ignores category", """
            def listing_key():
                return f"{request.path}?page={request.args.get('page', 1, type=int)}"
         """, "ignores `category`"),
        ("no path", """
            def listing_key():
                page = request.args.get("page", 1, type=int)
                return f"page={page}&category={request.args.get('category', '')}"
         """, "Put request.path in the key"),
        ("args in request order", """
            def listing_key():
                wanted = [f"{k}={v}" for k, v in request.args.items() if k in ("page", "category")]
                return request.path + "?" + "&".join(wanted)
         """, "in another order"),
        ("raw page string", """
            def listing_key():
                page = request.args.get("page", "1")
                return f"view/{request.path}?page={page}&category={request.args.get('category', '')}"
         """, "?page=01 got the key"),
        ("int() on the raw page", """
            def listing_key():
                page = int(request.args.get("page", 1))
                return f"view/{request.path}?page={page}&category={request.args.get('category', '')}"
         """, "raised ValueError"),
        ("not a string", """
            def listing_key():
                return (request.path, request.args.get("page"), request.args.get("category"))
         """, "should return a string"),
    ],
    "views-error-filter": [
        ("assumes a Response", """
            def cacheable(rv):
                return rv.status_code < 400
         """, "raised AttributeError"),
        ("assumes a tuple", """
            def cacheable(rv):
                return rv[1] < 400
         """, "response_filter gets what the view returned"),
        ("only rejects tuples", """
            def cacheable(rv):
                return not isinstance(rv, tuple)
         """, "abort(404) (GET /abort)"),
        ("caches everything", """
            def cacheable(rv):
                return rv is not None
         """, "these error responses were cached"),
        ("caches nothing", """
            def cacheable(rv):
                return rv is None
         """, "these successful responses were not cached"),
        ("tuple status only", """
            def cacheable(rv):
                if isinstance(rv, tuple):
                    return rv[1] < 400
                return True
         """, "make_response(jsonify(...), 503)"),
    ],
    "views-per-user": [
        ("path-only key", """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60)
                def me():
                    return current_profile()
         """, "Ben was served Ada's profile"),
        ("key from a query parameter nobody sends", """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: "me:" + request.args.get("user", ""))
                def me():
                    return current_profile()
         """, "does not contain the user"),
        ("not cached", """
            def register_me(app, cache):
                @app.route("/api/me")
                def me():
                    return current_profile()
         """, "is not cached"),
        ("bypassed with unless", """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, unless=lambda: "user_id" in session)
                def me():
                    return current_profile()
         """, "is not cached"),
        ("key changes every request", """
            import itertools
            counter = itertools.count()

            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60,
                              key_prefix=lambda: f"me:{session['user_id']}:{next(counter)}")
                def me():
                    return current_profile()
         """, "the key changes between requests"),
        ("key crashes for a logged-out visitor", """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session['user_id']}")
                def me():
                    return current_profile()
         """, "a logged-out visitor made the cache key raise"),
        ("view crashes for a logged-out visitor", """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id')}")
                def me():
                    return db.session.get(User, session["user_id"]).to_dict()
         """, "a logged-out visitor's GET /api/me raised KeyError"),
        ("logged-out visitor keyed as user 1", """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id', 1)}")
                def me():
                    return current_profile()
         """, "a logged-out visitor was served Ada's profile"),
        ("session.get in the key", """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session.get('user_id')}")
                def me():
                    return current_profile()
         """, None),
        ("wrong body", """
            def register_me(app, cache):
                @app.route("/api/me")
                @cache.cached(timeout=60, key_prefix=lambda: f"me:{session['user_id']}")
                def me():
                    return {"user": session["user_id"]}
         """, "return current_profile()"),
    ],
}

CASES = [(eid, name, src, hint) for eid, cases in WRONG.items() for name, src, hint in cases]


@pytest.mark.parametrize(("exercise_id", "name", "source", "expected"), CASES,
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_wrong_answer_fails_with_hint(setup_source: str, exercise_id: str, name: str,
                                      source: str, expected: str) -> None:
    result = _run(setup_source, source, exercise_id)
    if expected is None:  # another correct answer
        assert result.status == "passed", f"{name}: {result.status}: {result.message}"
        return
    assert result.status == "failed", f"{name}: {result.status}: {result.message}"
    assert expected in result.message, f"{name}: {result.message}"


@pytest.mark.parametrize("exercise_id", IDS)
def test_at_least_three_wrong_answers(exercise_id: str) -> None:
    assert len(WRONG[exercise_id]) >= 3
