"""Learner slips in a real kernel: a syntax error does not stop Run All; a check after a restart."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

from support.grading import METADATA_KEY, SYNTAX_METADATA_KEY

pytestmark = pytest.mark.kernel


def _run(*sources: str) -> list[nbformat.NotebookNode]:
    """Run the cells in a fresh kernel as Run All does (stopping at the first exception)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=False,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    return nb.cells


def _check_record(cell: nbformat.NotebookNode) -> dict[str, str]:
    (output,) = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert "text/html" in output.data and "text/plain" in output.data
    return output.metadata[METADATA_KEY]


def test_a_syntax_error_is_shown_and_run_all_goes_on() -> None:
    cells = _run("from support.grading import check, hint, reveal",
                 "def create_app(config:\n    return None",
                 'from support.grading import check\ncheck("setup-create-app")',
                 'print("the progress cell still runs")')
    (shown,) = cells[1].outputs
    assert shown.output_type == "display_data"
    assert shown.metadata[SYNTAX_METADATA_KEY]["line"] == 1
    text = shown.data["text/plain"]
    assert text.startswith("SyntaxError in this cell, line 1: ")
    assert "def create_app(config:" in text and "^" in text and "Traceback" not in text
    assert 'role="alert"' in shown.data["text/html"]
    record = _check_record(cells[2])
    assert record["status"] == "error" and "has a syntax error" in record["message"]
    assert cells[3].outputs[0].text == "the progress cell still runs\n"


def test_fixing_the_cell_clears_the_syntax_error() -> None:
    cells = _run("import support.grading",
                 "NEVER_EXPIRE = (",
                 "NEVER_EXPIRE = 0\nUSE_DEFAULT = None",
                 'from support.grading import check\ncheck("setup-timeouts")')
    assert _check_record(cells[3])["status"] == "passed"


def test_a_check_cell_in_a_fresh_kernel_says_to_run_the_cells_above() -> None:
    cells = _run('from support.grading import check\ncheck("setup-create-app")')
    record = _check_record(cells[0])
    assert record["status"] == "not-attempted"
    assert "not defined in this kernel" in record["message"]
    assert "run the cells above" in record["message"]


def test_the_stuck_line_works_after_a_restart() -> None:
    cells = _run('from support.grading import check\ncheck("setup-timeouts")',
                 'hint("setup-timeouts")')
    assert cells[1].outputs[0].text.startswith("💡 hint for setup-timeouts: ")
