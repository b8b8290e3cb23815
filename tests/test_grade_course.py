"""python -m support.grade on the course's own notebooks (these tests start Jupyter kernels)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from test_grade_cli import grade

from support.course import LESSONS, check_ids, notebook_paths

pytestmark = pytest.mark.kernel


EXERCISES = notebook_paths("exercises")


@pytest.fixture(scope="module")
def untouched() -> tuple[int, list[dict], str]:
    """The command, with --json, on every exercises notebook as handed out (two at a time).

    Each solutions notebook is graded on nbval's own execution of it (its ``::grader`` item,
    tests/notebook_runs.py) and a worked solution goes through the command in
    tests/test_grade_cli.py, so running the solutions through the command again would repeat
    that work.
    """
    return grade("--jobs", "2", "exercises")


def test_the_command_prints_contract_4_rows(untouched: tuple[int, list[dict], str]) -> None:
    code, rows, err = untouched
    assert code == 1 and rows, err
    for row in rows:
        assert set(row) == {"notebook", "exercise", "status", "message"}


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_an_untouched_exercises_notebook_is_not_attempted(
        path: Path, untouched: tuple[int, list[dict], str]) -> None:
    rows = [r for r in untouched[1] if r["notebook"] == str(path.relative_to(ROOT))]
    assert [r["exercise"] for r in rows] == check_ids(nbformat.read(path, as_version=4))
    assert {r["status"] for r in rows} == {"not-attempted"}, [
        r for r in rows if r["status"] != "not-attempted"]


def test_every_exercise_id_belongs_to_its_lesson() -> None:
    from support.course import exercise_ids

    for path in (ROOT / "solutions").glob("*.ipynb"):
        lesson = next(lesson for lesson in LESSONS if lesson.filename == path.name)
        for exercise in exercise_ids(nbformat.read(path, as_version=4)):
            assert exercise.startswith(lesson.slug + "-"), (path.name, exercise)
