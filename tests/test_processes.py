"""support.checks.processes: per-process state shows only in real separate processes."""

from __future__ import annotations

import pytest

from support.backends import redis_client
from support.checks.plumbing import scratch_prefix
from support.checks.processes import answer_source, run_workers, shared_redis_url
from support.grading import Fail

# A versioned namespace: bump the version on a write, read it to build keys.
SHARED_VERSION = '''
def bump(redis, prefix):
    redis.incr(prefix + "version")

def version(redis, prefix):
    return int(redis.get(prefix + "version") or 0)
'''

PER_PROCESS_VERSION = '''
_version = {"n": 0}

def bump(redis, prefix):
    _version["n"] += 1

def version(redis, prefix):
    return _version["n"]
'''

STABLE_KEY = '''
import hashlib

def key_for(name):
    return "user:" + hashlib.sha256(name.encode()).hexdigest()[:12]
'''

HASH_KEY = '''
def key_for(name):
    return "user:" + str(hash(name))
'''

# worker 0 bumps the version; both then report what they see (worker 1 waits for the bump)
BUMP_THEN_READ = '''
import time
if worker == 0:
    ns["bump"](redis, prefix)
    redis.set(prefix + "bumped", 1)
else:
    for _ in range(200):
        if redis.get(prefix + "bumped"):
            break
        time.sleep(0.01)
result = ns["version"](redis, prefix)
'''

KEY_OF_ADA = 'result = ns["key_for"]("ada")'


def _run(source: str, script: str) -> list:
    with shared_redis_url() as url, scratch_prefix("processes-test") as prefix:
        results = run_workers(source, script, url=url, prefix=prefix, workers=2)
        assert all(r.error is None for r in results), results
        return [r.result for r in results]


def test_a_version_kept_in_redis_is_seen_by_every_worker() -> None:
    assert _run(SHARED_VERSION, BUMP_THEN_READ) == [1, 1]


def test_a_version_kept_in_the_process_is_not() -> None:
    assert _run(PER_PROCESS_VERSION, BUMP_THEN_READ) == [1, 0]


def test_hash_of_a_string_differs_between_processes() -> None:
    stable = _run(STABLE_KEY, KEY_OF_ADA)
    assert stable[0] == stable[1]
    salted = _run(HASH_KEY, KEY_OF_ADA)
    assert salted[0] != salted[1]


def test_the_embedded_server_is_shared_with_the_checker() -> None:
    with shared_redis_url() as url, scratch_prefix("processes-shared") as prefix:
        run_workers("", 'redis.set(prefix + f"w{worker}", worker)', url=url, prefix=prefix)
        assert sorted(redis_client().mget(prefix + "w0", prefix + "w1")) == [b"0", b"1"]


def test_a_crash_or_a_hang_is_reported_not_raised() -> None:
    with shared_redis_url() as url:
        crashed = run_workers("raise ValueError('mine')", "", url=url, prefix="p:", workers=1)
        assert crashed[0].error == "ValueError: mine"
        hung = run_workers("import time\ntime.sleep(30)", "", url=url, prefix="p:", workers=1,
                           timeout=2)
        assert "longer than 2 s" in (hung[0].error or "")


def test_answer_source_comes_from_the_notebook_history() -> None:
    cells = ["import os", "def bump(r, p):\n    r.incr(p)\n\ndef version(r, p):\n    return 0",
             "bump(None, '')"]
    assert answer_source({"In": cells}, "bump", "version") == cells[1]
    assert answer_source({"__fcc_source__": "x = 1"}, "x") == "x = 1"
    with pytest.raises(Fail, match="run that cell again"):
        answer_source({"f": len}, "f")


# --- workers at the same time, started while the check goes on ---

# every worker waits until both have arrived: only workers that run together get past it
BARRIER = '''
import time
redis.incr(prefix + "arrived")
deadline = time.monotonic() + 20
while int(redis.get(prefix + "arrived")) < 2 and time.monotonic() < deadline:
    time.sleep(0.005)
result = int(redis.get(prefix + "arrived"))
'''


def test_workers_at_once_run_together() -> None:
    from support.checks.processes import run_workers

    with shared_redis_url() as url, scratch_prefix("processes-together") as prefix:
        results = run_workers("", BARRIER, url=url, prefix=prefix, workers=2)
    assert [(r.result, r.error) for r in results] == [(2, None), (2, None)]


def test_workers_at_once_keep_their_own_hash_seed() -> None:
    from support.checks.processes import run_workers

    with shared_redis_url() as url, scratch_prefix("processes-seeds") as prefix:
        results = run_workers(HASH_KEY, KEY_OF_ADA, url=url, prefix=prefix, workers=2)
    assert results[0].result != results[1].result


def test_started_workers_run_while_the_checker_works_and_stop_kills_the_rest() -> None:
    from support.checks.processes import shared_redis_url, start_workers

    with shared_redis_url() as url, scratch_prefix("processes-started") as prefix:
        started = start_workers("", 'redis.set(prefix + "seen", worker)', url=url,
                                prefix=prefix, workers=1)
        try:
            assert [(r.worker, r.error) for r in started.results()] == [(0, None)]
        finally:
            started.stop()
        assert redis_client().get(prefix + "seen") == b"0"
        hung = start_workers("import time\ntime.sleep(60)", "", url=url, prefix=prefix,
                             workers=1)
        hung.stop()  # the check ended early: the worker must not outlive it
        assert hung.results()[0].error is not None
