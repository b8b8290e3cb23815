"""xdist scheduling for ``make test`` (``--dist loadfile``), loaded by the root conftest.py.

``loadfile`` keeps every test of a file on one worker, in order: nbval needs that (a notebook's
cells share one kernel) and most test files are quick. Two changes to it:

* A few files are long lists of independent tests, and on one worker each of them was the
  suite's critical path (the hand-written answers alone took 155 s). Their tests are scheduled
  one by one instead (SPREAD), so every worker shares them.
* xdist hands out files largest first (by number of tests), which left the files that mostly
  *wait* (servers starting, expiry times, kernels, time limits) to the end, where two workers
  waited while the other two had nothing left to do; handed out all at once at the start, they
  left the cores idle instead. So at most WAITING_AT_ONCE of them (the longest first) are
  given out at any time, and the other workers compute meanwhile.
"""

from __future__ import annotations

from typing import Any

import pytest

SPREAD = ("tests/test_hand_written.py", "tests/test_checks_invalidation.py",
          "tests/test_checks_operating.py")

#: Files that wait more than they compute, longest first (their wall time in make test).
WAIT_FIRST = ("notebooks/08_operating.ipynb",  # ~58 s: two runs of lesson 08's outages
              "notebooks/03_invalidation.ipynb",  # ~42 s: expiry times, two runs
              "tests/test_servers.py",  # ~28 s: real servers start and stop
              "notebooks/06_production.ipynb",  # ~19 s
              "tests/test_grade_cli.py",  # ~16 s: a class folder, an endless loop's time limit
              "solutions/08_operating.ipynb",  # ~15 s
              "tests/test_notebook_runs.py")  # ~11 s: pytest and kernels in subprocesses


def scope_of(nodeid: str) -> str:
    """The unit of work a test is scheduled in: its file, or itself in a SPREAD file."""
    file = nodeid.split("::", 1)[0]
    return nodeid if file in SPREAD else file


WAITING_AT_ONCE = 2  # one per core: while they wait, the other two workers keep the cores busy


def next_scope(queue: list[str], waiting_now: int) -> str:
    """The scope to hand out next: the first WAIT_FIRST file (in WAIT_FIRST's order) while fewer
    than WAITING_AT_ONCE are given out, else the first other scope (in the queue's order); the
    other kind when one kind has run out."""
    waiting = [name for name in WAIT_FIRST if name in queue]
    others = [scope for scope in queue if scope not in WAIT_FIRST]
    first, then = (waiting, others) if waiting_now < WAITING_AT_ONCE else (others, waiting)
    return (first or then)[0]


@pytest.hookimpl(optionalhook=True)  # without pytest-xdist (-p no:xdist) there is no such hook
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SpreadSomeFiles(LoadFileScheduling):
        """Scope = the file, except for the files in SPREAD: there, each test on its own; at
        most WAITING_AT_ONCE files of WAIT_FIRST are given out at a time."""

        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            waiting_now = sum(scope in WAIT_FIRST and not all(unit.values())
                              for units in self.assigned_work.values()
                              for scope, unit in units.items())
            self.workqueue.move_to_end(next_scope(list(self.workqueue), waiting_now), last=False)
            super()._assign_work_unit(node)

    return SpreadSomeFiles(config, log)
