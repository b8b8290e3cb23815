"""Checkers for lesson 04 (when to cache)."""

from __future__ import annotations

import inspect
import math
from datetime import timedelta
from functools import lru_cache
from numbers import Real
from typing import Any

from flask import Flask
from flask_caching import Cache

from support.backends import course_prefix, redis_client, redis_config
from support.grading import Fail, Namespace, exercise
from support.simulator import Costs, SimulationResult, Workload, format_ms, simulate

# --- when-to-cache-break-even ----------------------------------------------------------------

# (t_hit, t_miss_overhead, t_compute) in seconds
PAYING_CASES = [
    (0.0012, 0.0021, 0.0015),  # Redis across the network, a cheap query: 0.875
    (0.0002, 0.0001, 0.008),   # an in-process cache, an expensive report
    (0.0012, 0.0021, 0.2),     # an external API call
    (0.0001, 0.0, 0.005),      # no miss overhead at all: any hit pays
]
NEVER_PAYS_CASES = [
    (0.0015, 0.0021, 0.0015),  # a hit costs exactly what computing costs
    (0.003, 0.001, 0.002),     # a hit costs more than computing
]


def reference_break_even(t_hit: float, t_miss_overhead: float, t_compute: float) -> float | None:
    """The hit ratio above which the cache is faster; None when no hit ratio is enough."""
    if t_hit >= t_compute:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def _diagnose(got: float, case: tuple[float, float, float]) -> str:
    t_hit, t_m, t_c = case
    expected = reference_break_even(*case)
    assert expected is not None
    where = f"for t_hit={t_hit}, t_miss_overhead={t_m}, t_compute={t_c}"
    wrong = [
        (100 * expected, "you returned a percentage: return a ratio between 0 and 1 "
                         f"({expected:.4g}, not {got:.4g})."),
        (1 - expected, "you returned 1 − h*, the share of misses at break-even: return the hit "
                       "ratio h* itself."),
        (t_m / (t_c - t_hit), "the denominator misses the overhead: set "
                              "h·t_hit + (1 − h)·(t_compute + t_miss_overhead) equal to t_compute "
                              "and solve; the miss overhead appears on both sides."),
        (t_m / (t_c + t_m), "a hit is not free: the denominator must subtract t_hit "
                            "(h* = t_miss_overhead / (t_compute + t_miss_overhead − t_hit))."),
        (t_hit / t_c, "t_hit / t_compute ignores the miss overhead, which is what a low hit ratio "
                      "costs you: solve the mean-latency equation for h."),
    ]
    for value, message in wrong:
        if t_c != t_hit and _close(got, value):
            return f"{where}: {message}"
    for order in [(t_m, t_hit, t_c), (t_hit, t_c, t_m), (t_c, t_m, t_hit), (t_m, t_c, t_hit),
                  (t_c, t_hit, t_m)]:
        swapped = reference_break_even(*order)
        if swapped is not None and _close(got, swapped):
            return (f"{where}: you got {got:.4g}, which is the right formula with the arguments "
                    "in another order: the signature is break_even(t_hit, t_miss_overhead, "
                    "t_compute).")
    return f"{where}: expected {expected:.4g}, got {got:.4g}."


@exercise("when-to-cache-break-even", hint=(
    "Write the mean latency with a cache, h·t_hit + (1 − h)·(t_compute + t_miss_overhead), set "
    "it equal to t_compute (no cache) and solve for h. When a hit costs at least as much as "
    "computing, no h is enough: return None."))
def check_break_even(ns: Namespace) -> str:
    break_even = ns.function("break_even")
    try:
        names = tuple(inspect.signature(break_even).parameters)
    except (TypeError, ValueError):
        names = ()
    wanted = ("t_hit", "t_miss_overhead", "t_compute")
    if names != wanted and sorted(names) == sorted(wanted):
        raise Fail(f"your parameters are in the order ({', '.join(names)}), but the check calls "
                   "break_even(t_hit, t_miss_overhead, t_compute) as the exercise states.")
    for case in PAYING_CASES:
        got = ns.call(break_even, *case)
        if got is None:
            raise Fail(f"break_even{case} returned None, but there a hit ({case[0]} s) is cheaper "
                       f"than computing ({case[2]} s), so a high enough hit ratio does pay.")
        if isinstance(got, bool) or not isinstance(got, Real):
            raise Fail(f"break_even should return a number (or None), not a {type(got).__name__}.")
        if not _close(float(got), reference_break_even(*case) or 0.0):
            raise Fail(_diagnose(float(got), case))
    for case in NEVER_PAYS_CASES:
        t_hit, _, t_c = case
        try:
            got = break_even(*case)
        except ZeroDivisionError:
            raise Fail(f"break_even{case} raised ZeroDivisionError: when t_hit >= t_compute "
                       "caching never pays; test for that first and return None.") from None
        except Exception as exc:
            raise Fail(f"calling break_even{case} raised {type(exc).__name__}: {exc}") from None
        if got is not None:
            relation = "equals" if t_hit == t_c else "is more than"
            raise Fail(f"break_even{case} returned {got!r}: there a hit ({t_hit} s) {relation} "
                       f"computing ({t_c} s), so no hit ratio makes the cache faster. Return None "
                       "when t_hit >= t_compute.")
    return ("h* = t_miss_overhead / (t_compute + t_miss_overhead − t_hit), and None when a hit "
            "costs at least as much as the work: 0.875 for a cheap query behind a networked Redis.")


# --- when-to-cache-ttls ----------------------------------------------------------------------

TTL_BUDGETS = {
    "exchange_rates": 15 * 60,
    "sales_report": 60 * 60,
    "about_page": 2 * 24 * 60 * 60,
    "product_page": 5 * 60,
    "search_suggestions": 30,
}
_UNITS = [(60, "minutes"), (3600, "hours"), (86400, "days"), (1 / 1000, "milliseconds")]


def _describe(seconds: float) -> str:
    for size, unit in [(86400, "days"), (3600, "hours"), (60, "minutes")]:
        if seconds >= size and seconds % size == 0:
            amount = seconds // size
            return f"{amount:g} {unit[:-1] if amount == 1 else unit}"
    return f"{seconds:g} seconds"


def _check_ttl(endpoint: str, ttl: Any, budget: int) -> None:
    if ttl is None:
        raise Fail(f"{endpoint}: timeout=None does not mean 'no expiry' or 'no cache': "
                   "Flask-Caching then uses CACHE_DEFAULT_TIMEOUT (300 s by default), which has "
                   f"nothing to do with the {_describe(budget)} budget. Give a number of seconds.")
    if isinstance(ttl, bool):
        raise Fail(f"{endpoint}: {ttl!r} is not a number of seconds.")
    if isinstance(ttl, timedelta):
        raise Fail(f"{endpoint}: Flask-Caching timeouts are numbers of seconds, not timedelta: "
                   "use int(delta.total_seconds()).")
    if not isinstance(ttl, Real) or not math.isfinite(ttl):
        raise Fail(f"{endpoint}: a TTL is a number of seconds, not {ttl!r}.")
    if ttl == 0:
        raise Fail(f"{endpoint}: timeout=0 means never expire, so the first value cached would "
                   f"be served for ever; the budget is {_describe(budget)} ({budget} s).")
    if ttl < 0:
        raise Fail(f"{endpoint}: a negative timeout ({ttl}) is not a TTL.")
    if budget / 2 <= ttl <= budget:
        return
    for size, unit in _UNITS:
        if budget / 2 <= ttl * size <= budget:
            raise Fail(f"{endpoint}: {ttl:g} looks like {unit}: Flask-Caching timeouts are seconds, "
                       f"so {ttl:g} means {ttl:g} s. The budget is {_describe(budget)} = {budget} s.")
    if ttl > budget:
        raise Fail(f"{endpoint}: a TTL of {ttl:g} s is over the {_describe(budget)} budget: a value "
                   f"cached just before a change would be served for {ttl:g} s. Use at most "
                   f"{budget} s.")
    raise Fail(f"{endpoint}: {ttl:g} s is far below the {_describe(budget)} budget: the entry "
               "would be recomputed far more often than the business needs. Use most of the "
               f"budget (between {budget // 2} and {budget} s).")


@exercise("when-to-cache-ttls", hint=(
    "For each endpoint convert its staleness budget to seconds (15 minutes = 900) and use the "
    "longest TTL that stays within it. Timeouts are seconds; 0 means never expire and None means "
    "the default timeout."))
def check_ttls(ns: Namespace) -> str:
    ttls = ns.answer("ttls")
    if not isinstance(ttls, dict):
        raise Fail(f"ttls should be a dict endpoint -> seconds, not a {type(ttls).__name__}.")
    missing = sorted(set(TTL_BUDGETS) - set(ttls))
    extra = sorted(set(ttls) - set(TTL_BUDGETS), key=str)
    if missing:
        raise Fail(f"ttls has no TTL for {', '.join(missing)}.")
    if extra:
        raise Fail(f"ttls has endpoints that were not asked for: {', '.join(map(str, extra))}.")
    for endpoint, budget in TTL_BUDGETS.items():
        _check_ttl(endpoint, ttls[endpoint], budget)
    _server_agrees(ttls)
    return ("every TTL fits its staleness budget, in seconds: the Redis server will expire each "
            "entry before it is older than the business allows.")


def _server_agrees(ttls: dict[str, Any]) -> None:
    """Store one entry per endpoint with the learner's timeout and read the TTL from Redis."""
    app = Flask("ttls")
    cache = Cache()
    cache.init_app(app, config=redis_config("grading"))
    prefix = course_prefix("grading") + "ttl:"
    client = redis_client()
    keys = [prefix + endpoint for endpoint in TTL_BUDGETS]
    try:
        with app.app_context():
            for endpoint in TTL_BUDGETS:
                cache.set("ttl:" + endpoint, "value", timeout=int(ttls[endpoint]))
        seen = {endpoint: client.ttl(key) for endpoint, key in zip(TTL_BUDGETS, keys, strict=True)}
    finally:
        client.delete(*keys)
    for endpoint, budget in TTL_BUDGETS.items():
        if not 0 < seen[endpoint] <= budget:
            raise Fail(f"{endpoint}: Redis reports a TTL of {seen[endpoint]} s for your timeout; "
                       f"the budget is {budget} s.")


# --- when-to-cache-decide --------------------------------------------------------------------

MS = 0.001
REDIS_1MS = {"hit": 1.2 * MS, "miss_overhead": 2.1 * MS}
DECIDE_ENDPOINTS: dict[str, tuple[Workload, Costs, float]] = {
    "search suggestions": (
        Workload(requests=600, keys=200, zipf=1.1, write_ratio=0.0, ttl=600, rate=5, seed=7),
        Costs(compute=10 * MS, **REDIS_1MS), 600),
    "order status": (
        Workload(requests=600, keys=300, zipf=0.3, write_ratio=0.25, ttl=300, rate=5, seed=7),
        Costs(compute=3 * MS, **REDIS_1MS), 0),
    "weather widget": (
        Workload(requests=600, keys=8, zipf=1.0, write_ratio=0.02, ttl=900, rate=1,
                 invalidate=False, seed=7),
        Costs(compute=150 * MS, **REDIS_1MS), 1800),
    "user by id": (
        Workload(requests=600, keys=50, zipf=1.0, write_ratio=0.02, ttl=300, rate=5, seed=7),
        Costs(compute=1.6 * MS, **REDIS_1MS), 300),
    "stock at checkout": (
        Workload(requests=600, keys=40, zipf=1.0, write_ratio=0.2, ttl=30, rate=5,
                 invalidate=False, seed=7),
        Costs(compute=8 * MS, **REDIS_1MS), 0),
}


def decide(result: SimulationResult, budget: float) -> bool:
    """The lesson's rule: at least 2× faster on average, and no read staler than the budget."""
    return result.speedup >= 2 and result.max_staleness <= budget


@lru_cache(maxsize=1)
def reference_results() -> dict[str, SimulationResult]:
    """The simulator's results for DECIDE_ENDPOINTS (deterministic, computed once)."""
    return {name: simulate(workload, costs)
            for name, (workload, costs, _) in DECIDE_ENDPOINTS.items()}


def _same_keys(name: str, answer: dict[Any, Any]) -> None:
    missing = sorted(set(DECIDE_ENDPOINTS) - set(answer))
    extra = sorted(set(answer) - set(DECIDE_ENDPOINTS), key=str)
    if missing:
        raise Fail(f"{name} has no entry for {', '.join(missing)}.")
    if extra:
        raise Fail(f"{name} has entries that are not endpoints of DECIDE_ENDPOINTS: "
                   f"{', '.join(map(str, extra))}.")


@exercise("when-to-cache-decide", hint=(
    "Run simulate(workload, costs) for each endpoint of DECIDE_ENDPOINTS, exactly as given. "
    "hit_ratios[name] is result.hit_ratio; decisions[name] is True only when result.speedup >= 2 "
    "and result.max_staleness <= the endpoint's budget."))
def check_decide(ns: Namespace) -> str:
    hit_ratios = ns.answer("hit_ratios")
    decisions = ns.answer("decisions")
    for name, value in (("hit_ratios", hit_ratios), ("decisions", decisions)):
        if not isinstance(value, dict):
            raise Fail(f"{name} should be a dict endpoint -> value, not a {type(value).__name__}.")
        _same_keys(name, value)
    results = reference_results()
    for name, result in results.items():
        got = hit_ratios[name]
        workload = DECIDE_ENDPOINTS[name][0]
        if isinstance(got, bool) or not isinstance(got, Real):
            raise Fail(f"hit_ratios[{name!r}] should be a number, not {got!r}.")
        if not math.isclose(got, result.hit_ratio, abs_tol=1e-9):
            if math.isclose(got, 1 - workload.write_ratio, abs_tol=1e-9):
                raise Fail(f"hit_ratios[{name!r}] = {got:g} is the share of reads (1 − "
                           "write_ratio), not of hits: writes, the TTL and cold keys turn many "
                           "reads into misses. Use simulate(...).hit_ratio.")
            raise Fail(f"hit_ratios[{name!r}] = {got:.4g}, but the simulator gives "
                       f"{result.hit_ratio:.4g} for this workload (seed {workload.seed}): run "
                       "simulate(workload, costs) on DECIDE_ENDPOINTS exactly as given.")
    for name in results:
        if not isinstance(decisions[name], bool):
            raise Fail(f"decisions[{name!r}] should be True (cache) or False (no cache), not "
                       f"{decisions[name]!r}.")
    wrong = [name for name in results
             if decisions[name] != decide(results[name], DECIDE_ENDPOINTS[name][2])]
    # Name the most instructive mistake first.
    for name in sorted(wrong, key=lambda n: (decisions[n] is False, -results[n].hit_ratio)):
        result, budget = results[name], DECIDE_ENDPOINTS[name][2]
        numbers = (f"hit ratio {result.hit_ratio:.3f}, mean {format_ms(result.mean_latency)} "
                   f"vs {format_ms(result.no_cache_latency)} without ({result.speedup:.2f}×)")
        if decisions[name]:
            if result.max_staleness > budget:
                raise Fail(f"{name}: you cache it, but the simulation serves {result.stale_reads} "
                           f"stale reads, the oldest {result.max_staleness:g} s behind, and its "
                           f"staleness budget is {budget:g} s. Fast ({result.speedup:.2f}×) is not "
                           "enough: the data must be fresh enough.")
            if result.speedup < 1:
                raise Fail(f"{name}: you cache it, but with the cache it is slower: {numbers}. "
                           "Its hit ratio is below the break-even.")
            raise Fail(f"{name}: you cache it, but it saves too little: {numbers}. A high hit "
                       "ratio on a cheap query is not enough; the rule asks for 2×.")
        raise Fail(f"{name}: worth caching by the rule: {numbers}, staleness within its "
                   f"{budget:g} s budget.")
    cached = [name for name in results if decisions[name]]
    return (f"cache {', '.join(cached)}; not the others: too slow, too little gain or too stale, "
            "as the simulator shows.")
