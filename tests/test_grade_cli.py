"""python -m support.grade, per contract 4, on a learner's mistakes (these tests start Jupyter
kernels; tests/test_grade_course.py grades the course's own notebooks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT


pytestmark = pytest.mark.kernel


def grade(*args: str, timeout: int = 600) -> tuple[int, list[dict], str]:
    proc = subprocess.run([sys.executable, "-m", "support.grade", "--json", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    rows = json.loads(proc.stdout) if proc.stdout.strip().startswith("[") else []
    return proc.returncode, rows, proc.stderr


@pytest.mark.parametrize("args", [["no/such/folder"], ["README.md"], ["pyproject.toml"],
                                  ["--report", "README.md", "exercises/00_setup.ipynb"],
                                  ["--timeout", "0", "exercises"]])
def test_bad_usage_exits_2(args: list[str]) -> None:
    code, rows, err = grade(*args)
    assert code == 2 and rows == [] and "error:" in err and "Traceback" not in err


def _learner_copy(tmp_path: Path, replace: dict[str, str]) -> Path:
    """A copy of solutions/00 with some answer cells replaced by a learner's code."""
    nb = nbformat.read(ROOT / "solutions" / "00_setup.ipynb", as_version=4)
    for cell in nb.cells:
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith("exercise:") and tag.split(":", 1)[1] in replace:
                cell.source = replace[tag.split(":", 1)[1]]
    path = tmp_path / "learner.ipynb"
    nbformat.write(nb, path)
    return path


def test_learner_exception_is_error_and_the_rest_still_runs(tmp_path: Path) -> None:
    path = _learner_copy(tmp_path, {
        "setup-create-app": "raise ValueError('my bug')",
        "setup-timeouts": "NEVER_EXPIRE = None\nUSE_DEFAULT = None",
    })
    code, rows, _ = grade(str(path))
    by_id = {r["exercise"]: r for r in rows}
    assert code == 1
    assert by_id["setup-create-app"]["status"] == "error"
    assert "ValueError: my bug" in by_id["setup-create-app"]["message"]
    assert by_id["setup-shared-config"]["status"] == "passed"
    assert by_id["setup-timeouts"]["status"] == "failed"
    assert "None means" in by_id["setup-timeouts"]["message"]


def test_a_syntax_error_is_an_error_and_the_rest_still_runs(tmp_path: Path) -> None:
    path = _learner_copy(tmp_path, {"setup-create-app": "def create_app(config:\n    pass"})
    code, rows, _ = grade(str(path))
    by_id = {r["exercise"]: r for r in rows}
    assert code == 1
    assert by_id["setup-create-app"]["status"] == "error"
    assert "syntax error" in by_id["setup-create-app"]["message"]
    assert by_id["setup-shared-config"]["status"] == "passed"
    assert by_id["setup-timeouts"]["status"] == "passed"


def test_endless_loop_hits_the_time_limit(tmp_path: Path) -> None:
    path = _learner_copy(tmp_path, {"setup-shared-config": "while True:\n    pass"})
    code, rows, _ = grade("--timeout", "8", str(path))
    by_id = {r["exercise"]: r for r in rows}
    assert by_id["setup-shared-config"]["status"] == "error"
    assert "limit" in by_id["setup-shared-config"]["message"]
    assert by_id["setup-timeouts"]["status"] == "passed"


def test_kernel_death_is_reported(tmp_path: Path) -> None:
    path = _learner_copy(tmp_path, {"setup-shared-config": "import os\nos._exit(1)"})
    code, rows, _ = grade(str(path))
    by_id = {r["exercise"]: r for r in rows}
    assert code == 1
    assert by_id["setup-create-app"]["status"] == "passed"
    assert by_id["setup-shared-config"]["status"] == "error"
    assert "died" in by_id["setup-shared-config"]["message"]
    assert by_id["setup-timeouts"]["status"] == "error"


def test_broken_notebook_in_a_folder_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "broken.ipynb").write_text("{ not json")
    (tmp_path / "notes.txt").write_text("not a notebook")
    code, rows, _ = grade(str(tmp_path))
    assert code == 1
    by_file = {Path(r["notebook"]).name: r for r in rows}
    assert set(by_file) == {"broken.ipynb", "notes.txt"}
    assert by_file["broken.ipynb"]["status"] == "error"
    assert "cannot read" in by_file["broken.ipynb"]["message"]
    assert by_file["notes.txt"]["message"] == "not a notebook: skipped"


def test_a_class_folder_gives_a_table_and_reports(tmp_path: Path) -> None:
    """Solutions, untouched exercises, a wrong answer, a broken file, an endless loop, a stray file."""
    import csv
    import shutil

    subs = tmp_path / "subs"
    for learner in ["ana", "ben", "cy", "dee"]:
        (subs / learner).mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "00_setup.ipynb", subs / "ana" / "00_setup.ipynb")
    shutil.copy(ROOT / "exercises" / "00_setup.ipynb", subs / "ben" / "renamed by ben.ipynb")
    shutil.copy(_learner_copy(tmp_path, {"setup-timeouts": "NEVER_EXPIRE = None\nUSE_DEFAULT = 0"}),
                subs / "cy" / "00_setup.ipynb")
    shutil.copy(_learner_copy(tmp_path, {"setup-create-app": "while True:\n    pass"}),
                subs / "dee" / "00_setup.ipynb")
    (subs / "eve.ipynb").write_text('{"cells": [')
    (subs / "ben" / "answers.docx").write_text("not a notebook")
    proc = subprocess.run([sys.executable, "-m", "support.grade", "--timeout", "10", "--jobs", "2",
                           "--report", str(tmp_path / "report"), str(subs)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    with (tmp_path / "report" / "grades.csv").open(encoding="utf-8") as handle:
        grades = {(r["learner"], r["exercise"]): r["status"] for r in csv.DictReader(handle)}
    assert grades[("ana", "setup-timeouts")] == "passed"
    assert {grades[("ben", e)] for e in ["setup-create-app", "setup-shared-config",
                                         "setup-timeouts"]} == {"not-attempted"}
    assert grades[("ben", "*")] == "error"  # the stray .docx is reported, not fatal
    assert grades[("cy", "setup-timeouts")] == "failed"
    assert grades[("cy", "setup-create-app")] == "passed"
    assert grades[("dee", "setup-create-app")] == "error"
    assert grades[("dee", "setup-timeouts")] == "passed"
    assert grades[("subs", "*")] == "error"  # eve.ipynb, handed in loose in the class folder
    assert "ana" in proc.stdout and "3/3" in proc.stdout
    assert (tmp_path / "report" / "grades.html").read_text(encoding="utf-8").count("<tr>") == 7  # header, 5, rates
