"""Lesson 04's checkers, tested both ways: the solutions pass, wrong answers get a named hint."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

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
FORMULA = "t_miss_overhead / (t_compute + t_miss_overhead - t_hit)"
WRONG_BREAK_EVEN = {
    "forgot the overhead in the denominator": (
        GUARD + "    return t_miss_overhead / (t_compute - t_hit)\n",
        "t_hit=0.0, t_miss_overhead=1.0, t_compute=1.0 (the smallest input that shows it) you "
        "returned 1.0, expected 0.5: the denominator misses the overhead"),
    "forgot that hits cost": (
        GUARD + "    return t_miss_overhead / (t_compute + t_miss_overhead)\n", "a hit is not free"),
    "percentage": (GUARD + f"    return 100 * {FORMULA}\n", "you returned a percentage"),
    "miss ratio": (GUARD + f"    return 1 - {FORMULA}\n", "you returned 1 − h*"),
    "hit over compute": (GUARD + "    return t_hit / t_compute\n", "ignores the miss overhead"),
    "no never-pays case": (f"    return {FORMULA}\n",
                           "t_compute=0.0 (the smallest input that shows it) your function "
                           "raised ZeroDivisionError: when t_hit >= t_compute"),
    "guard on equality only": (
        f"    if t_hit == t_compute:\n        return None\n    return {FORMULA}\n",
        "t_compute=0.0 (the smallest input that shows it) you returned -0.0, expected None: "
        "there a hit (1.0 s) is more than computing (0.0 s)"),
    "strict guard (> instead of >=)": (
        f"    if t_hit > t_compute:\n        return None\n    return {FORMULA}\n",
        "raised ZeroDivisionError: when t_hit >= t_compute caching never pays"),
    "guard includes the overhead": (
        f"    if t_hit >= t_compute + t_miss_overhead:\n        return None\n    return {FORMULA}\n",
        "expected None: there a hit (0.0 s) equals computing (0.0 s)"),
    "zero overhead dropped as falsy": (
        GUARD + f"    return {FORMULA} or None\n",
        "t_hit=0.0, t_miss_overhead=0.0, t_compute=1.0 (the smallest input that shows it) you "
        "returned None, expected 0: with no miss overhead"),
    "a free hit treated as missing": (
        f"    if not t_hit or t_hit >= t_compute:\n        return None\n    return {FORMULA}\n",
        "a hit that costs nothing is the best case"),
    "a form that divides by the overhead": (
        GUARD + "    return 1 / (1 + (t_compute - t_hit) / t_miss_overhead)\n",
        "raised ZeroDivisionError, but h* is 0 there"),
    "rounded": (GUARD + f"    return round({FORMULA}, 3)\n", "h* rounded to 3 decimals"),
    "floor division": (GUARD + "    return t_miss_overhead // (t_compute + t_miss_overhead - t_hit)\n",
                       "`//` is floor division"),
    "arguments swapped in the body": (
        GUARD.replace("t_hit >= t_compute", "t_miss_overhead >= t_compute")
        + "    return t_hit / (t_compute + t_hit - t_miss_overhead)\n",
        "the right formula with the arguments in another order"),
    "None when the overhead exceeds the saving": (
        f"    if t_miss_overhead > t_compute - t_hit:\n        return None\n    return {FORMULA}\n",
        "raised ZeroDivisionError"),
    "returns a string": (GUARD + "    return '87.5%'\n", "should return a number"),
}


@pytest.mark.parametrize("name", list(WRONG_BREAK_EVEN))
def test_break_even_wrong_answers(name: str) -> None:
    body, hint = WRONG_BREAK_EVEN[name]
    source = "def break_even(t_hit, t_miss_overhead, t_compute):\n" + body
    status, message = _status("when-to-cache-break-even", run_answer(source))
    assert status == "failed" and hint in message, message
    assert "(the smallest input that shows it)" in message, message


def test_break_even_parameters_in_another_order() -> None:
    source = ("def break_even(t_compute, t_hit, t_miss_overhead):\n" + GUARD
              + f"    return {FORMULA}\n")
    status, message = _status("when-to-cache-break-even", run_answer(source))
    assert status == "failed" and "parameters are in the order" in message, message


CORRECT_BREAK_EVEN = {
    "the saving first": ("    saving = t_compute - t_hit\n"
                         "    return None if saving <= 0 else t_miss_overhead / (saving + t_miss_overhead)\n"),
    "1 / (1 + saving / overhead), with h* = 0 when there is no overhead": (
        GUARD + "    if t_miss_overhead == 0:\n        return 0.0\n"
        "    return 1 / (1 + (t_compute - t_hit) / t_miss_overhead)\n"),
    "exact fractions": (GUARD + "    from fractions import Fraction as F\n"
                        "    return F(t_miss_overhead) / (F(t_compute) + F(t_miss_overhead) - F(t_hit))\n"),
    "in milliseconds": (GUARD + "    ms = 1000\n    return (t_miss_overhead * ms) / "
                        "((t_compute - t_hit + t_miss_overhead) * ms)\n"),
    "clamped to [0, 1]": (f"    if not t_hit < t_compute:\n        return None\n"
                          f"    return min(1.0, max(0.0, {FORMULA}))\n"),
}


@pytest.mark.parametrize("name", list(CORRECT_BREAK_EVEN))
def test_break_even_accepts_other_correct_forms(name: str) -> None:
    source = "def break_even(t_hit, t_miss_overhead, t_compute):\n" + CORRECT_BREAK_EVEN[name]
    status, message = _status("when-to-cache-break-even", run_answer(source))
    assert status == "passed", message


def test_break_even_verdict_is_the_same_every_run() -> None:
    source = "def break_even(t_hit, t_miss_overhead, t_compute):\n" + GUARD + f"    return round({FORMULA}, 4)\n"
    first = _status("when-to-cache-break-even", run_answer(source))
    assert first == _status("when-to-cache-break-even", run_answer(source))
    assert first[0] == "failed"


def test_break_even_generator_reaches_the_edges() -> None:
    """The generated cases include no overhead, free hits, equal costs, dearer hits, huge costs."""
    from hypothesis import given

    from support.checks.when_to_cache import _SETTINGS, _cases

    seen: list[tuple[float, float, float]] = []

    @_SETTINGS
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
WRONG_TTLS = {
    "minutes": ({"exchange_rates": 15}, "exchange_rates: 15 looks like minutes"),
    "hours": ({"sales_report": 1}, "sales_report: 1 looks like hours"),
    "days": ({"about_page": 2}, "about_page: 2 looks like days"),
    "milliseconds": ({"search_suggestions": 30_000}, "looks like milliseconds"),
    "over budget": ({"product_page": 3600}, "over the 5 minutes budget"),
    "zero means no expiry": ({"about_page": 0}, "timeout=0 means no expiry"),
    "zero as a string": ({"about_page": "0"}, "timeout='0' means no expiry"),
    "zero as a timedelta": ({"about_page": timedelta(0)}, "timedelta(0) means no expiry"),
    "None is the default": ({"exchange_rates": None}, "CACHE_DEFAULT_TIMEOUT"),
    "far too short": ({"sales_report": 120}, "far below the 1 hour budget"),
    "timedelta over the budget": ({"product_page": timedelta(minutes=10)},
                                  "a TTL of 600 s is over the 5 minutes budget"),
    "an expression in a string": ({"exchange_rates": "15*60"}, "int('15*60') raises ValueError"),
    "a unit in a string": ({"exchange_rates": "15 minutes"}, "raises ValueError"),
    "negative": ({"product_page": -300}, "a negative timeout"),
    "missing endpoint": ("missing", "no TTL for search_suggestions"),
    "bool": ({"product_page": True}, "not a number of seconds"),
    "a type cachelib rejects": ({"exchange_rates": Fraction(900)},
                                "could not store the page: TypeError"),
}


@pytest.mark.parametrize("name", list(WRONG_TTLS))
def test_ttls_wrong_answers(name: str) -> None:
    change, hint = WRONG_TTLS[name]
    ttls = dict(GOOD_TTLS)
    if change == "missing":
        del ttls["search_suggestions"]
    else:
        ttls.update(change)
    status, message = _status("when-to-cache-ttls", {"ttls": ttls})
    assert status == "failed" and hint in message, message


CORRECT_TTLS = {
    "seconds written as products": {},
    "timedeltas (Flask-Caching 2.5.1 takes them)": {
        "exchange_rates": timedelta(minutes=15), "sales_report": timedelta(hours=1),
        "about_page": timedelta(days=2), "product_page": timedelta(minutes=5),
        "search_suggestions": timedelta(seconds=30)},
    "a numeric string (@cached converts it with int())": {"exchange_rates": "900"},
    "60 % of each budget, as ints": {name: int(s * 0.6) for name, s in GOOD_TTLS.items()},
}


@pytest.mark.parametrize("name", list(CORRECT_TTLS))
def test_ttls_correct_alternatives_pass(name: str) -> None:
    status, message = _status("when-to-cache-ttls", {"ttls": {**GOOD_TTLS, **CORRECT_TTLS[name]}})
    assert status == "passed", message


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


CORRECT_DECIDE = {
    "a loop with the numbers printed": (
        "hit_ratios, decisions = {}, {}\n"
        "for name, (workload, costs, budget) in DECIDE_ENDPOINTS.items():\n"
        "    result = simulate(workload, costs)\n"
        "    hit_ratios[name] = result.hits / result.reads\n"
        "    fresh = result.max_staleness <= budget\n"
        "    decisions[name] = bool(fresh and result.no_cache_latency >= 2 * result.mean_latency)\n"),
    "from the model at the simulated hit ratio": (
        "from support.simulator import expected_latency\n"
        "results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}\n"
        "hit_ratios = {n: r.hit_ratio for n, r in results.items()}\n"
        "decisions = {n: expected_latency(r.hit_ratio, DECIDE_ENDPOINTS[n][1]) * 2\n"
        "                <= DECIDE_ENDPOINTS[n][1].compute\n"
        "                and r.max_staleness <= DECIDE_ENDPOINTS[n][2]\n"
        "             for n, r in results.items()}\n"),
}


@pytest.mark.parametrize("name", list(CORRECT_DECIDE))
def test_decide_correct_alternatives_pass(name: str) -> None:
    status, message = _status("when-to-cache-decide", _with_endpoints(CORRECT_DECIDE[name]))
    assert status == "passed", message


def test_decide_hint_names_the_queries_a_cheap_lookup_saves() -> None:
    source = HIT_RATIOS + "decisions = {n: r.hit_ratio > 0.5 for n, r in results.items()}\n"
    status, message = _status("when-to-cache-decide", _with_endpoints(source))
    saved = reference_results()["user by id"].queries_saved
    assert status == "failed" and f"would spare {saved} of 600 database queries" in message, message
