"""Grade exercise notebooks: ``python -m support grade [--json] PATH...``.

Each notebook runs top to bottom in a fresh kernel, in a working folder of its own, with a time
limit per cell. Every exercise it holds (cells tagged ``exercise:<id>`` / ``check:<id>``) is
reported as ``passed``, ``failed``, ``not-attempted`` or ``error``:

* an exception in a learner's ``exercise:<id>`` cell makes that exercise ``error``; the rest of
  the notebook still runs;
* a cell that runs past the time limit is interrupted and reported;
* a kernel that dies makes the exercises it had not checked ``error``.

Exit status: 0 when every exercise passed, 1 when any did not, 2 for bad usage (a missing path,
a file that is not a notebook).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import nbformat

from support.course import CHECK, EXERCISE, cell_tags, tag_ids

DEFAULT_TIMEOUT = 60
#: What Ctrl-C prints (``python -m support grade`` exits 130 after it).
INTERRUPTED = "interrupted: no report written"
_TIMEOUT_NAME = "CellTimeout"
_COLLECT = "from support.grading import recorded_results_json as _r; print(_r())"


@dataclass(frozen=True)
class Row:
    """One exercise of one notebook: the JSON object of contract 4."""

    notebook: str
    exercise: str
    status: str
    message: str


class UsageError(Exception):
    """Bad command-line input: reported with exit status 2."""


@dataclass(frozen=True)
class Found:
    """What the command line named: notebooks with their learner, and other files skipped."""

    notebooks: dict[Path, str]
    skipped: dict[Path, str]


def find_notebooks(paths: list[str]) -> Found:
    """The notebooks named by ``paths`` (files, or folders searched recursively)."""
    from support.tools.report import learner_of

    notebooks: dict[Path, str] = {}
    skipped: dict[Path, str] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"no such file or folder: {raw}")
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if not file.is_file() or any(p.startswith(".") for p in file.relative_to(path).parts):
                    continue
                if file.suffix == ".ipynb":
                    notebooks[file] = learner_of(file, path)
                else:
                    skipped[file] = learner_of(file, path)
        elif path.suffix != ".ipynb":
            raise UsageError(f"not a notebook (expected a .ipynb file): {raw}")
        else:
            notebooks[path] = learner_of(path, path)
    return Found(notebooks, skipped)


def exercise_ids(nb: nbformat.NotebookNode) -> list[str]:
    """Exercise ids in the order their cells appear."""
    ids: list[str] = []
    for cell in nb.cells:
        for tag in cell_tags(cell):
            kind, _, name = tag.partition(":")
            if kind in (EXERCISE, CHECK) and name and name not in ids:
                ids.append(name)
    return ids


def _tags(cell: Any, kind: str) -> set[str]:
    return set(tag_ids(cell, kind))


def grade_notebook(path: Path, timeout: int = DEFAULT_TIMEOUT) -> list[Row]:
    """Execute one notebook and report each of its exercises."""
    from nbclient import NotebookClient

    name = str(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:
        return [Row(name, "*", "error", f"cannot read this notebook: {type(exc).__name__}: {exc}")]
    ids = exercise_ids(nb)
    if not ids:
        return [Row(name, "*", "error", "no exercises found (no cells tagged exercise:<id>)")]

    problems: dict[str, str] = {}  # exercise id -> why it is an error
    results: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="fcc-grade-") as workdir:
        stop = {"ename": _TIMEOUT_NAME, "traceback": [],
                "evalue": f"a cell ran longer than the {timeout} s limit (an endless loop?) "
                          "and was stopped"}
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                                interrupt_on_timeout=True, error_on_timeout=stop,
                                resources={"metadata": {"path": workdir}})
        try:
            with client.setup_kernel():
                _run_cells(client, nb, problems, results)
        except Exception as exc:  # the kernel would not start, or died while stopping
            for exercise in ids:
                problems.setdefault(exercise, f"the notebook could not run: "
                                              f"{type(exc).__name__}: {exc}")
    rows = []
    for exercise in ids:
        if exercise in problems:
            rows.append(Row(name, exercise, "error", problems[exercise]))
        elif exercise in results:
            rows.append(Row(name, exercise, results[exercise]["status"],
                            results[exercise]["message"]))
        else:
            rows.append(Row(name, exercise, "error",
                            f'the check cell never ran check("{exercise}")'))
    return rows


def _run_cells(client: Any, nb: Any, problems: dict[str, str],
               results: dict[str, dict[str, str]]) -> None:
    """Run every code cell, collecting check results as they come and failures as they happen."""
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    cells = list(enumerate(nb.cells))
    for index, cell in cells:
        if cell.cell_type != "code":
            continue
        owners = _tags(cell, EXERCISE) | _tags(cell, CHECK)
        try:
            client.execute_cell(cell, index)
        except DeadKernelError:
            for exercise in exercise_ids(nb):
                if exercise not in results:
                    problems.setdefault(exercise, f"the kernel died while running cell {index}")
            return
        except CellExecutionError as exc:
            why = (exc.evalue if exc.ename == _TIMEOUT_NAME
                   else f"cell {index} raised {exc.ename}: {exc.evalue}")
            for exercise in owners:
                problems.setdefault(exercise, why)
            if not owners:  # the lesson's own code failed: everything after may be broken
                for exercise in exercise_ids(nb):
                    if exercise not in results:
                        problems.setdefault(exercise, f"a setup cell ({index}) failed: {why}")
            if not _kernel_alive(client):
                return
        slip = _syntax_error_shown(cell)
        if slip is not None:  # support.syntax_guard showed it instead of raising: still an error
            for exercise in owners:
                problems.setdefault(exercise, f"cell {index} has a syntax error, so it did not "
                                              f"run: {slip}")
        if _tags(cell, CHECK):
            results.update(_collect(client))


def _syntax_error_shown(cell: Any) -> str | None:
    """``line N: message`` when the cell's output is a syntax error shown by support.syntax_guard."""
    from support.syntax_guard import SYNTAX_METADATA_KEY

    for output in cell.get("outputs", []):
        slip = output.get("metadata", {}).get(SYNTAX_METADATA_KEY)
        if isinstance(slip, dict):
            return f"line {slip.get('line')}: {slip.get('message')}"
    return None


def _kernel_alive(client: Any) -> bool:
    try:
        return bool(client.km.is_alive())
    except Exception:
        return False


def _collect(client: Any) -> dict[str, dict[str, str]]:
    """The check results recorded so far in the kernel."""
    cell = nbformat.v4.new_code_cell(_COLLECT)
    try:
        client.execute_cell(cell, -1)
    except Exception:
        return {}
    text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    try:
        return {r["exercise"]: r for r in json.loads(text.strip().splitlines()[-1])}
    except (ValueError, IndexError, KeyError, TypeError):
        return {}


def format_table(rows: list[Row]) -> str:
    """A plain-text report, one line per exercise."""
    from support.checks.core import ICONS as icons

    lines = []
    for notebook in dict.fromkeys(r.notebook for r in rows):
        lines.append(notebook)
        for r in (r for r in rows if r.notebook == notebook):
            lines.append(f"  {icons.get(r.status, '?')} {r.exercise:<32} {r.status:<14} {r.message}")
    counts = {s: sum(r.status == s for r in rows) for s in icons}
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (0 all passed, 1 not all, 2 bad usage)."""
    parser = argparse.ArgumentParser(prog="python -m support grade",
                                     description="Run exercise notebooks and report each exercise.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="notebooks or folders of them")
    parser.add_argument("--json", action="store_true", help="print a JSON list of results")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                        help=f"seconds a cell may run (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--jobs", type=int, default=1,
                        help="notebooks graded at once, each in its own process (default 1)")
    parser.add_argument("--report", type=Path, metavar="DIR",
                        help="also write DIR/grades.csv and DIR/grades.html (learner × exercise)")
    args = parser.parse_args(argv)
    if args.timeout < 1 or args.jobs < 1:
        parser.error("--timeout and --jobs must be at least 1")
    if args.report is not None and args.report.exists() and not args.report.is_dir():
        print(f"error: --report needs a folder, but {args.report} is a file", file=sys.stderr)
        return 2
    try:
        found = find_notebooks(args.paths)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not found.notebooks:
        print("error: no notebooks found in " + ", ".join(args.paths), file=sys.stderr)
        return 2
    rows = grade_all(list(found.notebooks), args.timeout, args.jobs)
    rows += [Row(str(p), "*", "error", "not a notebook: skipped") for p in found.skipped]
    print(json.dumps([asdict(r) for r in rows], indent=2) if args.json else format_table(rows))
    learners = {str(path): learner for path, learner in
                [*found.notebooks.items(), *found.skipped.items()]}
    if not args.json and len(set(learners.values())) > 1:
        from support.tools.report import format_pivot, table

        print("\n" + format_pivot(table(rows, learners)))
    if args.report:
        from support.tools.report import table, write_reports

        for written in write_reports(table(rows, learners), args.report):
            print(f"wrote {written}", file=sys.stderr)
    return 0 if all(r.status == "passed" for r in rows) else 1


def grade_all(notebooks: list[Path], timeout: int, jobs: int) -> list[Row]:
    """Grade every notebook, ``jobs`` at a time (each in a process of its own)."""
    if jobs == 1 or len(notebooks) == 1:
        return [row for path in notebooks for row in grade_notebook(path, timeout)]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        graded = pool.map(grade_notebook, notebooks, [timeout] * len(notebooks))
        return [row for rows in graded for row in rows]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\n" + INTERRUPTED, file=sys.stderr)
        sys.exit(130)
