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


def _answer(source: str) -> dict:
    """Run an answer as a notebook cell would, keeping its source (the memo-counter check runs
    it again in worker processes, as it runs the notebook's cell)."""
    namespace = run_answer(source)
    namespace["__fcc_source__"] = source
    return namespace


def _status(exercise: str, namespace: dict) -> tuple[str, str]:
    result = run_check(exercise, namespace)
    return result.status, result.message


def _hand_written(exercise: str, name: str) -> str:
    """The source of one hand-written answer in tests/mutants/<exercise>/."""
    return (HAND_WRITTEN / exercise / f"{name}.py").read_text(encoding="utf-8")


def _receivers() -> dict[str, int]:
    return {name: len(getattr(signals, name).receivers) for name in
            ("cache_memoize_hit", "cache_memoize_miss", "cache_view_hit", "cache_view_miss")}


@pytest.mark.solution
@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_passes(exercise: str) -> None:
    status, message = _status(exercise, _answer(answer_cell(NB, exercise)))
    assert status == "passed", message


@pytest.mark.parametrize("exercise", EXERCISES)
def test_placeholder_is_not_attempted(exercise: str) -> None:
    from support.tools.exercises import blank_solutions

    blank = _answer(blank_solutions(answer_cell(NB, exercise)))
    assert _status(exercise, blank)[0] == "not-attempted"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_missing_answer_is_not_attempted(exercise: str) -> None:
    assert _status(exercise, {})[0] == "not-attempted"


# --- production-memo-counter -------------------------------------------------------------


def test_memo_counter_check_leaves_no_receivers_behind() -> None:
    before = _receivers()
    run_check("production-memo-counter", _answer(
        _hand_written("production-memo-counter", "wrong_every_app_counted")))
    run_check("production-memo-counter", _answer(answer_cell(NB, "production-memo-counter")))
    assert _receivers() == before


def _workers_verdict(source: str) -> str | None:
    """The worker-process scenario alone: None when it passes, else its hint."""
    from support.checks.production import _judge_workers, _workers_started
    from support.grading import Fail, Namespace

    try:
        with _workers_started(Namespace(_answer(source))) as (other, here):
            _judge_workers([here(), *other.results()])
    except Fail as failed:
        return str(failed)
    return None


def test_worker_processes_pass_the_solution_and_leave_no_keys() -> None:
    from support.backends import course_prefix, redis_client

    assert _workers_verdict(answer_cell(NB, "production-memo-counter")) is None
    assert not list(redis_client().scan_iter(match=course_prefix("grading") + "memo-workers*"))


@pytest.mark.parametrize(("name", "words"), [
    # what one interpreter cannot show: a hit stored by the other worker
    ("wrong_counts_its_own_guess", "`worker 0: price_of(1)` then `worker 1: price_of(1)`"),
    # per-process state shared by two installs in one worker
    ("wrong_module_level_stats", "install_memo_counter(admin_app)"),
    ("wrong_last_install_only", "install_memo_counter(admin_app)"),
    ("wrong_every_app_counted", "(admin app)"),
])
def test_worker_processes_alone_catch_per_process_state(name: str, words: str) -> None:
    verdict = _workers_verdict(_hand_written("production-memo-counter", name))
    assert verdict is not None and words in verdict, verdict


def test_a_cell_that_needs_another_cell_fails_in_the_workers() -> None:
    source = ("def install_memo_counter(app):\n"
              "    return helper_from_another_cell(app)\n")
    verdict = _workers_verdict(source)
    assert verdict is not None and "NameError" in verdict and "define there" in verdict


# --- production-outage-fallback ------------------------------------------------------------


def test_outage_check_restores_the_line() -> None:
    from support.backends import redis_client

    run_check("production-outage-fallback", _answer(
        _hand_written("production-outage-fallback", "wrong_unguarded")))
    assert redis_client().ping()


def test_outage_check_needs_the_notebooks_cache() -> None:
    namespace = _answer(answer_cell(NB, "production-outage-fallback"))
    namespace["cache"] = "not a cache"
    status, message = _status("production-outage-fallback", namespace)
    assert status == "failed" and "cache = Cache()" in message



def test_a_cell_that_fails_alone_in_a_worker_is_reported_without_waiting() -> None:
    # the cell runs in the notebook (helper defined there) but not alone in a new process
    source = ("stats_factory = helper_from_another_cell\n\n"
              "def install_memo_counter(app):\n    return stats_factory(app)\n")
    namespace = _answer(answer_cell(NB, "production-memo-counter"))
    namespace["__fcc_source__"] = source
    from support.checks.production import _judge_workers, _workers_started
    from support.grading import Fail, Namespace

    with pytest.raises(Fail, match="in worker 1, your code raised NameError"):
        with _workers_started(Namespace(namespace)) as (other, here):
            _judge_workers([here(), *other.results()])
