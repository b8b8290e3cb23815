"""support.checks.plumbing: the guard, scratch prefixes, log capture, grading apps."""

from __future__ import annotations

import logging

import pytest

from support.backends import redis_client
from support.checks.plumbing import (GuardedRedis, cache_errors, delete_prefix, glob_escape,
                                     raised_inside_flask_caching, redis_app, report_violation,
                                     scratch_prefix, simple_app)
from support.grading import Fail


@pytest.fixture()
def guarded():
    raw = redis_client()
    with scratch_prefix("plumbing-test", raw) as prefix:
        yield raw, GuardedRedis(raw, prefix, advice="Use only the cache's keys."), prefix


def test_the_guard_lets_prefixed_string_commands_through(guarded) -> None:
    raw, guard, prefix = guarded
    guard.set(prefix + "a", b"1")
    assert guard.get(prefix + "a") == b"1" and guard.incr(prefix + "n") == 1
    with guard.pipeline() as pipe:
        pipe.set(prefix + "b", b"2").get(prefix + "b")
        assert pipe.execute() == [True, b"2"]
    assert sorted(guard.scan_iter(match=glob_escape(prefix) + "*")) == [
        (prefix + k).encode() for k in ("a", "b", "n")]
    guard.delete(prefix + "a")
    assert guard.deleted == [prefix + "a"] and guard.violation is None


@pytest.mark.parametrize(("call", "words"), [
    (lambda g, p: g.keys("*"), "KEYS"),
    (lambda g, p: g.flushdb(), "FLUSHDB"),
    (lambda g, p: g.get("not-ours"), "outside the cache's prefix"),
    (lambda g, p: g.delete("not-ours"), "deleted 'not-ours'"),
    (lambda g, p: g.hset(p + "h", "f", "v"), "HSET"),
    (lambda g, p: list(g.scan_iter(match="*")), "does not start with the cache's key prefix"),
    (lambda g, p: g.pipeline().delete("x"), "deleted 'x'"),
])
def test_the_guard_refuses_before_the_server_sees_it(guarded, call, words: str) -> None:
    raw, guard, prefix = guarded
    with pytest.raises(Fail, match=words):
        call(guard, prefix)
    assert guard.violation and "Use only the cache's keys." in guard.violation
    with pytest.raises(Fail):
        report_violation(guard)


def test_a_refused_command_is_remembered_even_if_swallowed(guarded) -> None:
    _, guard, _ = guarded
    try:
        guard.flushall()
    except Exception:
        pass
    with pytest.raises(Fail, match="FLUSHALL"):
        report_violation(guard)


def test_scratch_keys_are_deleted_even_when_the_check_fails() -> None:
    raw = redis_client()
    with pytest.raises(Fail), scratch_prefix("plumbing-fail", raw) as prefix:
        raw.set(prefix + "x", b"1")
        raise Fail("the learner's answer was wrong")
    assert list(raw.scan_iter(match=glob_escape(prefix) + "*")) == []
    assert delete_prefix(raw, prefix) == 0


def test_cache_errors_are_collected_quietly(capsys) -> None:
    with cache_errors() as seen:
        try:
            raise ConnectionError("redis is down")
        except ConnectionError:
            logging.getLogger("flask_caching").exception("Exception possibly due to cache backend.")
    assert seen == ["ConnectionError: redis is down"]
    assert capsys.readouterr().err == ""


def test_raised_inside_flask_caching_tells_the_library_from_the_learner() -> None:
    app, cache = simple_app("plumbing")
    with app.app_context():
        try:
            cache.delete_many()  # fine
            cache.cache.set = None  # type: ignore[assignment]
            cache.set("k", 1)
        except TypeError as exc:
            assert raised_inside_flask_caching(exc)

        def learner() -> None:
            raise ValueError("mine")

        try:
            cache.memoize()(learner)()
        except ValueError as exc:
            assert not raised_inside_flask_caching(exc)


def test_redis_app_uses_the_guarded_client(guarded) -> None:
    raw, guard, prefix = guarded
    app, cache = redis_app(guard, prefix, "plumbing-redis")
    with app.app_context():
        cache.set("k", 1)
        assert cache.get("k") == 1
        with pytest.raises(Fail, match="KEYS"):
            cache.clear()
    assert raw.exists(prefix + "k")
