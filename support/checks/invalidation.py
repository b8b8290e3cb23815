"""Checkers for lesson 03 (invalidation).

Each checker builds its own app and RedisCache under a fresh key prefix inside
``course_prefix("grading")`` and deletes that prefix's keys when it is done. Every Redis client the
learner's code can reach (the ``redis`` argument, and the client under ``cache.cache``:
``_read_client`` / ``_write_client``) is a :class:`~support.checks.plumbing.GuardedRedis` (the
shared guard of support/checks/plumbing.py): it sends only an allow-list of plain string commands
(GET, SET, SETNX, MGET, DEL, UNLINK, EXISTS, INCR, EXPIRE, TTL, ..., and a SCAN whose MATCH starts
with the prefix), each on keys that start with the checker's prefix, so KEYS (and so
``cache.clear()``), FLUSHDB, scripts (but for the stampede check's lock release), hashes, lists,
sets and every write or delete outside the prefix are refused before they reach the server, and the
check fails with a hint that names the command. A wrong answer therefore cannot touch keys the
course did not write, even on a learner's own Redis. The guard catches mistakes, not intent: code
that builds its own client (or reaches past the proxy, e.g. ``redis.connection_pool``) is not
stopped. The checkers' own reads and clean-up use the unguarded client.
"""

from __future__ import annotations

import multiprocessing
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, request
from flask_caching import Cache

from support.backends import redis_client, redis_url
from support.checks.plumbing import (_ALLOWED, CommandProxy, GuardedRedis, _command_name, _text,
                                     delete_prefix, glob_escape, new_prefix, redis_app,
                                     report_violation)
from support.grading import Fail, Namespace, exercise

# --- invalidation-product-list -------------------------------------------------------------

PAGES = ["/api/products", "/api/products?page=1", "/api/products?page=2"]
# pages the exercise does not name: a learner cannot delete them one by one
OTHER_PAGES = ["/api/products?page=3", "/api/products?page=7", "/api/products?page=2&sort=price",
               "/api/products?q=kettle", "/api/products?page=01"]
# other keys the invalidation must keep: product pages whose ids share prefixes, a view whose
# path starts with the list's, a users page
KEPT_PAGES = ["/api/products/1", "/api/products/10", "/api/products/11", "/api/products/19",
              "/api/products-archive", "/api/products-archive?page=2", "/api/users"]
DETAIL = "/api/products/1"
_PAGE_SIZE = 5
_OTHER_KEYS = 3000                # enough that one SCAN call (without its cursor) sees a part


def _product_app(client: GuardedRedis, prefix: str) -> tuple[Flask, Cache, list[str]]:
    app, cache = redis_app(client, prefix, "invalidation_product_list")
    names = [f"Kettle {i}" for i in range(1, 21)]

    @app.get("/api/products")
    @cache.cached(timeout=300, query_string=True)
    def list_products() -> Any:
        page = request.args.get("page", 1, type=int)
        newest = names[::-1]
        return {"page": page, "products": newest[(page - 1) * _PAGE_SIZE: page * _PAGE_SIZE]}

    @app.get("/api/products-archive")
    @cache.cached(timeout=300, query_string=True)
    def list_archive() -> Any:
        return {"archived": names[:3], "page": request.args.get("page", 1, type=int)}

    @app.get("/api/products/<int:product_id>")
    @cache.cached(timeout=300)
    def product_detail(product_id: int) -> Any:
        return {"id": product_id, "name": names[product_id - 1]}

    @app.get("/api/users")
    @cache.cached(timeout=300)
    def list_users() -> Any:
        return {"users": ["ada", "ben"]}

    return app, cache, names


def _expected(names: list[str], path: str) -> dict[str, Any]:
    from urllib.parse import parse_qs, urlsplit

    raw_page = parse_qs(urlsplit(path).query).get("page", ["1"])[0]
    page = int(raw_page) if raw_page.isdigit() else 1
    newest = names[::-1]
    return {"page": page, "products": newest[(page - 1) * _PAGE_SIZE: page * _PAGE_SIZE]}


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
    # glob characters in the prefix, as a learner's app may have: a pattern must escape them
    prefix = new_prefix("inv-list[*?]")
    decoy_prefix = new_prefix("inv-decoy")
    guard = GuardedRedis(raw, prefix, _LIST_ADVICE)
    app, cache, names = _product_app(guard, prefix)
    decoy = decoy_prefix + "view//api/products"
    try:
        raw.set(decoy, "another app's key", ex=60)
        with app.test_request_context("/api/products", method="POST"):
            returned_empty = _call_invalidate(invalidate, cache, guard, "with nothing cached yet")
        pipe = raw.pipeline(transaction=False)
        for i in range(_OTHER_KEYS):  # a realistic key space around the list's keys
            pipe.set(f"{prefix}session:{i}", "other data", ex=120)
        pipe.execute()
        client = app.test_client()
        for path in [*PAGES, *OTHER_PAGES, *KEPT_PAGES]:
            client.get(path)
        with app.app_context():
            cache.set("settings", {"currency": "EUR"})
        kept_before = {path: raw.exists(prefix + _view_key(path)) for path in KEPT_PAGES
                       if "?" not in path}
        list_keys = [key for key in raw.scan_iter(match=glob_escape(prefix) + "view//*",
                                                  count=1000)
                     if _LIST_KEY.fullmatch(_text(key)[len(prefix):])]
        names.append("Copper Kettle")  # a product is created...
        guard.deleted.clear()
        guard.scans.clear()
        with app.test_request_context("/api/products", method="POST"):
            # ...and invalidated
            returned = _call_invalidate(invalidate, cache, guard, "after a write")
        if guard.violation:
            raise Fail(guard.violation)
        if not raw.exists(decoy):
            raise Fail("another app's key (outside the cache's prefix) was deleted: only delete "
                       "keys that start with cache.cache.key_prefix.")
        stale = [path for path in [*PAGES, *OTHER_PAGES]
                 if client.get(path).json != _expected(names, path)]
        if stale:
            raise Fail(_stale_hint(stale, guard, prefix))
        with app.app_context():
            kept_settings = cache.get("settings") is not None
        others = sum(1 for _ in raw.scan_iter(match=glob_escape(prefix) + "session:*", count=1000))
        kept_users = raw.exists(prefix + "view//api/users")
        if not kept_settings or not kept_users or others != _OTHER_KEYS:
            raise Fail("every page of the list is fresh, but your pattern also deleted the rest "
                       "of the cache (the users page, sessions or a setting): match only the list's keys, "
                       "'view//api/products' + the hash, after the prefix.")
        lost = [path for path, cached in kept_before.items()
                if cached and path.startswith("/api/products/")
                and not raw.exists(prefix + _view_key(path))]
        if lost:
            raise Fail(f"every page of the list is fresh, but you also deleted the cached product "
                       f"page{'s' if len(lost) > 1 else ''} {', '.join(lost)} (keys "
                       "'view//api/products/<id>'): the glob 'view//api/products*' matches them "
                       "too. The list's keys are 'view//api/products' followed by exactly 64 hex "
                       "characters: match 'view//api/products' + '[0-9a-f]' * 64, or filter the "
                       "SCAN's keys with a regex such as r'view//api/products[0-9a-f]{64}'.")
        lost_archive = _deleted_archive(guard, prefix)
        if lost_archive:
            raise Fail("every page of the list is fresh, but you also deleted the cached pages "
                       f"of another view whose path starts with the list's, /api/products-archive "
                       f"({lost_archive[0]!r}): the list's keys are 'view//api/products' followed "
                       "by exactly 64 hex characters, nothing else. Match "
                       "'view//api/products' + '[0-9a-f]' * 64.")
        _judge_count(returned_empty, returned, len(list_keys))
    finally:
        delete_prefix(raw, prefix)
        raw.delete(decoy)
    return (f"after a write, every cached page of the list is deleted (the {len(PAGES)} pages "
            f"the exercise names and {len(OTHER_PAGES)} it does not, among {_OTHER_KEYS:,} other "
            "keys), product pages, another view under /api/products-archive and the rest of the "
            "cache are kept, and nothing outside the cache's prefix was touched.")


_LIST_KEY = re.compile(r"view//api/products[0-9a-f]{64}")


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


def _view_key(path: str) -> str:
    return "view/" + path


def _deleted_archive(guard: GuardedRedis, prefix: str) -> list[str]:
    return [key[len(prefix):] for key in guard.deleted
            if key[len(prefix):].startswith("view//api/products-archive")]


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


# --- invalidation-versioned ----------------------------------------------------------------


def _snapshot(client: Any, prefix: str) -> dict[bytes, Any]:
    return {key: client.get(key) for key in client.scan_iter(match=glob_escape(prefix) + "*")}


class _HeldRead(CommandProxy):
    """Holds one thread just after its first GET / MGET, until ``release`` is set.

    A bump that reads the version and writes it back is then overtaken by a second bump, as
    happens when two workers bump at the same moment.
    """

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.thread: threading.Thread | None = None
        self.read_done = threading.Event()
        self.release = threading.Event()

    def _after(self, args: tuple[Any, ...], result: Any) -> Any:
        if (threading.current_thread() is self.thread and not self.read_done.is_set()
                and _command_name(args) in {"GET", "MGET"}):
            self.read_done.set()
            self.release.wait(_JOIN_SECONDS)
        return result


_VERSIONED_ADVICE = ("Versioned keys need only cache.get and cache.cache.inc (Redis INCR) on "
                     "keys inside the cache: a bump replaces deleting, nothing needs clearing.")


@exercise("invalidation-versioned", hint=(
    "Keep a version number in the cache (it must be shared by every worker) and never let it "
    "expire: product_key reads it (0 when missing) and builds e.g. "
    "f'product:v{version}:{product_id}' (a separator between version and id); "
    "bump_products_version increments it atomically, e.g. cache.cache.inc('products:version')."))
def check_versioned(ns: Namespace) -> str:
    product_key = ns.function("product_key")
    bump = ns.function("bump_products_version")
    raw = redis_client()
    prefix = new_prefix("inv-version")
    held = _HeldRead(raw)
    guard = GuardedRedis(held, prefix, _VERSIONED_ADVICE)
    worker_a, cache = redis_app(guard, prefix, "worker_a")
    worker_b = Flask("worker_b")
    cache.init_app(worker_b, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": guard,
                                     "CACHE_KEY_PREFIX": prefix})
    try:
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
            _judge_concurrent_bumps(ns, product_key, bump, worker_a, cache, held)
        report_violation(guard)
        _judge_processes(product_key, bump)
        _judge_sequences(product_key, bump, raw)
        _judge_separator(ns, product_key, bump, raw)
    except Exception:
        report_violation(guard)
        raise
    finally:
        delete_prefix(raw, prefix)
    report_violation(guard)
    return ("each bump makes every earlier product key unreachable in one step (even when two "
            "workers bump at once), every worker reads the same version from the cache (two real "
            "worker processes too), and the version never expires.")


def _judge_version_ttl(raw: Any, before: dict[bytes, Any], after: dict[bytes, Any],
                       prefix: str) -> None:
    """The keys the bump wrote (the version) must not expire."""
    for name in after:
        if before.get(name) == after[name]:
            continue
        ttl = raw.ttl(name)
        if ttl != -1:
            raise Fail(f"the version key {_text(name)[len(prefix):]!r} expires ({ttl} s left "
                       "after the bump): when it vanishes, the version starts again at 0, "
                       "product_key hands out the v0 keys again, and the old v0 entries come "
                       "back. Keep the version without a timeout: cache.cache.inc(...) (Redis "
                       "INCR) creates it that way, and keeps it so (timeout=None means the "
                       "default timeout, not none).")


def _judge_concurrent_bumps(ns: Namespace, product_key: Callable[..., Any],
                            bump: Callable[..., Any], app: Flask, cache: Cache,
                            held: _HeldRead) -> None:
    """Two workers bump at once: both bumps must count (an atomic increment)."""
    errors: list[Exception] = []

    def slow_worker() -> None:
        with app.app_context():
            try:
                bump(cache)
            except Exception as exc:  # reported below
                errors.append(exc)

    start_key = ns.call(product_key, cache, 1)
    thread = threading.Thread(target=slow_worker, daemon=True)
    held.thread = thread
    try:
        thread.start()
        deadline = time.monotonic() + _JOIN_SECONDS
        while (not held.read_done.wait(0.01) and thread.is_alive()
               and time.monotonic() < deadline):
            pass
        if not held.read_done.is_set():  # the bump read nothing: nothing to overtake
            thread.join(_JOIN_SECONDS)
            return
        middle_key = ns.call(product_key, cache, 1)
        ns.call(bump, cache)  # another worker bumps while the first one is between read and write
        overtaken_key = ns.call(product_key, cache, 1)
    finally:
        held.release.set()
        thread.join(_JOIN_SECONDS)
        held.thread = None
    if errors:
        raise Fail(f"bump_products_version raised {type(errors[0]).__name__}: {errors[0]}")
    final_key = ns.call(product_key, cache, 1)
    if len({start_key, middle_key, overtaken_key, final_key}) < 3:
        raise Fail("two workers bumped at the same moment and the version moved only once: your "
                   "bump reads the version and writes it back (get, then set), so a bump that "
                   "runs in between is lost, and the version can even go back to a number "
                   "already used, whose old entries then come back. Increment atomically in "
                   "Redis: cache.cache.inc('products:version') (INCR).")


def _judge_separator(ns: Namespace, product_key: Callable[..., Any], bump: Callable[..., Any],
                     raw: Any) -> None:
    """Keys must differ across versions and ids: version 1 + id 11 is not version 11 + id 1."""
    prefix = new_prefix("inv-separator")
    guard = GuardedRedis(raw, prefix, _VERSIONED_ADVICE)
    app, cache = redis_app(guard, prefix, "invalidation_separator")
    seen: dict[str, tuple[int, int]] = {}
    try:
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
    except Exception:
        report_violation(guard)
        raise
    finally:
        delete_prefix(raw, prefix)
    report_violation(guard)


def _describe(ops: list[tuple[Any, ...]]) -> str:
    words = {"store": "worker {} stores product {}", "read": "worker {} reads product {}",
             "bump": "worker {} bumps"}
    return "; ".join(words[op[0]].format(*op[1:]) for op in ops)


def _judge_sequences(product_key: Callable[..., Any], bump: Callable[..., Any], raw: Any) -> None:
    """Generated sequences of stores, reads and bumps by two workers (Hypothesis, derandomised):
    a read must never return a value stored before the last bump (stale), and must find a
    value stored since (the cache still saves work). A failure is shrunk to the shortest
    sequence, which the hint shows."""
    from hypothesis import HealthCheck, Verbosity, example, given, settings
    from hypothesis import strategies as st

    prefix = new_prefix("inv-sequences")
    guard = GuardedRedis(raw, prefix, _VERSIONED_ADVICE)
    workers = []
    cache = Cache()
    for name in ("worker_1", "worker_2"):
        app = Flask(name)
        cache.init_app(app, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": guard,
                                    "CACHE_KEY_PREFIX": prefix, "CACHE_DEFAULT_TIMEOUT": 300})
        workers.append(app)
    worker = st.sampled_from([1, 2])
    product = st.sampled_from([1, 11])
    operation = st.one_of(st.tuples(st.just("store"), worker, product),
                          st.tuples(st.just("read"), worker, product),
                          st.tuples(st.just("bump"), worker))
    failures: list[tuple[list[tuple[Any, ...]], str]] = []

    def play(ops: list[tuple[Any, ...]]) -> None:
        if guard.touched:  # a new sequence starts from an empty cache (exact keys: no SCAN)
            raw.delete(*guard.touched)
            guard.touched.clear()
        epoch, stored = 0, {}
        for step, op in enumerate(ops):
            with workers[op[1] - 1].app_context():
                if op[0] == "bump":
                    bump(cache)
                    epoch += 1
                    continue
                key = product_key(cache, op[2])
                if op[0] == "store":
                    cache.set(key, f"product {op[2]} as of bump {epoch}")
                    stored[op[2]] = epoch
                    continue
                got = cache.get(key)
            fresh = f"product {op[2]} as of bump {epoch}"
            problem = ""
            if got is not None and got != fresh:
                problem = f"the last read got {got!r}, stored before a later bump (stale)"
            elif got is None and stored.get(op[2]) == epoch:
                problem = ("the last read missed, although the value was stored since the last "
                           "bump (the keys differ between calls or workers)")
            if problem:
                failures.append((ops[:step + 1], problem))
                raise AssertionError(problem)

    @settings(derandomize=True, database=None, deadline=None, max_examples=30,
              verbosity=Verbosity.quiet, suppress_health_check=list(HealthCheck))
    @given(st.lists(operation, min_size=1, max_size=8))
    # explicit examples run first, the one nearest the function first: shortest last
    @example([("store", 1, 11), ("bump", 1), ("store", 2, 1), ("read", 1, 11), ("read", 2, 1)])
    @example([("store", 1, 1), ("bump", 2), ("read", 1, 1)])
    @example([("store", 1, 1), ("read", 2, 1)])
    def scenarios(ops: list[tuple[Any, ...]]) -> None:
        play(ops)

    try:
        scenarios()
    except Fail:
        report_violation(guard)
        raise
    except Exception as exc:
        report_violation(guard)
        if not failures:
            raise Fail(f"your code raised {type(exc).__name__}: {exc}") from None
        ops, problem = failures[-1]
        raise Fail(f"this sequence goes wrong: {_describe(ops)}: {problem}.") from None
    finally:
        delete_prefix(raw, prefix)
    report_violation(guard)


def _process_worker(connection: Any, url: str, prefix: str, product_key: Callable[..., Any],
                    bump: Callable[..., Any]) -> None:
    """A worker process: its own app, cache and Redis connection; answers the check's requests."""
    import redis as redis_py

    guard = GuardedRedis(redis_py.Redis.from_url(url), prefix, _VERSIONED_ADVICE)
    app, cache = redis_app(guard, prefix, "invalidation_worker_process")
    with app.app_context():
        while True:
            request_ = connection.recv()
            if request_ == "exit":
                return
            try:
                result = bump(cache) if request_ == "bump" else product_key(cache, request_)
                connection.send(("ok", None if request_ == "bump" else result))
            except BaseException as exc:  # sent back and reported by the check
                connection.send(("error", guard.violation or f"{type(exc).__name__}: {exc}"))


class _TcpRedis:
    """The course's Redis as a URL other processes can reach: the real one, or a fakeredis
    TCP server started for the check (the embedded fake lives in this process only)."""

    def __enter__(self) -> str:
        self.server = None
        url = redis_url()
        if url is not None:
            return url
        import fakeredis

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.server = fakeredis.TcpFakeServer(("127.0.0.1", port))
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return f"redis://127.0.0.1:{port}/0"

    def __exit__(self, *exc: Any) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _judge_processes(product_key: Callable[..., Any], bump: Callable[..., Any]) -> None:
    """Two real worker processes on one Redis: a bump in one must change the other's keys."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return  # (Windows) the threads-and-apps judgements above still apply
    context = multiprocessing.get_context("fork")
    prefix = new_prefix("inv-processes")
    with _TcpRedis() as url:
        workers = []
        try:
            for _ in range(2):
                parent, child = context.Pipe()
                process = context.Process(target=_process_worker, daemon=True,
                                          args=(child, url, prefix, product_key, bump))
                process.start()
                workers.append((process, parent))

            def ask(worker: int, request_: Any) -> Any:
                connection = workers[worker][1]
                connection.send(request_)
                if not connection.poll(_STEP_SECONDS * 5):
                    raise Fail(f"worker process {worker + 1} did not answer within 5 s.")
                status, value = connection.recv()
                if status == "error":
                    raise Fail(f"in a second worker process, your code raised {value}")
                return value

            first = [ask(0, 1), ask(1, 1)]
            if first[0] != first[1]:
                raise Fail(f"two worker processes built different keys for product 1 ({first[0]!r} "
                           f"and {first[1]!r}): derive the key from the product id and a version "
                           "stored in the cache, nothing that differs between processes (a "
                           "random value, hash() of a string, id()).")
            ask(0, "bump")
            after = [ask(0, 1), ask(1, 1)]
            if after[1] == first[1]:
                raise Fail("worker process 1 bumped the version, but worker process 2 still builds "
                           f"the old key {first[1]!r}: it keeps the version in a Python variable "
                           "(read once, or counted locally), which no other process sees. Read "
                           "the version from the cache on every call.")
            if after[0] != after[1]:
                raise Fail(f"after a bump, the two worker processes build different keys "
                           f"({after[0]!r} and {after[1]!r}): every process must read the same "
                           "version from the cache.")
        finally:
            for process, connection in workers:
                try:
                    connection.send("exit")
                except OSError:
                    pass
                process.join(2)
                if process.is_alive():
                    process.kill()
            try:
                delete_prefix(redis_py_client(url), prefix)
            except Exception:  # the server is gone with the check: nothing left to delete
                pass


def redis_py_client(url: str) -> Any:
    import redis as redis_py

    return redis_py.Redis.from_url(url, socket_timeout=5)


# --- invalidation-stampede -----------------------------------------------------------------
#
# The stampede check runs the learner's get_or_compute in threads ("workers") whose every Redis
# command goes through a Scheduler: the check decides, command by command, which worker runs, so
# that each classic race happens every time rather than by luck: two workers both seeing no lock
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
_JOIN_SECONDS = 5.0               # used by the versioned check's held read
_SET_COMMANDS = {"SET", "SETNX", "SETEX", "PSETEX", "GETSET", "MSET", "MSETNX", "INCR", "INCRBY",
                 "INCRBYFLOAT", "DECR", "DECRBY", "APPEND"}


class _Stop(BaseException):
    """Ends a worker thread when the check is over (a BaseException: `except Exception` in the
    learner's code does not swallow it, and its `finally` blocks still run)."""


def _keys_of(args: tuple[Any, ...]) -> list[str]:
    name = _command_name(args)
    if name in {"EVAL", "EVALSHA"} and len(args) > 2:
        count = int(args[2])
        return [_text(key) for key in args[3:3 + count]]
    if name == "WATCH":
        return [_text(key) for key in args[1:]]
    pick = _ALLOWED.get(name)
    return [_text(key) for key in pick(args)] if pick else []


class _Worker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.thread: threading.Thread | None = None
        self.pause_when: Callable[[str, list[str]], bool] = lambda name, keys: False
        self.paused_at: str | None = None     # the command it waits to send
        self.go = False
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.computing = False


class Scheduler(CommandProxy):
    """A redis client that lets the check pause each worker thread before any command."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.cond = threading.Condition()
        self.workers: dict[threading.Thread, _Worker] = {}
        self.stopping = False

    def _before(self, args: tuple[Any, ...]) -> None:
        worker = self.workers.get(threading.current_thread())
        if worker is None:
            return
        if self.stopping:
            raise _Stop
        name, keys = _command_name(args), _keys_of(args)
        with self.cond:
            if not worker.pause_when(name, keys):
                return
            worker.paused_at = " ".join([name, *keys])
            worker.go = False
            self.cond.notify_all()
            while not worker.go:
                if self.stopping:
                    raise _Stop
                self.cond.wait(0.05)
            worker.paused_at = None

    def start(self, name: str, call: Callable[[], Any],
              pause_when: Callable[[str, list[str]], bool] | None = None) -> _Worker:
        worker = _Worker(name)
        if pause_when is not None:
            worker.pause_when = pause_when

        def body() -> None:
            try:
                worker.result = call()
            except _Stop:
                pass
            except BaseException as exc:  # reported by the check
                worker.error = exc
            finally:
                with self.cond:
                    worker.done = True
                    self.cond.notify_all()

        worker.thread = threading.Thread(target=body, daemon=True, name=f"check-{name}")
        self.workers[worker.thread] = worker
        worker.thread.start()
        return worker

    def wait(self, condition: Callable[[], bool], seconds: float = _STEP_SECONDS) -> bool:
        deadline = time.monotonic() + seconds
        with self.cond:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.02))
        return True

    def settle(self, worker: _Worker, seconds: float = _STEP_SECONDS) -> bool:
        """Wait until ``worker`` is paused, computing (held) or done; False when it still runs."""
        return self.wait(lambda: worker.done or worker.paused_at is not None or worker.computing,
                         seconds)

    def resume(self, worker: _Worker,
               pause_when: Callable[[str, list[str]], bool] | None = None) -> None:
        with self.cond:
            worker.pause_when = pause_when or (lambda name, keys: False)
            worker.go = True
            worker.paused_at = None
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        for worker in list(self.workers.values()):
            if worker.thread is not None:
                worker.thread.join(1.0)


class _Compute:
    """The check's compute(): counts calls; may hold (until released), raise, or return falsy."""

    def __init__(self, scheduler: Scheduler, value: Any, hold: bool = False,
                 raise_first: bool = False, limit: int = 5,
                 snapshot: Callable[[], dict[str, int]] | None = None) -> None:
        self.scheduler = scheduler
        self.value = value
        self.hold = hold
        self.raise_first = raise_first
        self.limit = limit
        self.snapshot = snapshot
        self.calls: list[str] = []
        self.locks_seen: list[dict[str, int]] = []
        self.release = threading.Event()

    def for_worker(self, worker_name: str) -> Callable[[], Any]:
        def compute() -> Any:
            self.calls.append(worker_name)
            if self.snapshot is not None:
                self.locks_seen.append(self.snapshot())
            if len(self.calls) > self.limit:
                raise _Stop  # a caller computing again and again: stop it (judged later)
            worker = self.scheduler.workers.get(threading.current_thread())
            if self.hold and worker is not None:
                with self.scheduler.cond:
                    worker.computing = True
                    self.scheduler.cond.notify_all()
                while not self.release.wait(0.02):
                    if self.scheduler.stopping:
                        raise _Stop
                with self.scheduler.cond:
                    worker.computing = False
            if self.raise_first and len(self.calls) == 1:
                raise RuntimeError("database down")
            return self.value
        return compute


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

    def __init__(self, get_or_compute: Callable[..., Any], raw: Any, tag: str) -> None:
        self.raw = raw
        self.prefix = new_prefix(f"inv-stampede-{tag}")
        self.key = "report:bestsellers"
        self.value_name = self.prefix + self.key
        self.scheduler = Scheduler(raw)
        self.guard = GuardedRedis(self.scheduler, self.prefix, _STAMPEDE_ADVICE, scripts=True)
        self.app, self.cache = redis_app(self.guard, self.prefix, f"invalidation_{tag}")
        self.get_or_compute = get_or_compute

    def locks(self) -> dict[str, int]:
        """The keys in the prefix other than the value (the learner's lock), with their PTTLs."""
        found = {}
        for key in self.raw.scan_iter(match=glob_escape(self.prefix) + "*", count=500):
            name = _text(key)
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

    def start(self, name: str, compute: _Compute,
              pause_when: Callable[[str, list[str]], bool] | None = None,
              key: str | None = None) -> _Worker:
        return self.scheduler.start(name, self.caller(compute.for_worker(name), key), pause_when)

    def close(self) -> None:
        self.scheduler.stop()
        delete_prefix(self.raw, self.prefix)


def _raise_worker_error(worker: _Worker) -> None:
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
    scene = _Scene(get_or_compute, raw, tag)
    try:
        yield scene
    except Exception:
        report_violation(scene.guard)
        raise
    finally:
        scene.close()
    report_violation(scene.guard)


def _finish(scene: _Scene, worker: _Worker, what: str, seconds: float = _STEP_SECONDS) -> Any:
    scene.scheduler.resume(worker)
    if not scene.scheduler.wait(lambda: worker.done, seconds):
        raise Fail(what)
    _raise_worker_error(worker)
    return worker.result


_POLL_ONLY = ("your waiters only poll for the value: when the worker holding the lock {what}, "
              "nobody computed it and the other callers waited for ever (the check gave up "
              "after {seconds:.0f} s). While you wait, keep trying to take the lock (and read the "
              "cache), so that a waiter takes over once the holder's lock is released or "
              "expires.")


def _scene_main(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """A and B miss together; A stops before its lock, B too; A takes it and computes; B runs."""
    with _scene(get_or_compute, raw, "main") as scene:
        compute = _Compute(scene.scheduler, REPORT, snapshot=scene.locks)
        lock_attempt, stores = _is_write, _writes_value(scene.value_name)
        a = scene.start("A", compute, pause_when=lock_attempt)
        scene.scheduler.settle(a)
        b = scene.start("B", compute, pause_when=lock_attempt)
        scene.scheduler.settle(b)
        scene.scheduler.resume(a, pause_when=stores)
        scene.scheduler.settle(a)
        locks_before_store = scene.locks() if a.paused_at else None
        scene.scheduler.resume(b)
        scene.scheduler.wait(lambda: b.done or len(compute.calls) > 1, _POLL_SECONDS)
        _finish(scene, a, "the first caller did not return after it computed the value.")
        scene.scheduler.wait(lambda: b.done, _STEP_SECONDS)
        if not b.done:
            raise Fail("a caller that lost the lock did not return within 1 s of the value being "
                       "stored: while it waits, it must read the cache again (and return the value "
                       "once it is there).")
        _raise_worker_error(b)
        if not compute.calls:
            raise Fail("compute was never called on a cold cache.")
        locks = compute.locks_seen[0] if compute.locks_seen else {}
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
        if a.result != REPORT or b.result != REPORT:
            raise Fail(f"the callers returned {a.result!r} and {b.result!r} instead of the value "
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
        if len(compute.calls) != 1 or again.result != REPORT:
            raise Fail("a call after the value was cached computed again: return the cached value "
                       "on a hit.")


def _scene_late(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """B computes and stores between A's miss and A's lock: A must look again after the lock."""
    with _scene(get_or_compute, raw, "late") as scene:
        compute = _Compute(scene.scheduler, REPORT)
        a = scene.start("A", compute, pause_when=_is_write)
        scene.scheduler.settle(a)
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
        if a.result != REPORT:
            raise Fail(f"another worker stored the value between your miss and your lock; you "
                       f"read the cache again after taking the lock and found it, but returned "
                       f"{a.result!r} instead of that value, {REPORT!r}: return the value you "
                       "found (unboxed).")


_OTHER_KEY = "report:newest"
OTHER_REPORT = {"newest": ["Copper Kettle"]}


def _scene_keys(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """A computes one key; B misses another key: B computes at once, it does not wait for A."""
    with _scene(get_or_compute, raw, "keys") as scene:
        slow = _Compute(scene.scheduler, REPORT, hold=True)
        a = scene.start("A", slow)
        if not scene.scheduler.settle(a) or not a.computing:
            return  # the main scene judges an answer that does not compute
        other = _Compute(scene.scheduler, OTHER_REPORT)
        b = scene.start("B", other, key=_OTHER_KEY)
        finished = scene.scheduler.wait(lambda: b.done, _STEP_SECONDS)
        slow.release.set()
        if not finished:
            raise Fail(f"while one caller computed {scene.key!r}, a caller that missed another "
                       f"key, {_OTHER_KEY!r}, waited for it instead of computing its own value: "
                       "your lock's name does not depend on the key, so one lock serialises "
                       "every key of the cache. Name the lock after the key, e.g. "
                       "prefix + key + ':lock'.")
        _raise_worker_error(b)
        if b.result != OTHER_REPORT or not other.calls:
            raise Fail(f"a caller of {_OTHER_KEY!r} returned {b.result!r} instead of the value "
                       f"its own compute() returned, {OTHER_REPORT!r}.")
        scene.scheduler.wait(lambda: a.done, _STEP_SECONDS)
        _raise_worker_error(a)


def _scene_falsy(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """compute() returns 0, '', [] and None: each is a value, computed once and then cached."""
    with _scene(get_or_compute, raw, "falsy") as scene:
        for value in (0, "", [], None):
            scene.raw.delete(scene.value_name)
            compute = _Compute(scene.scheduler, value, limit=4)
            for attempt in range(2):
                worker = scene.start(f"{value!r}-{attempt}", compute)
                finished = scene.scheduler.wait(lambda w=worker: w.done, _STEP_SECONDS)
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
                if worker.result != value or type(worker.result) is not type(value):
                    raise Fail(f"compute() returned {value!r} but your get_or_compute returned "
                               f"{worker.result!r}: return exactly the value (unbox it on a hit).")
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
        slow = _Compute(scene.scheduler, REPORT, hold=True)
        a = scene.start("A", slow)
        if not scene.scheduler.settle(a) or not a.computing:
            if a.done:
                _raise_worker_error(a)
            return
        if not scene.locks():
            return  # no lock in the cache: the main scene judges that
        scene.expire_locks()                     # A's lock times out while A still computes
        slow_b = _Compute(scene.scheduler, REPORT, hold=True)
        b = scene.start("B", slow_b)
        scene.scheduler.settle(b)
        if not b.computing:
            raise Fail(_POLL_ONLY.format(what="computed longer than its lock lasted",
                                         seconds=_STEP_SECONDS))
        b_locks = scene.lock_values()
        slow.release.set()
        if not scene.scheduler.wait(lambda: a.done, _STEP_SECONDS):
            raise Fail("a caller did not return after its computation finished.")
        _raise_worker_error(a)
        if b_locks and scene.lock_values() != b_locks:
            raise Fail("worker A computed longer than its lock lasted, the lock expired and worker B "
                       "took it; then A finished and deleted the lock, which was B's: a third worker "
                       "could now compute too. Store a random token in the lock "
                       "(secrets.token_hex()) and release it only if it still holds your token "
                       "(compare-and-delete).")
        slow_b.release.set()
        scene.scheduler.wait(lambda: b.done, _STEP_SECONDS)
        _raise_worker_error(b)


def _scene_race(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """A's lock expires between A's compare and A's delete, and B takes it: B's must survive."""
    with _scene(get_or_compute, raw, "race") as scene:
        compute = _Compute(scene.scheduler, REPORT)
        a = scene.start("A", compute, pause_when=_is_release(scene.value_name))
        scene.scheduler.settle(a)
        if a.paused_at is None:
            return  # no release command: the main scene judges that
        scene.raw.delete(scene.value_name)       # a write invalidates the value...
        scene.expire_locks()                     # ...and A's lock times out
        slow_b = _Compute(scene.scheduler, REPORT, hold=True)
        b = scene.start("B", slow_b)
        scene.scheduler.settle(b)
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
        scene.scheduler.wait(lambda: b.done, _STEP_SECONDS)
        _raise_worker_error(b)


def _scene_failing(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """The holder's compute raises: the error propagates, the lock goes, a waiter takes over."""
    with _scene(get_or_compute, raw, "failing") as scene:
        failing = _Compute(scene.scheduler, REPORT, hold=True, raise_first=True)
        a = scene.start("A", failing)
        if not scene.scheduler.settle(a) or not a.computing:
            return
        b = scene.start("B", failing)
        scene.scheduler.wait(lambda: b.done, _POLL_SECONDS)
        failing.release.set()
        if not scene.scheduler.wait(lambda: a.done, _STEP_SECONDS):
            raise Fail("when compute raised, your get_or_compute did not return: let the error "
                       "propagate (and release the lock in a finally block).")
        if a.error is None:
            raise Fail(f"when compute raised, your get_or_compute returned {a.result!r} instead of "
                       "letting the error propagate: the caller must see that the value could not "
                       "be computed.")
        if not isinstance(a.error, RuntimeError):
            _raise_worker_error(a)
        if not scene.scheduler.wait(lambda: b.done, _STEP_SECONDS):
            if scene.locks():
                raise Fail("when compute raised, the lock stayed in the cache, so every later caller "
                           "waits until it times out: release the lock in a finally block.")
            raise Fail(_POLL_ONLY.format(what="failed (its compute raised)", seconds=_STEP_SECONDS))
        _raise_worker_error(b)
        if b.result != REPORT:
            raise Fail(f"after the first worker's compute raised, a waiting caller returned "
                       f"{b.result!r} instead of computing the value.")
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
