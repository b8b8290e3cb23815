"""Checkers for lesson 06 (production and security).

Each checker judges by cache transparency with the shared core (``transparency.judge``):
the learner's version and a truth (the same code without a cache, the worked solution, or a
model of what the cache must do) play the same steps, the fixed examples first (the known
mistakes, with hints in the exercise's words), then generated scenarios (Hypothesis,
derandomised and shrunk: the hint names the shortest failing sequence).

* production-memo-counter: a fixed scenario (apps A and B of one factory, A counted), generated
  calls on A and B against a model, and two real worker processes on one Redis
  (``processes.start_workers``, started first so they load while this process judges): what a
  counter keeps per process, or decides from what its process has seen, shows there.
* production-allow-list-key: requests with edge spellings against the views without a cache;
  the worked solution's key bounds the work (views run), so a key that splits fails too.
* production-outage-fallback: requests, outages, data changes and failures of compute()
  against a model; then the TTL and a write that fails after the read.
* production-http-caching: visits with every kind of If-None-Match, changes and failures,
  against the worked solution's hook.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from flask_caching import Cache
from flask_caching import signals as caching_signals
from hypothesis import strategies as st

from support.backends import cache_keys, redis_client, simple_config
from support.checks.plumbing import (cache_errors, flask_caching_frame, grading_app,
                                     scratch_prefix, simple_app)
from support.checks.processes import (WorkerResult, Workers, answer_source,
                                      shared_redis_url, start_workers)
from support.checks.transparency import (Budget, Explain, Side, Step, Steps, equal_answers,
                                        flask_side, get_step, judge, ordinal, query_steps,
                                        with_advice)
from support.checks.core import Fail, Namespace, exercise

def _on_work(advice: str) -> Explain:
    """The core's hint, ending with ``advice`` when the learner did more work than the
    reference (or kept too many entries)."""
    return with_advice(lambda found: advice if found.kind in ("work", "entries") else "")


# --- production-memo-counter -------------------------------------------------------------

_SIGNALS = {
    "cache_memoize_hit": caching_signals.cache_memoize_hit,
    "cache_memoize_miss": caching_signals.cache_memoize_miss,
    "cache_view_hit": caching_signals.cache_view_hit,
    "cache_view_miss": caching_signals.cache_view_miss,
}

# App A: price_of(1) miss, hit, price_of(2) miss, price_of(1) hit; stock_of(1) miss.
_A_REQUESTS = ["/price_of/1", "/price_of/1", "/price_of/2", "/price_of/1", "/stock_of/1"]
_A_EXPECTED = {"price_of": {"hits": 2, "misses": 2}, "stock_of": {"hits": 0, "misses": 1}}
# App B (another app in the same process, same Cache object, same import name as A, as apps
# built by one factory with Flask(__name__) are): not to be counted.
_B_REQUESTS = ["/price_of/1", "/price_of/1", "/price_of/1", "/stock_of/1", "/stock_of/1"]
_A_PLUS_B = {"price_of": {"hits": 4, "misses": 3}, "stock_of": {"hits": 1, "misses": 2}}


def _receiver_ids() -> dict[str, set[Any]]:
    return {name: set(sig.receivers) for name, sig in _SIGNALS.items()}


def _disconnect_new(before: dict[str, set[Any]]) -> None:
    for name, sig in _SIGNALS.items():
        for rid in set(sig.receivers) - before[name]:
            ref = sig.receivers.get(rid)
            target = ref() if isinstance(ref, weakref.ref) else ref
            if target is not None:
                sig.disconnect(target)


def _plain(stats: Any) -> dict[str, dict[str, int]]:
    if not isinstance(stats, Mapping):
        raise Fail(f"install_memo_counter should return a dict of counts, not "
                   f"{type(stats).__name__}.")
    out = {}
    for name, counts in stats.items():
        if not isinstance(counts, Mapping):
            raise Fail(f"each value should be a dict like {{'hits': 2, 'misses': 1}}; for "
                       f"{name!r} you have {counts!r}.")
        hits, misses = counts.get("hits", 0), counts.get("misses", 0)
        if hits or misses:
            out[str(name)] = {"hits": hits, "misses": misses}
    return out


@exercise("production-memo-counter", hint=(
    "Connect one receiver to cache_memoize_hit and one to cache_memoize_miss "
    "(flask_caching.signals). In each, keep only calls made in `app` "
    "(current_app._get_current_object() is app: the sender is None) and count under "
    "extra['f'].__name__. Keep the receivers alive: blinker holds them weakly."))
def check_memo_counter(ns: Namespace) -> str:
    install = ns.function("install_memo_counter")
    with _workers_started(ns) as (other, here):  # the other starts while this one judges
        verdict = _judge_one_process(ns, install)
        _judge_workers([here(), *other.results()])
    return verdict


def _judge_one_process(ns: Namespace, install: Callable[..., Any]) -> str:
    """A fixed scenario (apps A and B, A counted), then generated traffic on A and B."""
    _, (app_a, app_b) = _apps_sharing_a_cache(2)
    before = _receiver_ids()
    try:
        stats = ns.call(install, app_a)
        if stats is None:
            raise Fail("install_memo_counter returned None: return the dict that your "
                       "receivers fill in.")
        added = {name: set(sig.receivers) - before[name] for name, sig in _SIGNALS.items()}
        for client, paths in ((app_a.test_client(), _A_REQUESTS),
                              (app_b.test_client(), _B_REQUESTS)):
            for path in paths:
                try:
                    with cache_errors(app_a.logger.name, app_b.logger.name):
                        client.get(path)
                except Exception as exc:
                    raise Fail(f"GET {path} raised {type(exc).__name__}: {exc}. A receiver "
                               "is called as receiver(sender, **extra); extra holds cache, "
                               "cache_key, f, args and kwargs.") from None
        got = _plain(stats)
    finally:
        _disconnect_new(before)
    if not got and not (added["cache_memoize_hit"] | added["cache_memoize_miss"]):
        if added["cache_view_hit"] or added["cache_view_miss"]:
            raise Fail("you connected cache_view_hit / cache_view_miss: those are sent by "
                       "@cached views. Memoized functions send cache_memoize_hit and "
                       "cache_memoize_miss.")
        raise Fail("nothing was counted, and after install_memo_counter returned no receiver "
                   "was connected to cache_memoize_hit or cache_memoize_miss. blinker holds "
                   "receivers weakly: a function defined inside install_memo_counter is "
                   "garbage-collected when it returns. Keep a reference (e.g. in "
                   "app.extensions) or connect(..., weak=False).")
    verdict = _judge_counts(got)
    judge(lambda: _traffic_side(ns, install), _traffic_model, _traffic_steps(),
          compare=_explain_counts, budget=Budget(10, 8))
    return verdict


def _apps_sharing_a_cache(n: int) -> tuple[Cache, list[Flask]]:
    cache = Cache()

    @cache.memoize(timeout=60)
    def price_of(pid: int) -> int:
        return pid * 100

    @cache.memoize(timeout=60)
    def stock_of(pid: int) -> int:
        return pid + 7

    apps = []
    for _ in range(n):
        app = grading_app("memo_shop")  # one name, as apps of one factory have (not the learner's)
        app.config["PROPAGATE_EXCEPTIONS"] = True
        cache.init_app(app, config=simple_config(CACHE_ENABLE_SIGNALS=True))

        @app.get("/price_of/<int:pid>")
        def price(pid: int) -> dict[str, int]:
            return {"value": price_of(pid)}

        @app.get("/stock_of/<int:pid>")
        def stock(pid: int) -> dict[str, int]:
            return {"value": stock_of(pid)}

        apps.append(app)
    return cache, apps


def _drive(app: Flask, calls: list[tuple[str, int]]) -> None:
    client = app.test_client()
    for fn, pid in calls:
        try:
            with cache_errors(app.logger.name):
                client.get(f"/{fn}/{pid}")
        except Exception as exc:
            raise Fail(f"{fn}({pid}) raised {type(exc).__name__} inside your receivers: "
                       f"{exc}") from None


# generated traffic on two apps of one process, judged against a model of the cache

_FUNCTIONS = ("price_of", "stock_of")


def _traffic_steps() -> st.SearchStrategy[Step]:
    """``A: price_of(1)``: app A (0) or B (1) calls a memoized function."""
    return st.tuples(st.integers(0, 1), st.sampled_from(_FUNCTIONS), st.integers(1, 3)).map(
        lambda c: Step("call", f"{'AB'[c[0]]}: {c[1]}({c[2]})", c))


def _counts_text(counts: dict[str, dict[str, int]]) -> str:
    """``price_of 1h 1m, stock_of 0h 1m`` (hits h, misses m), or ``-``."""
    shown = ", ".join(f"{n} {c['hits']}h {c['misses']}m" for n, c in sorted(counts.items()))
    return shown or "-"


def _traffic_model() -> Side:
    """What the counters must show: a call is a hit when its app's cache has seen it before."""
    seen: set[tuple[int, str, int]] = set()
    counts: list[dict[str, dict[str, int]]] = [{}, {}]

    def play(step: Step) -> str:
        index, fn, pid = step.args
        counted = counts[index].setdefault(fn, {"hits": 0, "misses": 0})
        counted["hits" if (index, fn, pid) in seen else "misses"] += 1
        seen.add((index, fn, pid))
        return tuple(_counts_text(c) for c in counts)

    return Side(play)


def _traffic_side(ns: Namespace, install: Callable[..., Any]) -> Side:
    """The learner's counters, installed on apps A and B (one Cache, one factory)."""
    before = _receiver_ids()
    _, apps = _apps_sharing_a_cache(2)
    stats = [ns.call(install, app) for app in apps]

    def play(step: Step) -> str:
        index, fn, pid = step.args
        _drive(apps[index], [(fn, pid)])
        return tuple(_counts_text(_plain(s)) for s in stats)

    return Side(play, close=lambda: _disconnect_new(before))


def _explain_counts(steps: Sequence[Step], truths: Sequence[Any], got: Any) -> str | None:
    want = truths[-1]
    if got == want:
        return None
    shown = (f"the counters show A: {got[0]}, B: {got[1]} (h: hits, m: misses), expected "
             f"A: {want[0]}, B: {want[1]}")
    if got[0] == got[1] != "-" and want[0] != want[1]:
        return (f"{shown}: both apps' counters are the same dict. Each install_memo_counter(app) "
                "must return a dict of its own, not a module-level counter shared by every "
                "install.")
    if got[0] != want[0] and got[0] == "-":
        return (f"{shown}: installed on A and then on B, the first counter stopped counting "
                "A's calls: the second install replaced, dropped or redirected the first one's "
                "receivers. Keep each install's receivers and its app in its own closure, "
                "alive on its own app (app.extensions[...]), not in module-level variables, "
                "and do not disconnect earlier receivers.")
    return f"{shown}: count each app's own calls, a hit when the value came from the cache."


# several worker processes on one shared Redis (issue 10, item 2): what one interpreter hides

# (worker, app, function, id), played in this order across two worker processes. Each worker
# builds its app and installs a counter on it; later its factory builds a second app ("other",
# e.g. an admin app) and installs a counter there too. The memoized functions cache in the
# shared Redis, so a value one worker computed is a hit in the other worker.
_SCHEDULE: list[tuple[int, str, str, int]] = [
    (0, "app", "price_of", 1),
    (1, "app", "price_of", 1),
    (1, "app", "stock_of", 2),
    (0, "app", "stock_of", 2),
    (0, "other", "install", 0),
    (1, "other", "install", 0),
    (0, "other", "price_of", 1),
    (1, "other", "price_of", 3),
    (0, "app", "price_of", 3),
    (1, "app", "price_of", 2),
    (0, "app", "price_of", 1),
]

# what the answer cell imports, for a cell that relied on an earlier cell's imports
_PREAMBLE = ("from collections import defaultdict\nfrom flask import current_app\n"
             "from flask_caching.signals import cache_memoize_hit, cache_memoize_miss\n")

# Runs in each worker process after the learner's cell (see processes.run_workers). Steps are
# taken in turns (a counter in Redis), so every run sees the same hits and misses.
_WORKER_SCRIPT = """
import gc, json, time
from flask import Flask
from flask_caching import Cache

__name__ = "shop_worker"
schedule = json.loads(SCHEDULE)
turn, abort = prefix + "turn", prefix + "abort"
alive = globals().get("alive") or (lambda: True)  # is the other worker still running?
cache = Cache()

@cache.memoize(timeout=300)
def price_of(pid):
    return pid * 100

@cache.memoize(timeout=300)
def stock_of(pid):
    return pid + 7

def build():
    app = Flask("worker_shop")
    cache.init_app(app, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": redis,
                                "CACHE_KEY_PREFIX": prefix + "cache:",
                                "CACHE_ENABLE_SIGNALS": True})
    return app

def plain(stats):
    try:
        return {str(n): {"hits": int(c.get("hits", 0)), "misses": int(c.get("misses", 0))}
                for n, c in stats.items() if c.get("hits", 0) or c.get("misses", 0)}
    except Exception:
        return repr(stats)

def wait_for(key, value, patience):  # False if aborted, or stuck for `patience` seconds
    last, moved = None, time.monotonic()
    while (now := int(redis.get(key) or 0)) < value:
        if redis.get(abort) or not alive() or time.monotonic() - moved > patience:
            return False
        if now != last:
            last, moved = now, time.monotonic()
        time.sleep(0.002)
    return True

apps = {"app": build(), "other": build()}
stats, error, after = {}, None, {}
try:
    stats["app"] = ns["install_memo_counter"](apps["app"])
    gc.collect(1)  # (young cycles suffice: a full collection is slow in a big kernel)
    redis.incr(prefix + "ready")
    ready = wait_for(prefix + "ready", 2, 25)  # the other process may still be starting
    if not ready:
        error = "the other worker stopped"
    for k, (w, which, fn, pid) in enumerate(schedule if ready else []):
        if w != worker:
            continue
        if not wait_for(turn, k, 8):
            error = "the other worker stopped"
            break
        if fn == "install":
            stats[which] = ns["install_memo_counter"](apps[which])
            gc.collect(1)
        else:
            with apps[which].app_context():
                globals()[fn](pid)
        after[k] = {name: plain(s) for name, s in stats.items()}
        redis.set(turn, k + 1)
except Exception as exc:
    error = f"{type(exc).__name__}: {exc}"
    redis.set(abort, 1)
result = {"error": error, "after": after}
""".replace("SCHEDULE", repr(json.dumps(_SCHEDULE)), 1)


def _schedule_counts() -> list[dict[str, dict[str, dict[str, int]]]]:
    """After each step of the schedule, what the counters of the worker that took it must show
    (a call is a hit when any worker computed the value before: the cache is shared)."""
    seen: set[tuple[str, int]] = set()
    counters: list[dict[str, dict[str, dict[str, int]]]] = [{"app": {}}, {"app": {}}]
    after = []
    for worker, which, fn, pid in _SCHEDULE:
        if fn == "install":
            counters[worker][which] = {}
        else:
            counts = counters[worker][which].setdefault(fn, {"hits": 0, "misses": 0})
            counts["hits" if (fn, pid) in seen else "misses"] += 1
            seen.add((fn, pid))
        after.append(json.loads(json.dumps(counters[worker])))
    return after


def _schedule_step(worker: int, which: str, fn: str, pid: int) -> str:
    app = "" if which == "app" else " (admin app)"
    if fn == "install":
        return f"`worker {worker}: install_memo_counter(admin_app)`"
    return f"`worker {worker}{app}: {fn}({pid})`"


@contextmanager
def _workers_started(ns: Namespace) -> Iterator[tuple[Workers, Callable[[], WorkerResult]]]:
    """Two workers on one Redis, each running the learner's code and :data:`_WORKER_SCRIPT`:
    worker 1, a new Python process (another interpreter, another ``PYTHONHASHSEED``) started
    now, and worker 0, this process, when the second item is called (after the in-process
    judging: it installs receivers too). Stopped and cleaned up when the block ends."""
    source = _PREAMBLE + answer_source(ns.variables, "install_memo_counter")
    with shared_redis_url() as url, scratch_prefix("memo-workers") as prefix:
        other = start_workers(source, "worker = 1\n" + _WORKER_SCRIPT, url=url, prefix=prefix,
                              workers=1)

        def here() -> WorkerResult:
            before = _receiver_ids()
            scope = {"ns": ns.variables, "redis": redis_client(), "prefix": prefix,
                     "worker": 0, "result": None, "alive": other.running}
            try:
                exec(compile(_WORKER_SCRIPT, "<check>", "exec"), scope)
            finally:
                _disconnect_new(before)
            return WorkerResult(0, json.loads(json.dumps(scope["result"], default=repr)))

        try:
            yield other, here
        finally:
            other.stop()


def _judge_workers(results: list[WorkerResult]) -> None:
    """After each step of :data:`_SCHEDULE`, the counters of the worker that took it must show
    that worker's calls, as the shared cache answered them."""
    steps = [_schedule_step(*step) for step in _SCHEDULE]
    for worker, done in enumerate(results):  # worker 0: this process; 1: the new one
        error = done.error or (done.result or {}).get("error")
        if error and error != "the other worker stopped":
            raise Fail(f"two workers, each in its own process and interpreter, ran your cell on "
                       f"one Redis; in worker {worker}, your code raised {error}. A worker "
                       "runs only that cell: define there everything install_memo_counter "
                       "needs.")
    for k, want in enumerate(_schedule_counts()):
        worker, which, fn, _ = _SCHEDULE[k]
        got = (results[worker].result or {}).get("after", {}).get(str(k))
        if got != want:
            shown = {w: got.get(w) for w in want} if isinstance(got, dict) else got
            raise Fail(f"two worker processes on one Redis: {' then '.join(steps[:k + 1])}: "
                       f"worker {worker}'s counters now show {shown}, expected {want}. "
                       + _why_workers_differ(got, want, which, fn))


def _why_workers_differ(got: Any, want: dict[str, Any], which: str, fn: str) -> str:
    if not isinstance(got, dict):
        return "Return the dict your receivers fill in."
    if fn == "install" and got.get("other"):
        return ("A counter installed on a new app did not start empty: the counts leaked "
                "from an earlier install (module-level state). Create the dict inside "
                "install_memo_counter.")
    if got.get("app") == got.get("other") and got.get("app"):
        return ("Both apps' counters are the same dict: each install_memo_counter(app) must "
                "return a dict of its own, not a module-level counter shared by every install.")
    if which == "other" and got.get("app") != want["app"]:
        return ("The first counter counted the admin app's call: count only the calls of the "
                "app you were installed on (current_app._get_current_object() is app).")
    if which == "app" and "other" in want:
        return ("Since the second install, the first counter stopped counting its own app's "
                "calls (or counts them wrongly): the second install replaced, dropped or "
                "redirected the first one's receivers. Keep each install's receivers and its "
                "app in its own closure, alive on its own app (app.extensions[...]), not in "
                "module-level variables, and do not disconnect earlier receivers.")
    return ("A call is a hit when the shared cache answered it, even if another worker stored "
            "the value (count the signals, not what this process has seen).")


def _judge_counts(got: dict[str, dict[str, int]]) -> str:
    if got == _A_EXPECTED:
        return ("price_of: 2 hits, 2 misses; stock_of: 0 hits, 1 miss; and the other app's "
                "calls were left out.")
    if not got:
        raise Fail("your receivers are connected but counted nothing. The memoize signals "
                   "are sent with sender=None, so a test like `sender is app` never holds: "
                   "compare current_app._get_current_object() with app instead.")
    names = set(got)
    if names != set(_A_EXPECTED) and not names & set(_A_EXPECTED):
        raise Fail(f"count under the function's name, extra['f'].__name__ (expected keys "
                   f"'price_of' and 'stock_of', you have {sorted(names)[:3]}).")
    if got == _A_PLUS_B:
        raise Fail("you also counted calls made by another app: the signals are global, and "
                   "apps built by one factory share a name (Flask(__name__)), so comparing "
                   "names is not enough. Count only when current_app._get_current_object() "
                   "is app.")
    swapped = {n: {"hits": c["misses"], "misses": c["hits"]} for n, c in _A_EXPECTED.items()}
    swapped = {n: c for n, c in swapped.items() if c["hits"] or c["misses"]}
    if got == swapped:
        raise Fail("hits and misses are swapped: cache_memoize_hit means the value came "
                   "from the cache.")
    total_hits = sum(c["hits"] for c in got.values())
    total_misses = sum(c["misses"] for c in got.values())
    if total_misses == 0:
        raise Fail("no misses were counted: connect a receiver to cache_memoize_miss too.")
    if total_hits == 0:
        raise Fail("no hits were counted: connect a receiver to cache_memoize_hit too.")
    raise Fail(f"the counts are off: expected {_A_EXPECTED}, got {got}.")


# --- production-allow-list-key -------------------------------------------------------------

_JUNK = ["utm_source=mail&utm_campaign=spring", "fbclid=abc123", "gclid=x&ref=twitter",
         "_=1718000000", "utm_medium=social&cb=42"]


def _listing_args() -> tuple[int, str]:
    """How both views read their parameters (the notebook's read_listing_args)."""
    page = request.args.get("page", 1, type=int)
    sort = request.args.get("sort", "name")
    if page < 1 or page > 50:
        page = 1
    if sort not in ("name", "price"):
        sort = "name"
    return page, sort


def _listing(kind: str) -> str:
    page, sort = _listing_args()
    return f"{kind} page={page} sort={sort}"


def _key_app(key_fn: Callable[..., Any] | None) -> tuple[Flask, Cache, dict[str, int]]:
    """Two views that read page and sort, cached with ``key_fn`` (None: not cached)."""
    app, cache = simple_app("allow_list")
    calls = {"n": 0}

    def uncached() -> bool:
        return key_fn is None

    @app.get("/products")
    @cache.cached(timeout=60, make_cache_key=key_fn, unless=uncached)
    def products() -> str:
        calls["n"] += 1
        return _listing("products")

    @app.get("/articles")
    @cache.cached(timeout=60, make_cache_key=key_fn, unless=uncached)
    def articles() -> str:
        calls["n"] += 1
        return _listing("articles")

    return app, cache, calls


@exercise("production-allow-list-key", hint=(
    "Read page (an int from 1 to 50, else 1) and sort ('name' or 'price', else 'name') "
    "exactly as the view does, then build the key from request.path and those two values "
    "in a fixed order, e.g. f'{request.path}?page={page}&sort={sort}'. Ignore every other "
    "parameter."))
def check_allow_list_key(ns: Namespace) -> str:
    key_fn = ns.function("catalogue_key")
    app, cache, _ = _key_app(key_fn)
    client = app.test_client()

    def get(path: str) -> str:
        with cache_errors(app.logger.name) as errors:
            response = ns.call(client.get, path)
        if errors:
            raise Fail(f"GET {path}: catalogue_key raised {errors[0]} "
                       "(Flask-Caching logs the error and skips the cache). It is called "
                       "with the view's URL arguments (none here), inside the request.")
        if response.status_code != 200:
            raise Fail(f"GET {path} answered {response.status_code}: return the key as a str.")
        return response.text

    def n_keys() -> int:
        with app.app_context():
            return len(cache_keys(cache))

    if get("/products") != "products page=1 sort=name":
        raise Fail("/products did not answer page 1 sorted by name: the check needs a fresh "
                   "cache, so return a key that depends on this request.")
    if get("/products?page=2") != "products page=2 sort=name":
        raise Fail("page 2 was answered with another page's body: the key must contain the "
                   "page (and the sort) the view reads.")
    if get("/products?page=2&sort=price") != "products page=2 sort=price":
        raise Fail("?page=2&sort=price was answered with the unsorted page: the key must "
                   "contain sort too.")
    base = n_keys()
    for junk in _JUNK:
        get(f"/products?page=2&{junk}")
    extra = n_keys() - base
    if extra:
        raise Fail(f"{len(_JUNK)} URLs with tracking parameters (utm_source, fbclid, gclid, "
                   f"...) made {extra} new key(s): build the key from the allowed names only "
                   "(an allow-list, not a list of names to drop).")
    get("/products?sort=price&page=2")
    if n_keys() != base:
        raise Fail("?sort=price&page=2 made a new key although it asks for the same page as "
                   "?page=2&sort=price: build the key in a fixed order, not in the order of "
                   "the URL.")
    before = n_keys()
    for value in ("page=999999", "page=abc", "page=-3", "sort=DROP+TABLE", "sort=random"):
        get(f"/products?{value}")
    junk_values = n_keys() - before  # they all mean page 1 by name, already cached
    if junk_values > 0:
        raise Fail("values the view does not serve (page=999999, page=abc, sort=random...) "
                   f"made {junk_values} new key(s): parse page and sort like the view does "
                   "(page from 1 to 50, else 1; sort 'name' or 'price', else 'name') and put "
                   "the parsed values in the key.")
    if get("/articles?page=2") != "articles page=2 sort=name":
        raise Fail("/articles?page=2 was answered with /products' body: two views share the "
                   "key function, so the key must contain request.path.")
    _judge_listing(key_fn)
    return ("junk parameters and unserved values add no keys, the order of parameters does "
            "not matter, and each view keeps its own entries.")


# generated requests, judged with the transparency core: the views without a cache answer,
# the worked solution's key sets the work (views run) a correct key may do

_LISTING_PARAMS: dict[str, Sequence[str | None]] = {
    "page": (None, "", "1", "2", "02", "+2", " 2", "50", "51", "0", "-1", "abc"),
    "sort": (None, "", "name", "price", "Price", "PRICE", "random"),
    "Page": (None, "2"), "SORT": (None, "price"), "utm_source": (None, "mail"),
    "fbclid": (None, "x"),
}
_VIEWS = ("/products", "/articles")
# spellings the view reads alike, or tells apart: tried before the generated requests
_EDGE_PAIRS = [
    ("/products?sort=price", "/products?sort=Price"),  # the view: Price is not price
    ("/products?page=2", "/products?Page=2"),  # nor Page page
    ("/products?page=3&page=2", "/products?page=2"),  # the first value counts
    ("/products?page=2", "/products?page=02"),  # the same page for the view
    ("/products?page=2", "/products?page=%2B2"),
    ("/products", "/products?sort="),  # absent and empty: both 'name' for the view
    ("/products", "/products?page="),
]


def _listing_steps() -> Steps:
    """GETs of both views with edge spellings; near steps respell a parameter or switch view."""
    views = {path: query_steps(path, _LISTING_PARAMS) for path in _VIEWS}

    def near(step: Step) -> st.SearchStrategy[Step]:
        parts = urlsplit(step.args[0])
        other = next(p for p in _VIEWS if p != parts.path)
        switched = get_step(f"{other}?{parts.query}" if parts.query else other)
        return st.one_of(views[parts.path].near(step), st.just(switched))  # type: ignore[misc]

    return Steps(st.one_of(*(v.fresh for v in views.values())), near)


def _reference_key(*args: Any, **kwargs: Any) -> str:
    page, sort = _listing_args()
    return f"{request.path}?page={page}&sort={sort}"


def _listing_sides(key_fn: Callable[..., Any] | None) -> Callable[[], Side]:
    """Sides over one app (built once) whose views cache with ``key_fn`` (None: no cache);
    each scenario starts with an empty cache."""
    app, cache, calls = _key_app(key_fn)

    def fresh() -> Side:
        with app.app_context():
            cache.clear()  # this app's own SimpleCache
        calls["n"] = 0
        return flask_side(app, work=lambda: calls["n"])

    return fresh


def _explain_listing(steps: Sequence[Step], truths: Sequence[Any], got: Any) -> str | None:
    why = equal_answers(steps, truths, got)
    return why and (f"{why} The key merged two requests the view tells apart: read the "
                    "parameters exactly as the view does (same names, same case, the first "
                    "value when repeated) and put what it read in the key.")


def _judge_listing(key_fn: Callable[..., Any]) -> None:
    with cache_errors():  # a key that raises: Flask-Caching logs it and serves uncached
        judge(_listing_sides(key_fn), _listing_sides(None), _listing_steps(),
              compare=_explain_listing, reference=_listing_sides(_reference_key),
              examples=[[get_step(a), get_step(b)] for a, b in _EDGE_PAIRS],
              shrink_examples=False, budget=Budget(20, 6),
              explain=_on_work("The key splits requests the view answers alike: build it "
                               "from the values the view uses (after parsing), not from how "
                               "the URL spells them."))


# --- production-outage-fallback ------------------------------------------------------------


@exercise("production-outage-fallback", hint=(
    "Wrap cache.get in try/except: on an error, treat it as a miss. On a miss (the value is "
    "None: a cached 0 is a hit), compute the value once, outside any try, then try "
    "cache.set(key, value, timeout=timeout) in its own try/except. Return the computed value "
    "either way. Catch cache errors only (redis.exceptions.RedisError): an error raised by "
    "compute() itself must propagate."))
def check_outage_fallback(ns: Namespace) -> str:
    get_or_compute = ns.function("get_or_compute")
    cache = ns.get("cache")
    if not isinstance(cache, Cache):
        raise Fail("`cache` is not a flask_caching.Cache any more: run the cell that defines "
                   "`cache = Cache()` again.")
    from support.outage import RedisLine

    line = RedisLine()
    silenced = logging.root.manager.disable
    logging.disable(logging.WARNING)  # the helper's own warnings while the line is cut
    try:
        with cache_errors(""):
            judge(lambda: _outage_side(get_or_compute, cache, line), _outage_model,
                  _outage_steps(), compare=_explain_outage, examples=_OUTAGE_EXAMPLES,
                  shrink_examples=False, budget=Budget(15, 8))
            _judge_writes(get_or_compute, cache, line)
    finally:
        logging.disable(silenced)
        line.close()
    return ("cached values (even 0) are served from the cache, an outage serves fresh "
            "values without an error, a failed write costs no second computation, errors of "
            "compute() itself propagate, and the cache is used again once it is back.")


class StockDatabaseError(Exception):
    """Raised by the check's compute() when a step says so: not a cache error, so it must
    reach the caller."""


# sequences of requests, outages, data changes and failures of compute() (generated, after the
# fixed examples), judged with the transparency core against a model: every answer is the
# current value, compute() runs only when the cache cannot answer (and once), its own errors
# reach the caller, and no cache error escapes

_PIDS = (1, 2)  # the stock of 1 is 0: a cached 0 is a value, not a miss


def _get(pid: int) -> Step:
    return Step("get", f"get_or_compute(stock:{pid})", ("get", pid))


_CUT = Step("write", "the cache goes down", ("cut", 0))
_RESTORE = Step("write", "the cache comes back", ("restore", 0))


def _change(pid: int) -> Step:
    return Step("write", f"the stock of {pid} changes (and its entry is deleted)", ("change", pid))


def _fails(pid: int) -> Step:
    return Step("write", f"compute() for {pid} fails once", ("fail", pid))


_OUTAGE_EXAMPLES = [
    [_get(2), _get(2)],  # cached, not computed again
    [_get(1), _get(1)],  # a cached 0
    [_CUT, _get(2), _RESTORE, _get(2), _get(2)],  # an outage: compute; then cache again
    [_get(2), _change(2), _CUT, _get(2)],  # the fresh value, not the one cached before
    [_fails(2), _get(2)],  # compute()'s own error propagates
    [_fails(2), _get(2), _get(2), _get(2)],  # and nothing of it stays in the cache
    [_CUT, _fails(2), _get(2)],  # even while the cache is down
]


def _outage_steps() -> st.SearchStrategy[Step]:
    pids = st.sampled_from(_PIDS)
    return st.one_of(pids.map(_get), st.just(_CUT), st.just(_RESTORE), pids.map(_change),
                     pids.map(_fails))


class _StockWorld:
    """The state a scenario changes: the line, the stock values, the failures to come."""

    def __init__(self, line: Any) -> None:
        self.line = line
        self.value = {1: 0, 2: 20}
        self.failing: set[int] = set()
        self.calls = dict.fromkeys(_PIDS, 0)

    def write(self, step: Step, delete: Callable[[int], None]) -> None:
        what, pid = step.args
        if what == "cut":
            self.line.cut()
        elif what == "restore":
            self.line.restore()
        elif what == "change":
            if self.line.is_up:  # the writer changes the value and deletes the entry
                self.value[pid] += 1
                delete(pid)
        else:
            self.failing.add(pid)

    def compute(self, pid: int) -> int:
        self.calls[pid] += 1
        if pid in self.failing:
            self.failing.discard(pid)
            raise StockDatabaseError(f"reading {pid} failed")
        return self.value[pid]


class _ModelLine:
    """The line as the model sees it (the model has no cache to cut)."""

    is_up = True

    def cut(self) -> None:
        self.is_up = False

    def restore(self) -> None:
        self.is_up = True


def _outage_model() -> Side:
    world = _StockWorld(_ModelLine())
    cached: set[int] = set()

    def play(step: Step) -> Any:
        if step.kind == "write":
            return world.write(step, cached.discard)
        pid = step.args[1]
        if world.line.is_up and pid in cached:
            return ("value", world.value[pid], 0)
        if pid in world.failing:
            world.failing.discard(pid)
            return ("raised", "StockDatabaseError", 1)
        if world.line.is_up:
            cached.add(pid)
        return ("value", world.value[pid], 1)

    return Side(play)


def _outage_side(get_or_compute: Callable[..., Any], cache: Cache, line: Any) -> Side:
    """The learner's helper on a fresh app over the line, under keys of its own. An answer is
    ``(what, value, compute() runs)``; a cache error that escapes is ``("escaped", type,
    the Cache method it came from)``."""
    line.restore()
    app = grading_app("outage_sequence")
    config = line.config("grading", CACHE_DEFAULT_TIMEOUT=300)
    cache.init_app(app, config=config)
    tag = f"seq-{secrets.token_hex(3)}:"
    world = _StockWorld(line)

    def delete(pid: int) -> None:
        redis_client().delete(f"{config['CACHE_KEY_PREFIX']}{tag}{pid}")

    def play(step: Step) -> Any:
        if step.kind == "write":
            return world.write(step, delete)
        pid = step.args[1]
        before = world.calls[pid]
        with app.app_context():
            try:
                got = get_or_compute(f"{tag}{pid}", lambda: world.compute(pid), timeout=60)
            except StockDatabaseError:
                return ("raised", "StockDatabaseError", world.calls[pid] - before)
            except Exception as exc:
                return ("escaped", type(exc).__name__, flask_caching_frame(exc))
        return ("value", got, world.calls[pid] - before)

    def close() -> None:
        line.restore()
        for pid in _PIDS:
            delete(pid)

    return Side(play, close=close)


def _explain_outage(steps: Sequence[Step], truths: Sequence[Any], got: Any) -> str | None:
    want = truths[-1]
    if got == want:
        return None
    states = [s.args[0] for s in steps if s.args[0] in ("cut", "restore")]
    down = "with the cache down, " if states and states[-1] == "cut" else ""
    if got[0] == "escaped":
        if down and got[2] == "set":
            return (f"{down}{got[1]} escaped from cache.set: guard the set too (try/except "
                    "around it), the value is already computed.")
        where = f" from cache.{got[2]}" if got[2] else ""
        return (f"{down}{got[1]} escaped{where}: catch the error and compute the value "
                "instead (catch redis.exceptions.RedisError, the cache's errors).")
    if want[0] == "raised":
        if got[2] > 1:
            return (f"compute() raised StockDatabaseError and your helper called it again "
                    f"({got[2]} calls): catch only cache errors (redis.exceptions.RedisError); "
                    "an error of compute() itself must propagate.")
        return (f"{down}compute() raised StockDatabaseError and your helper swallowed it (it "
                f"answered {got[1]!r}): catch only cache errors (redis.exceptions.RedisError) "
                "around cache.get and cache.set; an error of compute() itself must reach the "
                "caller.")
    if got[0] == "raised":
        return "StockDatabaseError escaped although compute() should not have run or failed."
    pid = steps[-1].args[1]
    if got[1] != want[1]:
        if got[1] is None and down:
            return f"{down}it answered None: compute the value instead of returning None."
        if _fails(pid) in steps:
            return (f"it answered {got[1]!r}, not the fresh {want[1]!r}. Do not store a marker "
                    "('unavailable', None, the error) when compute() fails: store only values "
                    "it returned.")
        return f"it answered {got[1]!r}, not the current value {want[1]!r}."
    if want[2] == 0 and want[1] == 0:
        return ("the cache held the value 0, yet compute() ran: a cached 0 is falsy, not "
                "missing. Test `value is None`, not `if not value`.")
    if want[2] == 0 and "restore" in states:
        return ("after the cache came back, compute() ran although the cache held the value: "
                "use the cache again once it answers (do not remember that it failed).")
    if want[2] == 0:
        return ("the cache held the value and was up, yet compute() ran: store the computed "
                "value with cache.set(key, value, timeout=timeout) and return cached values.")
    return f"compute() ran {got[2]} times for one call: call it once."


# what a model of answers cannot see: the timeout given to cache.set, and a write that fails
# after the read answered


class _SetCutsTheLine:
    """A cache backend whose writes find the line cut: get works, set raises ConnectionError."""

    def __init__(self, backend: Any, line: Any) -> None:
        self._backend, self._line = backend, line

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._backend, name)
        if name in ("set", "add", "set_many"):
            def write(*args: Any, **kwargs: Any) -> Any:
                self._line.cut()  # the connection drops between the read and the write
                return attr(*args, **kwargs)
            return write
        return attr


def _judge_writes(get_or_compute: Callable[..., Any], cache: Cache, line: Any) -> None:
    line.restore()
    app = grading_app("outage_check")
    config = line.config("grading", CACHE_DEFAULT_TIMEOUT=300)
    cache.init_app(app, config=config)
    key = f"outage-check-{secrets.token_hex(3)}"
    computed = {"n": 0}

    def compute() -> int:
        computed["n"] += 1
        return 9

    try:
        with app.app_context():
            get_or_compute(key, compute, timeout=45)
            ttl = redis_client().ttl(config["CACHE_KEY_PREFIX"] + key)
            if not 40 <= ttl <= 45:
                raise Fail(f"the entry was stored with a TTL of {ttl} s, not the timeout=45 it "
                           "was given: pass timeout=timeout to cache.set.")
            extensions = app.extensions["cache"]
            extensions[cache] = _SetCutsTheLine(extensions[cache], line)
            computed["n"] = 0
            try:
                value = get_or_compute(key + ":2", compute, timeout=45)
            except Exception as exc:
                raise Fail(f"when only cache.set failed (cache.get had answered: a miss), "
                           f"{type(exc).__name__} escaped: guard the set too.") from None
    finally:
        line.restore()
        redis_client().delete(config["CACHE_KEY_PREFIX"] + key)
    if computed["n"] != 1 or value != 9:
        raise Fail(f"when only cache.set failed (cache.get had answered: a miss), compute() ran "
                   f"{computed['n']} times for one request and your helper answered {value!r}: "
                   "the value was already computed. Guard get and set each in its own "
                   "try/except and return the computed value; do not compute again in an "
                   "except around the whole thing.")


# --- production-http-caching ---------------------------------------------------------------

_CATALOGUE = {"products": ["Blue Kettle", "Quiet Lamp", "Rapid Notebook"]}
_NEW_CATALOGUE = {"products": ["Blue Kettle", "Quiet Lamp", "Rapid Notebook", "Sturdy Rake"]}


def _http_app() -> tuple[Flask, Cache, dict[str, Any]]:
    cache = Cache()
    app = grading_app("http_check")
    app.config["PROPAGATE_EXCEPTIONS"] = True
    cache.init_app(app, config=simple_config())
    calls: dict[str, Any] = {"catalogue": 0, "data": _CATALOGUE, "fail": 0}  # fail: a status

    def not_an_error(rv: Any) -> bool:
        return not isinstance(rv, tuple)

    @app.get("/catalogue")
    @cache.cached(timeout=60, response_filter=not_an_error)
    def catalogue() -> Any:
        calls["catalogue"] += 1
        if calls["fail"]:
            status, calls["fail"] = calls["fail"], 0
            return {"error": "the catalogue database is down"}, status
        return calls["data"]

    @app.get("/account")
    def account() -> dict[str, Any]:
        return {"user": request.headers.get("X-User", "guest"), "orders": 3}

    @app.get("/about")
    def about() -> str:
        return "a shop of useful things"

    return app, cache, calls


def _reference_http_caching(app: Flask) -> None:
    """The worked solution: the behaviour a learner's hook is compared with."""

    @app.after_request
    def http_caching(response: Any) -> Any:
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            response.make_conditional(request)
        elif request.endpoint == "account":
            response.cache_control.no_store = True
        return response


_SAME_LENGTH = {"products": ["Blue Kettle", "Quiet Lamp", "Rapid Notepads"]}
_SHORT = {"products": ["Blue Kettle"]}
_CATALOGUES = [_CATALOGUE, _NEW_CATALOGUE, _SAME_LENGTH, _SHORT]

# visits (fixed examples, then generated), judged with the transparency core against the worked
# solution's hook: the same statuses and bodies, the same Cache-Control on the catalogue, an
# ETag, nothing storable on errors or other pages, no-store on the account page

_IF_NONE_MATCH = {  # what a visit sends, given the ETag its browser last saw
    "none": "GET /catalogue",
    "current": "GET /catalogue with If-None-Match: <its ETag>",
    "weak": "GET /catalogue with If-None-Match: W/<its ETag>",
    "list": "GET /catalogue with If-None-Match: \"an-old-version\", <its ETag>",
    "star": "GET /catalogue with If-None-Match: *",
    "old": "GET /catalogue with an old ETag in If-None-Match",
}


def _visit(kind: str) -> Step:
    return Step("visit", _IF_NONE_MATCH[kind], (kind,))


def _change_to(index: int) -> Step:
    return Step("write", f"the catalogue changes to {_CATALOGUES[index]['products']}", (index,))


def _page(path: str) -> Step:
    return Step("page", f"GET {path}", (path,))


def _fail(status: int) -> Step:
    return Step("fail", f"GET /catalogue fails with {status}", (status,))


def _http_steps() -> st.SearchStrategy[Step]:
    return st.one_of(st.sampled_from(sorted(_IF_NONE_MATCH)).map(_visit),
                     st.integers(0, len(_CATALOGUES) - 1).map(_change_to),
                     st.sampled_from([503, 500]).map(_fail),
                     st.sampled_from(["/about", "/account"]).map(_page))


_HTTP_EXAMPLES = [
    [_visit("none")],
    [_visit("none"), _visit("current")],
    [_visit("none"), _visit("old")],
    [_visit("none"), _change_to(1), _visit("current")],
    [_page("/account")],
    [_visit("none"), _visit("weak")],
    [_visit("none"), _visit("list")],
    [_visit("none"), _change_to(2), _visit("current")],
    [_page("/about")],
    [_fail(503)],
    [_fail(500)],
]


def _if_none_match(kind: str, etag: str | None) -> str | None:
    if kind == "none" or etag is None and kind in ("current", "weak", "list"):
        return None
    if kind == "star":
        return "*"
    if kind == "old":
        return '"an-old-version"'
    assert etag is not None
    if kind == "weak":
        return etag if etag.startswith("W/") else "W/" + etag
    if kind == "list":
        return f'"an-old-version", {etag}'
    return etag


@dataclass(frozen=True)
class _Reply:
    """What a request answered, as far as the exercise cares."""

    status: int  # 0: the request raised (body: the error)
    body: str
    control: str  # the Cache-Control header
    directives: tuple[tuple[str, Any], ...]
    storable: bool  # may a shared cache keep it for a while?
    etag: str | None
    sent: str  # the request, with the If-None-Match it sent
    path: str

    def __repr__(self) -> str:
        return f"{self.status} {self.body[:50]!r}"


def _reply(response: Any, sent: str, path: str) -> _Reply:
    control = response.cache_control
    expires = response.expires if response.headers.get("Expires") else None
    storable = bool(control.public or control.max_age or control.s_maxage) or (
        expires is not None and expires.timestamp() > time.time())
    return _Reply(response.status_code, response.get_data(as_text=True),
                  response.headers.get("Cache-Control", ""),
                  tuple(sorted((k, str(v)) for k, v in control.items())), storable,
                  response.headers.get("ETag"), sent, path)


def _http_side(install: Callable[[Flask], Any]) -> Side:
    """The shop with ``install``'s hook; a browser that remembers the last ETag it was sent.
    Its work: how often the catalogue view ran."""
    app, cache, calls = _http_app()
    install(app)
    client = app.test_client()
    browser: dict[str, str | None] = {"etag": None}

    def get(path: str, sent: str, **headers: str) -> _Reply:
        try:
            return _reply(client.get(path, headers=headers), sent, path)
        except Exception as exc:
            return _Reply(0, f"{type(exc).__name__}: {exc}", "", (), False, None, sent, path)

    def play(step: Step) -> _Reply | None:
        if step.kind == "write":  # the catalogue changes; the writer deletes the entry
            calls["data"] = _CATALOGUES[step.args[0]]
        if step.kind in ("write", "fail"):
            calls["fail"] = step.args[0] if step.kind == "fail" else 0
            with app.app_context():
                cache.delete("view//catalogue")
        if step.kind == "write":
            return None
        if step.kind == "page":
            return get(step.args[0], step.label, **{"X-User": "alice"})
        header = _if_none_match(step.args[0] if step.kind == "visit" else "none",
                                browser["etag"])
        sent = f"GET /catalogue with If-None-Match: {header}" if header else "GET /catalogue"
        reply = get("/catalogue", sent, **({"If-None-Match": header} if header else {}))
        if reply.status == 200 and reply.etag:
            browser["etag"] = reply.etag
        return reply

    return Side(play, work=lambda: calls["catalogue"])


def _explain_http(steps: Sequence[Step], truths: Sequence[Any], got: Any) -> str | None:
    want: _Reply = truths[-1]
    last = f"the {ordinal(len(steps) - 1)}" if len(steps) > 1 else "it"
    if got.status == 0:
        return (f"{last} raised {got.body}. An after_request function receives the response "
                "and must return it.")
    if (got.status, got.body) != (want.status, want.body):
        if got.status == 304 and any(s.kind == "write" for s in steps):
            return (f"{last} (sent as `{got.sent}`) was answered 304 although the catalogue "
                    "changed: the ETag must change when the body changes. A constant ETag "
                    "(or one from the body's length) tells browsers their stale copy is "
                    "current; response.add_etag() hashes the body.")
        return (f"{last} (sent as `{got.sent}`) was answered {got.status} {got.body[:50]!r}, "
                f"expected {want.status} {want.body[:50]!r}. Call "
                "response.make_conditional(request), after response.add_etag(): it compares "
                "If-None-Match with the ETag (weak validators W/\"...\", lists and * "
                "included) and answers 304 only when one matches.")
    if got.path == "/account":
        if got.storable:
            return ("/account (a per-user page) was marked public or given a lifetime: a CDN "
                    "or shared proxy would serve Alice's page to others. Apply the public "
                    "policy to the catalogue endpoint only.")
        if "no-store" not in [d.strip() for d in got.control.split(",")]:
            return (f"/account came with Cache-Control: {got.control!r}; a per-user page "
                    "should say no-store (response.cache_control.no_store = True).")
    if got.status >= 400 and got.storable:
        return (f"the {got.status} error went out with Cache-Control: {got.control!r} (or a "
                "future Expires): browsers and CDNs would keep the error for minutes. Add the "
                "caching headers to 200 responses only.")
    if got.path == "/about" and got.storable:
        return (f"GET /about (a page the exercise does not mention) came with Cache-Control: "
                f"{got.control!r}: your policy reaches every other page. Leave other "
                "endpoints alone.")
    if got.path == "/catalogue" and got.status in (200, 304) and \
            got.directives != want.directives:
        return (f"{last} came with Cache-Control: {got.control!r}, expected 'public, "
                "max-age=300' and nothing else (response.cache_control.public = True, "
                ".max_age = 300). Extra directives change the meaning (no-cache: ask every "
                "time; private: no CDN; s-maxage and immutable: other lifetimes).")
    if got.path == "/catalogue" and got.status == 200 and want.etag and not got.etag:
        return "/catalogue has no ETag header: call response.add_etag()."
    return None


@exercise("production-http-caching", hint=(
    "In an @app.after_request function: if request.endpoint == 'catalogue' and the status is "
    "200, set response.cache_control.public = True and .max_age = 300, then "
    "response.add_etag(), then response.make_conditional(request). For 'account', set "
    "response.cache_control.no_store = True. Return the response."))
def check_http_caching(ns: Namespace) -> str:
    add_http_caching = ns.function("add_http_caching")

    def learner() -> Side:
        return _http_side(lambda app: ns.call(add_http_caching, app))

    def reference() -> Side:
        return _http_side(_reference_http_caching)

    judge(learner, reference, _http_steps(), compare=_explain_http,
          examples=_HTTP_EXAMPLES, shrink_examples=False, reference=reference,
          budget=Budget(20, 6),
          explain=_on_work("The hook should not change what the server-side cache does."))
    return ("the catalogue is public for 300 s with an ETag that follows its body, and "
            "revalidates to an empty 304 until it changes; "
            "the account page is never stored.")
