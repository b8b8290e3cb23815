"""Adversarial timing: interleave the Redis commands of two workers deterministically.

A check-then-set lock (``has()`` then ``set()``) or a lock released before the value is stored
passes on a fast embedded server by luck. :class:`Interleaver` hands out turns: each worker's
Redis client (:meth:`Interleaver.client`, a :class:`~support.checks.plumbing.CommandProxy`)
waits for its turn before every command and passes the turn on after it, so the commands of
two workers alternate strictly (A, B, A, B, ...). The race window of a non-atomic answer is then
hit on every run. ``pause_after`` holds a worker back after some commands (e.g. ``DEL``, a lock
released) while the others send ``burst`` commands: a lock released before the value is stored
then lets another worker in every time. A worker that sends no command for ``patience`` seconds
(it is computing or sleeping) lets the others go on, so correct code never deadlocks.

Helpers for the other adversities: :class:`Compute` (slower than any give-up deadline, raising
once, returning a falsy value; it counts its calls), :func:`dead_holder` (a lock taken by a
worker that died) and :func:`run_with_deadline` (a learner's call that may hang).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from support.checks.plumbing import CommandProxy, command_keys, command_name


class Interleaver:
    """Turns between named workers: one Redis command each, in order, round and round."""

    def __init__(self, workers: Sequence[str], patience: float = 0.2,
                 pause_after: Mapping[str, Collection[str]] | None = None, burst: int = 3) -> None:
        self.order = list(workers)
        self.patience = patience
        self.pause_after = {w: {c.upper() for c in cs} for w, cs in (pause_after or {}).items()}
        self.burst = burst
        self._skips: dict[str, int] = {}
        self.log: list[tuple[str, str]] = []  # (worker, command) in the order they were sent
        self._turn = 0
        self._done: set[str] = set()
        self._cond = threading.Condition()

    def client(self, raw: Any, worker: str) -> CommandProxy:
        """``raw`` (a redis client, maybe guarded) whose commands wait for ``worker``'s turn."""
        return _TurnTaking(raw, self, worker)

    def _live(self) -> list[str]:
        return [w for w in self.order if w not in self._done]

    def _advance(self) -> None:
        live = self._live()
        if not live:
            return
        for _ in range(len(self.order) * (self.burst + 2)):
            self._turn = (self._turn + 1) % len(self.order)
            worker = self.order[self._turn]
            if worker in self._done:
                continue
            if self._skips.get(worker, 0) > 0 and len(live) > 1:
                self._skips[worker] -= 1  # held back: another worker goes again
                continue
            return

    def before(self, worker: str, command: str) -> None:
        """Wait (at most ``patience`` s) for ``worker``'s turn, then log the command."""
        with self._cond:
            deadline = time.monotonic() + self.patience
            while self.order[self._turn] != worker and worker not in self._done:
                left = deadline - time.monotonic()
                if left <= 0:
                    break  # the other worker is busy elsewhere: go on
                self._cond.wait(left)
            self.log.append((worker, command))

    def after(self, worker: str, command: str = "") -> None:
        """Pass the turn on to the next live worker (holding ``worker`` back if it paused)."""
        with self._cond:
            if command in self.pause_after.get(worker, ()):
                self._skips[worker] = self.burst
            if self.order[self._turn] == worker:
                self._advance()
            self._cond.notify_all()

    def finished(self, worker: str) -> None:
        """``worker`` sends no more commands: never wait for it again."""
        with self._cond:
            self._done.add(worker)
            if self._live() and self.order[self._turn] == worker:
                self._advance()
            self._cond.notify_all()

    def run(self, jobs: dict[str, Callable[[], Any]], timeout: float = 10.0
            ) -> dict[str, Outcome]:
        """Run one job per worker in threads at once; each job's outcome (value or exception)."""
        outcomes = {name: Outcome() for name in jobs}

        def work(name: str) -> None:
            try:
                outcomes[name].value = jobs[name]()
            except BaseException as exc:  # noqa: BLE001 - reported to the checker
                outcomes[name].error = exc
            finally:
                outcomes[name].finished = True
                self.finished(name)

        threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in jobs]
        for thread in threads:
            thread.start()
        end = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(end - time.monotonic(), 0))
        return outcomes


@dataclass
class Outcome:
    """What one worker's job did: its value, or its exception, and whether it finished."""

    value: Any = None
    error: BaseException | None = None
    finished: bool = False


class _TurnTaking(CommandProxy):
    def __init__(self, client: Any, interleaver: Interleaver, worker: str) -> None:
        super().__init__(client)
        self._interleaver = interleaver
        self._worker = worker

    def execute_command(self, *args: Any, **options: Any) -> Any:
        name = args[0] if args else ""
        name = (name.decode() if isinstance(name, bytes) else str(name)).upper()
        self._interleaver.before(self._worker, name)
        try:
            return self._client.execute_command(*args, **options)
        finally:
            self._interleaver.after(self._worker, name)


@dataclass
class Compute:
    """The expensive computation a checker hands to the learner's code; counts its calls.

    ``seconds`` makes it slower than a give-up deadline; ``fail_times`` makes the first calls
    raise ``error``; ``value`` may be falsy (``0``, ``''``, ``[]``) to catch truthiness tests.
    """

    value: Any = 42
    seconds: float = 0.0
    fail_times: int = 0
    error: type[Exception] = RuntimeError
    calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.calls += 1
            failing = self.calls <= self.fail_times
        if self.seconds:
            time.sleep(self.seconds)
        if failing:
            raise self.error("the computation failed (on purpose: the check's test)")
        return self.value


def dead_holder(client: Any, lock_key: str, ttl_ms: int = 500) -> None:
    """Take ``lock_key`` as a worker would and die holding it: it expires after ``ttl_ms`` only."""
    client.set(lock_key, b"dead-worker", nx=True, px=ttl_ms)


def run_with_deadline(fn: Callable[[], Any], seconds: float) -> Outcome:
    """Call ``fn`` in a daemon thread; ``finished`` is False when it was still running at the end
    (a waiter that never gives up). The thread is left behind: keep such calls rare and short."""
    outcome = Outcome()

    def work() -> None:
        try:
            outcome.value = fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the checker
            outcome.error = exc
        finally:
            outcome.finished = True

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(seconds)
    return outcome


# --- a scheduler that pauses chosen workers before chosen commands (the stampede) ---


#: Decides, from a command's name and keys, whether a stepped worker pauses before sending it.
PauseWhen = Callable[[str, list[str]], bool]


def _never(name: str, keys: list[str]) -> bool:
    return False


class Stop(BaseException):
    """Ends a stepped worker when the check is over (a BaseException: ``except Exception`` in
    the learner's code does not swallow it, and its ``finally`` blocks still run)."""


@dataclass
class Stepped:
    """One worker thread of a :class:`Stepper`: where it is paused, and what its call did."""

    name: str
    pause_when: PauseWhen = _never
    thread: threading.Thread | None = None
    paused_at: str | None = None     # the command (and keys) it waits to send
    go: bool = False
    done: bool = False
    computing: bool = False          # inside a held :class:`StepCompute`
    value: Any = None
    error: BaseException | None = None


class Stepper(CommandProxy):
    """Scripted timing: the checker pauses each worker thread before the commands it picks.

    Where :class:`Interleaver` alternates turns, a Stepper follows a script: ``start`` a worker
    that pauses before the first command ``pause_when(name, keys)`` picks (e.g. its lock
    attempt), ``settle`` until it is paused, computing or done, start another, ``resume`` the
    first (with a new ``pause_when``), and so on. Every worker's commands go through the one
    Stepper client (wrap it in a guard); commands from threads it did not start pass freely.
    ``stop`` ends every worker that is still paused or computing (:class:`Stop`).
    """

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.cond = threading.Condition()
        self.workers: dict[threading.Thread, Stepped] = {}
        self.stopping = False

    def _before(self, args: tuple[Any, ...]) -> None:
        worker = self.workers.get(threading.current_thread())
        if worker is None:
            return
        if self.stopping:
            raise Stop
        name, keys = command_name(args), command_keys(args)
        with self.cond:
            if not worker.pause_when(name, keys):
                return
            worker.paused_at = " ".join([name, *keys])
            worker.go = False
            self.cond.notify_all()
            while not worker.go:
                if self.stopping:
                    raise Stop
                self.cond.wait(0.05)
            worker.paused_at = None

    def start(self, name: str, call: Callable[[], Any], pause_when: PauseWhen = _never
              ) -> Stepped:
        """Run ``call`` in a new worker thread that pauses where ``pause_when`` says."""
        worker = Stepped(name, pause_when)

        def body() -> None:
            try:
                worker.value = call()
            except Stop:
                pass
            except BaseException as exc:  # noqa: BLE001 - reported to the checker
                worker.error = exc
            finally:
                with self.cond:
                    worker.done = True
                    self.cond.notify_all()

        worker.thread = threading.Thread(target=body, daemon=True, name=f"check-{name}")
        self.workers[worker.thread] = worker
        worker.thread.start()
        return worker

    def wait(self, condition: Callable[[], bool], seconds: float = 1.0) -> bool:
        """Wait until ``condition()`` holds; False when ``seconds`` passed first."""
        deadline = time.monotonic() + seconds
        with self.cond:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.02))
        return True

    def settle(self, worker: Stepped, seconds: float = 1.0) -> bool:
        """Wait until ``worker`` is paused, computing (held) or done; False if it still runs."""
        return self.wait(lambda: worker.done or worker.paused_at is not None or worker.computing,
                         seconds)

    def resume(self, worker: Stepped, pause_when: PauseWhen = _never) -> None:
        """Let a paused worker go on, pausing next where ``pause_when`` says."""
        with self.cond:
            worker.pause_when = pause_when
            worker.go = True
            worker.paused_at = None
            self.cond.notify_all()

    def stop(self) -> None:
        """End every worker still running (paused, computing or looping)."""
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        for worker in list(self.workers.values()):
            if worker.thread is not None:
                worker.thread.join(1.0)


class StepCompute:
    """The expensive computation handed to stepped workers: records who called it.

    ``hold`` keeps each call computing until ``release`` is set (its worker is then
    ``computing``); ``raise_first`` makes the first call raise; ``limit`` stops a worker that
    computes again and again; ``snapshot`` (e.g. the lock keys) is recorded at every call.
    """

    def __init__(self, stepper: Stepper, value: Any, hold: bool = False,
                 raise_first: bool = False, limit: int = 5,
                 snapshot: Callable[[], Any] | None = None) -> None:
        self.stepper = stepper
        self.value = value
        self.hold = hold
        self.raise_first = raise_first
        self.limit = limit
        self.snapshot = snapshot
        self.calls: list[str] = []
        self.seen: list[Any] = []
        self.release = threading.Event()

    def for_worker(self, name: str) -> Callable[[], Any]:
        """The compute() worker ``name`` calls."""
        def compute() -> Any:
            self.calls.append(name)
            if self.snapshot is not None:
                self.seen.append(self.snapshot())
            if len(self.calls) > self.limit:
                raise Stop  # computing again and again: stopped here, judged by the checker
            worker = self.stepper.workers.get(threading.current_thread())
            if self.hold and worker is not None:
                with self.stepper.cond:
                    worker.computing = True
                    self.stepper.cond.notify_all()
                while not self.release.wait(0.02):
                    if self.stepper.stopping:
                        raise Stop
                with self.stepper.cond:
                    worker.computing = False
            if self.raise_first and len(self.calls) == 1:
                raise RuntimeError("database down")
            return self.value
        return compute
