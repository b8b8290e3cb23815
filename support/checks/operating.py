"""Checkers for lesson 08 (operating the cache).

Each exercise is judged by cache transparency (``support.checks.transparency.judge``): the
learner's cached version must answer what the same code without a cache answers, on generated
scenarios, and save at least what the worked solution saves. None of them needs a real server:

* ``operating-fail-fast``: the learner's ``CACHE_OPTIONS`` talk to a Redis behind a loopback
  *switch* (:class:`RedisSwitch`) that forwards to an embedded fakeredis TCP server while it is
  up, holds connections without answering while it hangs, and closes them at once while it
  refuses. Every request must answer right and within a second; while Redis is up the cache
  must save what the worked solution saves.
* ``operating-batch-prices``: the learner's ``prices(cache, ids, load)`` on an embedded Redis
  whose round trips are counted (one per command, one per pipeline).
* ``operating-shared-redis``: the learner's eviction policy and page timeout on a simulated Redis
  with room for a few keys (:class:`BoundedRedis`, a model of ``maxmemory``), shared with another
  app's sessions.
"""

from __future__ import annotations

import logging
import selectors
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_caching import Cache

from support.checks.transparency import (Budget, FailingScenario, QuickBudget, Side, Step, StepFailed, Steps,
                                         call_steps, judge, with_advice, write_steps)
from support.backends import scan_prefix
from support.checks.plumbing import CommandProxy, grading_app
from support.checks.core import Fail, Namespace, NotAttempted, exercise, is_placeholder

# --- a Redis that can hang or refuse: a loopback switch in front of an embedded server -------


class EmbeddedRedisServer:
    """fakeredis behind a real TCP socket on a free loopback port (a thread serves it)."""

    def __init__(self) -> None:
        from fakeredis import TcpFakeServer

        TcpFakeServer.allow_reuse_address = True
        self._server = TcpFakeServer(("127.0.0.1", 0), server_type="redis")
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name=f"fake-redis-{self.port}")
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class RedisSwitch:
    """A loopback port in front of a Redis: ``up`` forwards, ``hung`` accepts and never
    answers, ``refused`` closes every connection at once, ``unreachable`` lets a connect hang
    (a host that drops packets: the listener's backlog of one is kept full and nothing is
    accepted, so the kernel drops new SYNs). Switching drops what is open."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.mode = "up"
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=0)
        self._plug: socket.socket | None = None
        self._listener.setblocking(False)
        self.port = int(self._listener.getsockname()[1])
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ, None)
        self._pairs: dict[socket.socket, socket.socket | None] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"redis-switch-{self.port}")
        self._thread.start()

    def set_mode(self, mode: str) -> None:
        with self._lock:
            if mode == "unreachable" and self.mode != "unreachable":
                self._selector.unregister(self._listener)
                self._drain()
                try:  # fill the queue of one: the kernel then drops new SYNs (Linux)
                    self._plug = socket.create_connection(("127.0.0.1", self.port), timeout=1)
                except OSError:  # elsewhere a connect may be refused or queued: still no answer
                    self._plug = None
            elif mode != "unreachable" and self.mode == "unreachable":
                if self._plug is not None:
                    self._plug.close()
                    self._plug = None
                self._drain()   # the plug's entry leaves the queue now, not at the next poll
                self._selector.register(self._listener, selectors.EVENT_READ, None)
            self.mode = mode
            for sock in list(self._pairs):
                self._drop(sock)

    def _drain(self) -> None:
        """Accept and close every connection waiting in the listener's queue."""
        while True:
            try:
                waiting, _ = self._listener.accept()
            except OSError:
                return
            waiting.close()

    def _drop(self, sock: socket.socket) -> None:
        other = self._pairs.pop(sock, None)
        for s in (sock, other):
            if s is None:
                continue
            try:
                self._selector.unregister(s)
            except (KeyError, ValueError):
                pass
            self._pairs.pop(s, None)
            s.close()

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except OSError:
            return
        if self.mode == "refused":
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            client.close()
            return
        if self.mode == "hung":
            self._pairs[client] = None      # held open, never read, never answered
            return
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        for s in (client, upstream):
            s.setblocking(False)
        self._pairs[client], self._pairs[upstream] = upstream, client
        self._selector.register(client, selectors.EVENT_READ, None)
        self._selector.register(upstream, selectors.EVENT_READ, None)

    def _run(self) -> None:
        while not self._stopped.is_set():
            for key, _ in self._selector.select(timeout=0.005):  # close() waits at most this long
                with self._lock:
                    sock = key.fileobj
                    if sock is self._listener:
                        self._accept()
                        continue
                    other = self._pairs.get(sock)  # type: ignore[arg-type]
                    try:
                        data = sock.recv(65536)  # type: ignore[union-attr]
                    except OSError:
                        data = b""
                    if not data or other is None:
                        self._drop(sock)  # type: ignore[arg-type]
                        continue
                    try:
                        other.sendall(data)
                    except OSError:
                        self._drop(sock)  # type: ignore[arg-type]

    def close(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
        with self._lock:
            for sock in list(self._pairs):
                self._drop(sock)
            if self._plug is not None:
                self._plug.close()
        self._selector.close()
        self._listener.close()


# --- operating-fail-fast ----------------------------------------------------------------------

_LIMIT_SECONDS = 1.0
_PRODUCTS = {1: "Mug", 2: "Teapot", 10: "Kettle", 11: "Cup"}


_WORKER_PREFIX = "operating-check-request"


class _QuietWorkers(logging.Filter):
    """Drop what Flask-Caching logs from the check's request threads: a request that outlived
    the limit keeps waiting in the background, and must not print into a later cell."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.threadName.startswith(_WORKER_PREFIX)


_QUIET = _QuietWorkers()


class _TooSlow(Exception):
    """A request that waited longer than the limit: the hint says how long."""


def _shop_app(options: dict[str, Any] | None, port: int, queries: list[int]) -> Flask:
    app = grading_app("operating-fail-fast")

    def product(pid: int) -> str:
        queries[0] += 1
        return _PRODUCTS.get(pid, "unknown")

    if options is not None:  # else: the same view without a cache (the truth)
        cache = Cache()
        cache.init_app(app, config={
            "CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": "127.0.0.1",
            "CACHE_REDIS_PORT": port, "CACHE_KEY_PREFIX": f"shop{port}:",
            "CACHE_DEFAULT_TIMEOUT": 300, "CACHE_OPTIONS": dict(options)})
        product = cache.cached(timeout=300)(product)
    app.get("/products/<int:pid>")(product)
    return app


def _timed_get(app: Flask, url: str) -> tuple[int, str]:
    """GET ``url`` in a worker thread; :class:`_TooSlow` when it takes over the limit."""
    done: dict[str, Any] = {}

    def run() -> None:
        try:
            response = app.test_client().get(url)
            done["answer"] = (response.status_code, response.get_data(as_text=True))
        except BaseException as error:  # noqa: BLE001 - reported below
            done["error"] = error

    logger = logging.getLogger("flask_caching")
    if _QUIET not in logger.filters:
        logger.addFilter(_QUIET)
    start = time.perf_counter()
    worker = threading.Thread(target=run, daemon=True, name=f"{_WORKER_PREFIX}-{url}")
    worker.start()
    worker.join(_LIMIT_SECONDS + 0.25)  # long enough to tell, no longer: the verdict is "too slow"
    seconds = time.perf_counter() - start
    if worker.is_alive() or seconds > _LIMIT_SECONDS:
        raise _TooSlow(f"the request waited {'over ' if worker.is_alive() else ''}"
                       f"{seconds:.1f} s on the cache (the limit is {_LIMIT_SECONDS:.0f} s)")
    if "error" in done:
        raise done["error"]
    return done["answer"]


def _fail_fast_steps() -> Steps:
    from hypothesis import strategies as st

    gets = st.sampled_from(sorted(_PRODUCTS)).map(
        lambda pid: Step("GET", f"GET /products/{pid}", (f"/products/{pid}",)))
    modes = st.sampled_from([("hung", "Redis hangs"), ("refused", "Redis refuses connections"),
                             ("unreachable", "Redis's host is unreachable"),
                             ("up", "Redis is back")]).map(
        lambda m: Step("write", m[1], (m[0],)))
    return Steps(st.one_of(gets, gets, modes))


def _fail_fast_side(options: dict[str, Any] | None, upstream: int) -> Side:
    switch = RedisSwitch(upstream)
    queries = [0]
    app = _shop_app(options, switch.port, queries)

    def play(step: Step) -> Any:
        if step.kind == "write":
            switch.set_mode(step.args[0])
            return None
        from support.checks.plumbing import cache_errors

        with cache_errors():
            return _timed_get(app, step.args[0])

    return Side(play, work=lambda: queries[0], close=switch.close)


def _check_options(options: Any) -> dict[str, Any]:
    if not isinstance(options, dict):
        raise Fail(f"FAIL_FAST_OPTIONS should be a dict of redis-py options (what "
                   f"CACHE_OPTIONS takes), got {type(options).__name__}.")
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=1, **options).connection_pool.reset()
    except TypeError as error:
        raise Fail(f"redis-py does not accept these options: {error}. CACHE_OPTIONS are "
                   "passed to redis.Redis(...): socket_timeout, socket_connect_timeout, retry, "
                   "...") from None
    return options


SOLUTION_FAIL_FAST: dict[str, Any] = {}


def _solution_options() -> dict[str, Any]:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"socket_timeout": 0.1, "socket_connect_timeout": 0.1, "retry": Retry(NoBackoff(), 1)}


@exercise("operating-fail-fast", hint=(
    "redis-py waits socket_timeout for each attempt and retries 10 times with backoff by "
    "default. Set socket_timeout and socket_connect_timeout to a fraction of a second and pass "
    "retry=Retry(NoBackoff(), n) with a small n, so that all attempts fit in one second."))
def check_fail_fast(ns: Namespace) -> str:
    options = _check_options(ns.answer("FAIL_FAST_OPTIONS"))
    backend = EmbeddedRedisServer()
    try:
        # The two shapes of a dead Redis, first on their own: the hint names the slow one.
        for mode, label in (("hung", "Redis hangs"), ("refused", "Redis refuses connections"),
                            ("unreachable", "Redis's host is unreachable")):
            side = _fail_fast_side(options, backend.port)
            try:
                side.play(Step("write", label, (mode,)))
                side.play(Step("GET", "GET /products/1", ("/products/1",)))
            except _TooSlow as slow:
                raise Fail(f"`{label}` then `GET /products/1`: {slow}. With these options one "
                           "call makes every attempt in turn: shorten socket_timeout and "
                           "allow fewer retries.") from None
            finally:
                side.close()
        judge(lambda: _fail_fast_side(options, backend.port),
              lambda: _fail_fast_side(None, backend.port),
              _fail_fast_steps(),
              reference=lambda: _fail_fast_side(_solution_options(), backend.port),
              budget=Budget(examples=8, steps=5))
    finally:
        backend.close()
    return (f"every request answered right and within {_LIMIT_SECONDS:.0f} s while Redis hung, "
            "refused or could not be reached, and the cache hit while it was up, on generated "
            "scenarios.")


# --- operating-batch-prices -----------------------------------------------------------------


class RoundTrips:
    """Count the round trips to Redis made through ``client``'s pool (one per command, one per
    pipeline)."""

    def __init__(self, client: Any) -> None:
        self.count = 0
        pool = client.connection_pool
        original = pool.get_connection

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(*args, **kwargs)

        pool.get_connection = counted


class _Batch:
    """One side of the batch exercise: a price table, and the learner's (or a plain) reader."""

    def __init__(self, prices: Callable[..., Any] | None, client: Any | None, prefix: str) -> None:
        self.table = {pid: 100 * pid for pid in _BATCH_IDS}
        self.loads = 0
        self.prices = prices
        self.trips = RoundTrips(client) if client is not None else None
        self.app = grading_app("operating-batch-prices")
        self.cache = Cache()
        if client is not None:
            self.cache.init_app(self.app, config={
                "CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": client,
                "CACHE_KEY_PREFIX": prefix, "CACHE_DEFAULT_TIMEOUT": 0})  # for ever
        self.client, self.prefix = client, prefix

    def load(self, pid: int) -> int:
        self.loads += 1
        return self.table[pid]

    def play(self, step: Step) -> Any:
        if step.kind == "write":
            pid, value = step.args
            self.table[pid] = value
            if self.prices is not None:
                with self.app.app_context():
                    self.cache.delete(f"price:{pid}")
            return None
        ids = list(step.args[0])
        if self.prices is None:
            return {pid: self.load(pid) for pid in ids}
        assert self.trips is not None
        with self.app.app_context():
            before = self.trips.count
            answer = self.prices(self.cache, ids, self.load)
            trips = self.trips.count - before
        if trips > 2:
            raise _ManyRoundTrips(f"{trips} round trips to Redis in one call (at most 2: one "
                                  "get_many, one set_many)")
        for key in scan_prefix(self.client, f"{self.prefix}price:", count=None):
            if self.client.ttl(key) < 0:
                name = key.decode()[len(self.prefix):]
                raise _NoTimeout(f"{name} was stored without a timeout (this app's "
                                 "CACHE_DEFAULT_TIMEOUT keeps entries for ever): pass timeout=300")
        return answer


class _ManyRoundTrips(StepFailed):
    pass


class _NoTimeout(StepFailed):
    pass


def _explain_batch(found: FailingScenario) -> str:
    """Advice after the shortest failing sequence of operating-batch-prices."""
    if isinstance(found.got, _ManyRoundTrips):
        return ("Read every key with one cache.get_many(*keys) and store the misses with one "
                "cache.set_many({...}): two round trips at most, whatever the number of ids.")
    if isinstance(found.got, _NoTimeout):
        return ("Give set_many a timeout (timeout=300): a price stored without one stays for "
                "ever, and a volatile-* policy never evicts it.")
    if found.kind == "work":
        return ("The cache missed where it could have hit: a price of 0 is a hit (compare with "
                "None, not truthiness), and load only the ids get_many did not find.")
    if found.kind == "answer":
        return ("A call was answered prices that are not the shop's: key each price by its id "
                "(price:<id>) and pair each value with the id it was read for.")
    if found.kind == "raised":
        return ("prices() must work for every list of ids, the empty list included (it needs "
                "no round trip at all).")
    return ""


def _batch_steps() -> Steps:
    from hypothesis import strategies as st

    ids = st.sampled_from(_BATCH_IDS)
    calls = call_steps("prices", st.lists(ids, min_size=0, max_size=4, unique=True).map(lambda chosen: (chosen,)))
    writes = write_steps("price of {0} becomes {1}", st.tuples(ids, st.sampled_from([0, 5, 250])))

    def near(step: Step) -> st.SearchStrategy[Step]:
        """An earlier call's ids with one more (a hit beside a miss), one fewer, or reversed."""
        earlier = list(step.args[0]) if step.kind == "call" else [step.args[0]]
        others = [pid for pid in _BATCH_IDS if pid not in earlier]
        options = [st.just(earlier[::-1])]
        if others:
            options.append(st.sampled_from(others).flatmap(
                lambda extra: st.sampled_from([earlier + [extra], [extra] + earlier])))
        if earlier:
            options.append(st.just(earlier[1:]))
        return call_steps("prices", st.one_of(*options).map(lambda chosen: (chosen,)))

    def fewer_ids(step: Step) -> list[Step]:
        """The same call with one id fewer (the hint's sequence, made as small as it goes)."""
        if step.kind != "call":
            return []
        chosen = list(step.args[0])
        return [Step("call", f"prices({fewer!r})", (fewer,))
                for fewer in (chosen[:i] + chosen[i + 1:] for i in range(len(chosen)))]

    return Steps(st.one_of(calls, calls, writes), near, fewer_ids)


_BATCH_IDS = (1, 2, 10, 11, 12, 19, 100, 21)


class _StrictRedis(CommandProxy):
    """fakeredis refusing what a real Redis refuses: an MGET (or DEL) without keys."""

    def _before(self, args: tuple[Any, ...]) -> None:
        import redis

        name = str(args[0]).upper() if args else ""
        if name in ("MGET", "DEL", "EXISTS") and len(args) == 1:
            raise redis.exceptions.ResponseError(
                f"wrong number of arguments for '{name.lower()}' command")


def reference_prices(cache: Any, ids: list[int], load: Callable[[int], int]) -> dict[int, int]:
    """The worked solution (used as the reference for the work saved)."""
    if not ids:
        return {}
    keys = [f"price:{pid}" for pid in ids]
    found = dict(zip(ids, cache.get_many(*keys), strict=True))
    missing = {pid: load(pid) for pid in dict.fromkeys(ids) if found[pid] is None}
    if missing:
        cache.set_many({f"price:{pid}": value for pid, value in missing.items()}, timeout=300)
    return {pid: missing.get(pid, found[pid]) for pid in ids}


@exercise("operating-batch-prices", hint=(
    "Read every key with one cache.get_many(*keys) (it returns None for a miss), load only "
    "the missing ids, and store them with one cache.set_many({...}). A price of 0 is a hit, "
    "not a miss; an empty list needs no round trip."))
def check_batch_prices(ns: Namespace) -> str:
    import fakeredis

    prices = ns.function("prices")

    def side(function: Callable[..., Any] | None) -> Callable[[], Side]:
        def make() -> Side:
            client = (_StrictRedis(fakeredis.FakeRedis(server=fakeredis.FakeServer()))
                      if function else None)
            batch = _Batch(function, client, "fcc:grading:batch:")
            return Side(batch.play, work=lambda: batch.loads)
        return make

    judge(side(prices), side(None), _batch_steps(), reference=side(reference_prices),
          noun="prices", budget=QuickBudget(examples=60, steps=6), explain=with_advice(_explain_batch))
    return ("every call answered the current prices with at most two round trips, loading "
            "no more than the worked solution, on generated scenarios.")


# --- operating-shared-redis -------------------------------------------------------------------

POLICIES = ("noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru",
            "volatile-lfu", "volatile-random", "volatile-ttl")


class BoundedRedis:
    """A model of a Redis with ``maxmemory``: room for ``capacity`` keys, and a policy.

    Wraps a fakeredis client (on a server of its own). Before a write of a new key into a full
    database it evicts one key as the policy says (``allkeys-*``: the least recently used of
    all; ``volatile-*``: the least recently used key with a TTL), or refuses the write with
    ``OutOfMemoryError`` (``noeviction``, or ``volatile-*`` with no key that has a TTL). Real
    Redis samples keys instead of keeping an exact order; the model keeps the order, so every
    verdict is the same on every run.
    """

    _WRITES = {"SET", "SETEX", "PSETEX", "SETNX", "MSET", "INCRBY", "INCR"}

    def __init__(self, capacity: int, policy: str) -> None:
        import fakeredis

        self._client = fakeredis.FakeRedis(server=fakeredis.FakeServer())
        self.capacity = capacity
        self.policy = policy
        self.refused = 0
        self.evicted: list[str] = []
        self._used: dict[bytes, None] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _touch(self, key: Any) -> None:
        name = key.encode() if isinstance(key, str) else bytes(key)
        self._used.pop(name, None)
        self._used[name] = None

    def _make_room(self, key: Any) -> None:
        name = key.encode() if isinstance(key, str) else bytes(key)
        if self._client.exists(name) or self._client.dbsize() < self.capacity:
            return
        import redis

        if self.policy != "noeviction":
            for victim in list(self._used):
                if not self._client.exists(victim):
                    self._used.pop(victim, None)
                    continue
                if self.policy.startswith("allkeys") or self._client.ttl(victim) > 0:
                    self._client.delete(victim)
                    self._used.pop(victim, None)
                    self.evicted.append(victim.decode())
                    return
        self.refused += 1
        raise redis.exceptions.OutOfMemoryError(
            "command not allowed when used memory > 'maxmemory'.")

    def get(self, name: Any) -> Any:
        value = self._client.get(name)
        if value is not None:
            self._touch(name)
        return value

    def set(self, name: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        self._make_room(name)
        self._touch(name)
        return self._client.set(name, value, *args, **kwargs)

    def setex(self, name: Any, time: Any, value: Any) -> Any:
        self._make_room(name)
        self._touch(name)
        return self._client.setex(name, time, value)

    def setnx(self, name: Any, value: Any) -> Any:
        self._make_room(name)
        self._touch(name)
        return self._client.setnx(name, value)

    def pipeline(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("the model serves single commands only")


_CAPACITY = 6
_USERS = ("alice", "bob", "carol")


def _policy_answer(ns: Namespace) -> tuple[str, Any]:
    policy = ns.answer("POLICY")
    timeout = ns.answer("PAGE_TIMEOUT")
    if not isinstance(policy, str) or policy.strip().lower() not in POLICIES:
        raise Fail(f"POLICY should be one of Redis's eviction policies ({', '.join(POLICIES)}), "
                   f"got {policy!r}.")
    return policy.strip().lower(), timeout


def _shared_steps() -> Steps:
    from hypothesis import strategies as st

    users = st.sampled_from(_USERS)
    pages = st.sampled_from([1, 2, 3, 4])
    burst = Step("write", "a burst of 10 other pages", ("burst",))

    def account(user: str) -> Step:
        return Step("GET", f"GET /account ({user})", ("account", user))

    def near(step: Step) -> st.SearchStrategy[Step]:
        """After a login, that user's account page or a burst; after anything else, an account."""
        if step.args[0] == "login":
            return st.sampled_from([account(step.args[1]), burst])
        return users.map(account)

    return Steps(st.one_of(
        users.map(lambda u: Step("write", f"{u} logs in", ("login", u))),
        users.map(account),
        pages.map(lambda p: Step("GET", f"GET /products/{p}", ("page", p))),
        st.just(burst),
    ), near)


class _Shared:
    """A shop whose pages are cached in a Redis it shares with another app's sessions."""

    def __init__(self, policy: str | None, timeout: Any) -> None:
        self.redis = BoundedRedis(_CAPACITY, policy) if policy else None
        self.sessions: dict[str, str] = {}
        self.logins = 0
        self.queries = 0
        self.app = grading_app("operating-shared-redis")
        self.cache = Cache()
        self.timeout = timeout

        def product(pid: int) -> str:
            self.queries += 1
            return f"product {pid}"

        if self.redis is not None:  # else: the same view without a cache (the truth)
            self.cache.init_app(self.app, config={
                "CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": self.redis,
                "CACHE_KEY_PREFIX": "shop:", "CACHE_DEFAULT_TIMEOUT": 300})
            product = self.cache.cached(timeout=timeout)(product)
        self.app.get("/products/<int:pid>")(product)

    def play(self, step: Step) -> Any:
        what = step.args[0]
        if what == "login":
            self.logins += 1
            token = f"{step.args[1]}-token-{self.logins}"
            if self.redis is not None:
                self.redis.set(f"sessions:{step.args[1]}", token)   # no TTL: a session
            else:
                self.sessions[step.args[1]] = token
            return None
        if what == "account":
            if self.redis is None:
                return self.sessions.get(step.args[1], "not logged in")
            value = self.redis.get(f"sessions:{step.args[1]}")
            return value.decode() if value is not None else "not logged in"
        from support.checks.plumbing import cache_errors

        import redis

        refused = self.redis.refused if self.redis is not None else 0
        body = None
        with cache_errors():
            if what == "page":
                body = self.app.test_client().get(f"/products/{step.args[1]}").get_data(
                    as_text=True)
            elif self.redis is not None:  # a burst: ten other pages cached as the view caches
                with self.app.app_context():
                    for pid in range(101, 111):
                        try:
                            self.cache.set(f"view//products/{pid}", f"product {pid}",
                                           timeout=self.timeout)
                        except redis.exceptions.RedisError:  # counted by the model
                            pass
        if self.redis is not None and self.redis.refused > refused:
            raise _Refused("Redis refused a cache write with OutOfMemoryError: the memory is "
                           "full of keys this policy may not evict, so the cache stops caching")
        return body

    def work(self) -> int:
        return self.queries + (self.redis.refused if self.redis is not None else 0)


class _Refused(StepFailed):
    pass


def _explain_shared(found: FailingScenario) -> str:
    """Advice after the shortest failing sequence of operating-shared-redis."""
    if isinstance(found.got, _Refused):
        return ("Nothing could be evicted: noeviction never evicts, and a volatile-* policy "
                "only evicts keys with a TTL. Pick a volatile-* policy and give every page a "
                "timeout (PAGE_TIMEOUT > 0).")
    if found.kind == "answer" and "not logged in" in repr(found.got):
        return ("A logged-in user's session was evicted: an allkeys-* policy evicts any key, "
                "sessions included. A volatile-* policy evicts only keys with a TTL, and "
                "sessions have none.")
    if found.kind == "work":
        return ("The cache did more work than it needs: pages must be cached (and evictable), "
                "with a timeout long enough to be hit again.")
    return ""


@exercise("operating-shared-redis", hint=(
    "The sessions have no TTL and must never be evicted; the pages must be evictable. Which "
    "policies evict only keys with a TTL, and what must every page then have?"))
def check_shared_redis(ns: Namespace) -> str:
    policy, timeout = _policy_answer(ns)
    try:
        _Shared(policy, timeout)
    except Exception as error:  # noqa: BLE001 - a timeout Flask-Caching refuses
        raise Fail(f"PAGE_TIMEOUT={timeout!r} does not work as a @cached timeout: "
                   f"{type(error).__name__}: {error}") from None
    judge(lambda: _Side(_Shared(policy, timeout)), lambda: _Side(_Shared(None, None)),
          _shared_steps(), reference=lambda: _Side(_Shared("volatile-lru", 300)),
          budget=QuickBudget(examples=30, steps=6), noun="answer",
          explain=with_advice(_explain_shared))
    return (f"{policy} with pages that expire keeps every session, evicts pages instead, and "
            "refuses no write.")


def _Side(shared: _Shared) -> Side:
    return Side(shared.play, work=shared.work)


__all__ = ["BoundedRedis", "EmbeddedRedisServer", "RedisSwitch", "RoundTrips",
           "reference_prices", "POLICIES", "NotAttempted", "is_placeholder"]
