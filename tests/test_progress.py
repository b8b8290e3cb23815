"""support.progress (and ``python -m support progress``): statuses read from a learner's saved notebooks, fresher checks winning."""

from __future__ import annotations

from pathlib import Path

import nbformat
from conftest import ROOT

from support import grading
from support.course import cell_tags
from support.progress import course_progress, saved_statuses
from support.tools.progress import main

SETUP = ["setup-create-app", "setup-shared-config", "setup-timeouts"]


def _lesson(progress, number: str) -> dict[str, str]:
    return dict(next(ex for label, ex in progress.lessons if label.startswith(number)))


def test_saved_outputs_of_the_solutions_say_passed() -> None:
    statuses = saved_statuses(ROOT / "solutions" / "00_setup.ipynb")
    assert [statuses[e] for e in SETUP] == ["passed"] * 3


def test_untouched_exercises_are_not_attempted() -> None:
    progress = course_progress(ROOT / "exercises", live=False)
    assert set(_lesson(progress, "00").values()) == {"not-attempted"}
    assert progress.passed == 0 and progress.total >= 3


def _save_with_timeouts_failed(folder: Path) -> None:
    """Lesson 00's solutions as a learner saved them, with setup-timeouts shown failed."""
    nb = nbformat.read(ROOT / "solutions" / "00_setup.ipynb", as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "setup-timeouts: passed" in out.get("data", {}).get("text/plain", ""):
                out["data"]["text/plain"] = "❌ setup-timeouts: failed. None means the default."
                out["data"].pop("text/html", None)
                record = out.get("metadata", {}).get("fcc_check")
                if record:  # the structured result progress reads first
                    record.update(status="failed", message="None means the default.")
    nbformat.write(nb, folder / "00_setup.ipynb")


def test_a_learner_folder_with_a_failed_and_a_missing_notebook(tmp_path: Path) -> None:
    _save_with_timeouts_failed(tmp_path)
    progress = course_progress(tmp_path, live=False)
    assert _lesson(progress, "00") == {"setup-create-app": "passed",
                                       "setup-shared-config": "passed",
                                       "setup-timeouts": "failed"}
    assert "2 of" in str(progress) and "Course progress" in progress._repr_html_()


def test_checks_run_in_this_kernel_win_over_saved_outputs(tmp_path: Path) -> None:
    _save_with_timeouts_failed(tmp_path)
    assert _lesson(course_progress(tmp_path, live=False), "00")["setup-timeouts"] == "failed"
    grading.run_check("setup-timeouts", {"NEVER_EXPIRE": 0, "USE_DEFAULT": None})
    assert _lesson(course_progress(tmp_path), "00")["setup-timeouts"] == "passed"


def test_broken_notebook_counts_as_not_attempted(tmp_path: Path) -> None:
    (tmp_path / "00_setup.ipynb").write_text("{ broken")
    assert set(_lesson(course_progress(tmp_path, live=False), "00").values()) == {"not-attempted"}


def test_cli(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path)]) == 0
    assert "Course progress: 0 of" in capsys.readouterr().out
    assert main([str(tmp_path / "missing")]) == 2
    assert main(["--help"]) == 2


def _save_with_records(folder: Path, status: str) -> None:
    """Lesson 00 saved by a kernel whose results carry structured metadata (setup-timeouts set)."""
    nb = nbformat.read(ROOT / "solutions" / "00_setup.ipynb", as_version=4)
    for cell in nb.cells:
        if "check:setup-timeouts" in cell_tags(cell):
            result = grading.Result("setup-timeouts", status, "a message that mentions "
                                    "✅ setup-create-app: failed. on a line of its own")
            data, metadata = result._repr_mimebundle_()
            cell.outputs = [nbformat.v4.new_output("execute_result", data=data,
                                                   metadata=metadata, execution_count=1)]
    nbformat.write(nb, folder / "00_setup.ipynb")


def test_structured_records_are_read_not_the_sentence(tmp_path: Path) -> None:
    _save_with_records(tmp_path, "error")
    statuses = saved_statuses(tmp_path / "00_setup.ipynb")
    assert statuses["setup-timeouts"] == "error"
    assert statuses["setup-create-app"] == "passed"  # the message's look-alike line is ignored


def test_statuses_are_words_not_only_icons(tmp_path: Path) -> None:
    _save_with_records(tmp_path, "failed")
    progress = course_progress(tmp_path, live=False)
    text = str(progress)
    assert "✅ passed             setup-create-app" in text
    assert "❌ failed             setup-timeouts" in text
    assert "⏳ not attempted yet  views-query-string" in text
    page = progress._repr_html_()
    assert 'title="failed"' in page and '<span aria-hidden="true">❌</span> failed' in page
    assert grading.TEXT_COLOURS["failed"] in page
