"""Lesson 06's checkers: the solutions pass, blanks are not attempted, and the checks clean up
after themselves. The wrong answers and correct alternatives, judged only by "fails with this
hint / passes", are files in tests/mutants/production-*/ (graded by tests/test_hand_written.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import answer_cell, run_answer
from flask_caching import signals

from support.grading import run_check

NB = "06_production.ipynb"
HAND_WRITTEN = Path(__file__).parent / "mutants"
EXERCISES = ["production-memo-counter", "production-allow-list-key", "production-outage-fallback",
             "production-http-caching"]


def _status(exercise: str, namespace: dict) -> tuple[str, str]:
    result = run_check(exercise, namespace)
    return result.status, result.message


def _hand_written(exercise: str, name: str) -> str:
    """The source of one hand-written answer in tests/mutants/<exercise>/."""
    return (HAND_WRITTEN / exercise / f"{name}.py").read_text(encoding="utf-8")


def _receivers() -> dict[str, int]:
    return {name: len(getattr(signals, name).receivers) for name in
            ("cache_memoize_hit", "cache_memoize_miss", "cache_view_hit", "cache_view_miss")}


@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_passes(exercise: str) -> None:
    status, message = _status(exercise, run_answer(answer_cell(NB, exercise)))
    assert status == "passed", message


@pytest.mark.parametrize("exercise", EXERCISES)
def test_placeholder_is_not_attempted(exercise: str) -> None:
    from support.exercises import blank_solutions

    blank = run_answer(blank_solutions(answer_cell(NB, exercise)))
    assert _status(exercise, blank)[0] == "not-attempted"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_missing_answer_is_not_attempted(exercise: str) -> None:
    assert _status(exercise, {})[0] == "not-attempted"


# --- production-memo-counter -------------------------------------------------------------


def test_memo_counter_check_leaves_no_receivers_behind() -> None:
    before = _receivers()
    run_check("production-memo-counter", run_answer(
        _hand_written("production-memo-counter", "wrong_every_app_counted")))
    run_check("production-memo-counter", run_answer(answer_cell(NB, "production-memo-counter")))
    assert _receivers() == before


# --- production-outage-fallback ------------------------------------------------------------


def test_outage_check_restores_the_line() -> None:
    from support.backends import redis_client

    run_check("production-outage-fallback", run_answer(
        _hand_written("production-outage-fallback", "wrong_unguarded")))
    assert redis_client().ping()


def test_outage_check_needs_the_notebooks_cache() -> None:
    namespace = run_answer(answer_cell(NB, "production-outage-fallback"))
    namespace["cache"] = "not a cache"
    status, message = _status("production-outage-fallback", namespace)
    assert status == "failed" and "cache = Cache()" in message

