"""python -m support.grade on the course's own notebooks.

The verdicts on the course's own notebooks come from nbval's execution of them, through each
notebook's ``::grader`` item (tests/notebook_runs.py): every worked solution passes, every
exercise as handed out is not attempted, read from the kernel exactly as the command reads it.
Running every notebook through the command again would repeat that work, so the command itself
grades one exercises notebook here, for the rows it prints (the class folder of
tests/test_grade_cli.py covers every kind of learner's hand-in).
"""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT
from test_grade_cli import grade

from support.course import LESSONS, check_ids


@pytest.mark.kernel
def test_the_command_prints_contract_4_rows_for_a_handed_out_notebook() -> None:
    path = ROOT / "exercises" / "00_setup.ipynb"
    code, rows, err = grade(str(path.relative_to(ROOT)))
    assert code == 1 and rows, err
    for row in rows:
        assert set(row) == {"notebook", "exercise", "status", "message"}
    assert [r["exercise"] for r in rows] == check_ids(nbformat.read(path, as_version=4))
    assert {r["status"] for r in rows} == {"not-attempted"}, rows


def test_every_exercise_id_belongs_to_its_lesson() -> None:
    from support.course import exercise_ids

    for path in (ROOT / "solutions").glob("*.ipynb"):
        lesson = next(lesson for lesson in LESSONS if lesson.filename == path.name)
        for exercise in exercise_ids(nbformat.read(path, as_version=4)):
            assert exercise.startswith(lesson.slug + "-"), (path.name, exercise)
