"""An exercise notebook as a learner uses it, in JupyterLab in headless Chromium: Run All on the
untouched notebook (checks say "not attempted", nothing raises), then a half-typed answer with a
syntax error (Run All still reaches the checks and the progress table), then a correct answer
typed into the answer cell, its check run ("passed") and the progress table read."""

from __future__ import annotations

import re

import nbformat
import pytest

from support.course import tagged, without_markers

from .conftest import ROOT
from .test_lab_browser import (
    CELL_REPORT,
    OUTPUT,
    RUN_ALL_TIMEOUT_MS,
    RUN_OVER,
    START_RUN_ALL,
    VIEWPORT,
    looks_like_traceback,
    open_notebook,
)

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

NOTEBOOK = "01_views.ipynb"
EXERCISE = "views-query-string"
BROKEN = "views-error-filter"

def _cell_index(page, path: str, tag: str) -> int:
    index = page.evaluate(
        """([path, tag]) => {
          for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) {
            if (!widget.context || widget.context.path !== path) continue;
            const cells = widget.content.widgets;
            for (let i = 0; i < cells.length; i++) {
              const tags = cells[i].model.getMetadata('tags') || [];
              if (tags.includes(tag)) return i;
            }
          }
          return -1;
        }""", [path, tag])
    assert index >= 0, f"no cell tagged {tag} in {path}"
    return index


def _type_into(page, path: str, index: int, text: str) -> None:
    """Select cell ``index``, enter its editor, replace its text by typing ``text``."""
    page.evaluate(
        """([path, index]) => {
          for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) {
            if (widget.context && widget.context.path === path) {
              window.jupyterapp.shell.activateById(widget.id);
              widget.content.activeCellIndex = index;
              widget.content.mode = 'edit';
            }
          }
        }""", [path, index])
    editor = page.locator(".jp-Notebook .jp-Cell.jp-mod-active .cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def _run_cell(page, path: str, index: int) -> str:
    """Run cell ``index`` and return the text of its outputs once the kernel is idle."""
    page.evaluate(
        """([path, index]) => {
          for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) {
            if (widget.context && widget.context.path === path) {
              widget.content.activeCellIndex = index;
              window.__ran = false;
              window.jupyterapp.commands.execute('notebook:run-cell').then(() => { window.__ran = true; });
            }
          }
        }""", [path, index])
    page.wait_for_function("window.__ran === true", timeout=RUN_ALL_TIMEOUT_MS, polling=200)
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    return "\n".join(cell.locator(OUTPUT).all_inner_texts())


def _run_all(page, path: str) -> dict:
    page.evaluate(f"({START_RUN_ALL})({path!r})")
    page.wait_for_function(f"({RUN_OVER})({path!r})", timeout=RUN_ALL_TIMEOUT_MS, polling=250)
    return page.evaluate(f"({CELL_REPORT})({path!r})")


def _answer(tag: str) -> str:
    nb = nbformat.read(ROOT / "solutions" / NOTEBOOK, as_version=4)
    return "\n".join(without_markers(c.source) for c in tagged(nb.cells, tag))


def _not_run(report: dict) -> list[str]:
    return [cell["source"][:40] for cell in report["cells"]
            if cell["source"].strip() and not cell["prompt"].strip("[]: ").isdigit()]


def test_a_learner_works_through_an_exercise(browser, lab, screenshot_dir):
    path = f"exercises/{NOTEBOOK}"
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        open_notebook(page, lab, path)

        # 1. Untouched: Run All reaches the end, every check says "not attempted", no traceback.
        report = _run_all(page, path)
        assert not _not_run(report), f"cells that did not run: {_not_run(report)}"
        texts = page.locator(OUTPUT).all_inner_texts()
        assert not [t for t in texts if looks_like_traceback(t)]
        assert sum("not attempted" in t for t in texts) >= 4, texts

        # 2. A half-typed answer with a syntax error: Run All still reaches every later cell.
        _type_into(page, path, _cell_index(page, path, f"exercise:{BROKEN}"),
                   "def cacheable(rv):\n    return rv[1] ==\n")
        report = _run_all(page, path)
        assert not _not_run(report), f"a syntax error stopped Run All: {_not_run(report)}"
        broken_check = _run_cell(page, path, _cell_index(page, path, f"check:{BROKEN}"))
        assert "syntax" in broken_check.lower() or "not attempted" in broken_check.lower()
        page.locator(".jp-Notebook .jp-Cell").nth(
            _cell_index(page, path, f"exercise:{BROKEN}")).screenshot(
            path=str(screenshot_dir / "exercise-syntax-error.png"))

        # 3. A correct answer typed into its cell, run, then its check: "passed", in words.
        answer_index = _cell_index(page, path, f"exercise:{EXERCISE}")
        _type_into(page, path, answer_index, _answer(f"exercise:{EXERCISE}"))
        _run_cell(page, path, answer_index)
        check_text = _run_cell(page, path, _cell_index(page, path, f"check:{EXERCISE}"))
        # The status in words (an icon may stand beside it, but never alone).
        assert re.search(rf"{EXERCISE}: \W*passed\.", check_text), check_text
        assert "Traceback" not in check_text
        page.locator(".jp-Notebook .jp-Cell").nth(
            _cell_index(page, path, f"check:{EXERCISE}")).screenshot(
            path=str(screenshot_dir / "exercise-check-passed.png"))

        # 4. The progress table (the last code cell) shows it as passed, in words.
        cells = page.locator(".jp-Notebook .jp-Cell")
        last_code = max(i for i in range(cells.count())
                        if "jp-CodeCell" in (cells.nth(i).get_attribute("class") or ""))
        table = _run_cell(page, path, last_code)
        row = next((line for line in table.splitlines() if EXERCISE in line), "")
        assert "passed" in row.lower(), f"progress row for {EXERCISE}: {row!r}\n{table}"
        cells.nth(last_code).screenshot(path=str(screenshot_dir / "exercise-progress.png"))
    except BaseException:
        page.screenshot(path=str(screenshot_dir / "exercise-failure.png"))
        raise
    finally:
        context.close()
        lab.shutdown_kernels()
