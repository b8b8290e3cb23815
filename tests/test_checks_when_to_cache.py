"""Lesson 04's checkers, tested both ways: the solutions pass, wrong answers get a named hint."""

from __future__ import annotations

from datetime import timedelta

import nbformat
import pytest
from conftest import ROOT, answer_cell, run_answer

from support.tools import mutants
from support.checks.when_to_cache import DECIDE_ENDPOINTS, reference_results
from support.grading import run_check

NB = "04_when_to_cache.ipynb"
EXERCISES = ["when-to-cache-break-even", "when-to-cache-ttls", "when-to-cache-decide"]


def _status(exercise: str, namespace: dict) -> tuple[str, str]:
    result = run_check(exercise, namespace)
    return result.status, result.message


def _endpoints_cell() -> str:
    """The cell of the solutions notebook that defines DECIDE_ENDPOINTS."""
    nb = nbformat.read(ROOT / "solutions" / NB, as_version=4)
    sources = [c.source for c in nb.cells
               if c.cell_type == "code" and "DECIDE_ENDPOINTS = {" in c.source]
    assert len(sources) == 1
    return sources[0]


def _with_endpoints(source: str) -> dict:
    return run_answer(_endpoints_cell() + "\n" + source)


def test_notebook_endpoints_are_the_checkers() -> None:
    assert run_answer(_endpoints_cell())["DECIDE_ENDPOINTS"] == DECIDE_ENDPOINTS


def test_decide_reference_is_not_trivial() -> None:
    """The endpoints must keep their traps: a cache for some, and each kind of 'no'."""
    results = reference_results()
    budgets = {name: spec[2] for name, spec in DECIDE_ENDPOINTS.items()}
    assert results["search suggestions"].speedup >= 2
    assert results["order status"].speedup < 1
    assert results["user by id"].hit_ratio > 0.8 and 1 <= results["user by id"].speedup < 2
    stock = results["stock at checkout"]
    assert stock.speedup >= 2 and stock.max_staleness > budgets["stock at checkout"]


@pytest.mark.solution
@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_passes(exercise: str) -> None:
    source = answer_cell(NB, exercise)
    namespace = _with_endpoints(source) if exercise == "when-to-cache-decide" else run_answer(source)
    status, message = _status(exercise, namespace)
    assert status == "passed", message


@pytest.mark.parametrize("exercise", EXERCISES)
def test_placeholder_is_not_attempted(exercise: str) -> None:
    from support.tools.exercises import blank_solutions

    blank = blank_solutions(answer_cell(NB, exercise))
    namespace = _with_endpoints(blank) if exercise == "when-to-cache-decide" else run_answer(blank)
    assert _status(exercise, namespace)[0] == "not-attempted"


# --- break-even ------------------------------------------------------------------------------

GUARD = "    if t_hit >= t_compute:\n        return None\n"
FORMULA = "t_miss_overhead / (t_compute + t_miss_overhead - t_hit)"
# The wrong answers and the correct alternatives are files in tests/mutants/when-to-cache-*/,
# judged by tests/test_hand_written.py (one source for them and for `python -m support mutants`).
BREAK_EVEN_WRONG = [w for w in mutants.hand_written()
                    if w.exercise == "when-to-cache-break-even" and w.expect == "fail"
                    and "def break_even(t_hit, t_miss_overhead, t_compute)" in w.source]


@pytest.mark.parametrize("item", BREAK_EVEN_WRONG, ids=[w.path.stem for w in BREAK_EVEN_WRONG])
def test_break_even_failure_names_the_smallest_input(item: mutants.HandWritten) -> None:
    status, message = _status("when-to-cache-break-even", run_answer(item.source))
    assert status == "failed" and "(the smallest input that shows it)" in message, message


def test_break_even_verdict_is_the_same_every_run() -> None:
    source = "def break_even(t_hit, t_miss_overhead, t_compute):\n" + GUARD + f"    return round({FORMULA}, 4)\n"
    first = _status("when-to-cache-break-even", run_answer(source))
    assert first == _status("when-to-cache-break-even", run_answer(source))
    assert first[0] == "failed"


def test_break_even_generator_reaches_the_edges() -> None:
    """The generated cases include no overhead, free hits, equal costs, dearer hits, huge costs."""
    from hypothesis import given

    from support.checks.when_to_cache import BREAK_EVEN, _cases

    seen: list[tuple[float, float, float]] = []

    @BREAK_EVEN.settings()
    @given(_cases())
    def collect(case: tuple[float, float, float]) -> None:
        seen.append(case)

    collect()
    assert any(m == 0 and h < c for h, m, c in seen)
    assert any(h == 0 and m > 0 and c > 0 for h, m, c in seen)
    assert any(h == c > 0 for h, m, c in seen)
    assert any(h > c for h, m, c in seen)
    assert any(max(case) >= 1e6 for case in seen)


def test_break_even_tolerance_accepts_rounding_but_not_a_near_miss() -> None:
    from support.checks.when_to_cache import _agrees

    case = (1e8 - 2.0, 1e-6, 1e8)  # t_compute - t_hit cancels: forms round differently
    assert _agrees(1e-6 / ((1e8 - (1e8 - 2.0)) + 1e-6), case)
    assert _agrees(1e-6 / (1e8 + 1e-6 - (1e8 - 2.0)), case)
    assert not _agrees(0.5001, (1.0, 1.0, 2.0))
    assert not _agrees(True, (1.0, 1.0, 2.0)) and not _agrees(float("nan"), (1.0, 1.0, 2.0))


# --- TTLs ------------------------------------------------------------------------------------

GOOD_TTLS = {"exchange_rates": 900, "sales_report": 3600, "about_page": 172800,
             "product_page": 300, "search_suggestions": 30}


def test_ttls_string_and_float_pass_with_a_note() -> None:
    status, message = _status("when-to-cache-ttls", {"ttls": {**GOOD_TTLS, "exchange_rates": "900"}})
    assert status == "passed" and "cache.set(..., timeout='900') raises TypeError" in message
    floats = {name: seconds * 0.6 for name, seconds in GOOD_TTLS.items()}
    status, message = _status("when-to-cache-ttls", {"ttls": floats})
    assert status == "passed" and "float timeouts are rounded up and deprecated" in message


def test_flask_caching_takes_what_the_ttl_check_accepts() -> None:
    """The facts the TTL check relies on (Flask-Caching 2.5.1, cachelib 0.17)."""
    from flask import Flask
    from flask_caching import Cache

    app = Flask("facts")
    cache = Cache(app, config={"CACHE_TYPE": "SimpleCache"})
    with app.app_context():
        assert cache.set("delta", 1, timeout=timedelta(minutes=15))
        assert cache.cache._cache["delta"][0] > 0  # an expiry time, not "never"
        with pytest.raises(TypeError):
            cache.set("text", 1, timeout="900")
    from flask_caching.utils import normalize_timeout

    assert normalize_timeout("900") == 900 and normalize_timeout(timedelta(minutes=15)) == 900


# --- decide ----------------------------------------------------------------------------------

HIT_RATIOS = ("results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}\n"
              "hit_ratios = {n: r.hit_ratio for n, r in results.items()}\n")


def test_decide_hint_names_the_queries_a_cheap_lookup_saves() -> None:
    source = HIT_RATIOS + "decisions = {n: r.hit_ratio > 0.5 for n, r in results.items()}\n"
    status, message = _status("when-to-cache-decide", _with_endpoints(source))
    saved = reference_results()["user by id"].queries_saved
    assert status == "failed" and f"would spare {saved} of 600 database queries" in message, message
