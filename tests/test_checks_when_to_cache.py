"""Lesson 04's checkers, tested both ways: the solutions pass, wrong answers get a named hint."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT, answer_cell, run_answer

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


@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_passes(exercise: str) -> None:
    source = answer_cell(NB, exercise)
    namespace = _with_endpoints(source) if exercise == "when-to-cache-decide" else run_answer(source)
    status, message = _status(exercise, namespace)
    assert status == "passed", message


@pytest.mark.parametrize("exercise", EXERCISES)
def test_placeholder_is_not_attempted(exercise: str) -> None:
    from support.exercises import blank_solutions

    blank = blank_solutions(answer_cell(NB, exercise))
    namespace = _with_endpoints(blank) if exercise == "when-to-cache-decide" else run_answer(blank)
    assert _status(exercise, namespace)[0] == "not-attempted"


# --- break-even ------------------------------------------------------------------------------

GUARD = "    if t_hit >= t_compute:\n        return None\n"
WRONG_BREAK_EVEN = {
    "forgot the overhead in the denominator": (
        GUARD + "    return t_miss_overhead / (t_compute - t_hit)\n", "the denominator misses the overhead"),
    "forgot that hits cost": (
        GUARD + "    return t_miss_overhead / (t_compute + t_miss_overhead)\n", "a hit is not free"),
    "percentage": (
        GUARD + "    return 100 * t_miss_overhead / (t_compute + t_miss_overhead - t_hit)\n",
        "you returned a percentage"),
    "miss ratio": (
        GUARD + "    return 1 - t_miss_overhead / (t_compute + t_miss_overhead - t_hit)\n",
        "you returned 1 − h*"),
    "hit over compute": (GUARD + "    return t_hit / t_compute\n", "ignores the miss overhead"),
    "no never-pays case": (
        "    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)\n",
        "no hit ratio makes the cache faster. Return None"),
    "guard on equality only": (
        "    if t_hit == t_compute:\n        return None\n"
        "    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)\n",
        "raised ZeroDivisionError"),
    "None when the overhead exceeds the saving": (
        "    if t_miss_overhead > t_compute - t_hit:\n        return None\n"
        "    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)\n",
        "returned None, but there a hit"),
    "returns a string": (GUARD + "    return '87.5%'\n", "should return a number"),
}


@pytest.mark.parametrize("name", list(WRONG_BREAK_EVEN))
def test_break_even_wrong_answers(name: str) -> None:
    body, hint = WRONG_BREAK_EVEN[name]
    source = "def break_even(t_hit, t_miss_overhead, t_compute):\n" + body
    status, message = _status("when-to-cache-break-even", run_answer(source))
    assert status == "failed" and hint in message, message


def test_break_even_parameters_in_another_order() -> None:
    source = ("def break_even(t_compute, t_hit, t_miss_overhead):\n" + GUARD
              + "    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)\n")
    status, message = _status("when-to-cache-break-even", run_answer(source))
    assert status == "failed" and "parameters are in the order" in message, message


def test_break_even_accepts_other_correct_forms() -> None:
    source = ("def break_even(t_hit, t_miss_overhead, t_compute):\n"
              "    saving = t_compute - t_hit\n"
              "    return None if saving <= 0 else t_miss_overhead / (saving + t_miss_overhead)\n")
    assert _status("when-to-cache-break-even", run_answer(source))[0] == "passed"


# --- TTLs ------------------------------------------------------------------------------------

GOOD_TTLS = {"exchange_rates": 900, "sales_report": 3600, "about_page": 172800,
             "product_page": 300, "search_suggestions": 30}
WRONG_TTLS = {
    "minutes": ({"exchange_rates": 15}, "exchange_rates: 15 looks like minutes"),
    "hours": ({"sales_report": 1}, "sales_report: 1 looks like hours"),
    "days": ({"about_page": 2}, "about_page: 2 looks like days"),
    "milliseconds": ({"search_suggestions": 30_000}, "looks like milliseconds"),
    "over budget": ({"product_page": 3600}, "over the 5 minutes budget"),
    "zero means never": ({"about_page": 0}, "timeout=0 means never expire"),
    "None is the default": ({"exchange_rates": None}, "CACHE_DEFAULT_TIMEOUT"),
    "far too short": ({"sales_report": 120}, "far below the 1 hour budget"),
    "timedelta": ("timedelta", "not timedelta"),
    "missing endpoint": ("missing", "no TTL for search_suggestions"),
    "bool": ({"product_page": True}, "not a number of seconds"),
}


@pytest.mark.parametrize("name", list(WRONG_TTLS))
def test_ttls_wrong_answers(name: str) -> None:
    from datetime import timedelta

    change, hint = WRONG_TTLS[name]
    ttls = dict(GOOD_TTLS)
    if change == "timedelta":
        ttls["exchange_rates"] = timedelta(minutes=15)
    elif change == "missing":
        del ttls["search_suggestions"]
    else:
        ttls.update(change)
    status, message = _status("when-to-cache-ttls", {"ttls": ttls})
    assert status == "failed" and hint in message, message


def test_ttls_any_value_within_the_budget_passes() -> None:
    ttls = {name: seconds * 0.6 for name, seconds in GOOD_TTLS.items()}
    assert _status("when-to-cache-ttls", {"ttls": ttls})[0] == "passed"


# --- decide ----------------------------------------------------------------------------------

HIT_RATIOS = ("results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}\n"
              "hit_ratios = {n: r.hit_ratio for n, r in results.items()}\n")
WRONG_DECIDE = {
    "cache everything": (HIT_RATIOS + "decisions = {n: True for n in results}\n",
                         "user by id: you cache it, but it saves too little"),
    "decide by hit ratio": (HIT_RATIOS + "decisions = {n: r.hit_ratio > 0.5 for n, r in results.items()}\n",
                            "A high hit ratio on a cheap query is not enough"),
    "ignore the staleness budget": (
        HIT_RATIOS + "decisions = {n: r.speedup >= 2 for n, r in results.items()}\n",
        "stock at checkout: you cache it, but the simulation serves"),
    "break-even instead of the rule": (
        HIT_RATIOS + "decisions = {n: r.speedup > 1 and r.max_staleness <= DECIDE_ENDPOINTS[n][2]"
        " for n, r in results.items()}\n", "user by id: you cache it, but it saves too little"),
    "cache nothing": (HIT_RATIOS + "decisions = {n: False for n in results}\n",
                      "weather widget: worth caching by the rule"),
    "reads share as hit ratio": (
        "hit_ratios = {n: 1 - w.write_ratio for n, (w, c, b) in DECIDE_ENDPOINTS.items()}\n"
        "decisions = {n: False for n in DECIDE_ENDPOINTS}\n", "is the share of reads"),
    "another seed": (
        "hit_ratios = {n: simulate(w.but(seed=1), c).hit_ratio for n, (w, c, b) in "
        "DECIDE_ENDPOINTS.items()}\ndecisions = {n: False for n in DECIDE_ENDPOINTS}\n",
        "run simulate(workload, costs) on DECIDE_ENDPOINTS exactly as given"),
    "verdict strings": (HIT_RATIOS + "decisions = {n: 'cache' for n in results}\n",
                        "should be True (cache) or False"),
    "an endpoint missing": (HIT_RATIOS + "decisions = {'weather widget': True}\n",
                            "decisions has no entry for"),
}


@pytest.mark.parametrize("name", list(WRONG_DECIDE))
def test_decide_wrong_answers(name: str) -> None:
    source, hint = WRONG_DECIDE[name]
    status, message = _status("when-to-cache-decide", _with_endpoints(source))
    assert status == "failed" and hint in message, message
