"""Run a learner's code in real separate processes that share one Redis.

Two app instances in one interpreter share what two workers never share: module globals, a
memoised version, ``hash()`` of a string, signal receivers. :func:`run_workers` starts each
worker as its own Python process (``subprocess``, each with a different ``PYTHONHASHSEED``),
executes the learner's answer source there, then the checker's script, and returns what the
script left in ``result``. They all reach the course's Redis: the real one (``REDIS_URL``), or
the embedded fakeredis served on a loopback port for the time of the block
(:func:`shared_redis_url`), so the checker sees the same keys. Keys go under a prefix the
checker gives (``support.checks.plumbing.scratch_prefix``).
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from support.backends import redis_url, shared_fake_server
from support.course import ROOT
from support.checks.core import Fail

SOURCE_KEY = "__fcc_source__"

_DRIVER = textwrap.dedent('''
    import json, sys
    job = json.loads(sys.stdin.read())
    import redis
    client = redis.Redis.from_url(job["url"], socket_timeout=5)
    namespace = {"__name__": "__main__"}
    exec(compile(job["source"], "<your answer>", "exec"), namespace)
    scope = {"ns": namespace, "redis": client, "prefix": job["prefix"],
             "worker": job["worker"], "result": None}
    exec(compile(job["script"], "<check>", "exec"), scope)
    print("\\n@@fcc-result@@" + json.dumps(scope["result"], default=repr))
''')


@dataclass(frozen=True)
class WorkerResult:
    """One worker process: what its script left in ``result``, or why it did not finish."""

    worker: int
    result: Any
    error: str | None = None


@contextmanager
def shared_redis_url(poll_interval: float = 0.02) -> Iterator[str]:
    """A Redis URL other processes can use: ``REDIS_URL``, or the embedded server on a port.

    The embedded fakeredis is served by a TCP server thread over *this process's* shared fake
    server (:func:`support.backends.shared_fake_server`) until the block ends; the thread looks
    for the stop request every ``poll_interval`` seconds (``serve_forever``'s default of 0.5 s
    would add half a second to every check).
    """
    url = redis_url()
    if url is not None:
        yield url
        return
    from fakeredis import TcpFakeServer

    server = TcpFakeServer(("127.0.0.1", 0))
    server.fake_server = shared_fake_server()
    thread = threading.Thread(target=server.serve_forever, args=(poll_interval,), daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.server_address[1]}/0"
    finally:
        server.shutdown()
        server.server_close()


def answer_source(variables: Mapping[str, Any], *names: str) -> str:
    """The source that defines the learner's ``names``: to run it again in another process.

    In a notebook it is the last cell (IPython's ``In``) that binds every name; otherwise the
    namespace's ``__fcc_source__`` (set by tests and ``support.tools.mutants``), then ``inspect``.
    """
    import ast

    history = variables.get("In")
    if isinstance(history, list):
        from support.syntax_guard import _bound_names

        for cell in reversed(history):
            try:
                bound = _bound_names(ast.parse(cell).body)
            except SyntaxError:
                continue
            if set(names) <= bound:
                return cell
    source = variables.get(SOURCE_KEY)
    if isinstance(source, str):
        return source
    try:
        return "\n\n".join(textwrap.dedent(inspect.getsource(variables[n])) for n in names)
    except (KeyError, OSError, TypeError):
        raise Fail(f"the check needs the cell that defines {', '.join(names)} to run it in "
                   "separate processes: run that cell again, then this one.") from None


class Workers:
    """Worker processes started by :func:`start_workers`, each fed its job from a thread."""

    def __init__(self, procs: list[tuple[int, subprocess.Popen[str], str]],
                 timeout: float) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._procs = [proc for _, proc, _ in procs]
        self._pool = ThreadPoolExecutor(max_workers=len(procs) or 1)
        self._futures = [self._pool.submit(_finish, worker, proc, job, timeout)
                         for worker, proc, job in procs]

    def results(self) -> list[WorkerResult]:
        """Wait for every worker; what each script left in ``result``, or why it did not."""
        return [future.result() for future in self._futures]

    def running(self) -> bool:
        """Whether any worker is still running (one that waits for another may stop waiting)."""
        return any(proc.poll() is None for proc in self._procs)

    def stop(self) -> None:
        """Kill the workers still running (the check ended early) and reap them all."""
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
        self._pool.shutdown(wait=True)


def start_workers(source: str, script: str, *, url: str, prefix: str, workers: int = 2,
                  timeout: float = 30.0, hash_seeds: Sequence[int] | None = None) -> Workers:
    """Run ``source`` then ``script`` in ``workers`` processes at once, each its own
    interpreter, and return at once: the checker may do other work while they start
    (``results()``, then ``stop()`` in a ``finally``). Every job is handed over from a thread
    of its own, so the workers really run at the same time (a script may wait for another).

    The script sees ``ns`` (the learner's names), ``redis`` (a client for ``url``), ``prefix``
    and ``worker`` (0, 1, ...) and sets ``result`` (JSON-able; other values come back as repr).
    Each process gets ``PYTHONHASHSEED`` from ``hash_seeds`` (default 1, 2, ...).
    """
    seeds = list(hash_seeds) if hash_seeds is not None else list(range(1, workers + 1))
    procs = []
    for worker in range(workers):
        env = {**os.environ, "PYTHONHASHSEED": str(seeds[worker]), "REDIS_URL": url,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                          os.environ.get("PYTHONPATH")]))}
        proc = subprocess.Popen([sys.executable, "-c", _DRIVER], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env, cwd=str(ROOT))
        job = {"source": source, "script": script, "url": url, "prefix": prefix,
               "worker": worker}
        procs.append((worker, proc, json.dumps(job)))
    return Workers(procs, timeout)


def run_workers(source: str, script: str, *, url: str, prefix: str, workers: int = 2,
                timeout: float = 30.0, hash_seeds: Sequence[int] | None = None
                ) -> list[WorkerResult]:
    """:func:`start_workers`, then wait for every worker's result."""
    started = start_workers(source, script, url=url, prefix=prefix, workers=workers,
                            timeout=timeout, hash_seeds=hash_seeds)
    try:
        return started.results()
    finally:
        started.stop()


def _finish(worker: int, proc: subprocess.Popen[str], job: str, timeout: float) -> WorkerResult:
    try:
        out, err = proc.communicate(job, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return WorkerResult(worker, None, f"worker {worker} ran longer than {timeout:g} s")
    marker = "@@fcc-result@@"
    if proc.returncode != 0 or marker not in out:
        lines = [line for line in err.strip().splitlines() if line.strip()]
        return WorkerResult(worker, None, lines[-1] if lines else f"exit status {proc.returncode}")
    return WorkerResult(worker, json.loads(out.rsplit(marker, 1)[1]))
