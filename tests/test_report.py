"""support.tools.report: the learner × exercise table and its CSV / HTML files."""

from __future__ import annotations

import csv
from pathlib import Path

from support.tools.grade import Row
from support.tools.report import format_pivot, learner_of, table, write_reports

ROWS = [
    Row("subs/alice/00.ipynb", "setup-a", "passed", "ok"),
    Row("subs/alice/00.ipynb", "setup-b", "failed", "timeout is in <seconds>"),
    Row("subs/bob.ipynb", "setup-a", "not-attempted", "write it"),
    Row("subs/bob.ipynb", "setup-b", "error", "cell 3 raised KeyError"),
    Row("subs/carol.txt", "*", "error", "not a notebook: skipped"),
]
LEARNERS = {"subs/alice/00.ipynb": "alice", "subs/bob.ipynb": "bob", "subs/carol.txt": "carol"}


def test_learner_is_the_subfolder_else_the_folder_the_file_is_in(tmp_path: Path) -> None:
    (tmp_path / "alice").mkdir()
    assert learner_of(tmp_path / "alice" / "00_setup.ipynb", tmp_path) == "alice"
    assert learner_of(tmp_path / "00_setup.ipynb", tmp_path) == tmp_path.name
    assert learner_of(tmp_path / "alice" / "x.ipynb", tmp_path / "alice" / "x.ipynb") == "alice"


def test_pivot_counts_passes_per_learner_and_rate_per_exercise() -> None:
    t = table(ROWS, LEARNERS)
    assert t.learners == ["alice", "bob", "carol"]
    assert t.exercises == ["setup-a", "setup-b", "*"] and t.total == 2
    assert [t.passed(name) for name in t.learners] == [1, 0, 0]
    assert t.pass_rate("setup-a") == "1/2" and t.pass_rate("*") == "0/1"
    text = format_pivot(t)
    assert "alice" in text and "1/2" in text and "1 setup-a" in text


def test_reports_are_written(tmp_path: Path) -> None:
    csv_path, html_path = write_reports(table(ROWS, LEARNERS), tmp_path / "out")
    with csv_path.open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == 5
    assert lines[1] == {"learner": "alice", "notebook": "subs/alice/00.ipynb",
                        "exercise": "setup-b", "status": "failed",
                        "message": "timeout is in <seconds>"}
    page = html_path.read_text(encoding="utf-8")
    assert "timeout is in &lt;seconds&gt;" in page and "<th>bob</th>" in page
    assert "cell 3 raised KeyError" in page


def test_statuses_are_words_in_text_and_html(tmp_path: Path) -> None:
    t = table(ROWS, LEARNERS)
    text = format_pivot(t)
    first = next(line for line in text.splitlines() if line.startswith("alice"))
    assert "pass" in first and "FAIL" in first and "✅" not in text
    assert "key: pass = passed, FAIL = failed, todo = not attempted yet, ERR! = error" in text
    _, html_path = write_reports(t, tmp_path / "out")
    page = html_path.read_text(encoding="utf-8")
    assert '<span aria-hidden="true">❌</span> failed</span>' in page
    assert 'title="failed"' in page and "not handed in" in page
