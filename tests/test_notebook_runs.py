"""The run-twice cell test and the grader's verdict on solutions and exercises
(tests/notebook_runs.py): one run of the plugin over a notebook of each case, read by the tests
below."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

pytestmark = pytest.mark.kernel

COUNTER = "try:\n    runs += 1\nexcept NameError:\n    runs = 1\nprint(runs)"


def _notebook(folder: Path, name: str, source: str, printed: str) -> Path:
    """A one-cell notebook whose saved output is ``printed``."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    nb.cells = [cell]
    path = folder / name
    nbformat.write(nb, path)
    return path


def _nbval(root: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}  # e.g. make bench's -q
    env["PYTHONPATH"] = str(ROOT)  # where the plugin is; run from ``root``, node ids start there
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider",
                           "-p", "tests.notebook_runs", "--nbval", "-v", "-rA", "--rootdir", str(root),
                           *(str(path.relative_to(root)) for path in paths)],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def _solutions_copy(folder: Path, replace: dict[str, str] | None = None,
                    original: str = "solutions") -> Path:
    """``original``/00_setup.ipynb in ``folder``, answers replaced, check outputs not compared."""
    nb = nbformat.read(ROOT / original / "00_setup.ipynb", as_version=4)
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        for exercise, source in (replace or {}).items():
            if f"exercise:{exercise}" in tags:
                cell.source = source
        if any(tag.startswith("check:") for tag in tags):
            cell.metadata["tags"] = [*tags, "nbval-ignore-output"]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "00_setup.ipynb")
    return folder / "00_setup.ipynb"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One run of the plugin over a notebook of each case (one pytest process, as make test
    has one per worker); returns its verbose output, where each item's outcome has a line."""
    root = tmp_path_factory.mktemp("runs")
    paths = [_notebook(root / "notebooks", "counter.ipynb", COUNTER, "1\n"),
             _notebook(root / "notebooks", "steady.ipynb", "print('same')", "same\n"),
             _notebook(root / "exercises", "counter.ipynb", COUNTER, "1\n"),
             _solutions_copy(root / "right" / "solutions"),
             _solutions_copy(root / "wrong" / "solutions",
                             {"setup-timeouts": "NEVER_EXPIRE = None\nUSE_DEFAULT = 0"}),
             _solutions_copy(root / "given" / "exercises", original="exercises"),
             _solutions_copy(root / "spoiled" / "exercises", original="exercises",
                             replace={"setup-timeouts": "NEVER_EXPIRE = 0\nUSE_DEFAULT = None"})]
    return _nbval(root, *paths).stdout


def _outcome(output: str, item: str) -> str:
    """PASSED or FAILED, as the run's summary (``-rA``) gives it for ``item`` (a node id)."""
    for line in output.splitlines():
        outcome, _, rest = line.partition(" ")
        if outcome in ("PASSED", "FAILED") and (rest == item or rest.startswith(item + " - ")):
            return outcome
    raise AssertionError(f"{item} is not in the run's summary:\n{output}")


def test_a_cell_that_changes_when_run_again_fails(run: str) -> None:
    assert _outcome(run, "notebooks/counter.ipynb::Cell 0") == "FAILED", run
    assert "changed when it ran a second time" in run
    assert "a learner re-running it must see the same" in run


def test_a_cell_that_prints_the_same_twice_passes(run: str) -> None:
    assert _outcome(run, "notebooks/steady.ipynb::Cell 0") == "PASSED", run


def test_exercise_notebooks_run_once(run: str) -> None:
    assert _outcome(run, "exercises/counter.ipynb::Cell 0") == "PASSED", run


def test_a_solutions_notebook_ends_with_the_graders_verdict(run: str) -> None:
    assert _outcome(run, "right/solutions/00_setup.ipynb::grader") == "PASSED", run


def test_the_verdict_names_an_exercise_that_did_not_pass(run: str) -> None:
    assert _outcome(run, "wrong/solutions/00_setup.ipynb::grader") == "FAILED", run
    assert "the grader would not give every exercise 'passed'" in run
    assert "setup-timeouts" in run.split("the grader would not give every exercise", 1)[1]


def test_an_exercises_notebook_as_handed_out_ends_not_attempted(run: str) -> None:
    assert _outcome(run, "given/exercises/00_setup.ipynb::grader") == "PASSED", run


def test_the_verdict_names_an_exercise_answered_in_the_handed_out_notebook(run: str) -> None:
    assert _outcome(run, "spoiled/exercises/00_setup.ipynb::grader") == "FAILED", run
    why = run.split("the grader would not give every exercise 'not-attempted'", 1)[1]
    assert "setup-timeouts" in why and "passed" in why


def test_the_graders_verdict_stands_in_for_the_in_process_solution_tests() -> None:
    args = [sys.executable, "-m", "pytest", "-p", "no:xdist", "--collect-only", "-q",
            "tests/test_checks_setup.py"]
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    alone = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    with_nbval = subprocess.run([*args, "solutions/00_setup.ipynb", "--nbval"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
    assert "test_solution_passes[setup-timeouts]" in alone.stdout, alone.stdout
    assert "deselected" not in alone.stdout
    assert "test_solution_passes" not in with_nbval.stdout, with_nbval.stdout
    assert "00_setup.ipynb::grader" in with_nbval.stdout
    assert "(3 deselected)" in with_nbval.stdout
