"""Shared fixtures: the repository root and helpers to load notebooks."""

from __future__ import annotations

import os

import nbformat
import pytest

from support.course import ROOT, tagged


# The real-browser test needs Chromium and Playwright: `make test-browser` runs it. mutants/
# holds learners' answers (tests/test_hand_written.py judges them), not tests: a file named like
# a test module there (truthiness_test.py) would be imported, and run, by every worker.
collect_ignore = ["mutants"] + ([] if os.environ.get("FCC_BROWSER_TESTS") == "1" else ["browser"])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "kernel: starts Jupyter kernels (slow)")


def answer_cell(notebook: str, exercise_id: str) -> str:
    """The source of the ``exercise:<id>`` cell(s) of a solutions notebook."""
    nb = nbformat.read(ROOT / "solutions" / notebook, as_version=4)
    cells = [c.source for c in tagged(nb.cells, f"exercise:{exercise_id}")]
    assert cells, f"no exercise:{exercise_id} cell in solutions/{notebook}"
    return "\n\n".join(cells)


def run_answer(source: str) -> dict:
    """Execute an answer's source in a fresh namespace, as a notebook cell would."""
    namespace: dict = {"__name__": "__main__"}
    exec(compile(source, "<answer>", "exec"), namespace)
    return namespace


# --- a learner's own Redis: keys the course did not write must survive the whole run ---------

_FOREIGN: dict[str, bytes] = {}


def _foreign_keys() -> dict[str, bytes]:
    """Keys a learner might have, some shaped like the course's (another run's prefix)."""
    import secrets

    from support import backends

    other_run = secrets.token_hex(3)
    while other_run == backends.RUN_ID:
        other_run = secrets.token_hex(3)
    tag = secrets.token_hex(4)
    names = [f"learner:{tag}:session", f"fcc:{other_run}:views:view//api/products",
             f"fcc:{other_run}:setup:greeting", f"fcc:{tag}", f"view//api/products{tag}",
             f"flask_cache_{tag}"]
    return {name: f"not the course's {tag}".encode() for name in names}


def pytest_sessionstart(session: pytest.Session) -> None:
    from support.backends import redis_client, redis_url

    if hasattr(session.config, "workerinput") or not redis_url():
        return
    client = redis_client()
    for name, value in _foreign_keys().items():
        if client.set(name, value, nx=True):
            _FOREIGN[name] = value


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _FOREIGN:
        return
    from support.backends import redis_client

    client = redis_client()
    lost = [name for name, value in _FOREIGN.items() if client.get(name) != value]
    client.delete(*_FOREIGN)
    if lost:
        print(f"\nFAIL: the course deleted or changed keys it did not write: {lost}")
        session.exitstatus = 1
    else:
        print(f"\nreal Redis: all {len(_FOREIGN)} keys that the course did not write survived")
