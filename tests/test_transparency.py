"""support.checks.transparency, both ways, on small example apps."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request
from flask_caching import Cache
from hypothesis import strategies as st

from support.backends import simple_config
from support.checks.transparency import (Budget, Side, Step, call_steps, describe_mismatch,
                                         flask_side, get_steps, judge, query_urls)
from support.grading import Fail

PRODUCTS = [("kettle", "kitchen"), ("lamp", "home"), ("mug", "kitchen"), ("rug", "")]


def shop(key: str) -> Side:
    """The listing view cached with one of several keys ('none': no cache at all)."""
    app = Flask(f"transparency-{key}")
    cache = Cache(app, config=simple_config())
    calls = {"n": 0}

    def make_key() -> str:
        category = request.args.get("category")
        if key == "merges-absent-and-empty":
            return f"products:{category or ''}"
        if key == "lowercases":
            return f"products:{(category or '').lower()}:{category is None}"
        return f"products:{category!r}"

    options: dict[str, Any] = {"timeout": 60}
    if key == "none":
        options["unless"] = lambda: True
    elif key == "path-only":
        options = {}
    elif key == "query-string":
        options["query_string"] = True
    else:
        options["make_cache_key"] = make_key

    @app.get("/api/products")
    @cache.cached(**options)
    def products() -> Any:
        calls["n"] += 1
        category = request.args.get("category")
        return {"products": [name for name, c in PRODUCTS if category is None or c == category]}

    return flask_side(app, work=lambda: calls["n"])


URLS = get_steps(query_urls("/api/products", {"category": [None, "", "kitchen", "Kitchen",
                                                            "home"]}, repeat=False))


def judge_shop(key: str) -> Any:
    return judge(lambda: shop(key), lambda: shop("none"), URLS,
                 reference=lambda: shop("query-string"), budget=Budget(examples=60, steps=5))


@pytest.mark.parametrize("key", ["query-string", "correct"])
def test_correct_keys_pass(key: str) -> None:
    verdict = judge_shop(key)
    assert verdict.scenarios >= 10 and verdict.steps > verdict.scenarios


def test_a_key_that_merges_absent_and_empty_fails_with_the_shortest_sequence() -> None:
    with pytest.raises(Fail) as failure:
        judge_shop("merges-absent-and-empty")
    message = str(failure.value)
    assert message in {
        "`GET /api/products?category=` then `GET /api/products`: the second was served the "
        "first's body.",
        "`GET /api/products` then `GET /api/products?category=`: the second was served the "
        "first's body."}


def test_a_path_only_key_fails() -> None:
    with pytest.raises(Fail, match="the second was served the first's body"):
        judge_shop("path-only")


def test_a_key_that_normalises_case_fails() -> None:
    with pytest.raises(Fail, match=r"category=[Kk]itchen` then `GET /api/products\?category="
                                   r"[Kk]itchen`: the second was served the first's body"):
        judge_shop("lowercases")


def test_no_cache_answers_right_but_saves_nothing() -> None:
    with pytest.raises(Fail, match="did the work 2 time.s. where the worked solution did it 1"):
        judge_shop("none")


def test_the_verdict_is_the_same_on_every_run() -> None:
    messages = set()
    for _ in range(3):
        with pytest.raises(Fail) as failure:
            judge_shop("merges-absent-and-empty")
        messages.add(str(failure.value))
    assert len(messages) == 1


def memo_side(broken: bool) -> Side:
    """square(n) memoised on str(n)[:1] when broken (ids that share a prefix collide)."""
    store: dict[Any, int] = {}
    calls = {"n": 0}

    def play(step: Step) -> Any:
        (n,) = step.args
        key = str(n)[:1] if broken else n
        if key not in store:
            calls["n"] += 1
            store[key] = n * n
        return store[key]

    return Side(play, lambda: calls["n"], entries=lambda: len(store))


def test_function_calls_and_prefix_ids() -> None:
    calls = call_steps("square", st.sampled_from([1, 10, 11, 2]).map(lambda n: (n,)))
    truth = lambda: Side(lambda step: step.args[0] ** 2)  # noqa: E731
    judge(lambda: memo_side(False), truth, calls)
    with pytest.raises(Fail, match=r"`square\(1\)` then `square\(1[01]\)`: the second was "
                                   "served the first's result"):
        judge(lambda: memo_side(True), truth, calls, noun="result")


def test_entries_bound() -> None:
    calls = call_steps("square", st.integers(0, 50).map(lambda n: (n,)))
    truth = lambda: Side(lambda step: step.args[0] ** 2)  # noqa: E731
    with pytest.raises(Fail, match="holds 3 entries; at most 2"):
        judge(lambda: memo_side(False), truth, calls, max_entries=2)


def test_an_exception_in_the_learner_code_is_a_shrunk_failure() -> None:
    def crashing() -> Side:
        def play(step: Step) -> Any:
            if step.args[0] == 3:
                raise KeyError("no 3")
            return step.args[0]
        return Side(play)

    steps = call_steps("f", st.integers(0, 5).map(lambda n: (n,)))
    with pytest.raises(Fail, match=r"^`f\(3\)`: the first raised KeyError: 'no 3'$"):
        judge(crashing, lambda: Side(lambda s: s.args[0]), steps)


def test_describe_mismatch_without_an_earlier_match() -> None:
    steps = [Step("GET", "GET /a", ("/a",)), Step("GET", "GET /b", ("/b",))]
    assert describe_mismatch(steps, ["A", "B"], "C") == (
        "`GET /a` then `GET /b`: the second answered 'C', but without a cache it answers 'B' "
        "(stale or wrong data).")


def priced(invalidate: str) -> Side:
    """Two cached product pages; a write changes every price, then runs an invalidation."""

    app = Flask(f"priced-{invalidate}")
    cache = Cache(app, config=simple_config())
    state = {"price": 1, "queries": 0}

    @app.get("/p/<int:pid>")
    @cache.cached(timeout=60, unless=lambda: invalidate == "uncached")
    def product(pid: int) -> Any:
        state["queries"] += 1
        return {"id": pid, "price": state["price"] * pid}

    def on_step(step: Step) -> None:
        state["price"] += 1
        with app.app_context():
            if invalidate == "all":
                cache.delete("view//p/1")
                cache.delete("view//p/2")
            elif invalidate == "first-only":
                cache.delete("view//p/1")

    app.config["FCC_STEPS"] = on_step
    return flask_side(app, work=lambda: state["queries"])


def test_a_write_that_invalidates_only_some_pages_serves_stale_data() -> None:
    from support.checks.transparency import write_steps

    steps = st.one_of(get_steps(st.sampled_from(["/p/1", "/p/2"])),
                      write_steps("raise every price"))
    judge(lambda: priced("all"), lambda: priced("uncached"), steps,
          reference=lambda: priced("all"))
    with pytest.raises(Fail) as failure:
        judge(lambda: priced("first-only"), lambda: priced("uncached"), steps)
    assert str(failure.value) == ("`GET /p/2` then `raise every price` then `GET /p/2`: the "
                                  "third was served the first's body.")


def test_a_large_key_space_defeats_a_single_scan_call() -> None:
    from support.backends import redis_client
    from support.checks.plumbing import glob_escape, scratch_prefix
    from support.checks.transparency import fill_other_keys, other_views

    raw = redis_client()
    with scratch_prefix("large") as prefix:
        others = fill_other_keys(raw, prefix, 3000)
        wanted = [f"{prefix}view//api/products{i}" for i in range(3)]
        for name in wanted + [prefix + p for p in other_views("view//api/products")]:
            raw.set(name, b"x")
        pattern = glob_escape(prefix) + "view//api/products[0-9]"
        _, one_call = raw.scan(0, match=pattern, count=100)
        assert len(one_call) < len(wanted)  # the mistake the issue saw pass on a tiny key space
        assert sorted(raw.scan_iter(match=pattern, count=100)) == [w.encode() for w in wanted]
        assert len(others) == 3000 and raw.exists(prefix + "view//api/products/1")


def test_hypothesis_leaves_nothing_in_the_learners_folder(tmp_path) -> None:
    import os
    import subprocess
    import sys

    # A module of the learner's beside the notebook: Hypothesis collects its constants and,
    # left to itself, caches them in ./.hypothesis there.
    (tmp_path / "learner.py").write_text("LIMIT = 123456\nNAME = 'ada-lovelace'\n")
    code = ("import learner\n"
            "from hypothesis import given, settings, strategies as st\n"
            "@settings(derandomize=True, database=None, max_examples=5)\n"
            "@given(st.integers())\n"
            "def probe(x):\n    pass\n"
            "probe()\n")
    for prelude, left in (("import support.checks\n", {"learner.py"}),
                          ("", {".hypothesis", "learner.py"})):
        env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
        subprocess.run([sys.executable, "-c", prelude + code], cwd=tmp_path, env=env, check=True,
                       timeout=60)
        assert {p.name for p in tmp_path.iterdir()} == left, prelude or "plain Hypothesis"


# --- added for h/memoize ---


def test_a_quick_budget_skips_hypothesis_shrink_but_still_gives_a_minimal_sequence() -> None:
    """QuickBudget: no shrink phase, fewer scenarios played, and judge's own minimisation still
    leaves a sequence from which no step can be dropped; the same verdict on every run."""
    from support.checks.transparency import QuickBudget

    calls = call_steps("square", st.sampled_from([1, 10, 11, 2, 3]).map(lambda n: (n,)))
    truth = lambda: Side(lambda step: step.args[0] ** 2)  # noqa: E731

    def run(budget: Budget) -> tuple[str, int]:
        sides = []

        def learner() -> Side:
            sides.append(memo_side(True))
            return sides[-1]

        with pytest.raises(Fail) as failure:
            judge(learner, truth, calls, budget=budget, noun="result")
        return str(failure.value), len(sides)

    shrunk, slow = run(Budget(30, 6))
    quick, fast = run(QuickBudget(30, 6))
    assert run(QuickBudget(30, 6)) == (quick, fast)
    assert fast < slow, (fast, slow)
    for message in (shrunk, quick):
        assert len(message.split(":", 1)[0].split(" then ")) == 2, message
        assert "the second was served the first's result" in message, message
