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

SPREAD = ("tests/test_hand_written.py", "tests/test_grade_cli.py", "tests/test_grade_course.py",
          "tests/test_notebook_runs.py", "tests/test_servers.py",
          "tests/test_checks_invalidation.py", "tests/test_checks_operating.py")


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SpreadSomeFiles(LoadFileScheduling):
        """Scope = the file, except for the files in SPREAD: there, each test on its own."""

        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return nodeid if file in SPREAD else file

    return SpreadSomeFiles(config, log)
