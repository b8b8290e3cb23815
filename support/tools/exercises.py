"""Generate exercises/ from solutions/ (the solutions are the single source).

    python -m support exercises           # rewrite exercises/ from solutions/
    python -m support exercises --check   # exit 1 when exercises/ differ from what it would write

In a code cell, the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` become a
``# YOUR CODE HERE`` comment and a ``...`` placeholder at the same indentation. Cells tagged
``solution-only`` are dropped. Outputs, execution counts and widget state are stripped.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

from support.course import (ROOT, SOLUTION_BEGIN, SOLUTION_END, SOLUTION_MARKER, SOLUTION_ONLY,
                            cell_tags, notebook_paths)
from support.tools.lab import canonical_metadata

BEGIN, END = SOLUTION_BEGIN, SOLUTION_END
_MARKER = SOLUTION_MARKER


class MarkerError(ValueError):
    """A solution region that does not open and close properly."""


def blank_solutions(source: str, where: str = "cell") -> str:
    """Replace every solution region in ``source`` with a placeholder."""
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        match = _MARKER.match(line)
        if match and match.group(1) == "BEGIN":
            if inside:
                raise MarkerError(f"{where}, line {number}: {BEGIN} inside another solution")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}# YOUR CODE HERE", f"{indent}..."]
        elif match:
            if not inside:
                raise MarkerError(f"{where}, line {number}: {END} without a {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{where}: {BEGIN} is never closed by {END}")
    return "\n".join(out)


def exercise_notebook(solution: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """The exercise notebook generated from one solution notebook."""
    nb = copy.deepcopy(solution)
    cells = []
    for index, cell in enumerate(nb.cells):
        if SOLUTION_ONLY in cell_tags(cell):
            continue
        cell.pop("id", None)
        cell.metadata.pop("execution", None)  # nbclient's timestamps
        if cell.cell_type == "code":
            cell.source = blank_solutions(cell.source, f"{name}, cell {index}")
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    _exercise_navigation(nb, name)
    nb.metadata.pop("widgets", None)
    nb.metadata = nbformat.from_dict(canonical_metadata(dict(nb.metadata)))
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{number}"
    return nb


def _exercise_navigation(nb: nbformat.NotebookNode, name: str) -> None:
    """Point the footer's navigation at the solutions instead of at the exercises."""
    from support.course import NAV_MARKER, footer_with_navigation, lesson_for, navigation

    lesson = lesson_for(Path(name))
    footer = nb.cells[-1] if nb.cells else None
    if lesson and footer is not None and NAV_MARKER in footer.source:
        footer.source = footer_with_navigation(footer.source, navigation(lesson, "exercises"))


def render(nb: nbformat.NotebookNode) -> str:
    """The notebook's file text, as JupyterLab would save it."""
    return nbformat.writes(nb) + "\n"


def generate(solutions: Path, exercises: Path) -> dict[Path, str]:
    """The text of every exercise notebook, keyed by its path under ``exercises``."""
    return {
        exercises / path.name: render(exercise_notebook(nbformat.read(path, as_version=4),
                                                         path.name))
        for path in notebook_paths(solutions)
    }


def main(argv: list[str] | None = None) -> int:
    """The command line: 0 done or up to date, 1 stale (--check) or a broken solution, 2 usage."""
    parser = argparse.ArgumentParser(prog="python -m support exercises", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if exercises/ is out of date")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions")
    parser.add_argument("--exercises", type=Path, default=ROOT / "exercises")
    args = parser.parse_args(argv)
    if not args.solutions.is_dir():
        print(f"error: no solutions folder at {args.solutions}", file=sys.stderr)
        return 2
    if args.exercises.exists() and not args.exercises.is_dir():
        print(f"error: {args.exercises} is a file, not the exercises folder", file=sys.stderr)
        return 2
    try:
        wanted = generate(args.solutions, args.exercises)
    except MarkerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a notebook that is not valid JSON or nbformat
        print(f"error: cannot read a solutions notebook: {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return 1
    stale = sorted(p for p, text in wanted.items()
                   if not p.exists() or p.read_text(encoding="utf-8") != text)
    extra = sorted(set(notebook_paths(args.exercises)) - set(wanted))
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(args.exercises.parent)}")
        for path in extra:
            print(f"no solution notebook for: {path.relative_to(args.exercises.parent)}")
        if stale or extra:
            print("run `make exercises` to regenerate exercises/ from solutions/")
            return 1
        print(f"exercises/ is up to date ({len(wanted)} notebooks)")
        return 0
    args.exercises.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path.relative_to(args.exercises.parent)}")
    for path in extra:
        print(f"warning: {path.relative_to(args.exercises.parent)} has no solution notebook; "
              "left alone")
    if not stale:
        print(f"exercises/ is already up to date ({len(wanted)} notebooks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
