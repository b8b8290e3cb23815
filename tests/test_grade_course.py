"""python -m support.grade on the course's own notebooks (these tests start Jupyter kernels)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from test_grade_cli import grade

from support.course import LESSONS, check_ids, notebook_paths

pytestmark = pytest.mark.kernel


def test_a_solutions_notebook_passes_through_the_command() -> None:
    """The command on one solutions notebook: every row passed, in contract 4's shape.

    Every solutions notebook is also graded on nbval's own execution of it (its ``::grader``
    item, tests/notebook_runs.py), and every exercises notebook runs through the command below,
    so running all solutions through the command again would repeat that work.
    """
    code, rows, err = grade("solutions/00_setup.ipynb")
    failing = [r for r in rows if r["status"] != "passed"]
    assert rows and not failing, failing
    assert code == 0, err
    assert {r["notebook"] for r in rows} == {"solutions/00_setup.ipynb"}
    for row in rows:
        assert set(row) == {"notebook", "exercise", "status", "message"}


EXERCISES = notebook_paths("exercises")


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_an_untouched_exercises_notebook_is_not_attempted(path: Path) -> None:
    """One notebook per test, so that the workers share them (tests/scheduling.py)."""
    code, rows, _ = grade(str(path.relative_to(ROOT)))
    assert code == 1
    assert [r["exercise"] for r in rows] == check_ids(nbformat.read(path, as_version=4))
    assert {r["status"] for r in rows} == {"not-attempted"}, [
        r for r in rows if r["status"] != "not-attempted"]


def test_every_exercise_id_belongs_to_its_lesson() -> None:
    from support.course import exercise_ids

    for path in (ROOT / "solutions").glob("*.ipynb"):
        lesson = next(lesson for lesson in LESSONS if lesson.filename == path.name)
        for exercise in exercise_ids(nbformat.read(path, as_version=4)):
            assert exercise.startswith(lesson.slug + "-"), (path.name, exercise)
