"""How a lesson checker adopts the transparency core: lesson 01's allow-list key, judged on
generated URLs against the same view without a cache and against a careful key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from support.checks.transparency import Budget, Side, flask_side, judge, query_steps
from support.grading import Fail
from support.tools.mutants import answers

PRELUDE = next(a.prelude for a in answers() if a.exercise == "views-allow-list")
URLS = query_steps("/api/products", {
    "page": [None, "", "1", "01", "2", "+2", "x"],
    "category": [None, "", "kitchen", "Kitchen", "2kitchen"],
    "utm_source": [None, "mail"],
})


def shop(key: Callable[[], str] | None) -> Callable[[], Side]:
    """A factory of sides over one app (built once): each scenario starts with an empty cache."""
    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(PRELUDE.replace("print(describe())", ""), ns)
    app, cache = ns["create_app"]()
    calls = {"n": 0}

    @app.route("/api/products")
    @cache.cached(timeout=60, make_cache_key=key, unless=lambda: key is None)
    def products() -> Any:
        calls["n"] += 1
        return ns["listing"]()

    def fresh() -> Side:
        with app.app_context():
            cache.clear()  # a SimpleCache of this app only
        calls["n"] = 0
        return flask_side(app, work=lambda: calls["n"])

    return fresh


def careful_key() -> str:
    from flask import request

    page = request.args.get("page", 1, type=int)
    category = request.args.get("category")
    return f"products:{page}:{'-' if category is None else 'c=' + category}"


def merges_absent_and_empty() -> str:
    from flask import request

    page = request.args.get("page", 1, type=int)
    return f"products:{page}:{request.args.get('category', '')}"


def lowercases_category() -> str:
    from flask import request

    page = request.args.get("page", 1, type=int)
    category = request.args.get("category")
    return f"products:{page}:{'-' if category is None else 'c=' + category.lower()}"


TRUTH, REFERENCE = shop(None), shop(careful_key)


def test_a_careful_key_passes_and_saves_what_the_reference_saves() -> None:
    verdict = judge(shop(careful_key), TRUTH, URLS, reference=REFERENCE, budget=Budget(40, 6))
    assert verdict.scenarios >= 20


@pytest.mark.parametrize(("key", "words"), [
    (merges_absent_and_empty, "`GET /api/products` then `GET /api/products?category=`"),
    (lowercases_category, "itchen"),
])
def test_keys_that_merge_what_the_view_distinguishes_fail(key: Any, words: str) -> None:
    with pytest.raises(Fail) as failure:
        judge(shop(key), TRUTH, URLS, reference=REFERENCE, budget=Budget(40, 6))
    message = str(failure.value)
    assert "the second was served the first's body" in message and words in message, message


def test_the_lesson_checker_words_the_cores_sequence_then_its_advice() -> None:
    """support/checks/views.py judges with the core (judge, with its advice): the learner reads the
    shortest sequence in the core's words, then the exercise's advice."""
    from support.grading import run_check

    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(PRELUDE, ns)
    ns["listing_key"] = merges_absent_and_empty
    result = run_check("views-allow-list", ns)
    assert result.status == "failed", result.message
    assert result.message.startswith(
        "`GET /api/products` then `GET /api/products?category=`: the second was served the "
        "first's body. Your listing_key() gave both the key 'products:1:'. The view filters on "
        "`category` whenever it is present"), result.message
