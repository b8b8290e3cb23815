"""Checkers for lesson 03 (invalidation), built on the shared grading core (support/checks/).

How they judge:

* ``invalidation-product-list``: one realistic scene first (3,000 other keys, a prefix with glob
  characters, another app's key outside it), whose hints name the usual mistake (one SCAN call,
  a glob that also matches product pages or another view, the count returned); then
  :func:`~support.checks.transparency.judge` on generated sequences of requests and writes
  (each write followed by the learner's invalidation): every page must answer what the same
  views without a cache answer, with no more view calls than the worked solution makes.
* ``invalidation-versioned``: quick probes with targeted hints (the key is a str, stable, moves
  on a bump, the version has no timeout), two bumps at once decided by
  :class:`~support.checks.concurrency.Interleaver` (a bump that reads and writes back is
  overtaken every time), :func:`judge` on generated reads and changes (each with a bump) by two
  workers, a separator probe (version 1 + id 11 is not version 11 + id 1), and two real worker
  processes (:func:`~support.checks.processes.run_workers`) on the same Redis.
* ``invalidation-stampede``: scripted schedules with :class:`~support.checks.concurrency.Stepper`
  and :class:`~support.checks.concurrency.StepCompute` (see the comment that opens its section):
  each classic race of a get-or-compute lock is played on every run, not by luck.

Every Redis client the learner's code can reach (the ``redis`` argument, and the client under
``cache.cache``) is a :class:`~support.checks.plumbing.GuardedRedis`: only an allow-list of plain
string commands on keys inside the check's prefix reaches the server (KEYS, so ``cache.clear()``,
FLUSHDB, hashes, lists, writes or deletes outside the prefix are refused with a hint naming the
command), so a wrong answer cannot touch keys the course did not write, even on a learner's own
Redis. The checkers' own reads and clean-up use the unguarded client; every prefix is a
:func:`~support.checks.plumbing.scratch_prefix`, deleted when the check ends.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask, request
from flask_caching import Cache
from hypothesis import strategies as st

from support.backends import redis_client, scan_prefix
from support.checks.concurrency import Interleaver, StepCompute, Stepped, Stepper
from support.checks.plumbing import (GuardedRedis, as_text, grading_app, redis_app,
                                     report_violation, scratch_prefix, simple_app)
from support.checks.processes import answer_source, run_workers, shared_redis_url
from support.checks.transparency import (Budget, Side, Step, Steps, fill_other_keys, flask_side,
                                         get_steps, judge, query_steps, write_steps)
from support.checks.core import Fail, Namespace, exercise

# --- invalidation-product-list -------------------------------------------------------------

PAGES = ["/api/products", "/api/products?page=1", "/api/products?page=2"]
# pages the exercise does not name: a learner cannot delete them one by one
OTHER_PAGES = ["/api/products?page=3", "/api/products?page=7", "/api/products?page=2&sort=price",
               "/api/products?q=kettle", "/api/products?page=01"]
# other keys the invalidation must keep: product pages whose ids share prefixes, a view whose
# path starts with the list's, a users page
KEPT_PAGES = ["/api/products/1", "/api/products/10", "/api/products/11", "/api/products/19",
              "/api/products-archive", "/api/products-archive?page=2", "/api/users"]
_PAGE_SIZE = 5
_OTHER_KEYS = 3000                # enough that one SCAN call (without its cursor) sees a part
_LIST_KEY = re.compile(r"view//api/products[0-9a-f]{64}")


def _shop(app: Flask, cache: Cache | None) -> dict[str, Any]:
    """The lesson's product views on ``app`` (cached by ``cache``, or not at all); returns the
    state they read: the product ``names`` (newest last) and ``work`` (view calls)."""
    state: dict[str, Any] = {"names": [f"Kettle {i}" for i in range(1, 21)], "work": 0}

    def cached(**options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return cache.cached(timeout=300, **options) if cache is not None else (lambda f: f)

    def page_of(names: list[str], page: int) -> list[str]:
        return names[::-1][(page - 1) * _PAGE_SIZE: page * _PAGE_SIZE]

    @app.get("/api/products")
    @cached(query_string=True)
    def list_products() -> Any:
        state["work"] += 1
        page = request.args.get("page", 1, type=int)
        return {"page": page, "products": page_of(state["names"], page)}

    @app.get("/api/products-archive")
    @cached(query_string=True)
    def list_archive() -> Any:
        state["work"] += 1
        return {"archived": state["names"][:3], "page": request.args.get("page", 1, type=int)}

    @app.get("/api/products/<int:product_id>")
    @cached()
    def product_detail(product_id: int) -> Any:
        state["work"] += 1
        return {"id": product_id, "name": state["names"][product_id - 1]}

    @app.get("/api/users")
    @cached()
    def list_users() -> Any:
        state["work"] += 1
        return {"users": ["ada", "ben"]}

    return state


def _expected(names: list[str], path: str) -> dict[str, Any]:
    raw_page = parse_qs(urlsplit(path).query).get("page", ["1"])[0]
    page = int(raw_page) if raw_page.isdigit() else 1
    return {"page": page, "products": names[::-1][(page - 1) * _PAGE_SIZE: page * _PAGE_SIZE]}


def _is_delete_without_keys(exc: BaseException) -> bool:
    """redis' error for DEL / UNLINK sent with no key (``redis.delete(*[])``)."""
    from redis.exceptions import ResponseError

    return isinstance(exc, ResponseError) and "wrong number of arguments" in str(exc)


def _call_invalidate(invalidate: Callable[..., Any], cache: Cache, guard: GuardedRedis,
                     when: str) -> Any:
    """Call the learner's function and return what it returned; its exception becomes a Fail
    that says what went wrong."""
    try:
        return invalidate(cache, guard)
    except Fail as failure:
        raise Fail(guard.violation or str(failure)) from None
    except Exception as exc:
        if guard.violation:
            raise Fail(guard.violation) from None
        if _is_delete_without_keys(exc):
            raise Fail(f"your function raised {type(exc).__name__}: {exc}, {when}. When SCAN "
                       "finds no key, do not call redis.delete() (or unlink) with no arguments: "
                       "delete only if the list of keys is not empty.") from None
        raise Fail(f"calling invalidate_product_list(cache, redis) {when} raised "
                   f"{type(exc).__name__}: {exc}") from None


_LIST_ADVICE = ("Invalidating the list needs only redis.scan_iter(match=...) and "
                "redis.delete(*keys).")


@exercise("invalidation-product-list", hint=(
    "With query_string=True every page has its own key: 'view//api/products' followed by the 64 "
    "hex characters of a sha256 hash. SCAN for the escaped prefix (a backslash before each of "
    "its glob characters [ ] * ?) + 'view//api/products' + '[0-9a-f]' * 64 with "
    "redis.scan_iter(match=..., count=...), so that detail pages (view//api/products/1) do not "
    "match, delete what it finds with redis.delete(*keys) (only when it found something), and "
    "return how many keys that was."))
def check_product_list(ns: Namespace) -> str:
    invalidate = ns.function("invalidate_product_list")
    raw = redis_client()
    _product_list_scene(invalidate, raw)
    product_list_scenarios(invalidate, raw)
    return (f"after a write, every cached page of the list is deleted (the {len(PAGES)} pages "
            f"the exercise names and {len(OTHER_PAGES)} it does not, among {_OTHER_KEYS:,} other "
            "keys), product pages, another view under /api/products-archive and the rest of the "
            "cache are kept, and nothing outside the cache's prefix was touched.")


def _product_list_scene(invalidate: Callable[..., Any], raw: Any) -> None:
    """One realistic scene: every page warmed among 3,000 other keys, one write, one call."""
    # glob characters in the prefix, as a learner's app may have: a pattern must escape them
    with scratch_prefix("inv-list[*?]", raw) as prefix, \
            scratch_prefix("inv-decoy", raw) as decoy_prefix:
        guard = GuardedRedis(raw, prefix, _LIST_ADVICE)
        app, cache = redis_app(guard, prefix, "invalidation_product_list")
        names = _shop(app, cache)["names"]
        decoy = decoy_prefix + "view//api/products"
        raw.set(decoy, "another app's key", ex=60)
        with app.test_request_context("/api/products", method="POST"):
            returned_empty = _call_invalidate(invalidate, cache, guard, "with nothing cached yet")
        fill_other_keys(raw, prefix, _OTHER_KEYS, stem="session")  # a realistic key space
        client = app.test_client()
        for path in [*PAGES, *OTHER_PAGES, *KEPT_PAGES]:
            client.get(path)
        with app.app_context():
            cache.set("settings", {"currency": "EUR"})
        kept_before = {path: raw.exists(prefix + "view/" + path) for path in KEPT_PAGES
                       if "?" not in path}
        list_keys = [key for key in scan_prefix(raw, prefix + "view//", count=1000)
                     if _LIST_KEY.fullmatch(as_text(key)[len(prefix):])]
        names.append("Copper Kettle")  # a product is created...
        guard.deleted.clear()
        guard.scans.clear()
        with app.test_request_context("/api/products", method="POST"):
            # ...and invalidated
            returned = _call_invalidate(invalidate, cache, guard, "after a write")
        report_violation(guard)
        if not raw.exists(decoy):
            raise Fail("another app's key (outside the cache's prefix) was deleted: only delete "
                       "keys that start with cache.cache.key_prefix.")
        stale = [path for path in [*PAGES, *OTHER_PAGES]
                 if client.get(path).json != _expected(names, path)]
        if stale:
            raise Fail(_stale_hint(stale, guard, prefix))
        with app.app_context():
            kept_settings = cache.get("settings") is not None
        others = sum(1 for _ in scan_prefix(raw, prefix + "session:", count=1000))
        kept_users = raw.exists(prefix + "view//api/users")
        if not kept_settings or not kept_users or others != _OTHER_KEYS:
            raise Fail("every page of the list is fresh, but your pattern also deleted the rest "
                       "of the cache (the users page, sessions or a setting): match only the list's keys, "
                       "'view//api/products' + the hash, after the prefix.")
        lost = [path for path, cached in kept_before.items()
                if cached and path.startswith("/api/products/")
                and not raw.exists(prefix + "view/" + path)]
        if lost:
            raise Fail(f"every page of the list is fresh, but you also deleted the cached product "
                       f"page{'s' if len(lost) > 1 else ''} {', '.join(lost)} (keys "
                       "'view//api/products/<id>'): the glob 'view//api/products*' matches them "
                       "too. The list's keys are 'view//api/products' followed by exactly 64 hex "
                       "characters: match 'view//api/products' + '[0-9a-f]' * 64, or filter the "
                       "SCAN's keys with a regex such as r'view//api/products[0-9a-f]{64}'.")
        lost_archive = [key[len(prefix):] for key in guard.deleted
                        if key[len(prefix):].startswith("view//api/products-archive")]
        if lost_archive:
            raise Fail("every page of the list is fresh, but you also deleted the cached pages "
                       f"of another view whose path starts with the list's, /api/products-archive "
                       f"({lost_archive[0]!r}): the list's keys are 'view//api/products' followed "
                       "by exactly 64 hex characters, nothing else. Match "
                       "'view//api/products' + '[0-9a-f]' * 64.")
        _judge_count(returned_empty, returned, len(list_keys))


def _judge_count(returned_empty: Any, returned: Any, deleted: int) -> None:
    """The function returns how many keys it deleted: 0 on the empty cache, then every page."""
    for got, expected, when in ((returned_empty, 0, "when nothing was cached"),
                                (returned, deleted, f"after the write, when {deleted} pages of "
                                                    "the list were cached")):
        if type(got) is not int or got != expected:
            raise Fail(f"every page of the list is fresh and the rest of the cache is kept, but "
                       f"{when} your function returned {got!r}, not {expected}: return how many "
                       "keys it deleted (the number of keys SCAN found, or the sum of what "
                       "redis.delete / redis.unlink return), so that the caller can log it.")


def _stale_hint(stale: list[str], guard: GuardedRedis, prefix: str) -> str:
    deleted = guard.deleted
    unfollowed = [cursor for cursor in guard.scans if cursor and cursor not in guard.scans_sent]
    if unfollowed:
        return ("these pages still serve the old list: " + ", ".join(stale) + ". Your SCAN "
                f"stopped after one call: it returned cursor {unfollowed[0]}, not 0, so the rest "
                "of the key space was never scanned (with thousands of keys one call sees only a "
                "part). Call SCAN again with the cursor it returned until it returns 0, or let "
                "redis.scan_iter(match=..., count=...) do it.")
    if any(path not in PAGES for path in stale) and all(path in OTHER_PAGES for path in stale):
        return ("the three pages the exercise names are fresh, but other cached pages of the "
                "list still serve the old list: " + ", ".join(stale) + ". Every query string a "
                "client sends has its own entry, and you cannot list them in advance: find them "
                "all with a SCAN of the list's keys and delete what it finds.")
    if any(key[len(prefix):].startswith((prefix, "b'", 'b"')) for key in deleted):
        return ("you passed the keys SCAN returned to cache.delete / cache.delete_many: they are "
                "full Redis names (bytes, prefix included), and the cache adds its prefix again, "
                "so nothing matched. Delete them with redis.delete(*keys).")
    if any("*" in key[len(prefix):] for key in deleted):
        return ("you passed a pattern to delete (e.g. cache.delete_many('view//api/products*')): "
                "delete and delete_many take exact keys, so this deleted the literal key "
                "'view//api/products*', which does not exist, and reported success. Find the "
                "keys with redis.scan_iter(match=...) first.")
    if deleted and all(key == prefix + "view//api/products" for key in deleted):
        return ("you deleted the literal key 'view//api/products', which does not exist: with "
                "query_string=True every key is 'view//api/products' + a hash of the query "
                "string, even for the bare path. Find those keys with a SCAN and delete them.")
    if "/api/products" not in stale:
        return ("only the bare path's entry was deleted; " + ", ".join(stale) + " still serve the "
                "old list. Each query string has its own key: find them all with a SCAN.")
    if not deleted:
        return ("these pages still serve the old list after your invalidation: "
                + ", ".join(stale) + ". Your function deleted nothing: does your SCAN pattern "
                "match the list's keys (prefix + 'view//api/products' + 64 hex characters), and "
                "do you delete the keys it finds?")
    return ("these pages still serve the old list after your invalidation: " + ", ".join(stale)
            + ". Did you delete the keys that SCAN found?")


# generated sequences: the list's pages with edge query strings, the other views that share the
# path's start, and writes; near an earlier step: the same request again, or a list page with one
# parameter respelled, emptied or removed
_LIST_URLS = query_steps("/api/products", {"page": (None, "", "1", "01", "2", "3", "x"),
                                           "sort": (None, "price")})


def _again_or_respelled(step: Step) -> st.SearchStrategy[Step]:
    if step.kind == "GET" and step.args[0].startswith("/api/products?"):
        return st.one_of(st.just(step), _LIST_URLS.near(step))  # type: ignore[misc]
    return st.just(step)


_LIST_STEPS = Steps(st.one_of(
    _LIST_URLS.fresh,
    get_steps(st.sampled_from(["/api/products/1", "/api/products/10", "/api/products/11",
                               "/api/products-archive", "/api/products-archive?page=2",
                               "/api/users"])),
    write_steps("create a product, then invalidate_product_list(cache, redis)")),
    _again_or_respelled)


def _shop_side(app: Flask, state: dict[str, Any], invalidate: Callable[[], Any],
               reset: Callable[[], None]) -> Callable[[], Side]:
    """A factory of sides over one shop app: each scenario starts from an empty cache."""

    def write(step: Step) -> None:
        state["names"].append(f"New kettle {len(state['names']) + 1}")
        with app.test_request_context("/api/products", method="POST"):
            invalidate()

    app.config["FCC_STEPS"] = write

    def fresh() -> Side:
        reset()
        state["names"][:] = [f"Kettle {i}" for i in range(1, 21)]
        state["work"] = 0
        return flask_side(app, work=lambda: state["work"])

    return fresh


def product_list_scenarios(invalidate: Callable[..., Any], raw: Any,
                           budget: Budget = Budget(examples=25, steps=6)) -> Any:  # noqa: B008
    """Judge ``invalidate_product_list`` by transparency on generated sequences: the learner's
    views (RedisCache through a guard) against the same views without a cache, and against the
    worked solution (a SimpleCache whose list keys are deleted exactly)."""
    with scratch_prefix("inv-list-seq[*]", raw) as prefix:
        guard = GuardedRedis(raw, prefix, _LIST_ADVICE)
        mine, cache = redis_app(guard, prefix, "invalidation_list_learner")
        mine_state = _shop(mine, cache)

        def forget() -> None:  # the keys this check's scenarios touched (exact names, no SCAN)
            if guard.touched:
                raw.delete(*guard.touched)
                guard.touched.clear()

        truth = grading_app("invalidation_list_truth")
        truth_state = _shop(truth, None)
        ref, ref_cache = simple_app("invalidation_list_reference")
        ref_state = _shop(ref, ref_cache)

        def ref_invalidate() -> None:
            for key in [k for k in ref_cache.cache._cache if _LIST_KEY.fullmatch(k)]:
                ref_cache.cache.delete(key)

        def ref_reset() -> None:
            with ref.app_context():
                ref_cache.clear()  # this app's own SimpleCache

        try:
            return judge(_shop_side(mine, mine_state, lambda: invalidate(cache, guard), forget),
                         _shop_side(truth, truth_state, lambda: None, lambda: None),
                         _LIST_STEPS,
                         reference=_shop_side(ref, ref_state, ref_invalidate, ref_reset),
                         budget=budget)
        except Exception:
            report_violation(guard)
            raise


# --- invalidation-versioned ----------------------------------------------------------------

_VERSIONED_ADVICE = ("Versioned keys need only cache.get and cache.cache.inc (Redis INCR) on "
                     "keys inside the cache: a bump replaces deleting, nothing needs clearing.")


def _snapshot(client: Any, prefix: str) -> dict[bytes, Any]:
    return {key: client.get(key) for key in scan_prefix(client, prefix, count=None)}


@contextmanager
def _guarded(raw: Any, tag: str) -> Iterator[tuple[str, GuardedRedis]]:
    """A scratch prefix and a guard on it; the guard's refusal, if any, is the failure."""
    with scratch_prefix(tag, raw) as prefix:
        guard = GuardedRedis(raw, prefix, _VERSIONED_ADVICE)
        try:
            yield prefix, guard
        except Exception:
            report_violation(guard)
            raise
        report_violation(guard)


@exercise("invalidation-versioned", hint=(
    "Keep a version number in the cache (it must be shared by every worker) and never let it "
    "expire: product_key reads it (0 when missing) and builds e.g. "
    "f'product:v{version}:{product_id}' (a separator between version and id); "
    "bump_products_version increments it atomically, e.g. cache.cache.inc('products:version')."))
def check_versioned(ns: Namespace) -> str:
    product_key = ns.function("product_key")
    bump = ns.function("bump_products_version")
    raw = redis_client()
    _versioned_probes(ns, product_key, bump, raw)
    versioned_scenarios(product_key, bump, raw)
    _judge_separator(ns, product_key, bump, raw)
    _judge_processes(answer_source(ns.variables, "product_key", "bump_products_version"),
                     product_key, bump, raw)
    return ("each bump makes every earlier product key unreachable in one step (even when two "
            "workers bump at once), every worker reads the same version from the cache (two real "
            "worker processes too), and the version is stored with no timeout (keep it from "
            "eviction too: a volatile-* policy on Redis).")


def _versioned_probes(ns: Namespace, product_key: Callable[..., Any], bump: Callable[..., Any],
                      raw: Any) -> None:
    """Quick probes with targeted hints: a str key, stable, per product, moved by every bump,
    seen by a second app, and a version stored with no timeout."""
    with _guarded(raw, "inv-version") as (prefix, guard):
        worker_a, cache = redis_app(guard, prefix, "worker_a")
        worker_b = grading_app("worker_b")
        cache.init_app(worker_b, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": guard,
                                         "CACHE_KEY_PREFIX": prefix})
        with worker_a.app_context():
            key_1 = ns.call(product_key, cache, 1)
            if not isinstance(key_1, str):
                raise Fail(f"product_key should return the key as a str, not "
                           f"{type(key_1).__name__}.")
            if ns.call(product_key, cache, 1) != key_1:
                raise Fail("product_key(cache, 1) returned a different key on each call, without "
                           "any bump: an entry stored under it could never be found again. Build "
                           "the key from the product id and the current version only.")
            if ns.call(product_key, cache, 2) == key_1:
                raise Fail("products 1 and 2 got the same key: put the product id in the key.")
            cache.set(key_1, "old price")
        with worker_b.app_context():
            if ns.call(product_key, cache, 1) != key_1:
                raise Fail("two workers build different keys for the same product: derive the "
                           "key from the product id and a version stored in the cache.")
        with worker_a.app_context():
            before = _snapshot(raw, prefix)
            ns.call(bump, cache)
            after = _snapshot(raw, prefix)
            key_1_v2 = ns.call(product_key, cache, 1)
            if key_1_v2 == key_1:
                raise Fail("after bump_products_version(cache), product_key(cache, 1) returned "
                           "the same key, so the old entry is still served: put the version in "
                           "the key and make the bump change it.")
            if before == after:
                raise Fail("bump_products_version changed nothing in the cache: the version "
                           "lives in a Python variable, so other workers (other processes) never "
                           "see the bump. Store the version in the cache.")
            _judge_version_ttl(raw, before, after, prefix)
        with worker_b.app_context():
            if ns.call(product_key, cache, 1) != key_1_v2:
                raise Fail("another worker still builds the old key after the bump: read the "
                           "version from the cache on every call, not once.")
            if cache.get(ns.call(product_key, cache, 1)) is not None:
                raise Fail("after the bump, the new key already holds the old entry.")
        with worker_a.app_context():
            ns.call(bump, cache)
            key_1_v3 = ns.call(product_key, cache, 1)
            if key_1_v3 in (key_1, key_1_v2):
                raise Fail("the second bump brought back an earlier key, so its old entries come "
                           "back too: each bump must give a version never used before "
                           "(increment it, don't set a fixed value).")
        _judge_concurrent_bumps(product_key, bump, guard, prefix)


def _judge_version_ttl(raw: Any, before: dict[bytes, Any], after: dict[bytes, Any],
                       prefix: str) -> None:
    """The keys the bump wrote (the version) must not expire."""
    for name in after:
        if before.get(name) == after[name]:
            continue
        ttl = raw.ttl(name)
        if ttl != -1:
            raise Fail(f"the version key {as_text(name)[len(prefix):]!r} expires ({ttl} s left "
                       "after the bump): when it vanishes, the version starts again at 0, "
                       "product_key hands out the v0 keys again, and the old v0 entries come "
                       "back. Keep the version without a timeout: cache.cache.inc(...) (Redis "
                       "INCR) creates it that way, and keeps it so (timeout=None means the "
                       "default timeout, not none).")




def _judge_concurrent_bumps(product_key: Callable[..., Any], bump: Callable[..., Any],
                            guard: GuardedRedis, prefix: str) -> None:
    """Two workers bump at once (an :class:`Interleaver` holds worker A back after its first
    read while B reads a key, bumps and reads again): both bumps must count (an atomic
    increment), so the keys seen are at least three different ones. Judged when A's bump reads
    the version from Redis (a key built from a Python variable is the processes' judgement)."""
    observer, cache = redis_app(guard, prefix, "invalidation_observer")
    turns = Interleaver(["A", "B"], patience=3.0, pause_after={"A": {"GET", "MGET"}},
                        burst=50)
    workers = {w: redis_app(turns.client(guard, w), prefix, f"worker_{w}") for w in "AB"}

    def bump_in(worker: str) -> None:
        app, worker_cache = workers[worker]
        with app.app_context():
            bump(worker_cache)

    def read_bump_read() -> tuple[Any, Any]:
        app, worker_cache = workers["B"]
        with app.app_context():
            middle = product_key(worker_cache, 1)
            bump(worker_cache)
            return middle, product_key(worker_cache, 1)

    with observer.app_context():
        start = product_key(cache, 1)
    outcomes = turns.run({"A": lambda: bump_in("A"), "B": read_bump_read}, timeout=5.0)
    report_violation(guard)
    for outcome in outcomes.values():
        if outcome.error is not None:
            raise Fail(f"when two workers bumped at once, your code raised "
                       f"{type(outcome.error).__name__}: {outcome.error}")
        if not outcome.finished:
            raise Fail("when two workers bumped at once, a bump did not return within 5 s.")
    with observer.app_context():
        final = product_key(cache, 1)
    middle, overtaken = outcomes["B"].value
    if ("A", "GET") not in turns.log and ("A", "MGET") not in turns.log:
        return  # A's bump read nothing: nothing to overtake (an INCR alone cannot lose a bump)
    if len({start, middle, overtaken, final}) < 3:
        raise Fail("two workers bumped at the same moment and the version moved only once: your "
                   "bump reads the version and writes it back (get, then set), so a bump that "
                   "runs in between is lost, and the version can even go back to a number "
                   "already used, whose old entries then come back. Increment atomically in "
                   "Redis: cache.cache.inc('products:version') (INCR).")


# generated sequences: reads and changes (each followed by a bump) of products whose ids share a
# prefix, by two workers (two apps on one Redis)
_WORKERS_AND_PRODUCTS = st.tuples(st.sampled_from([1, 2]), st.sampled_from([1, 11]))
_VERSION_STEPS = st.one_of(
    _WORKERS_AND_PRODUCTS.map(lambda a: Step("read", f"worker {a[0]} reads product {a[1]}", a)),
    write_steps("worker {0} changes product {1} and bumps", _WORKERS_AND_PRODUCTS))


def _catalogue_side(read: Callable[[int, int, Callable[[], Any]], Any],
                    change: Callable[[int], None]) -> Side:
    """A side over a fresh catalogue: a read goes through ``read(worker, id, load)`` (the cache,
    or not), a change raises the product's price and calls ``change(worker)`` (the bump)."""
    prices = {1: 10, 11: 20}
    work = {"loads": 0}

    def load(product_id: int) -> Callable[[], Any]:
        def from_database() -> Any:
            work["loads"] += 1
            return {"id": product_id, "price": prices[product_id]}
        return from_database

    def play(step: Step) -> Any:
        worker, product_id = step.args
        if step.kind == "write":
            prices[product_id] += 1
            change(worker)
            return None
        return read(worker, product_id, load(product_id))

    return Side(play, lambda: work["loads"])


def versioned_scenarios(product_key: Callable[..., Any], bump: Callable[..., Any], raw: Any,
                        budget: Budget = Budget(examples=30, steps=6)) -> Any:  # noqa: B008
    """Judge the versioned keys by transparency on generated sequences: every read (cache-aside
    with ``product_key``) answers the current product, with no more database loads than the
    worked solution (a version counter in front of a dict) makes."""
    with _guarded(raw, "inv-sequences") as (prefix, guard):
        cache = Cache()
        apps = {}
        for worker in (1, 2):
            apps[worker] = grading_app(f"worker_{worker}")
            cache.init_app(apps[worker], config={
                "CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": guard,
                "CACHE_KEY_PREFIX": prefix, "CACHE_DEFAULT_TIMEOUT": 300})

        stored: set[str] = set()

        def learner() -> Side:
            # a new scenario starts without entries (exact keys: no SCAN); the version stays, as
            # it does in production (a version that went back would bring old entries back)
            if stored:
                raw.delete(*stored)
                stored.clear()

            def read(worker: int, product_id: int, load: Callable[[], Any]) -> Any:
                with apps[worker].app_context():
                    key = product_key(cache, product_id)
                    value = cache.get(key)
                    if value is None:
                        value = load()
                        cache.set(key, value)
                        stored.add(prefix + str(key))
                    return value

            def change(worker: int) -> None:
                with apps[worker].app_context():
                    bump(cache)

            return _catalogue_side(read, change)

        def reference() -> Side:
            entries: dict[tuple[int, int], Any] = {}
            version = {"n": 0}

            def read(worker: int, product_id: int, load: Callable[[], Any]) -> Any:
                key = (version["n"], product_id)
                if key not in entries:
                    entries[key] = load()
                return entries[key]

            def change(worker: int) -> None:
                version["n"] += 1

            return _catalogue_side(read, change)

        return judge(learner, lambda: _catalogue_side(lambda w, p, load: load(), lambda w: None),
                     _VERSION_STEPS, reference=reference, budget=budget, noun="product")


def _judge_separator(ns: Namespace, product_key: Callable[..., Any], bump: Callable[..., Any],
                     raw: Any) -> None:
    """Keys must differ across versions and ids: version 1 + id 11 is not version 11 + id 1."""
    seen: dict[str, tuple[int, int]] = {}
    with _guarded(raw, "inv-separator") as (prefix, guard):
        app, cache = redis_app(guard, prefix, "invalidation_separator")
        with app.app_context():
            for bumps in range(13):
                for product_id in (1, 2, 11, 12, 111):
                    key = ns.call(product_key, cache, product_id)
                    first = seen.setdefault(key, (bumps, product_id))
                    if first != (bumps, product_id):
                        raise Fail(
                            f"product_key returned {key!r} for product {first[1]} after "
                            f"{first[0]} bumps and for product {product_id} after {bumps} bumps: "
                            "with nothing between the version and the id, version 1 + id 11 "
                            "reads the same as version 11 + id 1, so an old entry comes back "
                            "under a new version. Put a separator between them, e.g. "
                            "f'product:v{version}:{product_id}'.")
                ns.call(bump, cache)


# the worker process builds product 1's key, waits while the check bumps the version in its own
# process, and builds the key again (flags under the prefix keep the order)
_PROCESS_SCRIPT = '''
import time
from flask import Flask
from flask_caching import Cache

app = Flask("invalidation_worker_process")
cache = Cache(app, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": redis,
                           "CACHE_KEY_PREFIX": prefix})
with app.app_context():
    first = ns["product_key"](cache, 1)
    redis.set(prefix + "check:read", 1)
    end = time.monotonic() + 20
    while not redis.exists(prefix + "check:bumped") and time.monotonic() < end:
        time.sleep(0.01)
    result = [first, ns["product_key"](cache, 1)]
'''


def _judge_processes(source: str, product_key: Callable[..., Any], bump: Callable[..., Any],
                     raw: Any) -> None:
    """Two real processes on one Redis, a worker's (another hash seed) and the check's: a bump in
    the check's process must change the key the worker builds, and both must build the same
    keys."""
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    done: dict[str, Any] = {}
    with shared_redis_url() as url, _guarded(raw, "inv-processes") as (prefix, guard):
        app, cache = redis_app(guard, prefix, "invalidation_check_process")
        worker = threading.Thread(daemon=True, target=lambda: done.update(results=run_workers(
            source, _PROCESS_SCRIPT, url=url, prefix=prefix, workers=1, timeout=30.0,
            hash_seeds=[int(seed)])))
        worker.start()
        while worker.is_alive() and not raw.exists(prefix + "check:read"):
            time.sleep(0.01)
        try:
            with app.app_context():
                mine = product_key(cache, 1)
                bump(cache)
                mine_after = product_key(cache, 1)
        finally:
            raw.set(prefix + "check:bumped", 1)
            worker.join(35.0)
    if "results" not in done:
        raise Fail("the worker process did not finish within 35 s.")
    (process,) = done["results"]
    if process.error is not None:
        raise Fail(f"in a worker process, your code raised {process.error}")
    first, after = process.result
    if after == first:
        raise Fail("the check bumped the version in its own process, but the worker process "
                   f"still builds the old key {first!r}: it keeps the version in a Python "
                   "variable (read once, or counted locally), which no other process sees. Read "
                   "the version from the cache on every call.")
    if (first, after) != (mine, mine_after):
        raise Fail(f"two processes (the check's and a worker) built different keys for product "
                   f"1 ({mine!r} and {first!r}, then {mine_after!r} and {after!r} after a bump): "
                   "derive the key "
                   "from the product id and a version stored in the cache, nothing that differs "
                   "between processes (a version kept in a Python variable, a random value, "
                   "hash() of a string, id()).")


# --- invalidation-stampede -----------------------------------------------------------------
#
# The stampede check runs the learner's get_or_compute in threads ("workers") whose every Redis
# command goes through a concurrency.Stepper: the check decides, command by command, which worker
# runs, so that each classic race happens every time rather than by luck: two workers both seeing no lock
# (a check-then-set lock), a value landing between a miss and the lock (no second look), a lock
# released before the value is stored, a lock that expires under a slow computation and is taken
# by another worker (no owner token: the first worker deletes the second's lock), a lock that
# expires between a GET and a DEL (a compare-then-delete that is not atomic), a holder that dies
# or whose computation raises (waiters that only poll hang), and computations returning None, 0,
# '' or [] (a truthiness test or a missing sentinel loops for ever). Lock expiry is simulated by
# deleting the lock keys, which is what Redis does when their timeout runs out.

WORST_CASE_SECONDS = 2.0          # the exercise says compute() takes at most this long
_MAX_LOCK_SECONDS = 60.0
_MIN_LOCK_FACTOR = 1.25           # a lock must outlast the worst case with a margin
_STEP_SECONDS = 1.0               # how long one scheduling step may take before it is "stuck"
_POLL_SECONDS = 0.15              # how long a waiter is left polling while another holds the lock
_TIMEOUT = 30
_SET_COMMANDS = {"SET", "SETNX", "SETEX", "PSETEX", "GETSET", "MSET", "MSETNX", "INCR", "INCRBY",
                 "INCRBYFLOAT", "DECR", "DECRBY", "APPEND"}


def _is_write(name: str, keys: list[str]) -> bool:
    """The first write of a caller: its lock attempt (or, without a lock, storing the value)."""
    return name in _SET_COMMANDS


def _writes_value(value_name: str) -> Callable[[str, list[str]], bool]:
    return lambda name, keys: name in _SET_COMMANDS and value_name in keys


def _is_release(value_name: str) -> Callable[[str, list[str]], bool]:
    return lambda name, keys: (name in {"DEL", "UNLINK", "EVAL", "EVALSHA"}
                               and bool(keys) and value_name not in keys)


_STAMPEDE_ADVICE = ("get_or_compute needs only GET / SET (cache.get, cache.set, cache.add or "
                    "redis.set(..., nx=True, px=...)), DEL, and WATCH or a Lua script for the "
                    "release, on keys inside the cache.")

REPORT = {"bestsellers": ["Smart Notebook", "Retro Puzzle", "Quiet Speaker"]}


class _Scene:
    """One scenario: a fresh prefix, a guarded + scheduled cache, and the learner's function."""

    def __init__(self, get_or_compute: Callable[..., Any], raw: Any, prefix: str, tag: str
                 ) -> None:
        self.raw = raw
        self.prefix = prefix
        self.key = "report:bestsellers"
        self.value_name = self.prefix + self.key
        self.stepper = Stepper(raw)
        self.guard = GuardedRedis(self.stepper, self.prefix, _STAMPEDE_ADVICE, scripts=True)
        self.app, self.cache = redis_app(self.guard, self.prefix, f"invalidation_{tag}")
        self.get_or_compute = get_or_compute

    def locks(self) -> dict[str, int]:
        """The keys in the prefix other than the value (the learner's lock), with their PTTLs."""
        found = {}
        for key in scan_prefix(self.raw, self.prefix):
            name = as_text(key)
            if name != self.value_name:
                found[name[len(self.prefix):]] = self.raw.pttl(key)
        return found

    def lock_values(self) -> dict[str, Any]:
        return {name: self.raw.get(self.prefix + name) for name in self.locks()}

    def expire_locks(self) -> None:
        """What Redis does when the locks' timeouts run out."""
        for name in self.locks():
            self.raw.delete(self.prefix + name)

    def caller(self, compute: Callable[[], Any], key: str | None = None) -> Callable[[], Any]:
        def call() -> Any:
            with self.app.app_context():
                return self.get_or_compute(self.cache, key or self.key, compute, _TIMEOUT)
        return call

    def start(self, name: str, compute: StepCompute,
              pause_when: Callable[[str, list[str]], bool] | None = None,
              key: str | None = None) -> Stepped:
        return self.stepper.start(name, self.caller(compute.for_worker(name), key),
                                  pause_when or (lambda name, keys: False))


def _raise_worker_error(worker: Stepped) -> None:
    error = worker.error
    if error is None:
        return
    if isinstance(error, Fail):
        raise Fail(str(error))
    text = f"{type(error).__name__}: {error}"
    lowered = text.lower()
    if "lupa" in lowered or "unknown command 'eval" in lowered or "unknown command 'evalsha" in lowered:
        raise Fail("your Lua script could not run: the check's embedded Redis (fakeredis) runs "
                   "Lua only with the lupa package. Release the lock with WATCH / MULTI instead "
                   "(redis.pipeline(): pipe.watch(lock); if pipe.get(lock) == token: "
                   "pipe.multi(); pipe.delete(lock); pipe.execute()), or set REDIS_URL to a real "
                   f"Redis. ({text})")
    if type(error).__name__ == "WatchError":
        raise Fail("your release raised WatchError: the lock changed between your WATCH and your "
                   "EXEC (it expired and another worker took it). That is WATCH doing its job: "
                   "catch WatchError and leave the lock alone, it is not yours any more.")
    raise Fail(f"a caller raised {text}")


@contextmanager
def _scene(get_or_compute: Callable[..., Any], raw: Any, tag: str) -> Iterator[_Scene]:
    """A scenario's scene, closed (threads stopped, keys deleted) when the block ends; a command
    the guard refused is reported as the failure."""
    with scratch_prefix(f"inv-stampede-{tag}", raw) as prefix:
        scene = _Scene(get_or_compute, raw, prefix, tag)
        try:
            yield scene
        except Exception:
            report_violation(scene.guard)
            raise
        finally:
            scene.stepper.stop()
        report_violation(scene.guard)


def _finish(scene: _Scene, worker: Stepped, what: str, seconds: float = _STEP_SECONDS) -> Any:
    scene.stepper.resume(worker)
    if not scene.stepper.wait(lambda: worker.done, seconds):
        raise Fail(what)
    _raise_worker_error(worker)
    return worker.value


_POLL_ONLY = ("your waiters only poll for the value: when the worker holding the lock {what}, "
              "nobody computed it and the other callers waited for ever (the check gave up "
              "after {seconds:.0f} s). While you wait, keep trying to take the lock (and read the "
              "cache), so that a waiter takes over once the holder's lock is released or "
              "expires.")


def _scene_main(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """A and B miss together; A stops before its lock, B too; A takes it and computes; B runs."""
    with _scene(get_or_compute, raw, "main") as scene:
        compute = StepCompute(scene.stepper, REPORT, snapshot=scene.locks)
        lock_attempt, stores = _is_write, _writes_value(scene.value_name)
        a = scene.start("A", compute, pause_when=lock_attempt)
        scene.stepper.settle(a)
        b = scene.start("B", compute, pause_when=lock_attempt)
        scene.stepper.settle(b)
        scene.stepper.resume(a, pause_when=stores)
        scene.stepper.settle(a)
        locks_before_store = scene.locks() if a.paused_at else None
        scene.stepper.resume(b)
        scene.stepper.wait(lambda: b.done or len(compute.calls) > 1, _POLL_SECONDS)
        _finish(scene, a, "the first caller did not return after it computed the value.")
        scene.stepper.wait(lambda: b.done, _STEP_SECONDS)
        if not b.done:
            raise Fail("a caller that lost the lock did not return within 1 s of the value being "
                       "stored: while it waits, it must read the cache again (and return the value "
                       "once it is there).")
        _raise_worker_error(b)
        if not compute.calls:
            raise Fail("compute was never called on a cold cache.")
        locks = compute.seen[0] if compute.seen else {}
        if len(compute.calls) > 1:
            if not locks:
                raise Fail("two callers missed at the same moment and both ran compute (a "
                           "stampede): no lock was in the cache while the first one computed. Take "
                           "a lock in the cache (cache.add or redis.set(..., nx=True, px=...)) "
                           "before computing.")
            if locks_before_store == {}:
                raise Fail("two workers computed: the first released its lock before it stored the "
                           "value, and the second, finding neither the value nor a lock, computed "
                           "again. Store the value first, then release the lock (in a finally "
                           "block).")
            raise Fail("two workers computed although you take a lock: both checked that there was "
                       "no lock before either set it (has() or get(), then set(): two commands, and "
                       "another worker can run between them). Take the lock atomically, in one "
                       "command that fails when the lock exists: cache.add(...) (SETNX) or "
                       "redis.set(name, token, nx=True, px=...).")
        if not locks:
            raise Fail("compute ran once, but no lock was in the cache while it ran: a Python lock "
                       "(threading.Lock) only stops the threads of one process, not the other "
                       "workers. Take the lock in the cache (cache.add, or SET NX PX).")
        ttl = max(locks.values())
        if any(ms < 0 for ms in locks.values()):
            raise Fail("your lock has no timeout: if the worker holding it dies, every other caller "
                       "waits for ever. Give it one (cache.add(..., timeout=...) or SET ... PX).")
        if ttl < _MIN_LOCK_FACTOR * WORST_CASE_SECONDS * 1000:
            raise Fail(f"your lock expires after about {ttl / 1000:.1f} s, and compute() can take "
                       f"{WORST_CASE_SECONDS:.0f} s: a slow computation (plus storing its value) "
                       "outlives its lock and a second worker computes too. Choose the lock's timeout from the worst case "
                       "(a few times it).")
        if ttl > _MAX_LOCK_SECONDS * 1000:
            raise Fail(f"your lock lasts {ttl / 1000:.0f} s: if its holder dies, every caller waits "
                       f"that long. compute() takes at most {WORST_CASE_SECONDS:.0f} s: a few times "
                       "that is enough.")
        if a.value != REPORT or b.value != REPORT:
            raise Fail(f"the callers returned {a.value!r} and {b.value!r} instead of the value "
                       f"compute() returned, {REPORT!r}.")
        leftover = scene.locks()
        if leftover:
            raise Fail(f"the lock ({', '.join(leftover)}) is still in the cache after the value was "
                       "computed: every later miss would wait for it. Release it when you are done "
                       "(in a finally block).")
        ttl_value = scene.raw.ttl(scene.value_name)
        if ttl_value == -2:
            raise Fail(f"the value is not stored under the key the caller gave ({scene.key!r}): "
                       "store it with cache.set(key, ..., timeout=timeout).")
        if not _TIMEOUT - 5 <= ttl_value <= _TIMEOUT:
            raise Fail(f"the value was stored with a TTL of {ttl_value} s, not the timeout={_TIMEOUT} "
                       "the caller asked for: pass timeout to cache.set.")
        again = scene.start("C", compute)
        _finish(scene, again, "a call after the value was cached did not return.")
        if len(compute.calls) != 1 or again.value != REPORT:
            raise Fail("a call after the value was cached computed again: return the cached value "
                       "on a hit.")


def _scene_late(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """B computes and stores between A's miss and A's lock: A must look again after the lock."""
    with _scene(get_or_compute, raw, "late") as scene:
        compute = StepCompute(scene.stepper, REPORT)
        a = scene.start("A", compute, pause_when=_is_write)
        scene.stepper.settle(a)
        if a.done or a.paused_at is None:
            return  # A took no lock before computing: the main scene judges that
        b = scene.start("B", compute)
        _finish(scene, b, "a caller did not return when no other caller was running.")
        _finish(scene, a, "a caller did not return after another worker had stored the value.")
        if len(compute.calls) > 1:
            raise Fail("another worker stored the value between your miss and your lock, and you "
                       "computed it again: after the lock is yours, read the cache again (a look "
                       "before taking the lock is not enough: the value can arrive in between) and "
                       "compute only if it is still missing.")
        if a.value != REPORT:
            raise Fail(f"another worker stored the value between your miss and your lock; you "
                       f"read the cache again after taking the lock and found it, but returned "
                       f"{a.value!r} instead of that value, {REPORT!r}: return the value you "
                       "found (unboxed).")


_OTHER_KEY = "report:newest"
OTHER_REPORT = {"newest": ["Copper Kettle"]}


def _scene_keys(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """A computes one key; B misses another key: B computes at once, it does not wait for A."""
    with _scene(get_or_compute, raw, "keys") as scene:
        slow = StepCompute(scene.stepper, REPORT, hold=True)
        a = scene.start("A", slow)
        if not scene.stepper.settle(a) or not a.computing:
            return  # the main scene judges an answer that does not compute
        other = StepCompute(scene.stepper, OTHER_REPORT)
        b = scene.start("B", other, key=_OTHER_KEY)
        finished = scene.stepper.wait(lambda: b.done, _STEP_SECONDS)
        slow.release.set()
        if not finished:
            raise Fail(f"while one caller computed {scene.key!r}, a caller that missed another "
                       f"key, {_OTHER_KEY!r}, waited for it instead of computing its own value: "
                       "your lock's name does not depend on the key, so one lock serialises "
                       "every key of the cache. Name the lock after the key, e.g. "
                       "prefix + key + ':lock'.")
        _raise_worker_error(b)
        if b.value != OTHER_REPORT or not other.calls:
            raise Fail(f"a caller of {_OTHER_KEY!r} returned {b.value!r} instead of the value "
                       f"its own compute() returned, {OTHER_REPORT!r}.")
        scene.stepper.wait(lambda: a.done, _STEP_SECONDS)
        _raise_worker_error(a)


def _scene_falsy(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """compute() returns 0, '', [] and None: each is a value, computed once and then cached."""
    with _scene(get_or_compute, raw, "falsy") as scene:
        for value in (0, "", [], None):
            scene.raw.delete(scene.value_name)
            compute = StepCompute(scene.stepper, value, limit=4)
            for attempt in range(2):
                worker = scene.start(f"{value!r}-{attempt}", compute)
                finished = scene.stepper.wait(lambda w=worker: w.done, _STEP_SECONDS)
                if len(compute.calls) > 2 or not finished:
                    if value is None:
                        raise Fail("compute() returned None and your get_or_compute called it again "
                                   f"and again ({len(compute.calls)} times) without returning: "
                                   "cache.get returns None for a miss, so a stored None looks like "
                                   "a miss. Store the value in a box, e.g. cache.set(key, (value,), "
                                   "...), and unbox it on a hit: only a real miss is None then.")
                    raise Fail(f"compute() returned {value!r} and your get_or_compute called it "
                               f"again and again ({len(compute.calls)} times) without returning: a "
                               f"truthiness test (`if not value`, `while not value`) takes {value!r} "
                               "for a miss. Test `is None` (and box the value so that None is a value "
                               "too).")
                _raise_worker_error(worker)
                if worker.value != value or type(worker.value) is not type(value):
                    raise Fail(f"compute() returned {value!r} but your get_or_compute returned "
                               f"{worker.value!r}: return exactly the value (unbox it on a hit).")
            if len(compute.calls) != 1 and value is None:
                raise Fail("compute() returned None, and the next call computed it again: None is a "
                           "value, but cache.get returns None for a miss too, so a stored None looks "
                           "like a miss. Store the value in a box, e.g. cache.set(key, (value,), ...), "
                           "and unbox it on a hit: only a real miss is None then.")
            if len(compute.calls) != 1:
                raise Fail(f"compute() returned {value!r}, and the next call computed it again: a "
                           f"truthiness test (`if value`, `while not value`) takes {value!r} for a "
                           "miss. Test `is None` on what cache.get returns (and box the value so that "
                           "None is a value too).")
            scene.expire_locks()


def _scene_owner(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """A's computation outlives its lock; B takes the expired lock; A must not delete B's lock."""
    with _scene(get_or_compute, raw, "owner") as scene:
        slow = StepCompute(scene.stepper, REPORT, hold=True)
        a = scene.start("A", slow)
        if not scene.stepper.settle(a) or not a.computing:
            if a.done:
                _raise_worker_error(a)
            return
        if not scene.locks():
            return  # no lock in the cache: the main scene judges that
        scene.expire_locks()                     # A's lock times out while A still computes
        slow_b = StepCompute(scene.stepper, REPORT, hold=True)
        b = scene.start("B", slow_b)
        scene.stepper.settle(b)
        if not b.computing:
            raise Fail(_POLL_ONLY.format(what="computed longer than its lock lasted",
                                         seconds=_STEP_SECONDS))
        b_locks = scene.lock_values()
        slow.release.set()
        if not scene.stepper.wait(lambda: a.done, _STEP_SECONDS):
            raise Fail("a caller did not return after its computation finished.")
        _raise_worker_error(a)
        if b_locks and scene.lock_values() != b_locks:
            raise Fail("worker A computed longer than its lock lasted, the lock expired and worker B "
                       "took it; then A finished and deleted the lock, which was B's: a third worker "
                       "could now compute too. Store a random token in the lock "
                       "(secrets.token_hex()) and release it only if it still holds your token "
                       "(compare-and-delete).")
        slow_b.release.set()
        scene.stepper.wait(lambda: b.done, _STEP_SECONDS)
        _raise_worker_error(b)


def _scene_race(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """A's lock expires between A's compare and A's delete, and B takes it: B's must survive."""
    with _scene(get_or_compute, raw, "race") as scene:
        compute = StepCompute(scene.stepper, REPORT)
        a = scene.start("A", compute, pause_when=_is_release(scene.value_name))
        scene.stepper.settle(a)
        if a.paused_at is None:
            return  # no release command: the main scene judges that
        scene.raw.delete(scene.value_name)       # a write invalidates the value...
        scene.expire_locks()                     # ...and A's lock times out
        slow_b = StepCompute(scene.stepper, REPORT, hold=True)
        b = scene.start("B", slow_b)
        scene.stepper.settle(b)
        if not b.computing:
            return  # B did not take the lock: the other scenes say why
        b_locks = scene.lock_values()
        _finish(scene, a, "a caller did not return after releasing its lock.")
        if b_locks and scene.lock_values() != b_locks:
            raise Fail("your release reads the lock and then deletes it, in two commands: between "
                       "them the lock expired and another worker took it, and your delete removed "
                       "that worker's lock. Compare and delete atomically: WATCH the lock, GET it, "
                       "and delete it in MULTI / EXEC only if it holds your token (redis-py: "
                       "with redis.pipeline() as pipe: pipe.watch(name); if pipe.get(name) == "
                       "token: pipe.multi(); pipe.delete(name); pipe.execute(); catch WatchError), "
                       "or use a Lua script.")
        slow_b.release.set()
        scene.stepper.wait(lambda: b.done, _STEP_SECONDS)
        _raise_worker_error(b)


def _scene_failing(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """The holder's compute raises: the error propagates, the lock goes, a waiter takes over."""
    with _scene(get_or_compute, raw, "failing") as scene:
        failing = StepCompute(scene.stepper, REPORT, hold=True, raise_first=True)
        a = scene.start("A", failing)
        if not scene.stepper.settle(a) or not a.computing:
            return
        b = scene.start("B", failing)
        scene.stepper.wait(lambda: b.done, _POLL_SECONDS)
        failing.release.set()
        if not scene.stepper.wait(lambda: a.done, _STEP_SECONDS):
            raise Fail("when compute raised, your get_or_compute did not return: let the error "
                       "propagate (and release the lock in a finally block).")
        if a.error is None:
            raise Fail(f"when compute raised, your get_or_compute returned {a.value!r} instead of "
                       "letting the error propagate: the caller must see that the value could not "
                       "be computed.")
        if not isinstance(a.error, RuntimeError):
            _raise_worker_error(a)
        if not scene.stepper.wait(lambda: b.done, _STEP_SECONDS):
            if scene.locks():
                raise Fail("when compute raised, the lock stayed in the cache, so every later caller "
                           "waits until it times out: release the lock in a finally block.")
            raise Fail(_POLL_ONLY.format(what="failed (its compute raised)", seconds=_STEP_SECONDS))
        _raise_worker_error(b)
        if b.value != REPORT:
            raise Fail(f"after the first worker's compute raised, a waiting caller returned "
                       f"{b.value!r} instead of computing the value.")
        if scene.locks():
            raise Fail("when compute raised, the lock stayed in the cache: release it in a finally "
                       "block.")


@exercise("invalidation-stampede", hint=(
    "Loop: cache.get(key); a box (a 1-tuple) means a hit, None a miss. On a miss, take the lock "
    "in one command with a random token and a timeout a few times compute()'s worst case: "
    "redis.set(prefix + key + ':lock', token, nx=True, px=...). If it is yours, look again, "
    "compute, cache.set(key, (value,), timeout=timeout), and in finally release it only if it "
    "still holds your token (WATCH / MULTI / EXEC, or a Lua script). If not, sleep a little and "
    "loop (read again, try the lock again)."))
def check_stampede(ns: Namespace) -> str:
    get_or_compute = ns.function("get_or_compute")
    raw = redis_client()
    _scene_main(get_or_compute, raw)
    _scene_late(get_or_compute, raw)
    _scene_keys(get_or_compute, raw)
    _scene_falsy(get_or_compute, raw)
    _scene_failing(get_or_compute, raw)
    _scene_owner(get_or_compute, raw)
    _scene_race(get_or_compute, raw)
    return ("two simultaneous misses ran compute once (the lock is atomic and kept until the "
            "value is stored), a value stored just before the lock was taken was not computed "
            "again, None, 0, '' and [] were computed once and cached, a failing compute "
            "released the lock and a waiter took over, and a worker whose lock had expired "
            "did not delete the next worker's lock.")
