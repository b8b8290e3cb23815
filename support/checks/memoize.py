"""Checkers for lesson 02 (memoize).

Each checker builds its own app, its own SimpleCache and its own copy of the sample shop (a
separate SQLite file), passes that cache to the learner's factory function and runs what it
returns inside the app context, so nothing depends on the notebook's state.

A checker first tries a few hand-picked calls, which name the common mistakes precisely. Then it
judges by **cache transparency** on generated call sequences (Hypothesis, derandomised, so a
learner gets the same verdict on every run): calls with positional or keyword arguments, writes
and invalidations, run against the learner's cached code and against the same computation without
a cache. Every answer must equal the uncached answer, and every call that the worked solution
answers from the cache must be answered from the cache (no query, no computation). A failure is
shrunk to the shortest sequence that shows it, and that sequence is the hint. The identity of a
memoized method is also computed in a second Python process with another ``PYTHONHASHSEED``, as
a second worker would, and must give the same key there.
"""

from __future__ import annotations

import json
import logging
import marshal
import math
import os
import pickle
import subprocess
import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from flask import Flask
from flask_caching import Cache
from flask_caching.utils import get_id
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func

from support.backends import simple_config, temporary_folder
from support.data import Comment, Post, Rating, User, count_queries, db, init_shop
from support.grading import Fail, Namespace, exercise

GRADING_DEFAULT_TIMEOUT = 300  # the checker's CACHE_DEFAULT_TIMEOUT, Flask-Caching's default too

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
    """A fresh app with the shop and an empty SimpleCache; yields inside its app context."""
    app = Flask("memoize_grading")
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{_grading_db()}"
    init_shop(app)
    with app.app_context():  # a scratch database: commits need not wait for the disk
        event.listen(db.engine, "connect", _scratch_sqlite)
        db.engine.dispose()
    cache = Cache()
    cache.init_app(app, config=simple_config(CACHE_DEFAULT_TIMEOUT=GRADING_DEFAULT_TIMEOUT))
    # Flask-Caching logs a traceback and runs the function uncached when the cache fails (e.g.
    # a learner memoized with a cache that is not attached to this app): keep that log quiet,
    # the check reports the effect instead.
    log = logging.getLogger("flask_caching")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        with app.app_context():
            yield app, cache
    finally:
        log.setLevel(level)


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


# --- generated scenarios (cache transparency) ----------------------------------------------

SCENARIO_EXAMPLES = 30  # generated call sequences per check; shrinking a failure adds a few more
SCENARIO_USERS = (1, 2, 3)  # users ada, ben and chloe of the sample shop
SCENARIO_NAMES = ("ada", "ben", "zoe")  # new names: two are another user's name, one is new

_SCENARIO_SETTINGS = settings(
    derandomize=True, database=None, deadline=None, max_examples=SCENARIO_EXAMPLES,
    verbosity=Verbosity.quiet, phases=(Phase.explicit, Phase.generate, Phase.shrink),
    report_multiple_bugs=False, print_blob=False, suppress_health_check=list(HealthCheck))


def _sequence(done: list[str]) -> str:
    return ", then ".join(f"`{step}`" for step in done)


def _shortest_failure(steps: st.SearchStrategy[list[Any]],
                      run: Callable[[list[Any]], None]) -> str | None:
    """Run ``run`` on generated step lists; the message of the shortest failing one, or None.

    ``run`` raises :class:`Fail` when the learner's code is not transparent on a list, with the
    list in the message. Hypothesis shrinks a failing list and replays the shortest one, whose
    message is returned.
    """
    messages: list[str] = []

    @_SCENARIO_SETTINGS
    @given(steps)
    def scenario(sequence: list[Any]) -> None:
        try:
            run(sequence)
        except Fail as exc:
            messages.append(str(exc))
            raise

    try:
        scenario()
    except Fail as exc:
        return str(exc)
    except Exception:  # Hypothesis could not replay the failure the same way (flaky code)
        if messages:
            return min(messages, key=len)
        raise
    return None


def _scenario_call(done: list[str], ns: Namespace, fn: Callable[..., Any], *args: Any,
                   **kwargs: Any) -> Any:
    """Call the learner's code inside a scenario; its exception names the sequence."""
    try:
        return ns.call(fn, *args, **kwargs)
    except Fail as exc:
        raise Fail(f"A generated call sequence, shortest form: {_sequence(done)}. The last "
                   f"call failed: {exc}") from None


_STALE_OR_FOREIGN = ("The cache served an entry that belongs to another call, or one that "
                     "should have been deleted.")
_COMPUTED_WRONG = ("That call ran its queries and still answered differently, so the function "
                   "itself changes the answer, not the cache: it must compute exactly what the "
                   "uncached code does (e.g. query the very value it was given).")


def _advice(queries: int) -> str:
    """Why an answer differs: served from the cache (no query) or computed wrongly."""
    return _COMPUTED_WRONG if queries else _STALE_OR_FOREIGN


def _not_transparent(done: list[str], got: Any, wanted: Any, advice: str = _STALE_OR_FOREIGN,
                     note: str = "") -> NoReturn:
    raise Fail(f"A generated call sequence, shortest form: {_sequence(done)}. The last call "
               f"returned {got!r}, but the same code without a cache returns {wanted!r}. "
               f"{advice}{note}")


def _saved_less(done: list[str], cost: str, why: str, note: str = "") -> NoReturn:
    raise Fail(f"A generated call sequence, shortest form: {_sequence(done)}. The last call "
               f"{cost}, although {why}: the worked solution answers it from the cache, and "
               f"the cache should save at least that work.{note}")


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
        failure = _stats_scenario(ns, cache, make_stats)
        if failure:
            raise Fail(failure)
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


def _stats_steps() -> st.SearchStrategy[list[Any]]:
    stats = st.tuples(st.just("stats"), st.sampled_from(SCENARIO_USERS), st.booleans())
    rename = st.tuples(st.just("rename"), st.sampled_from(SCENARIO_USERS),
                       st.sampled_from(SCENARIO_NAMES))
    return st.lists(st.one_of(stats, rename), min_size=1, max_size=6)


@contextmanager
def _names_restored() -> Iterator[None]:
    names = {user_id: db.session.get(User, user_id).name for user_id in SCENARIO_USERS}
    try:
        yield
    finally:
        db.session.rollback()
        changed = False
        for user_id, name in names.items():
            user = db.session.get(User, user_id)
            if user.name != name:
                user.name, changed = name, True
        if changed:
            db.session.commit()


def _stats_scenario(ns: Namespace, cache: Cache, make_stats: Callable[..., Any]) -> str | None:
    """user_stats calls (positional or keyword) and renames: transparent, and each user's entry
    survives every update of another user."""

    counts = {user_id: _expected_stats(user_id) for user_id in SCENARIO_USERS}  # no post is written

    def run(sequence: list[Any]) -> None:
        cache.clear()  # the checker's own SimpleCache
        user_stats, update_user_name = ns.call(make_stats, cache)
        cached: set[int] = set()  # users whose entry the worked solution holds
        done: list[str] = []
        def read(user_id: int, keyword: bool = False) -> None:
            args, kwargs = ((), {"user_id": user_id}) if keyword else ((user_id,), {})
            done.append(f"user_stats(user_id={user_id})" if keyword else f"user_stats({user_id})")
            wanted = {"name": db.session.get(User, user_id).name, **counts[user_id]}
            with count_queries() as queries:
                got = _scenario_call(done, ns, user_stats, *args, **kwargs)
            if not _same(got, wanted):
                _not_transparent(done, got, wanted, _advice(queries.count))
            if user_id in cached and queries.count:
                _saved_less(done, f"ran {queries.count} queries",
                                  f"user {user_id} did not change since their statistics "
                                  "were last computed")
            cached.add(user_id)

        with _names_restored():
            for step in sequence:
                if step[0] == "stats":
                    read(step[1], step[2])
                    continue
                _, user_id, name = step  # an update, read before (if not cached) and after
                if user_id not in cached:
                    read(user_id)
                done.append(f"update_user_name({user_id}, {name!r})")
                _scenario_call(done, ns, update_user_name, user_id, name)
                db.session.rollback()  # read what was committed
                cached.discard(user_id)
                read(user_id)

    return _shortest_failure(_stats_steps(), run)


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
    probe = _IdentityProbe(make_report_class)
    try:
        message = _method_identity(ns, make_report_class)
        failure = probe.mismatch()
    finally:
        probe.stop()
    if failure:
        raise Fail(failure)
    return message


def _method_identity(ns: Namespace, make_report_class: Callable[..., Any]) -> str:
    with _grading_app() as (_app, cache):
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
        failure = _report_scenario(ns, cache, make_report_class)
        if failure:
            raise Fail(failure)
    return ("two reports for the same user share one cache entry, and a report for another "
            "user never gets that entry, even when it is created at a freed report's address, "
            "after users are renamed, or in another worker process.")


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


def _report_steps() -> st.SearchStrategy[list[Any]]:
    new = st.tuples(st.just("new"), st.sampled_from(SCENARIO_USERS))
    again = st.tuples(st.just("again"), st.integers(0, 5))
    free = st.tuples(st.just("free"), st.integers(0, 5))
    rename = st.tuples(st.just("rename"), st.sampled_from(SCENARIO_USERS),
                       st.sampled_from(SCENARIO_USERS))  # to the second user's name
    return st.lists(st.one_of(new, again, free, rename), min_size=1, max_size=6)


def _report_scenario(ns: Namespace, cache: Cache,
                     make_report_class: Callable[..., Any]) -> str | None:
    """Reports created, called again, freed, and users renamed (their statistics do not depend
    on the name): every stats() is the user's own, and a user computed once stays cached."""
    counts = {user_id: _expected_stats(user_id) for user_id in SCENARIO_USERS}

    def run(sequence: list[Any]) -> None:
        cache.clear()
        report_class = ns.call(make_report_class, cache)
        live: list[tuple[str, int, Any]] = []  # (name in the hint, user id, report)
        computed: set[int] = set()
        done: list[str] = []
        made = 0
        with _names_restored():
            for step in sequence:
                if step[0] == "rename":  # then a new report for the renamed user
                    _, user_id, other = step
                    name = db.session.get(User, other).name
                    if other == user_id:
                        continue
                    done.append(f"rename user {user_id} to {name!r} (user {other}'s name)")
                    db.session.get(User, user_id).name = name
                    db.session.commit()
                    step = ("new", user_id)
                if step[0] == "free":
                    if live:
                        label, _, _ = live.pop(step[1] % len(live))
                        done.append(f"del {label}")
                    continue
                if step[0] == "new":
                    made += 1
                    label, user_id = f"r{made}", step[1]
                    done.append(f"{label} = UserReport({user_id})")
                    live.append((label, user_id, _scenario_call(done, ns, report_class, user_id)))
                    report = live[-1][2]
                elif live:
                    label, user_id, report = live[step[1] % len(live)]
                else:
                    continue
                done.append(f"{label}.stats()")
                with count_queries() as queries:
                    got = _scenario_call(done, ns, report.stats)
                identity = f" The report's identity is {_identity(ns, report)!r}."
                if not _same(got, counts[user_id]):
                    _not_transparent(done, got, counts[user_id], _advice(queries.count),
                                     note=identity)
                if user_id in computed and queries.count:
                    _saved_less(done, f"ran {queries.count} queries",
                                f"user {user_id}'s statistics were already computed by a report "
                                "for the same user", note=identity)
                computed.add(user_id)

    return _shortest_failure(_report_steps(), run)


# The identity in a second worker: the learner's factory is rebuilt in a new interpreter with
# another PYTHONHASHSEED, from its code object (marshal) and the module-level names it uses.
_PROBE = r"""
import importlib, json, marshal, pickle, sys, types
from flask import Flask
from flask_caching import Cache
from flask_caching.utils import get_id
payload = pickle.loads(sys.stdin.buffer.read())
namespace = {"__name__": "__main__", "__builtins__": __builtins__}
for name, (kind, where, what) in payload["globals"].items():
    if kind == "module":
        namespace[name] = importlib.import_module(where)
    elif kind == "attr":
        value = importlib.import_module(where)
        for part in what.split("."):
            value = getattr(value, part)
        namespace[name] = value
    else:
        namespace[name] = pickle.loads(what)
factory = types.FunctionType(marshal.loads(payload["code"]), namespace, "factory",
                             payload["defaults"])
app = Flask("identity_probe")
cache = Cache()
cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
with app.app_context():
    report_class = factory(cache)
    method = report_class.__dict__["stats"]
    keys = {}
    for user_id in payload["users"]:
        report = report_class(user_id)
        keys[user_id] = [method.make_cache_key(method.uncached, report)[:16], get_id(report)]
print(json.dumps(keys))
"""
_SIMPLE = (int, float, str, bytes, bool, type(None), tuple, frozenset)


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _rebuild_spec(value: Any) -> tuple[str, str, Any] | None:
    """How a second interpreter gets ``value``: import it, or unpickle a plain value."""
    if isinstance(value, types.ModuleType):
        return ("module", value.__name__, None)
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str) and module != "__main__":
        try:
            found: Any = sys.modules[module]
            for part in qualname.split("."):
                found = getattr(found, part)
        except (KeyError, AttributeError):
            return None
        return ("attr", module, qualname) if found is value else None
    if type(value) in _SIMPLE:
        try:
            return ("value", "", pickle.dumps(value))
        except Exception:
            return None
    return None


def _probe_payload(factory: Callable[..., Any], users: tuple[int, ...]) -> bytes | None:
    """The factory as a second interpreter can rebuild it; None when it cannot (a closure).

    A module-level name that cannot be rebuilt there (an object made in the notebook) is left
    out: the probe only defines the class and builds identities, and if that needs the name,
    the probe fails and the comparison is skipped."""
    if not isinstance(factory, types.FunctionType) or factory.__closure__:
        return None
    specs = {}
    for name in _code_names(factory.__code__):
        if name in factory.__globals__:
            spec = _rebuild_spec(factory.__globals__[name])
            if spec is not None:
                specs[name] = spec
    try:
        return pickle.dumps({"code": marshal.dumps(factory.__code__), "globals": specs,
                             "defaults": factory.__defaults__, "users": users})
    except Exception:
        return None


def _keys_here(factory: Callable[..., Any], users: tuple[int, ...]) -> dict[str, list[str]] | None:
    app = Flask("identity_probe")
    cache = Cache()
    cache.init_app(app, config=simple_config())
    with app.app_context():
        report_class = factory(cache)
        method = report_class.__dict__.get("stats")
        if not callable(getattr(method, "make_cache_key", None)):
            return None  # stats() is not memoized itself (e.g. it calls a function of the id)
        keys = {}
        for user_id in users:
            report = report_class(user_id)
            keys[str(user_id)] = [method.make_cache_key(method.uncached, report)[:16],
                                  get_id(report)]
        return keys


class _IdentityProbe:
    """The keys of UserReport(n).stats() in a new interpreter whose PYTHONHASHSEED differs, as
    in a second worker. Started early (it runs while the other checks do), read at the end."""

    def __init__(self, factory: Callable[..., Any]) -> None:
        self.factory = factory
        self.process: subprocess.Popen[bytes] | None = None
        payload = _probe_payload(factory, SCENARIO_USERS)
        if payload is None:
            return
        seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _PROBE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONHASHSEED": seed})
            assert self.process.stdin is not None
            self.process.stdin.write(payload)
            self.process.stdin.close()
            self.process.stdin = None  # written and closed: communicate() only reads
        except OSError:
            self.stop()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait()
            if self.process.stdout is not None:
                self.process.stdout.close()
        self.process = None

    def mismatch(self) -> str | None:
        """A message when a report's key differs in the other process; None when the keys are
        equal or cannot be compared (the probe could not rebuild or run the class)."""
        if self.process is None:
            return None
        try:
            out, _ = self.process.communicate(timeout=30)
            there = json.loads(out) if self.process.returncode == 0 else None
        except (subprocess.TimeoutExpired, ValueError):
            there = None
        finally:
            self.stop()
        try:
            here = _keys_here(self.factory, SCENARIO_USERS)
        except Exception:
            return None
        if not there or here is None:
            return None
        for user_id in map(str, SCENARIO_USERS):
            if user_id in there and here[user_id][0] != there[user_id][0]:
                return (f"UserReport({user_id}) has the identity {here[user_id][1]!r} in this "
                        f"process but {there[user_id][1]!r} in another worker process (another "
                        "PYTHONHASHSEED), so its key differs from worker to worker: workers "
                        "that share a Redis never share an entry, and a delete_memoized run in "
                        "one worker misses the others' entries. hash() of a string (or of "
                        "anything holding one) changes from process to process; build the "
                        "identity from the user id itself, e.g. f'user:{self.user_id}'.")
        return None


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
        failure = _find_scenario(ns, cache, make_find_user)
        if failure:
            raise Fail(failure)
    return ("found users and unknown emails are both cached: the second lookup of an unknown "
            "email returned None without a query.")


SCENARIO_EMAILS = ("ada@example.com", "ben@example.com", "ADA@example.com", "ada@example.com ",
                   "nobody@example.com", "")  # the query matches exactly: case and spaces count


def _find_scenario(ns: Namespace, cache: Cache, make_find_user: Callable[..., Any]) -> str | None:
    """find_user calls (positional or keyword) on known, unknown and differently spelled
    emails: each answer is the uncached one (None when nobody has that exact email), and each
    email costs its query once."""
    wanted = {}
    for email in SCENARIO_EMAILS:
        user = User.query.filter_by(email=email).first()
        wanted[email] = user.to_dict() if user else None
    steps = st.lists(st.tuples(st.sampled_from(SCENARIO_EMAILS), st.booleans()),
                     min_size=1, max_size=6)

    def run(sequence: list[Any]) -> None:
        cache.clear()
        find_user = ns.call(make_find_user, cache)
        looked_up: set[str] = set()
        done: list[str] = []
        for email, keyword in sequence:
            done.append(f"find_user(email={email!r})" if keyword else f"find_user({email!r})")
            with count_queries() as queries:
                got = (_scenario_call(done, ns, find_user, email=email) if keyword
                       else _scenario_call(done, ns, find_user, email))
            if got != wanted[email] or (wanted[email] is None and got is not None):
                _not_transparent(done, got, wanted[email], _advice(queries.count))
            if email in looked_up and queries.count:
                _saved_less(done, f"ran {queries.count} queries",
                                  f"{email!r} was looked up before")
            looked_up.add(email)

    return _shortest_failure(steps, run)


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
        failure = _route_scenario(ns, cache, client, user_stats, calls)
        if failure:
            raise Fail(failure)
    return (f"the view calls user_stats({argument!r}), so delete_memoized(user_stats, 1) "
            "reaches its entry and the next request is fresh.")


def _route_scenario(ns: Namespace, cache: Cache, client: Any, user_stats: Callable[..., Any],
                    calls: list[Any]) -> str | None:
    """GETs of several users' pages and posts (each followed by delete_memoized(user_stats,
    user_id) with an int): every page is what the shop says now, and a page whose user wrote
    nothing since it was computed is not computed again."""
    get = st.tuples(st.just("get"), st.sampled_from(SCENARIO_USERS))
    post = st.tuples(st.just("post"), st.sampled_from(SCENARIO_USERS))
    steps = st.lists(st.one_of(get, post), min_size=1, max_size=6)

    def run(sequence: list[Any]) -> None:
        cache.clear()
        calls.clear()
        cached: set[int] = set()
        done: list[str] = []
        posts: list[Post] = []
        try:
            for kind, user_id in sequence:
                if kind == "post":
                    done.append(f"user {user_id} writes a post, and the app runs "
                                f"delete_memoized(user_stats, {user_id})")
                    posts.append(Post(user_id=user_id, title="grading post"))
                    db.session.add(posts[-1])
                    db.session.commit()
                    cache.delete_memoized(user_stats, user_id)
                    cached.discard(user_id)
                    continue
                done.append(f"GET /users/{user_id}/stats")
                wanted = _expected_stats(user_id)
                before = len(calls)
                response = _scenario_call(done, ns, client.get, f"/users/{user_id}/stats")
                got = (response.get_json(silent=True) if response.status_code == 200
                       else f"{response.status}")
                if isinstance(got, str):
                    _not_transparent(done, got, wanted, (
                        f"The view does not answer /users/{user_id}/stats: one rule with a "
                        "converter, '/users/<int:user_id>/stats', serves every user."))
                if not _same(got, wanted):
                    _not_transparent(done, got, wanted, (
                        "The view must pass the URL's user id to user_stats, and nothing but "
                        "the memoized user_stats may cache the statistics."))
                if user_id in cached and len(calls) > before:
                    _saved_less(done, "computed the statistics again",
                                      f"user {user_id} wrote nothing since their page was "
                                      "computed")
                cached.add(user_id)
        finally:
            for post in posts:
                db.session.delete(post)
            if posts:
                db.session.commit()

    return _shortest_failure(steps, run)
