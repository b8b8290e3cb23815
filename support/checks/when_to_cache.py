"""Checkers for lesson 04 (when to cache).

No cached view or function is judged for its answers here (the exercises are arithmetic, TTLs
and decisions), so the transparency core does not apply: the break-even formula is compared with
the exact one on generated costs under the core's derandomised settings
(:class:`~support.checks.transparency.Budget`), and the TTLs are read back from Redis on a
grading app with a scratch prefix (:mod:`~support.checks.plumbing`).
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable
from datetime import timedelta
from fractions import Fraction
from functools import lru_cache
from numbers import Real
from typing import Any, NoReturn

from hypothesis import given
from hypothesis import strategies as st

from support.backends import redis_client
from support.checks.plumbing import cache_errors, redis_app, scratch_prefix
from support.checks.transparency import Budget
from support.checks.core import Fail, Namespace, exercise
from support.simulator import Costs, SimulationResult, Workload, format_ms, simulate

# --- when-to-cache-break-even ----------------------------------------------------------------
#
# The learner's break_even is compared with the exact formula on generated costs (Hypothesis,
# derandomised: the same answer always gets the same verdict). The generator reaches the edges
# that a few hand-picked cases miss: no miss overhead, a hit that costs nothing, a hit that costs
# exactly as much as computing (or more), costs from a nanosecond to 30 years. A failure is
# shrunk to the simplest input that shows it, and the hint names that input and, when the
# answer behaves like a known mistake everywhere we look, the mistake.

Case = tuple[float, float, float]  # (t_hit, t_miss_overhead, t_compute) in seconds
# Shrinking prefers the first values: failures are reported with small round numbers.
_REALISTIC = [0.0, 1.0, 2.0, 3.0, 0.5, 0.0012, 0.0015, 0.0021, 0.0002, 0.008, 0.2, 3600.0]
_COST = st.one_of(st.sampled_from(_REALISTIC),
                  st.floats(min_value=1e-9, max_value=1e9, allow_nan=False,
                            allow_infinity=False))


@st.composite
def _cases(draw: Any) -> Case:
    """Costs where a hit is cheaper than, as dear as, or dearer than computing."""
    t_compute, t_miss_overhead = draw(_COST), draw(_COST)
    relation = draw(st.sampled_from(["cheaper", "equal", "any"]))
    if relation == "equal":
        t_hit = t_compute
    elif relation == "cheaper":
        t_hit = t_compute * draw(st.sampled_from([0.0, 0.5, 0.1, 0.9, 0.999]))
    else:
        t_hit = draw(_COST)
    return t_hit, t_miss_overhead, t_compute


#: How many generated costs to compare (derandomised: the same verdict every run).
BREAK_EVEN = Budget(examples=150)

# Well-conditioned cases on which a known mistake is recognised (all three kinds of relation).
_PROBES: list[Case] = [
    (0.0012, 0.0021, 0.0015), (0.0002, 0.0001, 0.008), (0.0012, 0.0021, 0.2), (0.0, 0.003, 0.005),
    (1.0, 1.0, 2.0), (0.5, 3.0, 4.0), (0.0, 0.0, 1.0), (0.0015, 0.0021, 0.0015),
    (0.003, 0.001, 0.002), (2.0, 1.0, 2.0),
]


def reference_break_even(t_hit: float, t_miss_overhead: float, t_compute: float) -> float | None:
    """The hit ratio above which the cache is faster; None when no hit ratio is enough."""
    if t_hit >= t_compute:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)


def _exact(case: Case) -> Fraction | None:
    """h* computed exactly on the floats given (no rounding), None when caching never pays."""
    t_hit, t_m, t_c = (Fraction(x) for x in case)
    if t_hit >= t_c:
        return None
    return t_m / (t_c - t_hit + t_m)


def _agrees(got: Any, case: Case) -> bool:
    """``got`` equals h* for ``case`` up to the rounding any correct float formula can make."""
    exact = _exact(case)
    if exact is None or got is None:
        return exact is None and got is None
    if isinstance(got, bool) or not isinstance(got, Real):
        return False
    value = float(got)
    if not math.isfinite(value):
        return False
    t_hit, t_m, t_c = case
    # Rounding error grows with the costs over the denominator (t_compute close to t_hit).
    conditioning = (t_hit + t_m + t_c) / float(Fraction(t_c) - Fraction(t_hit) + Fraction(t_m))
    tolerance = 1e-9 * float(exact) + 1e-12 * conditioning * float(exact) + 1e-15
    return abs(value - float(exact)) <= tolerance


class _Mismatch(Exception):
    def __init__(self, case: Case, got: Any = None, error: BaseException | None = None) -> None:
        super().__init__(case)
        self.case, self.got, self.error = case, got, error


def _call(fn: Callable[..., Any], case: Case) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*case)


def smallest_failing_case(break_even: Callable[..., Any]) -> _Mismatch | None:
    """The simplest generated costs on which ``break_even`` disagrees with h*, or None."""

    @BREAK_EVEN.settings()
    @given(_cases())
    def agrees_everywhere(case: Case) -> None:
        try:
            got = _call(break_even, case)
        except Exception as exc:
            raise _Mismatch(case, error=exc) from None
        if not _agrees(got, case):
            raise _Mismatch(case, got)

    try:
        agrees_everywhere()
    except _Mismatch as mismatch:
        return mismatch
    return None


def _safe_call(fn: Callable[..., Any], case: Case) -> Any:
    try:
        return _call(fn, case)
    except Exception:
        return Ellipsis  # neither None nor a number


def _behaves_like(fn: Callable[..., Any], model: Callable[[Case], Any], cases: list[Case]) -> bool:
    """``fn`` answers what ``model`` answers on every case where the model is defined."""
    compared = 0
    for case in cases:
        try:
            expected = model(case)
        except (ArithmeticError, ValueError):
            continue
        try:
            got = _call(fn, case)
        except Exception:
            return False
        if expected is None or got is None:
            if expected is not got:
                return False
        elif isinstance(got, bool) or not isinstance(got, Real) or not math.isclose(
                float(got), expected, rel_tol=1e-6, abs_tol=1e-12):
            return False
        compared += 1
    return compared >= 3


def _guarded(formula: Callable[[float, float, float], float]) -> Callable[[Case], float | None]:
    return lambda c: None if c[0] >= c[2] else formula(*c)


# What a known mistake computes, and the hint that names it (the guide lists the hints).
_MISTAKE_MODELS: dict[str, Callable[[Case], Any]] = {
    "percentage": _guarded(lambda h, m, c: 100 * m / (c + m - h)),
    "miss share": _guarded(lambda h, m, c: 1 - m / (c + m - h)),
    "no overhead below": _guarded(lambda h, m, c: m / (c - h)),
    "free hit": _guarded(lambda h, m, c: m / (c + m)),
    "floor division": _guarded(lambda h, m, c: m // (c + m - h)),
    "hit over compute": _guarded(lambda h, m, c: h / c),
}
_MISTAKE_HINTS: dict[str, str] = {
    "percentage": "you returned a percentage: return a ratio between 0 and 1.",
    "miss share": "you returned 1 − h*, the share of misses at break-even: return the hit ratio "
                  "h* itself.",
    "no overhead below": "the denominator misses the overhead: set h·t_hit + (1 − h)·(t_compute "
                         "+ t_miss_overhead) equal to t_compute and solve; the miss overhead "
                         "appears on both sides.",
    "free hit": "a hit is not free: the denominator must subtract t_hit (h* = t_miss_overhead / "
                "(t_compute + t_miss_overhead − t_hit)).",
    "floor division": "`//` is floor division: it rounds the ratio down to a whole number; use "
                      "`/`.",
    "hit over compute": "t_hit / t_compute ignores the miss overhead, which is what a low hit "
                        "ratio costs you: solve the mean-latency equation for h.",
}
_ORDERS = [(1, 0, 2), (0, 2, 1), (2, 1, 0), (1, 2, 0), (2, 0, 1)]


def _rounded_to(got: Any, exact: float) -> int | None:
    """The number of decimals ``got`` was rounded to, when it is ``exact`` rounded."""
    if isinstance(got, bool) or not isinstance(got, Real) or float(got) == exact:
        return None
    return next((d for d in range(7) if float(got) == round(exact, d)), None)


def _fail_with(fn: Callable[..., Any], mismatch: _Mismatch) -> NoReturn:
    """Raise the Fail that names the smallest failing input and, if known, the mistake."""
    case = mismatch.case
    t_hit, t_m, t_c = case
    where = f"for t_hit={t_hit!r}, t_miss_overhead={t_m!r}, t_compute={t_c!r}"
    exact = _exact(case)
    expected = "None" if exact is None else f"{float(exact):.6g}"
    if mismatch.error is not None:
        error = mismatch.error
        if isinstance(error, ZeroDivisionError):
            if exact is None:
                raise Fail(f"{where} (the smallest input that shows it) your function raised "
                           "ZeroDivisionError: when t_hit >= t_compute caching never pays; test for "
                           "that first and return None.")
            raise Fail(f"{where} (the smallest input that shows it) your function raised "
                       f"ZeroDivisionError, but h* is {expected} there: a form that divides by "
                       "t_miss_overhead or t_hit breaks when one of them is 0; divide by "
                       "t_compute + t_miss_overhead − t_hit.")
        raise Fail(f"{where} (the smallest input that shows it) your function raised "
                   f"{type(error).__name__}: {error}")
    got = mismatch.got
    lead = f"{where} (the smallest input that shows it) you returned {got!r}, expected {expected}"
    for name, model in _MISTAKE_MODELS.items():
        if _behaves_like(fn, model, [case, *_PROBES]):
            raise Fail(f"{lead}: " + _MISTAKE_HINTS[name])
    for order in _ORDERS:
        def swapped(c: Case, order: tuple[int, int, int] = order) -> float | None:
            return reference_break_even(*(c[i] for i in order))
        if _behaves_like(fn, swapped, [case, *_PROBES]):
            raise Fail(f"{lead}: that is the right formula with the arguments in another order: "
                       "the signature is break_even(t_hit, t_miss_overhead, t_compute).")
    if exact is None:
        relation = "equals" if t_hit == t_c else "is more than"
        raise Fail(f"{lead}: there a hit ({t_hit!r} s) {relation} computing ({t_c!r} s), so no hit "
                   "ratio makes the cache faster. Return None when t_hit >= t_compute.")
    if got is None:
        free_hit, no_overhead = (0.0, 0.003, 0.005), (0.001, 0.0, 0.005)
        if t_hit == 0 and _safe_call(fn, free_hit) is None:
            raise Fail(f"{lead}: a hit that costs nothing is the best case, not a missing value: "
                       "h* = t_miss_overhead / (t_compute + t_miss_overhead). (Does a test like "
                       "`if not t_hit` treat 0 as missing?)")
        if t_m == 0 and _safe_call(fn, no_overhead) is None:
            raise Fail(f"{lead}: with no miss overhead a miss costs exactly what computing costs, "
                       "so any hit pays: h* = 0, a number, not None. (Does `or None` or `if not h` "
                       "drop a 0?)")
        raise Fail(f"{lead}: there a hit is cheaper than computing, so a high enough hit ratio "
                   "does pay. Return None only when t_hit >= t_compute.")
    if isinstance(got, bool) or not isinstance(got, Real):
        raise Fail(f"{lead}: break_even should return a number (or None), not a "
                   f"{type(got).__name__}.")
    decimals = _rounded_to(got, float(exact))
    if decimals is not None:
        raise Fail(f"{lead}: that is h* rounded to {decimals} decimals; return it unrounded (round "
                   "only when you print it).")
    raise Fail(f"{lead}: solve h·t_hit + (1 − h)·(t_compute + t_miss_overhead) = t_compute for h "
               "again, and check it on that input by hand.")


@exercise("when-to-cache-break-even", hint=(
    "Write the mean latency with a cache, h·t_hit + (1 − h)·(t_compute + t_miss_overhead), set "
    "it equal to t_compute (no cache) and solve for h. When a hit costs at least as much as "
    "computing, no h is enough: return None. Mind the edges: no miss overhead (h* = 0) and a "
    "free hit are ordinary inputs."))
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
    mismatch = smallest_failing_case(break_even)
    if mismatch is not None:
        _fail_with(break_even, mismatch)
    return ("h* = t_miss_overhead / (t_compute + t_miss_overhead − t_hit), and None when a hit "
            "costs at least as much as the work; right on 150 generated cases, from no miss "
            "overhead and free hits to costs of years: 0.875 for a cheap query behind a "
            "networked Redis.")


# --- when-to-cache-ttls ----------------------------------------------------------------------
#
# The exercise asks for the timeout passed to @cache.cached(timeout=...). Flask-Caching 2.5.1
# normalises that argument itself: a timedelta becomes its seconds (rounded up), a str goes
# through int(). So 900, timedelta(minutes=15) and "900" are all a 15-minute TTL there, and the
# check accepts them (noting that cache.set(..., timeout="900") raises TypeError in cachelib
# 0.17, and that float timeouts are deprecated). The check then proves it: it caches one view per
# endpoint on Redis with the learner's timeout and reads each key's TTL back from the server.

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


def _seconds(endpoint: str, ttl: Any) -> float:
    """What @cache.cached(timeout=ttl) makes of ``ttl``, in seconds (Flask-Caching 2.5.1)."""
    if ttl is None:
        raise Fail(f"{endpoint}: timeout=None does not mean 'no expiry' or 'no cache': "
                   "Flask-Caching then uses CACHE_DEFAULT_TIMEOUT (300 s by default), which has "
                   "nothing to do with the budget. Give a number of seconds.")
    if isinstance(ttl, bool):
        raise Fail(f"{endpoint}: {ttl!r} is not a number of seconds.")
    if isinstance(ttl, str):
        try:
            return int(ttl)
        except ValueError:
            raise Fail(f"{endpoint}: Flask-Caching converts a string timeout with int(), and "
                       f"int({ttl!r}) raises ValueError. Give a number of seconds, e.g. "
                       f"{TTL_BUDGETS[endpoint]}.") from None
    if isinstance(ttl, timedelta):
        return math.ceil(ttl.total_seconds())
    if not isinstance(ttl, Real) or not math.isfinite(ttl):
        raise Fail(f"{endpoint}: a TTL is a number of seconds, not {ttl!r}.")
    return ttl


def _check_ttl(endpoint: str, ttl: Any, budget: int) -> None:
    seconds = _seconds(endpoint, ttl)
    if seconds == 0:
        raise Fail(f"{endpoint}: timeout={ttl!r} means no expiry: the first value cached would "
                   f"be served until something evicts it; the budget is {_describe(budget)} "
                   f"({budget} s).")
    if seconds < 0:
        raise Fail(f"{endpoint}: a negative timeout ({ttl!r}) is not a TTL.")
    if budget / 2 <= seconds <= budget:
        return
    if isinstance(ttl, Real):
        for size, unit in _UNITS:
            if budget / 2 <= ttl * size <= budget:
                raise Fail(f"{endpoint}: {ttl:g} looks like {unit}: Flask-Caching timeouts are "
                           f"seconds, so {ttl:g} means {ttl:g} s. The budget is "
                           f"{_describe(budget)} = {budget} s.")
    if seconds > budget:
        raise Fail(f"{endpoint}: a TTL of {seconds:g} s is over the {_describe(budget)} budget: a "
                   f"value cached just before a change would be served for {seconds:g} s. Use "
                   f"at most {budget} s.")
    raise Fail(f"{endpoint}: {seconds:g} s is far below the {_describe(budget)} budget: the "
               "entry would be recomputed far more often than the business needs. Use most of "
               f"the budget (between {budget // 2} and {budget} s).")


@exercise("when-to-cache-ttls", hint=(
    "For each endpoint convert its staleness budget to seconds (15 minutes = 900) and use the "
    "longest TTL that stays within it. Timeouts are seconds (a timedelta works too); 0 means no "
    "expiry and None means the default timeout."))
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
    notes = []
    strings = [name for name, ttl in ttls.items() if isinstance(ttl, str)]
    floats = [name for name, ttl in ttls.items() if isinstance(ttl, float)]
    if strings:
        notes.append(f" ({', '.join(strings)}: @cache.cached turns a string into int(...) in "
                     "Flask-Caching 2.5.1, but cache.set(..., timeout='900') raises TypeError: "
                     "prefer an int.)")
    if floats:
        notes.append(f" ({', '.join(floats)}: float timeouts are rounded up and deprecated in "
                     "cachelib 0.17 (a future release raises TypeError): prefer an int.)")
    return ("every TTL fits its staleness budget, in seconds: the Redis server will expire each "
            "entry before it is older than the business allows." + "".join(notes))


def _server_agrees(ttls: dict[str, Any]) -> None:
    """Cache one view per endpoint with the learner's timeout; read each TTL from Redis."""
    client = redis_client()
    with scratch_prefix("ttl", client) as prefix, cache_errors() as errors:
        app, cache = redis_app(client, prefix, "ttls")
        for endpoint in TTL_BUDGETS:
            def view(endpoint: str = endpoint) -> str:
                return endpoint
            app.add_url_rule(f"/{endpoint}", endpoint, cache.cached(timeout=ttls[endpoint])(view))
        pages = app.test_client()
        seen = {}
        for endpoint in TTL_BUDGETS:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    pages.get(f"/{endpoint}")
            except Exception as exc:  # e.g. normalising the timeout, before Flask-Caching's try
                errors.append(f"{type(exc).__name__}: {exc}")
            if errors:  # else Flask-Caching logs what the backend raised, and serves uncached
                raise Fail(f"{endpoint}: @cache.cached(timeout={ttls[endpoint]!r}) could not "
                           f"store the page: {errors[0]}. Use a plain int of seconds.")
            seen[endpoint] = client.ttl(f"{prefix}view//{endpoint}")
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
    """The lesson's rule for a latency goal: at least 2× faster on average, and no read staler
    than the budget."""
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
            raise Fail(f"{name}: you cache it, but it saves too little time: {numbers}. A high "
                       "hit ratio on a cheap query is not enough; the rule asks for 2×. (It "
                       f"would spare {result.queries_saved} of {result.db_queries_without_cache} "
                       "database queries: a reason to cache when the database needs relief, but "
                       "this exercise's goal is latency.)")
        raise Fail(f"{name}: worth caching by the rule: {numbers}, staleness within its "
                   f"{budget:g} s budget.")
    cached = [name for name in results if decisions[name]]
    return (f"cache {', '.join(cached)}; not the others: too slow, too little gain or too stale, "
            "as the simulator shows.")
