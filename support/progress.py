"""Course-wide progress: which exercises a learner has passed, from their own notebooks.

A check cell's saved output says how that exercise went the last time it ran and the notebook
was saved: its structured record (``support.grading.METADATA_KEY`` in the output's metadata),
or, in notebooks saved before results carried one, the displayed sentence. Checks run in this
kernel since then are fresher and win. Every status shows as a word (and a colour in HTML), not
only as an icon. ``progress()`` in a
notebook shows the table; ``python -m support progress [FOLDER]``
(:mod:`support.tools.progress`) prints it.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from support.course import EXERCISES_DIR, LESSONS, SOLUTIONS_DIR, check_ids
from support.grading import BACKGROUNDS, ICONS, LABELS, METADATA_KEY, recorded_results, status_html

_LINE = re.compile(r"^\S+ (?P<id>[a-z0-9-]+): (?P<label>passed|failed|not attempted yet|error)\.")
_LABELS = {"not attempted yet": "not-attempted"}


def _check_ids(path: Path) -> list[str]:
    """The exercise ids of a solutions notebook ([] if it cannot be read)."""
    try:
        return check_ids(nbformat.read(path, as_version=4))
    except Exception:
        return []


def saved_statuses(path: Path) -> dict[str, str]:
    """The status each check cell of a saved notebook last showed."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return {}
    found: dict[str, str] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            record = out.get("metadata", {}).get(METADATA_KEY)
            if isinstance(record, dict) and record.get("status") in LABELS:
                found[str(record.get("exercise"))] = record["status"]
                continue
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            for line in (text if isinstance(text, str) else "".join(text)).splitlines():
                match = _LINE.match(line)
                if match:
                    found[match["id"]] = _LABELS.get(match["label"], match["label"])
    return found


@dataclass(frozen=True)
class Progress:
    """Per lesson, each exercise's status."""

    lessons: list[tuple[str, list[tuple[str, str]]]]

    @property
    def passed(self) -> int:
        """Exercises passed across the course."""
        return sum(status == "passed" for _, ex in self.lessons for _, status in ex)

    @property
    def total(self) -> int:
        """Exercises in the course."""
        return sum(len(ex) for _, ex in self.lessons)

    def __str__(self) -> str:
        width = max(len(label) for label in LABELS.values())
        lines = [f"Course progress: {self.passed} of {self.total} exercises passed"]
        for label, exercises in self.lessons:
            lines.append(f"  {label}")
            lines += [f"    {ICONS[s]} {LABELS[s]:<{width}}  {e}" for e, s in exercises]
        return "\n".join(lines)

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(str(self))  # type: ignore[attr-defined]

    def _repr_html_(self) -> str:
        rows = "".join(
            f'<tr><th scope="row" style="text-align:left">{html.escape(label)}</th><td>'
            + " ".join(f'<span style="background:{BACKGROUNDS[s]};padding:1px 6px;'
                       f'border-radius:3px;margin-right:4px;display:inline-block">'
                       f"{status_html(s)} · {html.escape(e)}</span>" for e, s in ex)
            + "</td></tr>" for label, ex in self.lessons)
        return (f"<b>Course progress: {self.passed} of {self.total} exercises passed</b>"
                f'<table aria-label="course progress">{rows}</table>')


def course_progress(folder: Path = EXERCISES_DIR, live: bool = True) -> Progress:
    """Progress over every lesson with exercises, read from the notebooks in ``folder``."""
    fresh = {r["exercise"]: r["status"] for r in recorded_results()} if live else {}
    lessons = []
    for lesson in LESSONS:
        solution = SOLUTIONS_DIR / lesson.filename
        if not solution.exists():
            continue
        saved = saved_statuses(folder / lesson.filename)
        exercises = [(e, fresh.get(e, saved.get(e, "not-attempted"))) for e in _check_ids(solution)]
        lessons.append((f"{lesson.number} {lesson.title}", exercises))
    return Progress(lessons)


def progress() -> Progress:
    """The learner's progress across the course (shown as a table in a notebook)."""
    return course_progress()


if __name__ == "__main__":  # ``python -m support.progress``, as README showed learners before
    from support.tools.progress import main

    sys.exit(main())
