"""The run-twice cell test and the grader's verdict on solutions (tests/notebook_runs.py)."""

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


def _nbval(*paths: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}  # e.g. make bench's -q
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider",
                           "-p", "tests.notebook_runs", "--nbval", "-v", "--rootdir", str(paths[0].parent),
                           *map(str, paths)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_cell_that_changes_when_run_again_fails(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "notebooks", "counter.ipynb", COUNTER, "1\n")
    run = _nbval(path)
    assert run.returncode == 1, run.stdout
    assert "changed when it ran a second time" in run.stdout
    assert "a learner re-running it must see the same" in run.stdout


def test_a_cell_that_prints_the_same_twice_passes(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "notebooks", "steady.ipynb", "print('same')", "same\n")
    run = _nbval(path)
    assert run.returncode == 0, run.stdout


def test_exercise_notebooks_run_once(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "exercises", "counter.ipynb", COUNTER, "1\n")
    run = _nbval(path)
    assert run.returncode == 0, run.stdout


def _solutions_copy(folder: Path, replace: dict[str, str] | None = None) -> Path:
    """solutions/00_setup.ipynb in ``folder``, answers replaced, check outputs not compared."""
    nb = nbformat.read(ROOT / "solutions" / "00_setup.ipynb", as_version=4)
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


def test_a_solutions_notebook_ends_with_the_graders_verdict(tmp_path: Path) -> None:
    run = _nbval(_solutions_copy(tmp_path / "solutions"))
    assert run.returncode == 0, run.stdout
    assert "::grader PASSED" in run.stdout


def test_the_verdict_names_an_exercise_that_did_not_pass(tmp_path: Path) -> None:
    path = _solutions_copy(tmp_path / "solutions",
                           {"setup-timeouts": "NEVER_EXPIRE = None\nUSE_DEFAULT = 0"})
    run = _nbval(path)
    assert run.returncode == 1, run.stdout
    assert "::grader FAILED" in run.stdout
    assert "the grader would not pass every solution" in run.stdout
    assert "setup-timeouts" in run.stdout


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
