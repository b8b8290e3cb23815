"""The exercise generator, and the drift test: exercises/ is exactly what solutions/ generates."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from support.course import notebook_paths
from support.tools.exercises import MarkerError, blank_solutions, exercise_notebook, generate, main


def test_committed_exercises_match_the_solutions() -> None:
    wanted = generate(ROOT / "solutions", ROOT / "exercises")
    assert wanted, "no solutions notebooks found"
    stale = [p.name for p, text in wanted.items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"exercises/ out of date, run `make exercises`: {stale}"
    extra = {p.name for p in notebook_paths("exercises")} - {p.name for p in wanted}
    assert not extra, f"exercise notebooks without a solution: {extra}"


def test_solution_regions_become_placeholders_at_their_indentation() -> None:
    source = ("def f(x):\n    ### BEGIN SOLUTION\n    return x * 2\n    ### END SOLUTION\n"
              "\n### BEGIN SOLUTION\nANSWER = 42\n### END SOLUTION\nprint('kept')")
    assert blank_solutions(source) == (
        "def f(x):\n    # YOUR CODE HERE\n    ...\n\n# YOUR CODE HERE\n...\nprint('kept')")


@pytest.mark.parametrize("source, problem", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "without a"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
])
def test_broken_markers_are_reported(source: str, problem: str) -> None:
    with pytest.raises(MarkerError, match=problem):
        blank_solutions(source, "nb, cell 3")


def _solution_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
                                       execution_count=3,
                                       outputs=[nbformat.v4.new_output("stream", text="hi")])
    answer.metadata["tags"] = ["exercise:toy-x"]
    note = nbformat.v4.new_markdown_cell("Solutions only")
    note.metadata["tags"] = ["solution-only"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), note, answer]
    nb.metadata["widgets"] = {"state": {}}
    return nb


def test_generated_notebook_has_no_answers_outputs_or_solution_only_cells() -> None:
    nb = exercise_notebook(_solution_notebook())
    assert [c.cell_type for c in nb.cells] == ["markdown", "code"]
    code = nb.cells[1]
    assert code.source == "# YOUR CODE HERE\n..." and code.outputs == []
    assert code.execution_count is None and code.metadata["tags"] == ["exercise:toy-x"]
    assert "widgets" not in nb.metadata


def test_cli_writes_then_reports_up_to_date_and_detects_drift(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture) -> None:
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nbformat.write(_solution_notebook(), solutions / "09_toy.ipynb")
    args = ["--solutions", str(solutions), "--exercises", str(exercises)]
    assert main(args) == 0 and (exercises / "09_toy.ipynb").exists()
    assert main([*args, "--check"]) == 0
    (exercises / "09_toy.ipynb").write_text("{}")
    assert main([*args, "--check"]) == 1
    assert "out of date" in capsys.readouterr().out


def test_cli_reports_bad_input_without_a_traceback(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    assert main(["--solutions", str(tmp_path / "missing")]) == 2
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    (solutions / "broken.ipynb").write_text("{ not json")
    assert main(["--solutions", str(solutions), "--exercises", str(tmp_path / "ex")]) == 1
    nb = _solution_notebook()
    nb.cells[2].source = "### BEGIN SOLUTION\nx = 1"
    (solutions / "broken.ipynb").unlink()
    nbformat.write(nb, solutions / "10_bad.ipynb")
    assert main(["--solutions", str(solutions), "--exercises", str(tmp_path / "ex")]) == 1
    err = capsys.readouterr().err
    assert "cannot read" in err and "never closed" in err and "Traceback" not in err


def test_cli_refuses_a_file_as_the_exercises_folder(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    (tmp_path / "exercises").write_text("oops")
    assert main(["--solutions", str(solutions), "--exercises", str(tmp_path / "exercises")]) == 2
    assert "is a file" in capsys.readouterr().err
