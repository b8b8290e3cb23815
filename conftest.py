"""pytest set-up for the whole repository (tests/conftest.py holds the tests' own fixtures).

Every course notebook nbval executes is run once and judged three ways: see
tests/notebook_runs.py.
"""

import gc

import pytest

pytest_plugins = ["tests.notebook_runs", "tests.scheduling"]

# A test process builds hundreds of thousands of objects (checkers' apps, Hypothesis' engines),
# and Python's garbage collector walks them all again and again: 10 % of the CPU time of
# tests/test_hand_written.py. Once collection is done, what it loaded is frozen (never walked
# again) and young objects are collected less often (measured: 4.4 -> 2.5 s in the collector,
# 46.0 -> 43.7 s of CPU for the 497 hand-written answers that do not wait). Only pytest's own
# processes are tuned: the notebooks' kernels, and learners, keep Python's defaults.
GC_THRESHOLDS = (10_000, 10, 10)  # Python's defaults: (700, 10, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
