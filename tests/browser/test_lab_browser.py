"""Lessons run in a real browser: JupyterLab in headless Chromium, driven by Playwright.

For each lesson: open it in JupyterLab, wait for its kernel, run all cells (``runmenu:run-all``),
wait until the run is over and the kernel is idle, then check that no cell raised and that the
rich outputs really rendered in the page: the matplotlib chart of lesson 00 as an ``<img>``, the
ipywidgets sliders of lesson 04 as widget DOM elements. Also: opening and saving a lesson leaves
its file unchanged, and lesson 04's simulator says what to do before it has run. Screenshots go to
``$BROWSER_SCREENSHOTS`` (default ``screenshots/``).

Run: ``.venv/bin/pip install -r requirements-browser.txt``, ``apt-get install chromium``, then
``.venv/bin/python -m pytest -v tests/browser -p no:xdist``. Skipped without Playwright or
Chromium.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.course import available

from .conftest import notebooks_source

# "kernel" (tests/conftest.py): starts Jupyter kernels, so `make test-fast` leaves it out.
pytestmark = [pytest.mark.browser, pytest.mark.kernel]

PAGE_LOAD_TIMEOUT_MS = 60_000
KERNEL_READY_TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_MS = 180_000
RENDER_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1280, "height": 900}
FULL_PAGE_MAX_HEIGHT = 16_000  # px, for the screenshot of the whole notebook


@dataclass(frozen=True)
class Expect:
    """Rich outputs that must render in the browser."""

    image: bool = False  # an <img> output (a matplotlib PNG)
    widgets: bool = False  # ipywidgets views (.jupyter-widgets)
    slider: bool = False  # an ipywidgets slider (.widget-slider)


# Every lesson runs; these must also show rich outputs (the others: what their stored outputs hold).
RICH = {
    "00_setup.ipynb": Expect(image=True),
    "04_when_to_cache.ipynb": Expect(widgets=True, slider=True),
}
LESSONS = {lesson.filename: RICH.get(lesson.filename, Expect()) for lesson in available()}

OUTPUT = ".jp-OutputArea-output"
STDERR = f"{OUTPUT}[data-mime-type='application/vnd.jupyter.stderr']"
WIDGETS = f"{OUTPUT} .jupyter-widgets"
SLIDER = f"{OUTPUT} .widget-slider"
IMAGE = f"{OUTPUT} img"

# JavaScript run in the page. ``panel(path)`` finds the open notebook through window.jupyterapp
# (exposed by LabApp.expose_app_in_browser in the fixture's server config).
FIND_PANEL = """
const panel = (path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const widget of Array.from(app.shell.widgets('main'))) {
    if (widget.context && widget.context.path === path && widget.content
        && widget.sessionContext) return widget;
  }
  return null;
};
"""


def in_page(body: str) -> str:
    """A JavaScript function of the notebook's path, with panel() in scope."""
    return "(path) => {\n" + FIND_PANEL + body


KERNEL_STATE = in_page("""
  const p = panel(path);
  if (!window.jupyterapp) return 'window.jupyterapp is missing';
  if (!p) return 'notebook not open';
  const name = document.querySelector('.jp-NotebookPanel-toolbar .jp-KernelName');
  const label = name ? name.textContent.trim() : '';
  if (!label || label === 'No Kernel') return 'toolbar kernel name: ' + (label || '(none)');
  const sc = p.sessionContext;
  if (!sc.isReady) return 'session not ready';
  const kernel = sc.session && sc.session.kernel;
  if (!kernel) return 'no kernel';
  if (kernel.connectionStatus !== 'connected') return 'kernel ' + kernel.connectionStatus;
  if (kernel.status !== 'idle') return 'kernel ' + kernel.status;
  return 'idle:' + label;
}
""")

START_RUN_ALL = in_page("""
  const app = window.jupyterapp;
  const p = panel(path);
  app.shell.activateById(p.id);
  const command = app.commands.hasCommand('runmenu:run-all')
    ? 'runmenu:run-all' : 'notebook:run-all-cells';
  window.__runAll = {command, done: false, result: null, error: null};
  app.commands.execute(command).then(
    (result) => { window.__runAll.done = true; window.__runAll.result = String(result); },
    (error) => { window.__runAll.done = true; window.__runAll.error = String(error); });
  return command;
}
""")

RUN_OVER = in_page("""
  const p = panel(path);
  if (!window.__runAll || !window.__runAll.done || !p) return false;
  const kernel = p.sessionContext.session && p.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const prompts = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'));
  return !prompts.some((node) => node.textContent.includes('*'));
}
""")

# What the notebook model says after the run: one entry per code cell.
CELL_REPORT = in_page("""
  const p = panel(path);
  const cells = [];
  p.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const outputs = [];
    const area = cell.model.outputs;
    for (let i = 0; i < area.length; i++) {
      const output = area.get(i);
      const json = output.toJSON();
      outputs.push({
        type: output.type,
        ename: json.ename || null,
        evalue: json.evalue || null,
        mimes: Object.keys(json.data || {}),
      });
    }
    cells.push({
      index,
      source: cell.model.sharedModel.getSource().slice(0, 80),
      executionCount: cell.model.executionCount,
      prompt: cell.node.querySelector('.jp-InputPrompt')?.textContent.trim() || '',
      outputs,
    });
  });
  return {runAll: window.__runAll, cells};
}
""")

WHOLE_NOTEBOOK_HEIGHT = """
() => {
  const outer = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
    || document.querySelector('.jp-NotebookPanel .jp-Notebook');
  const panel = document.querySelector('.jp-NotebookPanel');
  if (!outer || !panel) return 0;
  const chrome = window.innerHeight - outer.getBoundingClientRect().height;
  return Math.ceil(outer.scrollHeight + Math.max(chrome, 0)) + 40;
}
"""


LOADED_IMAGE = f"""
Array.from(document.querySelectorAll({IMAGE!r})).some((img) => img.complete && img.naturalWidth > 0)
"""

def present(selector: str) -> str:
    return f"document.querySelector({selector!r}) !== null"


SCROLL_TO_TOP = """
() => document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')?.scrollTo(0, 0)
"""


def committed_expectations(path: Path) -> Expect:
    """What the committed notebook's own stored outputs show (used on top of LESSONS)."""
    notebook = json.loads(path.read_text())
    mimes = {mime for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"
             for output in cell.get("outputs", []) for mime in output.get("data", {})}
    return Expect(image="image/png" in mimes,
                  widgets="application/vnd.jupyter.widget-view+json" in mimes)


def merged(a: Expect, b: Expect) -> Expect:
    return Expect(image=a.image or b.image, widgets=a.widgets or b.widgets,
                  slider=a.slider or b.slider)


def looks_like_traceback(text: str) -> bool:
    """Whether a stderr output in the page shows a traceback.

    JupyterLab renders both a cell's error (its traceback) and plain stderr, such as a warning,
    as ``application/vnd.jupyter.stderr``, and no class tells them apart in the page. The
    notebook model does (an output of type "error": see problems_in), so this page-side check
    only adds what a warning never prints: the "Traceback (most recent call last)" header.
    """
    return "Traceback (most recent call last)" in text


def problems_in(report: dict) -> list[str]:
    """Errors, and code cells the run never reached."""
    problems = []
    for cell in report["cells"]:
        where = f"cell {cell['index']} ({cell['source'].splitlines()[0] if cell['source'] else ''!r})"
        for output in cell["outputs"]:
            if output["type"] == "error":
                problems.append(f"{where} raised {output['ename']}: {output['evalue']}")
        if cell["source"].strip() and not cell["prompt"].strip("[]: ").isdigit():
            problems.append(f"{where} did not run (prompt {cell['prompt']!r})")
    if report["runAll"] and report["runAll"].get("error"):
        problems.append(f"run-all failed: {report['runAll']['error']}")
    return problems


@pytest.mark.parametrize("notebook", list(LESSONS), ids=[n.removesuffix(".ipynb") for n in LESSONS])
def test_lesson_runs_in_jupyterlab(notebook, browser, lab, screenshot_dir):
    source = Path(lab.root_dir, "notebooks", notebook)
    committed = notebooks_source() / notebook
    if not source.exists():
        pytest.skip(f"notebooks/{notebook} does not exist yet (the lesson is not written)")
    expect = merged(LESSONS[notebook], committed_expectations(source))
    committed_before = committed.read_bytes() if committed.exists() else None
    stem = notebook.removesuffix(".ipynb")
    path = f"notebooks/{notebook}"

    (screenshot_dir / f"{stem}-failure.png").unlink(missing_ok=True)  # from an earlier run

    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    started = time.monotonic()
    try:
        page.goto(lab.url(path), wait_until="domcontentloaded", timeout=PAGE_LOAD_TIMEOUT_MS)
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell",
                               timeout=PAGE_LOAD_TIMEOUT_MS)

        # The kernel indicator says idle before a kernel exists: wait for a named, idle kernel.
        try:
            page.wait_for_function(f"({KERNEL_STATE})({path!r}).startsWith('idle:')",
                                   timeout=KERNEL_READY_TIMEOUT_MS, polling=250)
        except Exception as error:
            state = page.evaluate(f"({KERNEL_STATE})({path!r})")
            raise AssertionError(f"kernel not ready for {path}: {state}\n{lab.log_tail()}") from error

        command = page.evaluate(f"({START_RUN_ALL})({path!r})")
        try:
            page.wait_for_function(f"({RUN_OVER})({path!r})", timeout=RUN_ALL_TIMEOUT_MS,
                                   polling=250)
        except Exception as error:
            raise AssertionError(f"{command} on {path} did not finish within "
                                 f"{RUN_ALL_TIMEOUT_MS / 1000:.0f} s") from error
        run_seconds = time.monotonic() - started

        report = page.evaluate(f"({CELL_REPORT})({path!r})")
        problems = problems_in(report)
        # The page's own view of errors: a traceback in an output (plain stderr such as a
        # warning uses the same mime type, so only outputs holding a traceback count).
        for text in page.locator(STDERR).all_inner_texts():
            if looks_like_traceback(text):
                problems.append("traceback in the page: " + text.strip().splitlines()[-1][:200])
        assert not problems, f"{path} in JupyterLab:\n- " + "\n- ".join(problems)

        # Widgets and images render after their cell finished: wait for them (bounded).
        wanted = [(expect.widgets or expect.slider, present(WIDGETS), "ipywidgets (.jupyter-widgets)"),
                  (expect.slider, present(SLIDER), "an ipywidgets slider (.widget-slider)"),
                  (expect.image, LOADED_IMAGE, "an image output (<img>, loaded)")]
        for needed, condition, what in wanted:
            if not needed:
                continue
            try:
                page.wait_for_function(condition, timeout=RENDER_TIMEOUT_MS, polling=250)
            except Exception as error:
                raise AssertionError(f"{path}: {what} did not render in an output area "
                                     f"within {RENDER_TIMEOUT_MS / 1000:.0f} s") from error
        broken = [text.strip()[:200] for text in page.locator(OUTPUT).all_inner_texts()
                  if "Error displaying widget" in text]
        assert not broken, f"{path}: widgets failed to render: {broken}"
        counts = {name: page.locator(selector).count() for name, selector in
                  [("widgets", WIDGETS), ("sliders", SLIDER), ("images", IMAGE)]}

        # Screenshots: the first rich output of each kind, the top of the lesson (run-all
        # leaves it scrolled to the end), then the whole notebook in one tall page.
        for name, selector, count in [("chart", IMAGE, "images"), ("widgets", WIDGETS, "widgets")]:
            if counts[count]:
                output = page.locator(f".jp-OutputArea-child:has({selector})").first
                output.scroll_into_view_if_needed(timeout=RENDER_TIMEOUT_MS)
                output.screenshot(path=str(screenshot_dir / f"{stem}-{name}.png"),
                                  timeout=RENDER_TIMEOUT_MS)
        page.evaluate(SCROLL_TO_TOP)
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshot_dir / f"{stem}.png"))
        height = min(int(page.evaluate(WHOLE_NOTEBOOK_HEIGHT)) or VIEWPORT["height"],
                     FULL_PAGE_MAX_HEIGHT)
        page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height,
                                                                         VIEWPORT["height"])})
        page.evaluate(SCROLL_TO_TOP)
        page.wait_for_timeout(500)
        page.screenshot(path=str(screenshot_dir / f"{stem}-full.png"))

        print(f"{path}: {command} over in {run_seconds:.1f} s, {counts}; "
              f"screenshots in {screenshot_dir}")
    except BaseException:
        try:
            page.screenshot(path=str(screenshot_dir / f"{stem}-failure.png"), timeout=10_000)
        except Exception:
            pass
        if page_errors:
            print("page errors:\n" + "\n".join(page_errors))
        raise
    finally:
        context.close()
        lab.shutdown_kernels()

    if committed_before is not None:
        assert committed.read_bytes() == committed_before, f"the run changed {committed}"


# --- what a learner meets before running anything ---------------------------------------------

SAVE = in_page("""
  const p = panel(path);
  if (!p) return 'notebook not open';
  return p.context.save().then(() => 'saved', (error) => 'save failed: ' + error);
}
""")


def open_notebook(page, lab, path: str) -> None:
    """Open ``path`` in JupyterLab and wait until its kernel is started and idle."""
    page.goto(lab.url(path), wait_until="domcontentloaded", timeout=PAGE_LOAD_TIMEOUT_MS)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=PAGE_LOAD_TIMEOUT_MS)
    try:
        page.wait_for_function(f"({KERNEL_STATE})({path!r}).startsWith('idle:')",
                               timeout=KERNEL_READY_TIMEOUT_MS, polling=250)
    except Exception as error:
        state = page.evaluate(f"({KERNEL_STATE})({path!r})")
        raise AssertionError(f"kernel not ready for {path}: {state}\n{lab.log_tail()}") from error


def test_opening_and_saving_a_lesson_leaves_its_file_unchanged(browser, lab, screenshot_dir):
    path = "notebooks/02_memoize.ipynb"
    served = Path(lab.root_dir, path)
    before = served.read_bytes()
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        open_notebook(page, lab, path)  # the kernel's language_info is in the model now
        assert page.evaluate(f"({SAVE})({path!r})") == "saved"
        page.screenshot(path=str(screenshot_dir / "02_memoize-opened-and-saved.png"))
    finally:
        context.close()
        lab.shutdown_kernels()
    assert served.read_bytes() == before, (
        f"saving {path} unopened-but-for-the-kernel changed its file: see support/lab.py")


def test_the_simulator_says_how_to_start_before_it_runs(browser, lab, screenshot_dir):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    path = "notebooks/04_when_to_cache.ipynb"
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        page.goto(lab.url(path), wait_until="domcontentloaded", timeout=PAGE_LOAD_TIMEOUT_MS)
        page.wait_for_selector(f".jp-NotebookPanel {OUTPUT}", timeout=PAGE_LOAD_TIMEOUT_MS)
        placeholder = ".jp-OutputArea-child:has-text('un this cell')"
        try:  # outputs render one after another: on a busy machine the last ones come later
            page.wait_for_selector(placeholder, timeout=PAGE_LOAD_TIMEOUT_MS)
        except PlaywrightTimeout:
            pass  # the assertion below says what is missing
        texts = page.locator(OUTPUT).all_inner_texts()
        shot = page.locator(placeholder).first
        if shot.count():
            shot.scroll_into_view_if_needed(timeout=RENDER_TIMEOUT_MS)
            shot.screenshot(path=str(screenshot_dir / "04_when_to_cache-before-running.png"))
    finally:
        context.close()
        lab.shutdown_kernels()
    assert not [t for t in texts if "VBox(children=" in t], "a widget shows as VBox(...) text"
    assert any("run this cell" in t.lower() for t in texts), "no 'run this cell' placeholder"
