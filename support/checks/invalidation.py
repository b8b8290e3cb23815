"""Checkers for lesson 03 (invalidation).

Each checker builds its own app and RedisCache under a fresh key prefix inside
``course_prefix("grading")`` and deletes that prefix's keys when it is done. Every Redis client
the learner's code can reach (the ``redis`` argument, and the client under ``cache.cache``:
``_read_client`` / ``_write_client``) is a :class:`GuardedRedis`: it sends only an allow-list of
plain string commands (GET, SET, SETNX, MGET, DEL, UNLINK, EXISTS, INCR, EXPIRE, TTL, ..., and a
SCAN whose MATCH starts with the prefix), each on keys that start with the checker's prefix, so
KEYS (and so ``cache.clear()``), FLUSHDB, scripts, hashes, lists, sets and every write or delete
outside the prefix are refused before they reach the server, and the check fails with a hint that
names the command. A wrong answer therefore cannot touch keys the course did not write, even on a
learner's own Redis. The guard catches mistakes, not intent: code that builds its own client (or
reaches past the proxy, e.g. ``redis.connection_pool``) is not stopped. The checkers' own reads and
clean-up use the unguarded client.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
import types
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


def _command_name(args: tuple[Any, ...]) -> str:
    return _text(args[0]).upper() if args else ""


# client methods that are not commands but send them through ``self`` (``self.pipeline()``,
# ``self.set(...)``): bound to the proxy too, so what they send goes through its hook
_CLIENT_METHODS = {"lock", "transaction"}


def _unwrapped(owner: Any) -> Any:
    """The redis-py client or pipeline under any number of proxies."""
    while isinstance(owner, (CommandProxy, ProxyPipeline)):
        owner = owner._client if isinstance(owner, CommandProxy) else owner._pipe
    return owner


def _is_command_method(owner: Any, name: str) -> Any:
    """The redis-py command function ``name`` of ``owner``'s class, or None for anything else.

    ``owner`` may itself be a proxy: the function is looked up on the redis-py class under it,
    so a proxy of a proxy still sends every command through its own hook first.
    """
    function = getattr(type(_unwrapped(owner)), name, None)
    module = getattr(function, "__module__", "") or ""
    if module.startswith("redis.commands") or (name in _CLIENT_METHODS
                                               and module.startswith("redis.")):
        return function if callable(function) else None
    return None


class CommandProxy:
    """A redis client whose every command goes through :meth:`execute_command` (and its hook).

    redis-py's command methods (``get``, ``delete``, ``scan_iter``, ...) are looked up on the
    wrapped client's class and bound to the proxy, so they call the proxy's ``execute_command``;
    ``pipeline()`` returns a pipeline that sends its commands through the same hook, and so do
    ``lock()`` and ``transaction()``. Anything else (``connection_pool``, ...) is the wrapped
    client's. The wrapped client may itself be a proxy: each one's hook runs, outermost first.
    """

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        function = _is_command_method(self._client, name)
        if function is not None:
            return types.MethodType(function, self)
        return getattr(self._client, name)

    def _before(self, args: tuple[Any, ...]) -> None:
        """Called with every command before it is sent (or queued); may raise."""

    def _after(self, args: tuple[Any, ...], result: Any) -> Any:
        """Called with every command's result; returns what the caller gets."""
        return result

    def execute_command(self, *args: Any, **options: Any) -> Any:
        self._before(args)
        return self._after(args, self._client.execute_command(*args, **options))

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> ProxyPipeline:
        return ProxyPipeline(self, self._client.pipeline(transaction, shard_hint))


class ProxyPipeline:
    """A pipeline of a :class:`CommandProxy`: every queued command goes through its hook."""

    def __init__(self, owner: CommandProxy, pipe: Any) -> None:
        self._owner = owner
        self._pipe = pipe

    def __getattr__(self, name: str) -> Any:
        function = _is_command_method(self._pipe, name)
        if function is not None:
            return types.MethodType(function, self)
        return getattr(self._pipe, name)

    def __enter__(self) -> ProxyPipeline:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._pipe.reset()

    def __len__(self) -> int:
        return len(self._pipe)

    def execute_command(self, *args: Any, **options: Any) -> Any:
        self._owner._before(args)
        result = self._pipe.execute_command(*args, **options)
        return self if result is self._pipe else result


def _first_key(args: tuple[Any, ...]) -> list[Any]:
    return list(args[1:2])


def _every_argument(args: tuple[Any, ...]) -> list[Any]:
    return list(args[1:])


def _every_other_argument(args: tuple[Any, ...]) -> list[Any]:
    return list(args[1::2])


# The only commands the learner's code may send, with where their keys are. They are what
# cachelib's RedisCache sends (GET, MGET, SET, SETNX + EXPIRE, pipelined SETs, DEL, UNLINK,
# EXISTS, INCRBY; clear() sends KEYS, which is refused) plus their plain string relatives and a
# SCAN whose MATCH starts with the prefix (checked apart). Every key must start with the prefix.
_ALLOWED: dict[str, Callable[[tuple[Any, ...]], list[Any]]] = {
    **dict.fromkeys(["GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX",
                     "APPEND", "STRLEN", "INCR", "INCRBY", "INCRBYFLOAT", "DECR", "DECRBY",
                     "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST", "TTL", "PTTL",
                     "TYPE"], _first_key),
    **dict.fromkeys(["MGET", "DEL", "UNLINK", "EXISTS"], _every_argument),
    **dict.fromkeys(["MSET", "MSETNX"], _every_other_argument),
    "SCAN": lambda args: [],
    "PING": lambda args: [],
}


class GuardedRedis(CommandProxy):
    """A redis client that sends only an allow-list of commands on keys inside ``prefix``.

    Every command, whether it comes from a method (``redis.delete``), ``execute_command``, a
    pipeline, ``lock()`` or ``transaction()``, is checked before it is sent or queued: its name
    must be in the allow-list, every key it names must start with ``prefix``, and a SCAN needs a
    MATCH pattern that starts with the prefix. Refused commands are not sent to the server: the
    guard records the reason and raises :class:`Fail` (if the learner's code swallows it, the
    checker still finds ``violation``). ``advice`` ends every refusal: what the exercise needs.
    """

    def __init__(self, client: Any, prefix: str, advice: str = "") -> None:
        super().__init__(client)
        self._prefix = prefix
        self._advice = advice
        self.violation: str | None = None
        self.deleted: list[str] = []

    def _refuse(self, message: str) -> None:
        if self._advice:
            message = f"{message} {self._advice}"
        self.violation = self.violation or message
        raise Fail(message)

    def _before(self, args: tuple[Any, ...]) -> None:
        name = _command_name(args)
        if name == "KEYS":
            pattern = _text(args[1]) if len(args) > 1 else "*"
            self._refuse(f"your code ran KEYS {pattern!r} (cache.clear() runs it too): KEYS "
                         "walks the whole database in one command and blocks every other client "
                         "of the Redis until it finishes. Do not clear the cache: delete exact "
                         "keys, and find keys with redis.scan_iter(match=..., count=...).")
        elif name == "FLUSHDB":
            self._refuse("your code ran FLUSHDB, which deletes every key of the database, "
                         "including other apps' keys.")
        elif name == "FLUSHALL":
            self._refuse("your code ran FLUSHALL, which deletes every key of every database, "
                         "including other apps' keys.")
        elif name not in _ALLOWED:
            self._refuse(f"your code ran {name or 'an empty command'}, which the check's Redis "
                         "client refuses: it lets through only the plain string commands a "
                         "cache needs (GET, SET, SETNX, MGET, DEL, UNLINK, EXISTS, INCR, EXPIRE, "
                         "TTL, a SCAN with the prefix, ...), each on keys that start with the "
                         f"cache's prefix ({self._prefix!r}), so that an answer cannot change "
                         "keys other apps keep on the same Redis.")
        elif name == "SCAN":
            self._check_pattern(_scan_match(args))
        else:
            self._check_keys(name, _ALLOWED[name](args))

    def _check_pattern(self, match: Any) -> None:
        if match is None:
            self._refuse("your SCAN has no match= pattern, so it walks and returns every key of "
                         "the database, other apps' keys included. Scan for the cache's key "
                         "prefix (cache.cache.key_prefix) + the keys you need.")
        pattern = _text(match)
        if not pattern.startswith(_glob_escape(self._prefix)):
            self._refuse(f"your SCAN pattern {pattern!r} does not start with the cache's key "
                         f"prefix ({self._prefix!r}, in cache.cache.key_prefix). Flask-Caching "
                         "stores every key as prefix + key, so a pattern without the prefix misses "
                         "the cache's keys, and one that starts with a wildcard can match keys "
                         "other apps wrote on the same Redis.")

    def _check_keys(self, command: str, names: Iterable[Any]) -> None:
        deleting = command in {"DEL", "UNLINK"}
        for name in names:
            key = _text(name)
            if key.startswith(self._prefix):
                if deleting:
                    self.deleted.append(key)
            elif deleting:
                self._refuse(f"your code deleted {key!r}, a key outside the cache's prefix "
                             f"({self._prefix!r}): on a shared Redis that is another app's key. "
                             "Delete only keys that start with the prefix.")
            else:
                self._refuse(f"your code ran {command} on {key!r}, a key outside the cache's "
                             f"prefix ({self._prefix!r}): on a shared Redis that is another app's "
                             "key. Touch only keys that start with the prefix (cache.get, "
                             "cache.set, ... add it for you).")


def _report_violation(guard: GuardedRedis) -> None:
    """Raise the guard's refusal, if it refused a command, as the check's failure.

    Called when a check ends, and when it fails: the learner's code may have caught the guard's
    :class:`Fail` (``except Exception``) and gone on, and a refused command usually makes a later
    judgement fail too, but the refusal names the real mistake.
    """
    if guard.violation:
        raise Fail(guard.violation) from None


def _scan_match(args: tuple[Any, ...]) -> Any:
    """The MATCH argument of a SCAN command, or None."""
    for i, arg in enumerate(args[:-1]):
        if isinstance(arg, (str, bytes)) and _text(arg).upper() == "MATCH":
            return args[i + 1]
    return None


# --- invalidation-product-list -------------------------------------------------------------

PAGES = ["/api/products", "/api/products?page=1", "/api/products?page=2"]
DETAIL = "/api/products/1"
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
    page = 2 if "page=2" in path else 1
    newest = names[::-1]
    return {"page": page, "products": newest[(page - 1) * _PAGE_SIZE: page * _PAGE_SIZE]}


def _is_delete_without_keys(exc: BaseException) -> bool:
    """redis' error for DEL / UNLINK sent with no key (``redis.delete(*[])``)."""
    from redis.exceptions import ResponseError

    return isinstance(exc, ResponseError) and "wrong number of arguments" in str(exc)


def _call_invalidate(invalidate: Callable[..., Any], cache: Cache, guard: GuardedRedis,
                     when: str) -> None:
    """Call the learner's function; its exception becomes a Fail that says what went wrong."""
    try:
        invalidate(cache, guard)
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
    "hex characters of a sha256 hash. SCAN for cache.cache.key_prefix + 'view//api/products' + "
    "'[0-9a-f]' * 64 with redis.scan_iter(match=..., count=...), so that detail pages "
    "(view//api/products/1) do not match, and delete what it finds with redis.delete(*keys) "
    "(only when it found something)."))
def check_product_list(ns: Namespace) -> str:
    invalidate = ns.function("invalidate_product_list")
    raw = redis_client()
    prefix = _new_prefix("inv-list")
    decoy_prefix = _new_prefix("inv-decoy")
    guard = GuardedRedis(raw, prefix, _LIST_ADVICE)
    app, cache, names = _product_app(guard, prefix)
    decoy = decoy_prefix + "view//api/products"
    try:
        raw.set(decoy, "another app's key", ex=60)
        with app.test_request_context("/api/products", method="POST"):
            _call_invalidate(invalidate, cache, guard, "with nothing cached yet")
        client = app.test_client()
        for path in [*PAGES, DETAIL, "/api/users"]:
            client.get(path)
        with app.app_context():
            cache.set("settings", {"currency": "EUR"})
        names.append("Copper Kettle")  # a product is created...
        guard.deleted.clear()
        with app.test_request_context("/api/products", method="POST"):
            _call_invalidate(invalidate, cache, guard, "after a write")  # ...and invalidated
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
                       "of the cache (the users page or a setting): match only the list's keys, "
                       "'view//api/products' + the hash, after the prefix.")
        if not raw.exists(prefix + "view//api/products/1"):
            raise Fail("every page of the list is fresh, but you also deleted the cached product "
                       "page /api/products/1 (key 'view//api/products/1'): the glob "
                       "'view//api/products*' matches it too. The list's keys are "
                       "'view//api/products' followed by exactly 64 hex characters: match "
                       "'view//api/products' + '[0-9a-f]' * 64, or filter the SCAN's keys with "
                       "a regex such as r'view//api/products[0-9a-f]{64}'.")
    finally:
        _delete_prefix(raw, prefix)
        raw.delete(decoy)
    return ("after a write, every cached page of the list is deleted (bare path, ?page=1, "
            "?page=2), the product page and the rest of the cache are kept, and nothing outside "
            "the cache's prefix was touched.")


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
    return {key: client.get(key) for key in client.scan_iter(match=_glob_escape(prefix) + "*")}


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
    prefix = _new_prefix("inv-version")
    held = _HeldRead(raw)
    guard = GuardedRedis(held, prefix, _VERSIONED_ADVICE)
    worker_a, cache = _redis_cache(guard, prefix, "worker_a")
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
        _report_violation(guard)
        _judge_separator(ns, product_key, bump, raw)
    except Exception:
        _report_violation(guard)
        raise
    finally:
        _delete_prefix(raw, prefix)
    _report_violation(guard)
    return ("each bump makes every earlier product key unreachable in one step (even when two "
            "workers bump at once), every worker reads the same version from the cache, and the "
            "version never expires.")


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
    prefix = _new_prefix("inv-separator")
    guard = GuardedRedis(raw, prefix, _VERSIONED_ADVICE)
    app, cache = _redis_cache(guard, prefix, "invalidation_separator")
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
        _report_violation(guard)
        raise
    finally:
        _delete_prefix(raw, prefix)
    _report_violation(guard)


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


_STAMPEDE_ADVICE = ("get_or_compute needs only cache.get, cache.add (the lock, with a timeout), "
                    "cache.set and cache.delete, on keys inside the cache.")


@exercise("invalidation-stampede", hint=(
    "cache.get first; on a miss, cache.add(key + ':lock', 1, timeout=...) is the lock: the "
    "winner checks the cache again, computes, sets the value and deletes the lock in a finally "
    "block; the others sleep a little and read again until the value is there."))
def check_stampede(ns: Namespace) -> str:
    get_or_compute = ns.function("get_or_compute")
    raw = redis_client()
    prefix = _new_prefix("inv-stampede")
    guard = GuardedRedis(raw, prefix, _STAMPEDE_ADVICE)
    app, cache = _redis_cache(guard, prefix, "invalidation_stampede")
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
        _report_violation(guard)
        _judge_second_look(get_or_compute, raw)
        _judge_failing_compute(get_or_compute, app, cache, raw, prefix)
    except Exception:
        _report_violation(guard)
        raise
    finally:
        _delete_prefix(raw, prefix)
    _report_violation(guard)
    return (f"{N_CALLERS} simultaneous misses ran compute once, every caller got the value, a "
            "value stored just before the lock was taken was not computed again, and the lock "
            "(with a timeout) was released, even when compute raised.")


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


class _LateValue(CommandProxy):
    """Another worker stores ``key`` just after a caller's first miss on it (no lock held yet)."""

    def __init__(self, client: Any, prefix: str, key: str, store: Callable[[], Any]) -> None:
        super().__init__(client)
        self._name = prefix + key
        self._prefix = prefix
        self._key = key
        self._store = store
        self.landed = False

    def _after(self, args: tuple[Any, ...], result: Any) -> Any:
        if (not self.landed and result is None and _command_name(args) == "GET"
                and len(args) > 1 and _text(args[1]) == self._name
                and not _other_keys(self._client, self._prefix, self._key)):
            self.landed = True
            self._store()
        return result


def _judge_second_look(get_or_compute: Callable[..., Any], raw: Any) -> None:
    """A value lands between the caller's miss and its lock: it must not compute again."""
    prefix = _new_prefix("inv-late")
    key = "report:late"
    landed = {"bestsellers": ["stored by another worker"]}
    other_app, other_cache = _redis_cache(raw, prefix, "invalidation_other_worker")
    with other_app.app_context():
        backend = other_cache.cache
    proxy = _LateValue(raw, prefix, key, lambda: backend.set(key, landed, timeout=_TIMEOUT))
    guard = GuardedRedis(proxy, prefix, _STAMPEDE_ADVICE)
    app, cache = _redis_cache(guard, prefix, "invalidation_late_value")
    calls: list[int] = []
    outcome: dict[str, Any] = {}

    def compute() -> dict[str, Any]:
        calls.append(1)
        return {"bestsellers": ["computed again"]}

    def caller() -> None:
        with app.app_context():
            try:
                outcome["value"] = get_or_compute(cache, key, compute, _TIMEOUT)
            except Exception as exc:  # reported below
                outcome["error"] = exc

    try:
        thread = threading.Thread(target=caller, daemon=True)
        thread.start()
        thread.join(_JOIN_SECONDS)
        if thread.is_alive():
            raise Fail("when another worker stored the value just after your miss, your "
                       "get_or_compute did not return.")
        if "error" in outcome:
            error = outcome["error"]
            raise Fail(f"a caller raised {type(error).__name__}: {error}")
        if proxy.landed and calls:
            raise Fail("another worker stored the value between your first cache.get and your "
                       "cache.add, and you computed it again: after cache.add gives you the lock, "
                       "read the cache again (look again with cache.get: the value may have "
                       "arrived while you were taking the lock) and compute only if it is still "
                       "missing.")
        if proxy.landed and outcome.get("value") != landed:
            raise Fail("another worker stored the value just after your miss, but your "
                       f"get_or_compute returned {outcome.get('value')!r} instead of it.")
    except Exception:
        _report_violation(guard)
        raise
    finally:
        _delete_prefix(raw, prefix)
    _report_violation(guard)
