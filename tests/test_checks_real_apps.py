"""Lesson 07's checkers: the solutions pass, blanks are not attempted, and the checks leave the
learner's cache and namespace as they were. The wrong answers and correct alternatives, judged
only by "fails with this hint / passes", are files in tests/mutants/real-apps-*/ (graded by
tests/test_hand_written.py)."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import answer_cell, run_answer

from support.checks.real_apps import _as_main_module
from support.grading import run_check

NB = "07_real_apps.ipynb"
EXERCISES = ["real-apps-likes-api", "real-apps-warm-command", "real-apps-orm-cards"]


def _status(exercise: str, namespace: dict) -> tuple[str, str]:
    result = run_check(exercise, namespace)
    return result.status, result.message


@pytest.mark.solution
@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_passes(exercise: str) -> None:
    status, message = _status(exercise, run_answer(answer_cell(NB, exercise)))
    assert status == "passed", message


@pytest.mark.parametrize("exercise", EXERCISES)
def test_placeholder_is_not_attempted(exercise: str) -> None:
    from support.tools.exercises import blank_solutions

    blank = run_answer(blank_solutions(answer_cell(NB, exercise)))
    assert _status(exercise, blank)[0] == "not-attempted"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_missing_answer_is_not_attempted(exercise: str) -> None:
    assert _status(exercise, {})[0] == "not-attempted"


def test_the_hint_names_the_shortest_sequence() -> None:
    source = answer_cell(NB, "real-apps-likes-api").replace(
        '            cache.delete("view/" + request.path)\n', "")
    status, message = _status("real-apps-likes-api", run_answer(source))
    assert status == "failed"
    assert message.startswith("A GET showed the count from before a POST."), message
    assert re.search(r"The shortest sequence that shows it: `POST /outlet/products/(\d+)/likes` "
                     r"then `GET /outlet/products/\1/likes`: the second answered", message), message


def test_a_warm_up_that_stores_nothing_is_named() -> None:
    source = answer_cell(NB, "real-apps-warm-command").replace(
        '            client.get(f"/products/{pid}")', "            product(pid)")
    status, message = _status("real-apps-warm-command", run_answer(source))
    assert status == "failed"
    assert message.startswith("A product that `flask warm` had just warmed was read again"), message
    assert "`flask warm 1` then `GET /products/1`: every answer was right" in message, message


def test_the_main_module_stand_in_is_removed_after_the_check() -> None:
    before = sys.modules.get("__main__")
    with _as_main_module({"marker": 1}):
        assert sys.modules["__main__"].marker == 1  # type: ignore[attr-defined]
    assert sys.modules.get("__main__") is before


def test_a_kernel_namespace_is_used_as_it_is() -> None:
    main = sys.modules["__main__"]
    with _as_main_module(main.__dict__):
        assert sys.modules["__main__"] is main
