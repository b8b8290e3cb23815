"""Every hand-written answer in tests/mutants/<exercise-id>/ is judged as its header says: a
plausible wrong answer fails with its hint, a correct alternative passes (issue 10)."""

from __future__ import annotations

from itertools import chain, zip_longest

import pytest

from support.tools import mutants


def _taken_in_turn(written: list[mutants.HandWritten]) -> list[mutants.HandWritten]:
    """One answer of each exercise, then the next of each, and so on: the answers that mostly
    wait (a fail-fast check's timeouts, a stampede's locks) spread over the run instead of
    reaching the test workers one after another while the cores idle."""
    by_exercise: dict[str, list[mutants.HandWritten]] = {}
    for item in written:
        by_exercise.setdefault(item.exercise, []).append(item)
    return [item for item in chain.from_iterable(zip_longest(*by_exercise.values()))
            if item is not None]


WRITTEN = _taken_in_turn(mutants.hand_written())
PRELUDES = {answer.exercise: answer.prelude for answer in mutants.answers()}


@pytest.mark.parametrize("item", WRITTEN, ids=[f"{w.exercise}/{w.path.stem}" for w in WRITTEN])
def test_hand_written_answer_is_judged_as_its_header_says(item: mutants.HandWritten) -> None:
    assert item.exercise in PRELUDES, f"{item.path}: no solution has the exercise {item.exercise}"
    judged = mutants.judge(item.exercise, PRELUDES[item.exercise], item.source, timeout=30)
    if item.expect == "pass":
        assert judged.status == "passed", f"{item.why}\n{judged.status}: {judged.message}"
    else:
        assert judged.status == "failed", f"{item.why}\n{judged.status}: {judged.message}"
        assert item.hint.lower() in judged.message.lower(), (
            f"the hint should mention {item.hint!r}: {judged.message}")


def test_every_exercise_has_eight_wrong_answers_and_two_alternatives() -> None:
    counts = {exercise: {"fail": 0, "pass": 0} for exercise in PRELUDES}
    for item in WRITTEN:
        counts[item.exercise][item.expect] += 1
    short = {e: c for e, c in counts.items() if c["fail"] < 8 or c["pass"] < 2}
    assert not short, f"fewer than 8 wrong answers or 2 alternatives in tests/mutants/: {short}"
