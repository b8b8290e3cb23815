"""Checkers for lesson 03 (invalidation).

Each checker builds its own app and RedisCache under a fresh key prefix inside
``course_prefix("grading")`` and deletes that prefix's keys when it is done. The learner's code
only ever sees a guarded Redis client that refuses KEYS, FLUSHDB/FLUSHALL, a SCAN whose pattern
does not start with the cache's prefix, and deletes outside that prefix, so a wrong answer cannot
touch keys the course did not write, even on a learner's own Redis.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, request
from flask_caching import Cache

from support.backends import course_prefix, redis_client
from support.grading import Fail, Namespace, exercise

# --- helpers -------------------------------------------------------------------------------


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _new_prefix(tag: str) -> str:
    """A prefix no other check (or earlier run of this one) uses."""
    return f"{course_prefix('grading')}{tag}-{secrets.token_hex(3)}:"


def _delete_prefix(client: Any, prefix: str) -> None:
    keys = list(client.scan_iter(match=_glob_escape(prefix) + "*", count=500))
    if keys:
        client.delete(*keys)


def _redis_cache(client: Any, prefix: str, name: str) -> tuple[Flask, Cache]:
    """A new app with its own Cache on ``client`` (any redis-compatible object) under ``prefix``."""
    app = Flask(name)
    cache = Cache()
    cache.init_app(app, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": client,
                                "CACHE_KEY_PREFIX": prefix, "CACHE_DEFAULT_TIMEOUT": 300})
    return app, cache


class GuardedRedis:
    """A redis client that lets through only what is safe inside ``prefix``; records mistakes.

    Refused commands are not sent to the server: the guard records the reason and raises
    :class:`Fail` (if the learner's code swallows it, the checker still finds ``violation``).
    """

    def __init__(self, client: Any, prefix: str) -> None:
        self._client = client
        self._prefix = prefix
        self.violation: str | None = None
        self.deleted: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _refuse(self, message: str) -> None:
        self.violation = self.violation or message
        raise Fail(message)

    def keys(self, pattern: Any = "*", **kwargs: Any) -> Any:
        self._refuse(f"your code ran KEYS {_text(pattern)!r} (cache.clear() runs it too): KEYS "
                     "walks the whole database in one command and blocks every other client of "
                     "the Redis until it finishes. Use redis.scan_iter(match=..., count=...).")

    def flushdb(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse("your code ran FLUSHDB, which deletes every key of the database, including "
                     "other apps' keys. Delete only the product list's keys.")

    def flushall(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse("your code ran FLUSHALL, which deletes every key of every database. "
                     "Delete only the product list's keys.")

    def _check_pattern(self, match: Any) -> None:
        if match is None:
            self._refuse("your SCAN has no match= pattern, so it walks and returns every key of "
                         "the database, other apps' keys included. Scan for the cache's key "
                         "prefix + 'view//api/products*'.")
        pattern = _text(match)
        if not pattern.startswith(_glob_escape(self._prefix)):
            self._refuse(f"your SCAN pattern {pattern!r} does not start with the cache's key "
                         f"prefix ({self._prefix!r}, in cache.cache.key_prefix). Flask-Caching "
                         "stores every key as prefix + key, so a pattern without the prefix misses "
                         "the cache's keys, and one that starts with a wildcard can match keys "
                         "other apps wrote on the same Redis.")

    def scan_iter(self, match: Any = None, count: Any = None, **kwargs: Any) -> Any:
        self._check_pattern(match)
        return self._client.scan_iter(match=match, count=count, **kwargs)

    def scan(self, cursor: int = 0, match: Any = None, count: Any = None, **kwargs: Any) -> Any:
        self._check_pattern(match)
        return self._client.scan(cursor, match=match, count=count, **kwargs)

    def _check_keys(self, names: Iterable[Any]) -> None:
        for name in names:
            key = _text(name)
            if not key.startswith(self._prefix):
                self._refuse(f"your code deleted {key!r}, a key outside the cache's prefix "
                             f"({self._prefix!r}): on a shared Redis that is another app's key. "
                             "Delete only keys that start with the prefix.")
            self.deleted.append(key)

    def delete(self, *names: Any) -> Any:
        self._check_keys(names)
        return self._client.delete(*names)

    def unlink(self, *names: Any) -> Any:
        self._check_keys(names)
        return self._client.unlink(*names)


# --- invalidation-product-list -------------------------------------------------------------

PAGES = ["/api/products", "/api/products?page=1", "/api/products?page=2"]
_PAGE_SIZE = 5


def _product_app(client: GuardedRedis, prefix: str) -> tuple[Flask, Cache, list[str]]:
    app, cache = _redis_cache(client, prefix, "invalidation_product_list")
    names = [f"Kettle {i}" for i in range(1, 13)]

    @app.get("/api/products")
    @cache.cached(timeout=300, query_string=True)
    def list_products() -> Any:
        page = request.args.get("page", 1, type=int)
        newest = names[::-1]
        return {"page": page, "products": newest[(page - 1) * _PAGE_SIZE: page * _PAGE_SIZE]}

    @app.get("/api/users")
    @cache.cached(timeout=300)
    def list_users() -> Any:
        return {"users": ["ada", "ben"]}

    return app, cache, names


def _expected(names: list[str], path: str) -> dict[str, Any]:
    page = 2 if "page=2" in path else 1
    newest = names[::-1]
    return {"page": page, "products": newest[(page - 1) * _PAGE_SIZE: page * _PAGE_SIZE]}


@exercise("invalidation-product-list", hint=(
    "With query_string=True every page has its own key: view//api/products + a hash. SCAN for "
    "cache.cache.key_prefix + 'view//api/products*' with redis.scan_iter(match=..., count=...) "
    "and delete what it finds with redis.delete(*keys) (only when it found something)."))
def check_product_list(ns: Namespace) -> str:
    invalidate = ns.function("invalidate_product_list")
    raw = redis_client()
    prefix = _new_prefix("inv-list")
    decoy_prefix = _new_prefix("inv-decoy")
    guard = GuardedRedis(raw, prefix)
    app, cache, names = _product_app(guard, prefix)
    decoy = decoy_prefix + "view//api/products"
    try:
        raw.set(decoy, "another app's key", ex=60)
        with app.test_request_context("/api/products", method="POST"):
            try:
                ns.call(invalidate, cache, guard)  # nothing cached yet
            except Fail as failure:
                if guard.violation:
                    raise Fail(guard.violation) from None
                raise Fail(f"{failure} This happened with nothing cached yet: when SCAN finds "
                           "no key, do not call redis.delete() with no arguments.") from None
        client = app.test_client()
        for path in [*PAGES, "/api/users"]:
            client.get(path)
        with app.app_context():
            cache.set("settings", {"currency": "EUR"})
        names.append("Copper Kettle")  # a product is created...
        guard.deleted.clear()
        with app.test_request_context("/api/products", method="POST"):
            try:
                ns.call(invalidate, cache, guard)  # ...and the handler invalidates
            except Fail:
                if guard.violation:
                    raise Fail(guard.violation) from None
                raise
        if guard.violation:
            raise Fail(guard.violation)
        if not raw.exists(decoy):
            raise Fail("another app's key (outside the cache's prefix) was deleted: only delete "
                       "keys that start with cache.cache.key_prefix.")
        stale = [path for path in PAGES if client.get(path).json != _expected(names, path)]
        if stale:
            raise Fail(_stale_hint(stale, guard, prefix))
        with app.app_context():
            kept_settings = cache.get("settings") is not None
        kept_users = raw.exists(prefix + "view//api/users")
        if not (kept_settings and kept_users):
            raise Fail("every page of the list is fresh, but your pattern also deleted the rest "
                       "of the cache (the users page or a setting): match only "
                       "'view//api/products*' after the prefix.")
    finally:
        _delete_prefix(raw, prefix)
        raw.delete(decoy)
    return ("after a write, every cached page of the list is deleted (bare path, ?page=1, "
            "?page=2), and nothing outside the cache's prefix was touched.")


def _stale_hint(stale: list[str], guard: GuardedRedis, prefix: str) -> str:
    deleted = guard.deleted
    if any("*" in key for key in deleted):
        return ("you passed a pattern to delete (e.g. cache.delete_many('view//api/products*')): "
                "delete and delete_many take exact keys, so this deleted the literal key "
                "'view//api/products*', which does not exist, and reported success. Find the "
                "keys with redis.scan_iter(match=...) first.")
    if any(key[len(prefix):].startswith((prefix, "b'", 'b"')) for key in deleted):
        return ("you passed the keys SCAN returned to cache.delete / cache.delete_many: they are "
                "full Redis names (bytes, prefix included), and the cache adds its prefix again, "
                "so nothing matched. Delete them with redis.delete(*keys).")
    if deleted and all(key == prefix + "view//api/products" for key in deleted):
        return ("you deleted the literal key 'view//api/products', which does not exist: with "
                "query_string=True every key is 'view//api/products' + a hash of the query "
                "string, even for the bare path. Delete every key that starts with it.")
    if "/api/products" not in stale:
        return ("only the bare path's entry was deleted; " + ", ".join(stale) + " still serve the "
                "old list. Each query string has its own key: find them all with a SCAN.")
    return ("these pages still serve the old list after your invalidation: " + ", ".join(stale)
            + ". Did you delete the keys that SCAN found?")


# --- invalidation-versioned ----------------------------------------------------------------


def _snapshot(client: Any, prefix: str) -> dict[bytes, Any]:
    return {key: client.get(key) for key in client.scan_iter(match=_glob_escape(prefix) + "*")}


@exercise("invalidation-versioned", hint=(
    "Keep a version number in the cache (it must be shared by every worker): product_key reads "
    "it (0 when missing) and builds e.g. f'product:v{version}:{product_id}'; "
    "bump_products_version increments it, e.g. cache.cache.inc('products:version')."))
def check_versioned(ns: Namespace) -> str:
    product_key = ns.function("product_key")
    bump = ns.function("bump_products_version")
    raw = redis_client()
    prefix = _new_prefix("inv-version")
    worker_a, cache = _redis_cache(raw, prefix, "worker_a")
    worker_b = Flask("worker_b")
    cache.init_app(worker_b, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": raw,
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
    finally:
        _delete_prefix(raw, prefix)
    return ("each bump makes every earlier product key unreachable in one step, and every worker "
            "reads the same version from the cache.")


# --- invalidation-stampede -----------------------------------------------------------------

N_CALLERS = 10
_COMPUTE_SECONDS = 0.15
_JOIN_SECONDS = 5.0
_TIMEOUT = 30


def _other_keys(client: Any, prefix: str, value_key: str) -> dict[str, int]:
    """Keys in ``prefix`` other than ``value_key``, with their TTLs (the learner's lock)."""
    found = {}
    for key in client.scan_iter(match=_glob_escape(prefix) + "*"):
        name = _text(key)
        if name != prefix + value_key:
            found[name[len(prefix):]] = client.ttl(key)
    return found


@exercise("invalidation-stampede", hint=(
    "cache.get first; on a miss, cache.add(key + ':lock', 1, timeout=...) is the lock: the "
    "winner checks the cache again, computes, sets the value and deletes the lock in a finally "
    "block; the others sleep a little and read again until the value is there."))
def check_stampede(ns: Namespace) -> str:
    get_or_compute = ns.function("get_or_compute")
    raw = redis_client()
    prefix = _new_prefix("inv-stampede")
    app, cache = _redis_cache(raw, prefix, "invalidation_stampede")
    key = "report:bestsellers"
    calls: list[int] = []
    seen_during_compute: list[dict[str, int]] = []
    calls_lock = threading.Lock()

    def compute() -> dict[str, Any]:
        with calls_lock:
            calls.append(1)
        seen_during_compute.append(_other_keys(raw, prefix, key))
        time.sleep(_COMPUTE_SECONDS)
        return {"bestsellers": ["Smart Notebook", "Retro Puzzle", "Quiet Speaker"]}

    try:
        results, errors, stuck = _hammer(app, lambda: get_or_compute(cache, key, compute, _TIMEOUT))
        if errors:
            raise Fail(f"a caller raised {type(errors[0]).__name__}: {errors[0]}")
        if stuck:
            raise Fail(f"{stuck} of {N_CALLERS} callers had not returned after {_JOIN_SECONDS:.0f} "
                       "s: do the waiters read the cache again while they wait, and is the lock "
                       "released?")
        _judge_concurrency(calls, results, seen_during_compute, key)
        leftover = _other_keys(raw, prefix, key)
        if leftover:
            raise Fail(f"the lock ({', '.join(leftover)}) is still in the cache after the value "
                       "was computed: every later miss would wait for it. Delete it when you are "
                       "done (in a finally block).")
        ttl = raw.ttl(prefix + key)
        if not _TIMEOUT - 5 <= ttl <= _TIMEOUT:
            raise Fail(f"the value was stored with a TTL of {ttl} s, not the timeout={_TIMEOUT} "
                       "the caller asked for: pass timeout to cache.set.")
        with app.app_context():
            again = ns.call(get_or_compute, cache, key, compute, _TIMEOUT)
        if len(calls) != 1 or again != results[0]:
            raise Fail("a call after the value was cached computed again: return the cached "
                       "value on a hit.")
        _judge_failing_compute(get_or_compute, app, cache, raw, prefix)
    finally:
        _delete_prefix(raw, prefix)
    return (f"{N_CALLERS} simultaneous misses ran compute once, every caller got the value, and "
            "the lock (with a timeout) was released, even when compute raised.")


def _hammer(app: Flask, call: Callable[[], Any]) -> tuple[list[Any], list[Exception], int]:
    start = threading.Barrier(N_CALLERS)
    results: list[Any] = [None] * N_CALLERS
    errors: list[Exception] = []

    def caller(i: int) -> None:
        with app.app_context():
            try:
                start.wait()
                results[i] = call()
            except Exception as exc:  # reported by the checker
                errors.append(exc)

    threads = [threading.Thread(target=caller, args=(i,), daemon=True) for i in range(N_CALLERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + _JOIN_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return results, errors, sum(thread.is_alive() for thread in threads)


def _judge_concurrency(calls: list[int], results: list[Any], seen: list[dict[str, int]],
                       key: str) -> None:
    locks = seen[0] if seen else {}
    if not calls:
        raise Fail("compute was never called on a cold cache.")
    if len(calls) > 1:
        if not any(seen):
            raise Fail(f"compute ran {len(calls)} times for one cold key: {N_CALLERS} callers "
                       "missed together and each computed (a stampede). Take a lock with "
                       "cache.add before computing.")
        raise Fail(f"compute ran {len(calls)} times although you take a lock: after the lock is "
                   "yours, read the cache again (another caller may have filled it while you "
                   "waited), and make the callers that lose the lock wait for the value instead "
                   "of computing it.")
    if not locks:
        raise Fail("compute ran once, but no lock was in the cache while it ran: a Python lock "
                   "(threading.Lock) only stops the threads of one process, not the other "
                   "workers. Take the lock in the cache with cache.add.")
    if any(ttl == -1 for ttl in locks.values()):
        raise Fail("your lock has no timeout: if the worker holding it dies, every other caller "
                   "waits for ever. Pass timeout= to cache.add.")
    expected = results[0] if results else None
    if any(result is None for result in results):
        raise Fail("some callers got None: a caller that does not get the lock must wait (sleep "
                   "briefly, read the cache again) and return the value, not give up.")
    if any(result != expected for result in results):
        raise Fail("the callers did not all get the same value.")


def _judge_failing_compute(get_or_compute: Callable[..., Any], app: Flask, cache: Cache,
                           raw: Any, prefix: str) -> None:
    def broken() -> Any:
        raise RuntimeError("database down")

    def caller() -> None:
        with app.app_context():
            try:
                get_or_compute(cache, "report:broken", broken, _TIMEOUT)
            except Exception:  # the error may propagate; the lock must not stay behind
                pass

    thread = threading.Thread(target=caller, daemon=True)
    thread.start()
    thread.join(2.0)
    if thread.is_alive():
        raise Fail("when compute raised, your get_or_compute did not return: let the error "
                   "propagate (and release the lock in a finally block).")
    if _other_keys(raw, prefix, "report:bestsellers"):
        raise Fail("when compute raised, the lock stayed in the cache, so every later caller "
                   "waits until it times out: release the lock in a finally block.")
