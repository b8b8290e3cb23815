"""support.checks.concurrency: races decided by the schedule, not by luck."""

from __future__ import annotations

import time
from typing import Any

import pytest

from support.backends import redis_client
from support.checks.concurrency import Compute, Interleaver, dead_holder, run_with_deadline
from support.checks.plumbing import scratch_prefix


def check_then_set(r: Any, key: str, compute: Compute) -> Any:
    """Wrong: looks for the lock, then takes it (two commands: both workers get it)."""
    while True:
        value = r.get(key)
        if value is not None:
            return value
        if not r.exists(key + ":lock"):
            r.set(key + ":lock", 1, px=5000)
            try:
                r.set(key, compute())
            finally:
                r.delete(key + ":lock")
        else:
            time.sleep(0.01)


def set_nx(r: Any, key: str, compute: Compute, release_early: bool = False) -> Any:
    """Right with release_early False: SET NX PX takes the lock in one command."""
    while True:
        value = r.get(key)
        if value is not None:
            return value
        if r.set(key + ":lock", 1, nx=True, px=5000):
            try:
                if r.get(key) is None:  # another worker may have finished meanwhile
                    value = compute()
                    if release_early:
                        r.delete(key + ":lock")
                    r.set(key, value)
            finally:
                r.delete(key + ":lock")
        else:
            time.sleep(0.01)


RELEASES = {"A": ["DEL"], "B": ["DEL"]}


def race(answer: Any, pause: Any = None, **options: Any
         ) -> tuple[int, list[Any], list[tuple[str, str]]]:
    compute = Compute(value=7, seconds=0.05)
    with scratch_prefix("race") as prefix:
        turns = Interleaver(["A", "B"], pause_after=pause)
        jobs = {w: (lambda w=w: answer(turns.client(redis_client(), w), prefix + "hot", compute,
                                       **options)) for w in "AB"}
        outcomes = turns.run(jobs)
    assert all(o.finished and o.error is None for o in outcomes.values()), outcomes
    return compute.calls, [o.value for o in outcomes.values()], turns.log


@pytest.mark.parametrize("attempt", range(5))
def test_check_then_set_fails_every_time(attempt: int) -> None:
    calls, values, log = race(check_then_set)
    assert calls == 2 and values == [b"7", b"7"]
    assert [w for w, _ in log[:4]] == ["A", "B", "A", "B"]


@pytest.mark.parametrize("attempt", range(3))
@pytest.mark.parametrize("pause", [None, RELEASES])
def test_set_nx_passes_every_time(attempt: int, pause: Any) -> None:
    calls, values, _ = race(set_nx, pause)
    assert calls == 1 and values == [b"7", b"7"]


@pytest.mark.parametrize("attempt", range(3))
def test_a_lock_released_before_the_value_is_stored_fails_every_time(attempt: int) -> None:
    assert race(set_nx, RELEASES, release_early=True)[0] == 2


def test_compute_helpers() -> None:
    failing = Compute(fail_times=1)
    with pytest.raises(RuntimeError, match="on purpose"):
        failing()
    assert failing() == 42 and failing.calls == 2
    assert Compute(value=0)() == 0


def test_a_waiter_that_never_gives_up_is_caught_by_the_deadline() -> None:
    def waits_for_ever(r: Any, key: str) -> Any:
        while r.get(key) is None:
            time.sleep(0.01)
        return r.get(key)

    def gives_up(r: Any, key: str) -> Any:
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            if r.get(key) is not None:
                return r.get(key)
            time.sleep(0.01)
        return "computed myself"

    raw = redis_client()
    with scratch_prefix("dead") as prefix:
        dead_holder(raw, prefix + "hot:lock", ttl_ms=5000)
        assert not run_with_deadline(lambda: waits_for_ever(raw, prefix + "hot"), 0.6).finished
        done = run_with_deadline(lambda: gives_up(raw, prefix + "hot"), 2)
        assert done.finished and done.value == "computed myself"
