"""Checkers for lesson 02 (memoize), judged by cache transparency.

Each checker builds its own app (:func:`~support.checks.plumbing.simple_app`: a SimpleCache of
its own) over its own copy of the sample shop (a separate SQLite file), passes that cache to the
learner's factory and runs what it returns inside the app context, so nothing depends on the
notebook's state.

A checker first tries a few hand-picked calls, which name the common mistakes precisely. Then
:func:`support.checks.transparency.judge` plays generated scenarios (calls by position or by
keyword, renames, posts, reports created and freed) on three sides:

* the learner's code, with an empty cache at the start of each scenario;
* ``truth``: the same computation without a cache, read from the shop; every answer must equal it;
* ``reference``: the worked solution's saving, as a model: a call computes only when its entry is
  missing (never computed, or made stale by a write); the learner's code may compute no more.

The core shrinks a failure to the shortest sequence of steps, which is the hint. A memoized
method's identity is also tried across processes: this process caches every user's report in a
RedisCache, then a real second worker (``processes.run_workers``, another ``PYTHONHASHSEED``)
sharing that Redis asks for the same reports and must find them.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask_caching import Cache
from flask_caching.utils import get_id
from hypothesis import strategies as st
from redis.exceptions import RedisError
from sqlalchemy import event, func

from support.backends import redis_client, temporary_folder
from support.checks.plumbing import (GuardedRedis, cache_errors, redis_app, report_violation,
                                     scratch_prefix, simple_app)
from support.checks.processes import (WorkerResult, answer_source, run_workers,
                                       shared_redis_url)
from support.checks.transparency import QuickBudget, Side, Step, Steps, ids, judge, sequence
from support.data import Comment, Post, Rating, User, count_queries, db, init_shop
from support.checks.core import Fail, Namespace, exercise

GRADING_DEFAULT_TIMEOUT = 300  # the checker's CACHE_DEFAULT_TIMEOUT, Flask-Caching's default too
USERS = (1, 2, 3)  # users ada, ben and chloe of the sample shop
NAMES = ("ada", "ben", "zoe")  # new names: two are another user's name, one is new
BUDGET = QuickBudget(examples=30, steps=6)  # generated scenarios per check, steps per scenario

_db_file: Path | None = None


def _grading_db() -> Path:
    """A shop database of the checkers' own, so a check never changes the notebook's shop."""
    global _db_file
    if _db_file is None:
        _db_file = Path(temporary_folder("fcc-grading-shop-")) / "shop.sqlite"
    return _db_file


def _scratch_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=MEMORY")
    cursor.close()


@contextmanager
def _grading_app() -> Iterator[tuple[Flask, Cache]]:
    """A fresh app with the shop and an empty SimpleCache; yields inside its app context.

    Flask-Caching logs a traceback and runs the function uncached when the cache fails (e.g. a
    learner memoized with a cache that is not attached to this app): ``cache_errors`` keeps that
    log quiet, the check reports the effect instead.
    """
    app, cache = simple_app("memoize_grading", CACHE_DEFAULT_TIMEOUT=GRADING_DEFAULT_TIMEOUT)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{_grading_db()}"
    init_shop(app)
    with app.app_context():  # a scratch database: commits need not wait for the disk
        event.listen(db.engine, "connect", _scratch_sqlite)
        db.engine.dispose()
    with cache_errors(), app.app_context():
        yield app, cache


def _counted(ns: Namespace, fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    with count_queries() as queries:
        result = ns.call(fn, *args)
    return result, queries.count


def _expected_stats(user_id: int) -> dict[str, Any]:
    return {
        "post_count": Post.query.filter_by(user_id=user_id).count(),
        "comment_count": Comment.query.filter_by(user_id=user_id).count(),
        "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
    }


def _same(got: Any, wanted: dict[str, Any]) -> bool:
    if not isinstance(got, dict) or set(got) != set(wanted):
        return False
    for key, value in wanted.items():
        if isinstance(value, float) and isinstance(got[key], int | float):
            if not math.isclose(got[key], value, rel_tol=1e-9):
                return False
        elif got[key] != value:
            return False
    return True


def _wrong_stats(call: str, got: Any, wanted: dict[str, Any]) -> Fail:
    if isinstance(got, dict) and set(got) != set(wanted):
        return Fail(f"{call} returned a dict with the keys {sorted(got)}; the exercise asks for "
                    f"exactly {sorted(wanted)}.")
    return Fail(f"{call} returned {got!r}; the shop says {wanted!r}.")


def _cleared_then_queries(cache: Cache, fn: Callable[..., Any], ns: Namespace, *args: Any) -> bool:
    """After emptying the checker's cache, does a call run queries again?"""
    cache.clear()  # the checker's own SimpleCache
    return _counted(ns, fn, *args)[1] > 0


def _check_own_cache(fn: Any, cache: Cache, name: str) -> None:
    """Fail when ``fn`` was memoized with some other Cache than the one the factory received."""
    fn = getattr(fn, "__func__", fn)
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            used = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(used, Cache) and used is not cache:
            raise Fail(f"{name} is memoized with another Cache object (the notebook's `cache`?), "
                       "not the one the factory receives: use the factory's `cache` argument in "
                       "the decorator, so the function caches wherever it is plugged in.")


_NOT_IN_THIS_CACHE = (
    "it does not cache in the Cache it was given: after the check emptied that cache, the "
    "next call still ran no query. Decorate with @cache.memoize using the `cache` argument of "
    "the factory (not functools.lru_cache, a dict, or the notebook's own `cache`).")
_NOT_MEMOIZED = (
    "{call} ran its queries again on the second call: the result is not cached. Decorate the "
    "function with @cache.memoize(...), using the `cache` the factory receives as its argument.")


# --- judging by transparency (the four exercises) ------------------------------------------

_STALE_OR_FOREIGN = ("That call ran no query: the cache served an entry that belongs to another "
                     "call, or one that should have been deleted.")
_COMPUTED_WRONG = ("That call ran its queries and still answered differently, so the function "
                   "itself changes the answer, not the cache: it must compute exactly what the "
                   "uncached code does (e.g. query the very value it was given).")


def _plain(value: Any) -> Any:
    """An answer as compared: a dict's floats rounded (SQL's avg and Python's may differ in the
    last bit)."""
    if isinstance(value, dict):
        return {k: round(v, 9) if isinstance(v, float) else v for k, v in value.items()}
    return value


@dataclass
class _Trace:
    """What one learner side played: to tell, in the hint, whether its last call computed."""

    steps: list[Step] = field(default_factory=list)
    computed: bool = False


Play = Callable[[Step], tuple[Any, bool]]  # a step's answer, and whether it computed


def _transparent(learner: Callable[[], Play], truth: Callable[[], Side],
                 reference: Callable[[], Side], steps: Steps, advice: str,
                 noun: str = "result", why: tuple[str, str] = (_STALE_OR_FOREIGN, _COMPUTED_WRONG)
                 ) -> None:
    """:func:`judge` the learner's plays (a fresh ``Play`` per scenario; its work is the number
    of reads that computed) against ``truth`` and ``reference``; a failure's hint is the shortest
    sequence, why the answer differs (served from the cache, or computed wrongly) and ``advice``.
    """
    traces: list[_Trace] = []

    def side() -> Side:
        play, trace, work = learner(), _Trace(), [0]
        traces.append(trace)

        def step(played: Step) -> Any:
            trace.steps.append(played)
            trace.computed = False
            got, trace.computed = play(played)
            work[0] += trace.computed and played.kind != "write"
            return got

        return Side(step, lambda: work[0])

    try:
        judge(side, truth, steps, reference=reference, budget=BUDGET, noun=noun)
    except Fail as failure:
        message = str(failure)
        last = next((t for t in reversed(traces) if message.startswith(sequence(t.steps) + ":")),
                    None)
        served = ""
        if "did the work" not in message and " raised " not in message:
            served = why[1] if last is not None and last.computed else why[0]
        raise Fail(" ".join(filter(None, (message, served, advice)))) from None


def _worked(entry: Callable[[Step, dict[Any, Any]], Hashable | None]) -> Callable[[], Side]:
    """The worked solution's work, as a model: a call computes when its entry is not cached.

    ``entry(step, state)`` names the entry a call reads or, for a write, the entry it makes
    stale (``state`` is a dict of the model's own, e.g. which report a name holds).
    """

    def side() -> Side:
        cached: set[Hashable] = set()
        state: dict[Any, Any] = {}
        work = [0]

        def play(step: Step) -> None:
            key = entry(step, state)
            if step.kind == "write":
                cached.discard(key)
            elif key is not None and key not in cached:
                work[0] += 1
                cached.add(key)

        return Side(play, lambda: work[0])

    return side


def _shop_side(answer: Callable[[Step], Any]) -> Side:
    """The truth: ``answer`` reads the shop without a cache; the users' names are put back when
    the scenario ends (its renames were committed)."""
    names = {user_id: db.session.get(User, user_id).name for user_id in USERS}

    def close() -> None:
        db.session.rollback()
        changed = False
        for user_id, name in names.items():
            user = db.session.get(User, user_id)
            if user.name != name:
                user.name, changed = name, True
        if changed:
            db.session.commit()

    return Side(answer, close=close)


# --- exercise 1 ----------------------------------------------------------------------------


def _entry_lifetimes(cache: Cache) -> list[float | None]:
    """Seconds left for each entry (not the _memver keys) in the checker's own SimpleCache;
    None for an entry that never expires."""
    store = cache.cache._cache  # cachelib's SimpleCache: key -> (expires at, pickled value)
    now = time.time()
    return [None if expires == 0 else expires - now
            for key, (expires, _) in list(store.items()) if not key.endswith("_memver")]


def _check_timeout(cache: Cache, name: str, seconds: int, wanted: str) -> None:
    """Fail unless the entries the function stored expire after about ``seconds``."""
    lifetimes = _entry_lifetimes(cache)
    if not lifetimes:
        return  # nothing stored in this cache: the memoize checks report that
    if any(left is None for left in lifetimes):
        raise Fail(f"{name}'s entry never expires (timeout=0 or None for the backend): the "
                   f"exercise asks for a timeout of {wanted}, @cache.memoize(timeout={seconds}).")
    left = max(lifetimes)
    if seconds - 5 <= left <= seconds:
        return
    if GRADING_DEFAULT_TIMEOUT - 5 <= left <= GRADING_DEFAULT_TIMEOUT:
        raise Fail(f"{name}'s entry expires after {GRADING_DEFAULT_TIMEOUT} s, the cache's "
                   "default (CACHE_DEFAULT_TIMEOUT, 300 s unless configured): @cache.memoize() "
                   f"without a timeout uses it. The exercise asks for {wanted}: "
                   f"@cache.memoize(timeout={seconds}), in seconds.")
    raise Fail(f"{name}'s entry expires after about {round(left)} s, but the exercise asks for "
               f"{wanted}: the timeout is in seconds, @cache.memoize(timeout={seconds}).")


def _expected_user_stats(user_id: int) -> dict[str, Any]:
    return {"name": db.session.get(User, user_id).name, **_expected_stats(user_id)}


@exercise("memoize-invalidate-one", hint=(
    "Inside make_stats(cache): decorate user_stats with @cache.memoize(timeout=600) (10 "
    "minutes, in seconds). In "
    "update_user_name: change the user, commit, then cache.delete_memoized(user_stats, user_id) "
    "deletes that one user's entry. Return (user_stats, update_user_name)."))
def check_invalidate_one(ns: Namespace) -> str:
    make_stats = ns.function("make_stats")
    with _grading_app() as (_app, cache):
        returned = ns.call(make_stats, cache)
        if not (isinstance(returned, tuple | list) and len(returned) == 2
                and all(callable(f) for f in returned)):
            raise Fail(f"make_stats should return two functions, (user_stats, update_user_name); "
                       f"it returned {returned!r}.")
        user_stats, update_user_name = returned
        _check_own_cache(user_stats, cache, "user_stats")
        original = db.session.get(User, 1).name
        try:
            message = _invalidate_one(_app, ns, cache, user_stats, update_user_name)
        finally:
            db.session.rollback()
            db.session.get(User, 1).name = original
            db.session.commit()
        _stats_scenario(ns, cache, make_stats)
        return message


_INVALIDATING = ("delete", "delete_many", "clear", "set", "set_many")


@contextmanager
def _concurrent_reader(app: Flask, cache: Cache, ns: Namespace, user_stats: Callable[..., Any],
                       user_id: int) -> Iterator[list[Any]]:
    """Each time the code inside invalidates (deletes from the checker's cache, or bumps a
    memoize version), another request reads ``user_stats(user_id)`` at once, as a second worker
    could: in an app context of its own, so with its own database session, which sees only
    what was committed. Yields the names that those reads computed (they found no entry and
    cached what they read), in order."""
    backend = cache.cache
    seen: list[Any] = []
    busy = False

    def wrap(name: str) -> Callable[..., Any]:
        original = getattr(backend, name)

        def invalidating(*args: Any, **kwargs: Any) -> Any:
            nonlocal busy
            result = original(*args, **kwargs)
            keys = [str(k) for k in (args[0] if name == "set_many" and args else args[:1])]
            if busy or (name.startswith("set") and not any(k.endswith("_memver")
                                                            for k in keys)):
                return result
            busy = True
            try:
                with app.app_context(), count_queries() as queries:  # a session of its own
                    got = ns.call(user_stats, user_id)
                if queries.count:  # it found no entry, so it read the database and cached that
                    seen.append(got.get("name") if isinstance(got, dict) else got)
            except Exception:  # the learner's code fails here: the other checks report it
                pass
            finally:
                busy = False
            return result

        return invalidating

    for name in _INVALIDATING:
        setattr(backend, name, wrap(name))
    try:
        yield seen
    finally:
        for name in _INVALIDATING:
            backend.__dict__.pop(name, None)


def _invalidate_one(app: Flask, ns: Namespace, cache: Cache, user_stats: Callable[..., Any],
                    update_user_name: Callable[..., Any]) -> str:
    wanted = {1: _expected_user_stats(1), 2: _expected_user_stats(2)}
    got1, _ = _counted(ns, user_stats, 1)
    if not _same(got1, wanted[1]):
        raise _wrong_stats("user_stats(1)", got1, wanted[1])
    _, again = _counted(ns, user_stats, 1)
    if again:
        raise Fail(_NOT_MEMOIZED.format(call="user_stats(1)"))
    _check_timeout(cache, "user_stats", 600, "10 minutes")
    got2, _ = _counted(ns, user_stats, 2)
    if _same(got2, wanted[1]):
        raise Fail("user_stats(2) returned user 1's statistics: the key ignores the argument. "
                   "@cache.cached uses one key for every call; use @cache.memoize, which puts "
                   "the arguments into the key.")
    if not _same(got2, wanted[2]):
        raise _wrong_stats("user_stats(2)", got2, wanted[2])
    if not _cleared_then_queries(cache, user_stats, ns, 1):
        raise Fail("user_stats: " + _NOT_IN_THIS_CACHE)
    _counted(ns, user_stats, 2)  # both users cached again

    with _concurrent_reader(app, cache, ns, user_stats, 1) as seen:
        ns.call(update_user_name, 1, "Ada Lovelace")
    db.session.rollback()  # read what was committed, not what sits in the session
    if db.session.get(User, 1).name != "Ada Lovelace":
        raise Fail("update_user_name(1, 'Ada Lovelace') did not save the new name: change "
                   "the user's name and call db.session.commit().")
    after1, queries1 = _counted(ns, user_stats, 1)
    after2, queries2 = _counted(ns, user_stats, 2)
    if (queries1 == 0 and isinstance(after1, dict) and after1.get("name") != "Ada Lovelace"
            and seen and seen[-1] == after1.get("name")):
        raise Fail(f"update_user_name deleted user 1's entry before the new name was committed: "
                   f"another request that read user_stats(1) right after the delete (a second "
                   f"worker, a second thread) found no entry, read the old name "
                   f"{seen[-1]!r} from the database and cached it again, so user_stats(1) "
                   f"still returned {after1.get('name')!r} after the update, for 10 minutes. "
                   "Commit first, then cache.delete_memoized(user_stats, user_id).")
    if queries1 == 0 and isinstance(after1, dict) and after1.get("name") != "Ada Lovelace":
        raise Fail(f"after update_user_name(1, 'Ada Lovelace'), user_stats(1) still returned "
                   f"the cached name {after1.get('name')!r}: the update did not delete user 1's "
                   "entry. Call cache.delete_memoized(user_stats, user_id) with the same "
                   "argument (an int) that user_stats was called with. (cache.delete('...') "
                   "with a name you made up is not a memoize key.)")
    if not _same(after1, {**wanted[1], "name": "Ada Lovelace"}):
        raise _wrong_stats("user_stats(1) after the update", after1,
                           {**wanted[1], "name": "Ada Lovelace"})
    if queries2:
        raise Fail("after updating user 1, user_stats(2) ran its queries again: the update "
                   "threw away every user's entry (cache.delete_memoized(user_stats) with no "
                   "argument, or cache.clear()). Pass the user id: "
                   "cache.delete_memoized(user_stats, user_id).")
    if not _same(after2, wanted[2]):
        raise _wrong_stats("user_stats(2) after the update", after2, wanted[2])
    return ("each user has an entry of their own that lives 10 minutes, and an update deletes "
            "exactly that user's entry: user 1 was recomputed, user 2 still came from the "
            "cache.")


def _read_stats(user_id: int, keyword: bool) -> Step:
    return Step("call", f"user_stats(user_id={user_id})" if keyword else f"user_stats({user_id})",
                (user_id, keyword))


def _rename(user_id: int, name: str) -> Step:
    return Step("write", f"update_user_name({user_id}, {name!r})", (user_id, name))


def _stats_steps() -> Steps:
    """user_stats calls (by position or keyword) and renames; near a step: the same user's."""

    def near(step: Step) -> st.SearchStrategy[Step]:
        user = st.just(step.args[0])
        return st.one_of(st.builds(_rename, user, st.sampled_from(NAMES)),
                         st.builds(_read_stats, user, st.booleans()))

    return Steps(st.one_of(st.builds(_read_stats, ids(USERS), st.booleans()),
                           st.builds(_rename, ids(USERS), st.sampled_from(NAMES))), near)


def _stats_scenario(ns: Namespace, cache: Cache, make_stats: Callable[..., Any]) -> None:
    """Transparent on generated calls and renames, and each user's entry survives every update
    of another user (the worked solution deletes only the renamed user's entry)."""

    def learner() -> Play:
        cache.clear()  # the checker's own SimpleCache
        user_stats, update_user_name = ns.call(make_stats, cache)

        def play(step: Step) -> tuple[Any, bool]:
            if step.kind == "write":
                try:
                    update_user_name(*step.args)
                finally:
                    db.session.rollback()  # read what was committed
                return None, False
            user_id, keyword = step.args
            with count_queries() as queries:
                got = user_stats(user_id=user_id) if keyword else user_stats(user_id)
            return _plain(got), queries.count > 0

        return play

    counts = {user_id: _plain(_expected_stats(user_id)) for user_id in USERS}  # no post written

    def truth() -> Side:
        return _shop_side(lambda step: None if step.kind == "write" else {
            "name": db.session.get(User, step.args[0]).name, **counts[step.args[0]]})

    _transparent(learner, truth, _worked(lambda step, _: step.args[0]), _stats_steps(),
                 "Each user_stats(user_id) must answer what the shop says now, and "
                 "update_user_name must delete exactly the renamed user's entry, after the "
                 "commit.")


# --- exercise 2 ----------------------------------------------------------------------------


def _identity(ns: Namespace, report: Any) -> str:
    caching_id = getattr(report, "__caching_id__", None)
    if caching_id is not None and not callable(caching_id):
        raise Fail(f"__caching_id__ is a {type(caching_id).__name__}, but Flask-Caching calls "
                   "it: make it a method, `def __caching_id__(self): return ...`.")
    return str(ns.call(get_id, report))


def _holds_address(identity: str, obj: Any) -> bool:
    return hex(id(obj)) in identity or str(id(obj)) in identity


@exercise("memoize-method-identity", hint=(
    "Flask-Caching keys a method on str(self.__caching_id__()) if the class has that method, "
    "else on repr(self), which by default holds the memory address. Give the class a "
    "__caching_id__ method that returns something built from user_id, the same in every "
    "worker process (not id(self), not hash() of a string)."))
def check_method_identity(ns: Namespace) -> str:
    make_report_class = ns.function("make_report_class")
    with _grading_app() as (_app, cache):
        _method_identity(ns, make_report_class, cache)
        with _SecondWorker(ns) as second:  # it starts, and imports while this process works
            second.go(make_report_class)  # this process caches every user's report first
            _report_scenario(ns, cache, make_report_class)
    second.compare()
    return ("two reports for the same user share one cache entry, and a report for another "
            "user never gets that entry, even when it is created at a freed report's address, "
            "after users are renamed, or in another worker process.")


def _method_identity(ns: Namespace, make_report_class: Callable[..., Any], cache: Cache) -> None:
    """Hand-picked reports: the class, its identity, sharing, other users, a reused address."""
    report_class = ns.call(make_report_class, cache)
    if not isinstance(report_class, type):
        raise Fail(f"make_report_class should return the class itself (`return UserReport`), "
                   f"not {report_class!r}.")
    wanted = {1: _expected_stats(1), 2: _expected_stats(2)}
    first = ns.call(report_class, 1)
    _check_own_cache(getattr(first, "stats", None), cache, "stats")
    _identity(ns, first)  # a __caching_id__ that is not a method fails here, clearly
    got1, first_queries = _counted(ns, first.stats)
    if not _same(got1, wanted[1]):
        raise _wrong_stats("UserReport(1).stats()", got1, wanted[1])
    _, again = _counted(ns, first.stats)
    if again and again < first_queries:
        raise Fail(f"report.stats() ran {again} queries on its second call ({first_queries} "
                   "on the first): building its key queries the database, so the identity "
                   "comes from a lookup (a user's name?). A name can change and two users "
                   "can share one; build the identity from the report's own user_id.")
    if again:
        raise Fail(_NOT_MEMOIZED.format(call="report.stats()"))
    if not _cleared_then_queries(cache, first.stats, ns):
        raise Fail("stats: " + _NOT_IN_THIS_CACHE)

    twin = ns.call(report_class, 1)
    identity = _identity(ns, twin)
    _, twin_queries = _counted(ns, twin.stats)
    if twin_queries:
        if _holds_address(identity, twin):
            raise Fail(f"the key of a report is still its memory address (its identity is "
                       f"{identity!r}): a new report for the same user misses, and when "
                       "Python reuses a freed address a report for another user gets the "
                       "old report's result. Give the class a __caching_id__ method that "
                       "returns the user id (id(self) is the address too).")
        raise Fail(f"two reports for user 1 do not share an entry (identity {identity!r}): "
                   "build the identity from user_id only, so equal reports share a key.")
    other = ns.call(report_class, 2)
    got2, _ = _counted(ns, other.stats)
    if _same(got2, wanted[1]):
        other_identity = _identity(ns, other)
        if other_identity != identity:
            raise Fail(f"UserReport(2).stats() returned user 1's statistics although the "
                       f"identities differ ({identity!r}, {other_identity!r}): self is left "
                       "out of the key. Do not put 'self' in args_to_ignore.")
        raise Fail(f"UserReport(2).stats() returned user 1's statistics: reports for "
                   f"different users share one key (both have the identity {identity!r}). "
                   "The identity must contain the user id.")
    if not _same(got2, wanted[2]):
        raise _wrong_stats("UserReport(2).stats()", got2, wanted[2])
    _address_reuse(ns, report_class, wanted[2])


def _address_reuse(ns: Namespace, report_class: type, wanted2: dict[str, Any]) -> bool:
    """Free a user 1 report, land a user 2 report at its address; False if it never lands."""
    report = ns.call(report_class, 1)
    ns.call(report.stats)
    address = id(report)
    del report
    others = []
    for _ in range(100):
        candidate = ns.call(report_class, 2)
        if id(candidate) == address:
            got = ns.call(candidate.stats)
            if not _same(got, wanted2):
                raise Fail("a report for user 2 created at the address of a freed report for "
                           f"user 1 returned {got!r}: the key still depends on the address.")
            return True
        others.append(candidate)
    return False


SLOTS = ("a", "b")  # the names reports are kept under in a scenario


def _new_report(slot: str, user_id: int) -> Step:
    return Step("call", f"{slot} = UserReport({user_id}); {slot}.stats()", ("new", slot, user_id))


def _rename_then_report(slot: str, user_id: int, other: int) -> Step:
    return Step("call", f"rename user {user_id} to user {other}'s name; {slot} = "
                f"UserReport({user_id}); {slot}.stats()", ("rename", slot, user_id, other))


def _report_steps() -> Steps:
    """Reports created (replacing the one of that name), called again, freed (their address may
    be reused), and created just after their user took another user's name (stats do not depend
    on the name). Near a step: steps about the same user or the same report."""
    slots, users = st.sampled_from(SLOTS), ids(USERS)
    again = slots.map(lambda s: Step("call", f"{s}.stats()", ("again", s)))
    free = slots.map(lambda s: Step("write", f"del {s}", ("free", s)))
    new = st.builds(_new_report, slots, users)
    rename = st.builds(_rename_then_report, slots, users, users)

    def near(step: Step) -> st.SearchStrategy[Step]:
        if step.args[0] in {"again", "free"}:
            return st.one_of(new, again, free)
        user = st.sampled_from(step.args[2:])
        return st.one_of(again, free, st.builds(_new_report, slots, user),
                         st.builds(_rename_then_report, slots, users, user),
                         st.builds(_rename_then_report, slots, user, users))

    return Steps(st.one_of(new, again, free, rename), near)


def _report_entry(step: Step, slots: dict[Any, Any]) -> Hashable | None:
    """The worked solution's entry for a report step: the user the named report is for."""
    action, slot = step.args[0], step.args[1]
    if action in {"new", "rename"}:
        slots[slot] = step.args[2]
    elif action == "free":
        slots.pop(slot, None)
    return slots.get(slot) if action != "free" else None


def _report_scenario(ns: Namespace, cache: Cache, make_report_class: Callable[..., Any]) -> None:
    """Every stats() is its own user's, for reports created, called again and freed, and users
    renamed; a user computed once stays cached."""

    def learner() -> Play:
        cache.clear()
        report_class = ns.call(make_report_class, cache)
        live: dict[str, Any] = {}

        def play(step: Step) -> tuple[Any, bool]:
            action, slot = step.args[0], step.args[1]
            if action in {"new", "rename"}:  # the shop's rename was done by the truth
                live[slot] = report_class(step.args[2])
            elif action == "free":
                live.pop(slot, None)
            if action == "free" or slot not in live:
                return None, False
            with count_queries() as queries:
                got = live[slot].stats()
            return _plain(got), queries.count > 0

        return play

    counts = {user_id: _plain(_expected_stats(user_id)) for user_id in USERS}  # no post written

    def truth() -> Side:
        users: dict[str, int] = {}

        def answer(step: Step) -> Any:
            if step.args[0] == "rename":
                _, _, user_id, other = step.args
                db.session.get(User, user_id).name = db.session.get(User, other).name
                db.session.commit()
            user_id = _report_entry(step, users)
            return None if user_id is None else counts[user_id]  # type: ignore[index]

        return _shop_side(answer)

    _transparent(learner, truth, _worked(_report_entry), _report_steps(),
                 "A report's key is its identity: build it from the report's user id only (a "
                 "__caching_id__ method), not from the memory address, the name or hash().")


# A second worker: this process caches every user's report in a RedisCache, as a first worker
# would; a new interpreter (another PYTHONHASHSEED) whose cache shares that Redis then asks for
# the same reports and must find them. It starts once the hand-picked checks passed and waits
# for "go" (its imports overlap the work here); "stop" (a check failed) sends it home.
_WORKER_PRELUDE = """
from flask import Flask, jsonify
from flask_caching import Cache
from sqlalchemy import func
from support.data import Comment, Post, Rating, User, count_queries, db, init_shop
"""
_ASK_AGAIN = """
import time
from flask_caching.utils import get_id
from support.checks.plumbing import redis_app
from support.data import count_queries, init_shop
app, cache = redis_app(redis, prefix, "memoize_second_worker")
app.config["SQLALCHEMY_DATABASE_URI"] = DATABASE
init_shop(app)
deadline = time.monotonic() + 60
while not redis.get(prefix + "signal") and time.monotonic() < deadline:
    time.sleep(0.01)
if redis.get(prefix + "signal") == b"go":
    result = {}
    with app.app_context():
        report_class = ns["make_report_class"](cache)
        for user_id in USERS:
            report = report_class(user_id)
            with count_queries() as queries:
                report.stats()
            result[user_id] = [queries.count, str(get_id(report))]
"""


class _SecondWorker:
    """The second worker process, started on entry, waited for on exit (see above).

    Nothing is compared when there is no Redis to share (REDIS_URL down), or when the answer
    cannot run on its own in a new interpreter (it needs a name only the notebook defined).
    """

    def __init__(self, ns: Namespace) -> None:
        self.ns = ns
        self.here: dict[str, str] = {}
        self.there: list[WorkerResult] = []
        self.missing_source: Fail | None = None
        self.guard: GuardedRedis | None = None
        self._stack = ExitStack()

    def __enter__(self) -> _SecondWorker:
        try:
            source = _WORKER_PRELUDE + answer_source(self.ns.variables, "make_report_class")
            redis_client().ping()
        except Fail as missing:  # said after the other checks, which need no source
            self.missing_source = missing
            return self
        except RedisError:
            return self
        url = self._stack.enter_context(shared_redis_url())
        self.prefix = self._stack.enter_context(scratch_prefix("memoize-identity"))
        self.guard = GuardedRedis(redis_client(), self.prefix)
        script = f"DATABASE = {f'sqlite:///{_grading_db()}'!r}\nUSERS = {USERS!r}\n" + _ASK_AGAIN
        seed = 2 if os.environ.get("PYTHONHASHSEED") == "1" else 1  # not this process's seed
        thread = threading.Thread(target=lambda: self.there.extend(run_workers(
            source, script, url=url, prefix=self.prefix, workers=1, timeout=90,
            hash_seeds=[seed])), name="memoize-second-worker", daemon=True)
        thread.start()
        self._stack.callback(thread.join)
        self._stack.callback(self._signal, "stop")  # runs first: a worker still waiting leaves
        return self

    def _signal(self, word: str) -> None:
        if self.guard is not None and not self.guard.get(self.prefix + "signal"):
            self.guard.set(self.prefix + "signal", word, ex=120)

    def go(self, make_report_class: Callable[..., Any]) -> None:
        """Cache every user's report here, in a RedisCache beside the worker's; let it ask."""
        if self.guard is None:
            return
        app, cache = redis_app(self.guard, self.prefix, "memoize_first_worker")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{_grading_db()}"
        init_shop(app)
        with app.app_context():
            report_class = self.ns.call(make_report_class, cache)
            for user_id in USERS:
                report = self.ns.call(report_class, user_id)
                self.ns.call(report.stats)
                self.here[str(user_id)] = _identity(self.ns, report)
        report_violation(self.guard)
        self._signal("go")

    def __exit__(self, *exc: Any) -> None:
        self._stack.close()

    def compare(self) -> None:
        """Fail when the second worker computed a report this process had cached."""
        if self.missing_source is not None:
            raise self.missing_source
        if len(self.there) != 1 or self.there[0].error or not self.there[0].result:
            return
        for user_id in map(str, USERS):
            computed, identity = self.there[0].result.get(user_id, [0, ""])
            if computed:
                raise Fail(f"`r = UserReport({user_id}); r.stats()` in one worker process, then "
                           "the same in another worker process (another PYTHONHASHSEED) that "
                           "shares the Redis: the second computed the stats again. The report's "
                           f"identity is {self.here.get(user_id)!r} in the first process but "
                           f"{identity!r} in the second, so workers never share an entry, and a "
                           "delete_memoized run in one worker misses the others' entries. hash() "
                           "of a string (or of anything holding one) changes from process to "
                           "process; build the identity from the user id itself, e.g. "
                           "f'user:{self.user_id}'.")


# --- exercise 3 ----------------------------------------------------------------------------


def _expect_none(call: str, got: Any) -> None:
    if type(got) is object:
        raise Fail(f"{call} returned {got!r}: a bare object() sentinel does not survive the "
                   "cache (values are pickled, so the copy that comes back is not your object "
                   "and `is` fails). Use a string or False as the marker, compared with ==.")
    if got is not None:
        raise Fail(f"{call} returned {got!r}: callers expect None for an unknown email. If you "
                   "cache a marker, turn it back into None outside the memoized function.")


@exercise("memoize-none", hint=(
    "@cache.memoize does not cache a None result. Memoize a helper that returns a marker such "
    "as 'not-found' and turn it back into None outside the cached function (compare with ==, "
    "not `is`: cached values are pickled copies). cache_none=True works too, at the price of "
    "an extra `has` per call and a race."))
def check_none(ns: Namespace) -> str:
    make_find_user = ns.function("make_find_user")
    missing, also_missing = "nobody@example.com", "ghost@example.com"
    with _grading_app() as (_app, cache):
        find_user = ns.call(make_find_user, cache)
        if not callable(find_user):
            raise Fail(f"make_find_user should return the function find_user, not {find_user!r}.")
        _check_own_cache(find_user, cache, "find_user")
        ada, ben = db.session.get(User, 1), db.session.get(User, 2)
        got, _ = _counted(ns, find_user, ada.email)
        if got != ada.to_dict():
            raise Fail(f"find_user({ada.email!r}) returned {got!r}, expected {ada.to_dict()!r} "
                       "(user.to_dict()).")
        _, again = _counted(ns, find_user, ada.email)
        if again:
            raise Fail(_NOT_MEMOIZED.format(call=f"find_user({ada.email!r})"))
        got, _ = _counted(ns, find_user, ben.email)
        if got == ada.to_dict():
            raise Fail(f"find_user({ben.email!r}) returned Ada: the key ignores the email. "
                       "@cache.cached uses one key for every call; use @cache.memoize.")
        if got != ben.to_dict():
            raise Fail(f"find_user({ben.email!r}) returned {got!r}, expected {ben.to_dict()!r}.")
        got, queries = _counted(ns, find_user, missing)
        _expect_none(f"find_user({missing!r})", got)
        if not queries:
            raise Fail(f"find_user({missing!r}) ran no query the first time: it must look the "
                       "email up.")
        got, queries = _counted(ns, find_user, missing)
        _expect_none(f"the second find_user({missing!r})", got)
        if queries:
            raise Fail(f"the second find_user({missing!r}) queried the database again: memoize "
                       "does not cache a None result by default. Use "
                       "@cache.memoize(cache_none=True), or cache a marker value instead of None.")
        got, queries = _counted(ns, find_user, also_missing)
        if got is not None or not queries:
            raise Fail(f"find_user({also_missing!r}) (another unknown email) returned {got!r} "
                       f"with {queries} queries: each email needs its own lookup.")
        if not _cleared_then_queries(cache, find_user, ns, missing):
            raise Fail("find_user: " + _NOT_IN_THIS_CACHE)
        _find_scenario(ns, cache, make_find_user)
    return ("found users and unknown emails are both cached: the second lookup of an unknown "
            "email returned None without a query.")


EMAILS = ("ada@example.com", "ben@example.com", "ADA@example.com", "ada@example.com ",
          "nobody@example.com", "")  # the query matches exactly: case and spaces count


def _find(email: str, keyword: bool) -> Step:
    return Step("call", f"find_user(email={email!r})" if keyword else f"find_user({email!r})",
                (email, keyword))


def _find_scenario(ns: Namespace, cache: Cache, make_find_user: Callable[..., Any]) -> None:
    """find_user calls (by position or keyword) on known, unknown and differently spelled
    emails: each answer is the uncached one (None when nobody has that exact email), and each
    email costs its query once."""
    emails = st.sampled_from(EMAILS)
    steps = Steps(st.builds(_find, emails, st.booleans()),
                  lambda step: st.builds(_find, emails, st.just(not step.args[1])))

    def learner() -> Play:
        cache.clear()
        find_user = ns.call(make_find_user, cache)

        def play(step: Step) -> tuple[Any, bool]:
            email, keyword = step.args
            with count_queries() as queries:
                got = find_user(email=email) if keyword else find_user(email)
            return got, queries.count > 0

        return play

    def truth() -> Side:
        def answer(step: Step) -> Any:
            user = User.query.filter_by(email=step.args[0]).first()
            return user.to_dict() if user else None

        return Side(answer)

    _transparent(learner, truth, _worked(lambda step, _: step.args[0]), steps,
                 "find_user must look up exactly the email it is given (None when nobody has "
                 "it), and each email needs an entry of its own.")


# --- exercise 4 ----------------------------------------------------------------------------


@exercise("memoize-route-int", hint=(
    "Route arguments are strings unless the rule has a converter. Register "
    "'/users/<int:user_id>/stats' with app.add_url_rule or @app.route inside add_stats_route, and "
    "return jsonify(user_stats(user_id)) from the view."))
def check_route_int(ns: Namespace) -> str:
    add_stats_route = ns.function("add_stats_route")
    with _grading_app() as (app, cache):
        calls: list[Any] = []

        @cache.memoize(timeout=300)
        def user_stats(user_id: Any) -> dict[str, Any]:
            calls.append(user_id)
            return _expected_stats(int(user_id))

        ns.call(add_stats_route, app, user_stats)
        client = app.test_client()
        wanted = _expected_stats(1)
        first = ns.call(client.get, "/users/1/stats")
        if first.status_code == 404:
            raise Fail("GET /users/1/stats answered 404 Not Found: register the rule "
                       "'/users/<int:user_id>/stats' (an <int:...> converter matches '1'; "
                       "<float:...> would not).")
        if first.status_code != 200:
            raise Fail(f"GET /users/1/stats answered {first.status}: the view failed.")
        if not calls:
            raise Fail("the view never called user_stats: use the function add_stats_route "
                       "receives, `return jsonify(user_stats(user_id))`.")
        if not _same(first.get_json(silent=True), wanted):
            raise Fail(f"GET /users/1/stats returned {first.get_data(as_text=True)[:120]!r}; "
                       "return jsonify(user_stats(user_id)).")
        ns.call(client.get, "/users/1/stats")
        if len(calls) > 1:
            raise Fail("the second GET /users/1/stats computed the statistics again: call "
                       "user_stats(user_id) itself, not user_stats.uncached, so the result is "
                       "cached.")
        argument = calls[0]
        post = Post(user_id=1, title="grading post")
        db.session.add(post)
        db.session.commit()
        try:
            cache.delete_memoized(user_stats, 1)  # what the code that saves a post does
            after = ns.call(client.get, "/users/1/stats").get_json(silent=True)
        finally:
            db.session.delete(post)
            db.session.commit()
        stale = not isinstance(after, dict) or after.get("post_count") != wanted["post_count"] + 1
        if stale and type(argument) is int:
            raise Fail("after user 1 wrote a post and the app ran cache.delete_memoized("
                       "user_stats, 1), GET /users/1/stats still served the old count, although "
                       "the view calls user_stats(1) with an int: something else keeps the old "
                       "response (a @cache.cached on the view, or a cache of your own). Let the "
                       "memoized user_stats be the only cache, so delete_memoized reaches it.")
        if stale:
            raise Fail(f"after user 1 wrote a post and the app ran cache.delete_memoized("
                       f"user_stats, 1), GET /users/1/stats still served the old count: the view "
                       f"called user_stats({argument!r}) with a {type(argument).__name__}, so its "
                       "entry has another key than the int 1. Use the converter "
                       "<int:user_id> (or convert with int(...)).")
        _route_scenario(cache, client, user_stats, calls)
    return (f"the view calls user_stats({argument!r}), so delete_memoized(user_stats, 1) "
            "reaches its entry and the next request is fresh.")


def _get_stats(user_id: int) -> Step:
    return Step("GET", f"GET /users/{user_id}/stats", (user_id,))


def _post(user_id: int) -> Step:
    return Step("write", f"user {user_id} writes a post, and the app runs "
                f"delete_memoized(user_stats, {user_id})", (user_id,))


def _route_scenario(cache: Cache, client: Any, user_stats: Callable[..., Any],
                    calls: list[Any]) -> None:
    """GETs of several users' pages and posts (each followed by delete_memoized(user_stats,
    user_id) with an int): every page is what the shop says now, and a page whose user wrote
    nothing since it was computed is not computed again."""
    steps = Steps(st.one_of(st.builds(_get_stats, ids(USERS)), st.builds(_post, ids(USERS))),
                  lambda step: st.one_of(st.just(_get_stats(step.args[0])),
                                         st.just(_post(step.args[0]))))

    def learner() -> Play:
        cache.clear()
        calls.clear()

        def play(step: Step) -> tuple[Any, bool]:
            user_id, before = step.args[0], len(calls)
            if step.kind == "write":
                cache.delete_memoized(user_stats, user_id)  # what the code that saves a post does
                return None, False
            response = client.get(f"/users/{user_id}/stats")
            body = response.get_json(silent=True)
            if body is None:
                body = response.get_data(as_text=True)[:80]
            return (response.status_code, _plain(body)), len(calls) > before

        return play

    counts = {user_id: _plain(_expected_stats(user_id)) for user_id in USERS}

    def truth() -> Side:
        posts: list[Post] = []

        def answer(step: Step) -> Any:
            user_id = step.args[0]
            if step.kind == "write":
                posts.append(Post(user_id=user_id, title="grading post"))
                db.session.add(posts[-1])
                db.session.commit()
                return None
            written = sum(post.user_id == user_id for post in posts)
            return 200, {**counts[user_id], "post_count": counts[user_id]["post_count"] + written}

        def close() -> None:
            for post in posts:
                db.session.delete(post)
            if posts:
                db.session.commit()

        return Side(answer, close=close)

    _transparent(learner, truth, _worked(lambda step, _: step.args[0]), steps,
                 "Every page must be user_stats(user_id) for the URL's user id, as the shop says "
                 "now: one rule with a converter, '/users/<int:user_id>/stats', serves every "
                 "user, and nothing but the memoized user_stats may cache the statistics.",
                 noun="body", why=(
                     "That request did not compute user_stats: the view served another cache's "
                     "entry, or did not reach user_stats at all.",
                     "That request computed user_stats and still answered differently: the view "
                     "must pass the URL's user id to user_stats and return its result."))
