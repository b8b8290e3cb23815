"""Lesson 00's checkers, tested both ways: the solutions pass, wrong answers get a named hint."""

from __future__ import annotations

import pytest
from conftest import answer_cell, run_answer

from support.course import SOLUTION_ONLY, tagged
from support.grading import run_check

NB = "00_setup.ipynb"


def _status(exercise: str, namespace: dict) -> tuple[str, str]:
    result = run_check(exercise, namespace)
    return result.status, result.message


@pytest.mark.solution
@pytest.mark.parametrize("exercise", ["setup-create-app", "setup-shared-config", "setup-timeouts"])
def test_solution_passes(exercise: str) -> None:
    assert _status(exercise, run_answer(answer_cell(NB, exercise)))[0] == "passed"


@pytest.mark.parametrize("exercise", ["setup-create-app", "setup-shared-config", "setup-timeouts"])
def test_placeholder_is_not_attempted(exercise: str) -> None:
    from support.tools.exercises import blank_solutions

    blank = run_answer(blank_solutions(answer_cell(NB, exercise)))
    assert _status(exercise, blank)[0] == "not-attempted"


# The wrong answers and the correct alternatives are files in tests/mutants/setup-*/, judged by
# tests/test_hand_written.py (one source for them and for `python -m support mutants`).


def test_shrunk_config_names_only_what_fails() -> None:
    """A failure found by the generated configs names the shortest config that shows it."""
    source = ("from flask import Flask\nfrom flask_caching import Cache\ncache = Cache()\n"
              "def create_app(config):\n    app = Flask(__name__)\n    app.config.update(config)\n"
              "    app.config['PAGE_SIZE'] = 20\n    cache.init_app(app)\n    return app\n")
    status, message = _status("setup-create-app", run_answer(source))
    assert status == "failed", message
    assert ("create_app({'PAGE_SIZE': None, 'CACHE_TYPE': 'SimpleCache', "
            "'CACHE_DEFAULT_TIMEOUT': 0})") in message, message
    assert _status("setup-create-app", run_answer(source)) == (status, message)


@pytest.mark.parametrize("exercise", ["setup-create-app", "setup-shared-config", "setup-timeouts"])
def test_checks_are_quick(exercise: str) -> None:
    """Not a timing assertion on the machine: a generous bound that catches a hung check."""
    import time

    namespace = run_answer(answer_cell(NB, exercise))
    start = time.perf_counter()
    assert _status(exercise, namespace)[0] == "passed"
    assert time.perf_counter() - start < 10


def test_exercise_key_points_do_not_give_the_answers_away() -> None:
    """Issue 12 item 7: the answers stay in the solutions' `solution-only` cell."""
    import nbformat
    from conftest import ROOT

    exercises = nbformat.read(ROOT / "exercises" / NB, as_version=4)
    footer = exercises.cells[-1].source
    for answer in ["timeout=0", "None", "init_app(app)", "RedisCache", "app.config.update",
                   "600", "shop:"]:
        assert answer not in footer, f"the exercise footer gives away {answer!r}"
    solutions = nbformat.read(ROOT / "solutions" / NB, as_version=4)
    brief = [c for c in tagged(solutions.cells, SOLUTION_ONLY) if "answers in brief" in c.source]
    assert brief and "timeout=0" in brief[0].source
