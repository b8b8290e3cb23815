"""Lesson 08's checkers: the solutions pass, blanks are not attempted, and the check's own
machinery (a Redis that can hang or refuse, a round-trip counter, a model of maxmemory) behaves
like the real thing. The wrong answers and correct alternatives, judged only by "fails with this
hint / passes", are files in tests/mutants/operating-*/ (graded by tests/test_hand_written.py)."""

from __future__ import annotations

import threading
import time

import pytest
import redis
from conftest import answer_cell, run_answer

from support.checks import operating
from support.grading import run_check

NB = "08_operating.ipynb"
EXERCISES = ["operating-fail-fast", "operating-batch-prices", "operating-shared-redis"]


def _status(exercise: str, namespace: dict) -> tuple[str, str]:
    result = run_check(exercise, namespace)
    return result.status, result.message


@pytest.mark.solution
@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_passes(exercise: str) -> None:
    status, message = _status(exercise, run_answer(answer_cell(NB, exercise)))
    assert status == "passed", message


@pytest.mark.parametrize("exercise", EXERCISES)
def test_placeholder_is_not_attempted(exercise: str) -> None:
    from support.tools.exercises import blank_solutions

    blank = run_answer(blank_solutions(answer_cell(NB, exercise)))
    assert _status(exercise, blank)[0] == "not-attempted"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_missing_answer_is_not_attempted(exercise: str) -> None:
    assert _status(exercise, {})[0] == "not-attempted"


# --- the Redis switch: up, hung, refused ------------------------------------------------------


def _client(port: int, timeout: float = 0.3) -> redis.Redis:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=timeout,
                       socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0))


def test_switch_forwards_hangs_refuses_and_comes_back() -> None:
    backend = operating.EmbeddedRedisServer()
    switch = operating.RedisSwitch(backend.port)
    try:
        client = _client(switch.port)
        assert client.set("k", "v") and client.get("k") == b"v"
        switch.set_mode("hung")
        start = time.perf_counter()
        with pytest.raises(redis.exceptions.TimeoutError):
            client.get("k")
        assert time.perf_counter() - start >= 0.25   # it waited for its timeout
        switch.set_mode("refused")
        with pytest.raises(redis.exceptions.ConnectionError) as refused:
            _client(switch.port, timeout=5).get("k")
        assert not isinstance(refused.value, redis.exceptions.TimeoutError)  # at once
        switch.set_mode("up")
        assert _client(switch.port).get("k") == b"v"   # the data survived the outage
    finally:
        switch.close()
        backend.close()


def test_a_request_over_the_limit_is_reported_and_not_waited_for() -> None:
    backend = operating.EmbeddedRedisServer()
    side = operating._fail_fast_side({}, backend.port)   # redis-py's defaults
    try:
        side.play(operating.Step("write", "Redis hangs", ("hung",)))
        start = time.perf_counter()
        with pytest.raises(operating._TooSlow, match="the limit is 1 s"):
            side.play(operating.Step("GET", "GET /products/1", ("/products/1",)))
        assert time.perf_counter() - start < 10     # the check does not wait the minute
    finally:
        side.close()
        backend.close()


# --- the round-trip counter -----------------------------------------------------------------


def test_round_trips_count_commands_and_pipelines() -> None:
    import fakeredis

    client = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    trips = operating.RoundTrips(client)
    client.set("a", 1)
    client.mget(["a", "b"])
    with client.pipeline(transaction=False) as pipe:
        pipe.set("b", 2).set("c", 3).get("a")
        pipe.execute()
    assert trips.count == 3


def test_strict_redis_refuses_an_mget_without_keys() -> None:
    import fakeredis

    strict = operating._StrictRedis(fakeredis.FakeRedis(server=fakeredis.FakeServer()))
    with pytest.raises(redis.exceptions.ResponseError, match="wrong number of arguments"):
        strict.mget([])
    assert strict.mget(["x"]) == [None]


# --- the model of maxmemory -----------------------------------------------------------------


@pytest.mark.parametrize("policy,session_kept,refused", [
    ("allkeys-lru", False, 0), ("allkeys-random", False, 0), ("noeviction", True, 1),
    ("volatile-lru", True, 0), ("volatile-ttl", True, 0), ("volatile-random", True, 0)])
def test_bounded_redis_evicts_as_its_policy_says(policy, session_kept, refused) -> None:
    model = operating.BoundedRedis(3, policy)
    model.set("sessions:alice", "token")            # no TTL
    model.set("page:1", "p", ex=300)
    model.set("page:2", "p", ex=300)
    try:
        model.set("page:3", "p", ex=300)            # the database is full: evict or refuse
    except redis.exceptions.OutOfMemoryError:
        pass
    assert (model.get("sessions:alice") == b"token") is session_kept
    assert model.refused == refused
    assert model.dbsize() <= 3


def test_volatile_policy_refuses_when_nothing_has_a_ttl() -> None:
    model = operating.BoundedRedis(2, "volatile-lru")
    model.set("sessions:alice", "token")
    model.set("page:1", "p")                        # timeout=0: no TTL either
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        model.set("page:2", "p", ex=300)
    assert model.refused == 1


def test_lru_order_follows_reads() -> None:
    model = operating.BoundedRedis(2, "allkeys-lru")
    model.set("a", 1)
    model.set("b", 2)
    model.get("a")                                  # b is now the least recently used
    model.set("c", 3)
    assert model.evicted == ["b"] and model.get("a") == b"1"


def test_shared_redis_rejects_an_unknown_policy() -> None:
    status, message = _status("operating-shared-redis",
                              {"POLICY": "lru", "PAGE_TIMEOUT": 300})
    assert status == "failed" and "volatile-lru" in message


def test_fail_fast_leaves_no_thread_waiting_for_ever() -> None:
    """A slow answer's request threads give up once the check's servers are gone."""
    run_check("operating-fail-fast", {"FAIL_FAST_OPTIONS": {"socket_timeout": 0.5}})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(
            t.name.startswith("operating-check-request") for t in threading.enumerate()):
        time.sleep(0.2)
    assert not [t.name for t in threading.enumerate()
                if t.name.startswith("operating-check-request")]


def test_switch_makes_a_connect_hang_while_unreachable() -> None:
    backend = operating.EmbeddedRedisServer()
    switch = operating.RedisSwitch(backend.port)
    try:
        switch.set_mode("unreachable")
        start = time.perf_counter()
        with pytest.raises(redis.exceptions.TimeoutError, match="connecting"):
            _client(switch.port).get("k")
        assert time.perf_counter() - start >= 0.25   # the connect waited for its timeout
        switch.set_mode("up")
        assert _client(switch.port).set("k", "v")
    finally:
        switch.close()
        backend.close()
