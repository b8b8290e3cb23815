"""xdist scheduling for ``make test`` (``--dist loadfile``), loaded by the root conftest.py.

``loadfile`` keeps every test of a file on one worker, in order: nbval needs that (a notebook's
cells share one kernel) and most test files are quick. A few files are long lists of
independent tests, and on one worker each of them was the suite's critical path (the
hand-written answers alone took 155 s). Their tests are scheduled one by one instead, so every
worker shares them.
"""

from __future__ import annotations

from typing import Any

import pytest

SPREAD = ("tests/test_hand_written.py", "tests/test_notebook_runs.py", "tests/test_servers.py",
          "tests/test_checks_invalidation.py", "tests/test_checks_operating.py")


def scope_of(nodeid: str) -> str:
    """The unit of work a test is scheduled in: its file, or itself in a SPREAD file."""
    file = nodeid.split("::", 1)[0]
    return nodeid if file in SPREAD else file


@pytest.hookimpl(optionalhook=True)  # without pytest-xdist (-p no:xdist) there is no such hook
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SpreadSomeFiles(LoadFileScheduling):
        """Scope = the file, except for the files in SPREAD: there, each test on its own."""

        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    return SpreadSomeFiles(config, log)
