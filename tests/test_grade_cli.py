"""python -m support.grade, per contract 4, on a learner's mistakes (these tests start Jupyter
kernels; the course's own notebooks are graded on nbval's run of them, tests/notebook_runs.py).

One class folder holds every mistake a learner can hand in, one learner each, and is graded by a
single run of the command, as an instructor would (``--jobs 2 --report``): each test below
reads one learner's rows of the report. Grading them in separate runs started a Python process
and a kernel more per case and took twice as long.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

pytestmark = pytest.mark.kernel

TIME_LIMIT = 10  # seconds a cell may run in the class run: the endless loop waits this long


def grade(*args: str, timeout: int = 600) -> tuple[int, list[dict], str]:
    proc = subprocess.run([sys.executable, "-m", "support.grade", "--json", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    rows = json.loads(proc.stdout) if proc.stdout.strip().startswith("[") else []
    return proc.returncode, rows, proc.stderr


@pytest.mark.parametrize("args", [["no/such/folder"], ["README.md"], ["pyproject.toml"],
                                  ["--report", "README.md", "exercises/00_setup.ipynb"],
                                  ["--timeout", "0", "exercises"]])
def test_bad_usage_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from support.tools.grade import main

    try:
        code = main(["--json", *args])
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "error:" in err and "Traceback" not in err


def test_the_exit_status_is_0_only_when_every_row_passed(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from support.tools import grade as command

    rows = [command.Row("exercises/00_setup.ipynb", "setup-create-app", "passed", "")]
    monkeypatch.setattr(command, "grade_all", lambda notebooks, timeout, jobs: list(rows))
    assert command.main(["--json", "exercises/00_setup.ipynb"]) == 0
    capsys.readouterr()
    rows.append(command.Row("exercises/00_setup.ipynb", "setup-timeouts", "failed", "no"))
    assert command.main(["--json", "exercises/00_setup.ipynb"]) == 1
    assert [r["status"] for r in json.loads(capsys.readouterr().out)] == ["passed", "failed"]


def _learner_copy(folder: Path, name: str, replace: dict[str, str]) -> Path:
    """A copy of solutions/00 with some answer cells replaced by a learner's code."""
    nb = nbformat.read(ROOT / "solutions" / "00_setup.ipynb", as_version=4)
    for cell in nb.cells:
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith("exercise:") and tag.split(":", 1)[1] in replace:
                cell.source = replace[tag.split(":", 1)[1]]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


@dataclass
class ClassRun:
    code: int
    out: str
    err: str
    rows: list[dict]  # grades.csv: learner, notebook, exercise, status, message
    report: Path

    def of(self, learner: str) -> dict[str, dict]:
        """A learner's rows by exercise."""
        return {r["exercise"]: r for r in self.rows if r["learner"] == learner}


@pytest.fixture(scope="module")
def class_run(tmp_path_factory: pytest.TempPathFactory) -> ClassRun:
    """A class folder with every kind of hand-in, graded once."""
    tmp = tmp_path_factory.mktemp("class")
    subs = tmp / "subs"
    (subs / "ana").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "00_setup.ipynb", subs / "ana" / "00_setup.ipynb")
    (subs / "ben").mkdir()
    shutil.copy(ROOT / "exercises" / "00_setup.ipynb", subs / "ben" / "renamed by ben.ipynb")
    (subs / "ben" / "answers.docx").write_text("not a notebook")
    _learner_copy(subs / "cy", "00_setup.ipynb", {
        "setup-create-app": "raise ValueError('my bug')",
        "setup-timeouts": "NEVER_EXPIRE = None\nUSE_DEFAULT = None"})
    # An endless loop that waits (for something that never comes), as a learner's polling loop
    # does: `while True: pass` would hold a core for the whole time limit, under the suite.
    _learner_copy(subs / "dee", "00_setup.ipynb", {
        "setup-create-app": "import time\nwhile True:\n    time.sleep(0.1)"})
    _learner_copy(subs / "gus", "00_setup.ipynb", {"setup-create-app": "def create_app(config:\n    pass"})
    _learner_copy(subs / "hal", "00_setup.ipynb", {"setup-shared-config": "import os\nos._exit(1)"})
    (subs / "eve.ipynb").write_text('{"cells": [')  # handed in loose, and broken
    report = tmp / "report"
    proc = subprocess.run([sys.executable, "-m", "support.grade", "--timeout", str(TIME_LIMIT),
                           "--jobs", "2", "--report", str(report), str(subs)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    rows = []
    if (report / "grades.csv").exists():
        with (report / "grades.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    return ClassRun(proc.returncode, proc.stdout, proc.stderr, rows, report)


def test_the_class_run_exits_1_without_a_traceback(class_run: ClassRun) -> None:
    assert class_run.code == 1, class_run.err
    assert class_run.rows and "Traceback" not in class_run.out + class_run.err


def test_a_worked_solution_passes_every_exercise(class_run: ClassRun) -> None:
    ana = class_run.of("ana")
    assert list(ana) == ["setup-create-app", "setup-shared-config", "setup-timeouts"]
    assert {r["status"] for r in ana.values()} == {"passed"}, ana


def test_an_untouched_notebook_is_not_attempted(class_run: ClassRun) -> None:
    ben = class_run.of("ben")
    assert {ben[e]["status"] for e in ["setup-create-app", "setup-shared-config",
                                       "setup-timeouts"]} == {"not-attempted"}
    assert ben["*"]["status"] == "error"  # the stray .docx is reported, not fatal
    assert ben["*"]["message"] == "not a notebook: skipped"


def test_learner_exception_is_error_and_the_rest_still_runs(class_run: ClassRun) -> None:
    cy = class_run.of("cy")
    assert cy["setup-create-app"]["status"] == "error"
    assert "ValueError: my bug" in cy["setup-create-app"]["message"]
    assert cy["setup-shared-config"]["status"] == "passed"
    assert cy["setup-timeouts"]["status"] == "failed"
    assert "None means" in cy["setup-timeouts"]["message"]


def test_endless_loop_hits_the_time_limit(class_run: ClassRun) -> None:
    dee = class_run.of("dee")
    assert dee["setup-create-app"]["status"] == "error"
    assert "limit" in dee["setup-create-app"]["message"]
    assert dee["setup-timeouts"]["status"] == "passed"


def test_a_syntax_error_is_an_error_and_the_rest_still_runs(class_run: ClassRun) -> None:
    gus = class_run.of("gus")
    assert gus["setup-create-app"]["status"] == "error"
    assert "syntax error" in gus["setup-create-app"]["message"]
    assert gus["setup-shared-config"]["status"] == "passed"
    assert gus["setup-timeouts"]["status"] == "passed"


def test_kernel_death_is_reported(class_run: ClassRun) -> None:
    hal = class_run.of("hal")
    assert hal["setup-create-app"]["status"] == "passed"
    assert hal["setup-shared-config"]["status"] == "error"
    assert "died" in hal["setup-shared-config"]["message"]
    assert hal["setup-timeouts"]["status"] == "error"


def test_a_broken_notebook_is_reported_not_fatal(class_run: ClassRun) -> None:
    eve = class_run.of("subs")  # eve.ipynb, loose in the class folder
    assert eve["*"]["status"] == "error"
    assert "cannot read" in eve["*"]["message"]


def test_the_command_prints_a_learner_by_exercise_table_and_writes_reports(
        class_run: ClassRun) -> None:
    assert "ana" in class_run.out and "3/3" in class_run.out  # ana's total in the printed pivot
    assert "wrote" in class_run.err and "grades.html" in class_run.err
    html = (class_run.report / "grades.html").read_text(encoding="utf-8")
    assert html.count("<tr>") == 9  # header, 7 learners (the loose eve.ipynb under "subs"), rates
