"""The instructor guide: its common mistakes come from the graders and stay in step."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from support import grading
from support.checks import core
from support.tools import guide
from support.course import available


def test_the_guide_is_up_to_date() -> None:
    assert guide.main(["--check"]) == 0, "run `make guide`"


def test_every_exercise_lists_its_mistakes() -> None:
    core._load_checkers()
    text = guide.render()
    for exercise in grading.REGISTRY:
        assert f"- **{exercise}**" in text
    for module in (ROOT / "support" / "checks").glob("[a-z]*.py"):
        for exercise, mistakes in guide.mistakes_by_exercise(module).items():
            assert len(mistakes) >= 3, f"{exercise}: fewer than three recognised mistakes"


def test_fail_messages_are_found_through_helpers_and_tables(tmp_path: Path) -> None:
    module = tmp_path / "toy.py"
    module.write_text(
        "HINTS = {'a': 'from a table'}\n"
        "def _helper(x):\n    raise Fail(f'helper saw {x}')\n"
        "@exercise('toy-one', hint='h')\ndef check(ns):\n"
        "    raise Fail('direct ' 'message')\n    raise Fail(HINTS['a'])\n    _helper(1)\n")
    found = guide.mistakes_by_exercise(module)
    assert list(found) == ["toy-one"]
    assert sorted(found["toy-one"]) == ["direct message", "from a table", "helper saw …"]


def test_times_table_lists_every_lesson() -> None:
    text = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    times = text.split(guide.TIMES_START)[1].split(guide.TIMES_END)[0]
    for lesson in available():
        assert f"| {lesson.label} |" in times, f"run `make guide-times`: {lesson.label} missing"


def test_missing_markers_are_a_clear_error() -> None:
    with pytest.raises(ValueError, match="lacks the markers"):
        guide.updated("no markers here")


def test_readme_times_come_from_the_guides_measurement() -> None:
    guide_text = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    minutes = guide.measured_minutes(guide_text)
    assert set(minutes) == {lesson.number for lesson in available()}
    for number, value in minutes.items():
        assert f"]({'notebooks/'}{number}_" in readme
        row = next(line for line in readme.splitlines() if line.startswith(f"| [{number} "))
        assert f"| {value} min |" in row, f"README's course map disagrees for {number}: {row[:60]}"


def test_readme_times_are_rewritten_row_by_row() -> None:
    text = "| [00 Setup](notebooks/00_setup.ipynb) | 25 min | x |\n| [01 V](notebooks/01_v.ipynb) | 30 min | y |"
    assert guide.readme_with_times(text, {"00": 23}) == text.replace("25 min", "23 min")
