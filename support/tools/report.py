"""Class reports for ``python -m support grade --report DIR``: a learner × exercise table.

``grades.csv`` has one line per learner and exercise (learner, notebook, exercise, status,
message); ``grades.html`` shows the table with a colour per status, each learner's total, each
exercise's pass rate, and every failure's message.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from support.checks.core import LABELS, status_html

COLOURS = {"passed": "#d9f2d9", "failed": "#f8d7d3", "not-attempted": "#eeeeee", "error": "#f2c4c4"}
#: Four-letter words for the text pivot, readable in any terminal font (no icon alone).
SHORT = {"passed": "pass", "failed": "FAIL", "not-attempted": "todo", "error": "ERR!"}


class GradeRow(Protocol):
    """What the report needs of a grader's row."""

    notebook: str
    exercise: str
    status: str
    message: str


@dataclass(frozen=True)
class Table:
    """Learners × exercises; a missing cell means the learner handed in no such exercise."""

    learners: list[str]
    exercises: list[str]
    cells: dict[tuple[str, str], GradeRow]

    @property
    def total(self) -> int:
        """How many exercises there are (the ``*`` column holds unreadable files)."""
        return sum(e != "*" for e in self.exercises)

    def passed(self, learner: str) -> int:
        """How many exercises ``learner`` passed."""
        return sum(self.cells[(learner, e)].status == "passed"
                   for e in self.exercises if (learner, e) in self.cells)

    def pass_rate(self, exercise: str) -> str:
        """``passed/handed in`` for one exercise, e.g. ``12/20``."""
        marks = [self.cells[(lr, exercise)].status == "passed"
                 for lr in self.learners if (lr, exercise) in self.cells]
        return f"{sum(marks)}/{len(marks)}" if marks else "-"


def learner_of(notebook: Path, given: Path) -> str:
    """Who handed in ``notebook``: its sub-folder of ``given`` (one folder per learner);
    files directly in ``given``, or named one by one, belong to the folder they are in."""
    if given.is_dir():
        parts = notebook.relative_to(given).parts
        if len(parts) > 1:
            return parts[0]
    return notebook.resolve().parent.name


def table(rows: Sequence[GradeRow], learners: Mapping[str, str]) -> Table:
    """Pivot the rows; ``learners`` maps a notebook path to its learner."""
    names = list(dict.fromkeys(learners.get(r.notebook, r.notebook) for r in rows))
    exercises = list(dict.fromkeys(r.exercise for r in rows))
    cells = {(learners.get(r.notebook, r.notebook), r.exercise): r for r in rows}
    return Table(names, exercises, cells)


def format_pivot(t: Table) -> str:
    """The table as text: one line per learner, one short word per exercise."""
    width = max([len(name) for name in t.learners] + [7])
    lines = [f"{'learner':<{width}}  passed  "
             + " ".join(f"{i + 1:>4}" for i in range(len(t.exercises)))]
    for learner in t.learners:
        marks = " ".join(f"{SHORT.get(t.cells[(learner, e)].status, '?') if (learner, e) in t.cells else '·':>4}"
                         for e in t.exercises)
        lines.append(f"{learner:<{width}}  {t.passed(learner):>3}/{t.total:<3} {marks}")
    lines.append("exercises: " + ", ".join(f"{i + 1} {e}" for i, e in enumerate(t.exercises)))
    lines.append("key: " + ", ".join(f"{SHORT[s]} = {LABELS[s]}" for s in SHORT)
                 + ", · = not handed in")
    return "\n".join(lines)


def write_csv(t: Table, path: Path) -> None:
    """One line per learner and exercise."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["learner", "notebook", "exercise", "status", "message"])
        for learner in t.learners:
            for exercise in t.exercises:
                row = t.cells.get((learner, exercise))
                if row is not None:
                    writer.writerow([learner, row.notebook, exercise, row.status, row.message])


def write_html(t: Table, path: Path) -> None:
    """The table with a colour per status, totals, pass rates and every failure's message."""
    esc = html.escape
    head = "".join(f'<th title="{esc(e)}">{esc(e)}</th>' for e in t.exercises)
    body = []
    for learner in t.learners:
        cells = []
        for exercise in t.exercises:
            row = t.cells.get((learner, exercise))
            if row is None:
                cells.append('<td title="not handed in">· <span class="fcc-missing">'
                             "not handed in</span></td>")
            else:
                cells.append(f'<td style="background:{COLOURS.get(row.status, "#fff")}" '
                             f'title="{esc(row.message)}">{status_html(row.status)}</td>')
        body.append(f"<tr><th>{esc(learner)}</th><td>{t.passed(learner)}/{t.total}</td>"
                    + "".join(cells) + "</tr>")
    rates = "".join(f"<td>{t.pass_rate(e)}</td>" for e in t.exercises)
    problems = [f"<li><b>{esc(lr)}</b> · {esc(e)} · {status_html(r.status)}: {esc(r.message)}</li>"
                for (lr, e), r in t.cells.items() if r.status in ("failed", "error")]
    path.write_text(
        "<!doctype html><meta charset='utf-8'><title>Grades</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px}</style>"
        "<h1>Grades</h1><table><tr><th>learner</th><th>passed</th>" + head + "</tr>"
        + "".join(body) + "<tr><th>pass rate</th><td></td>" + rates + "</tr></table>"
        + "<h2>Failures and errors</h2><ul>" + ("".join(problems) or "<li>none</li>") + "</ul>",
        encoding="utf-8")


def write_reports(t: Table, folder: Path) -> list[Path]:
    """Write grades.csv and grades.html into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = folder / "grades.csv", folder / "grades.html"
    write_csv(t, csv_path)
    write_html(t, html_path)
    return [csv_path, html_path]
