"""Rewrite every notebook's navigation footer from the lessons in :mod:`support.course`.

    python -m support navigation          # rewrite the navigation of every notebook from LESSONS
    python -m support navigation --check  # exit 1 when a notebook's navigation is out of date

Exercise notebooks are left to ``python -m support exercises`` (``make nav`` runs both).
"""

from __future__ import annotations

import argparse
import sys

import nbformat

from support import course


def main(argv: list[str] | None = None) -> int:
    """The command line: 0 when done (or up to date), 1 when stale (--check) or broken."""
    parser = argparse.ArgumentParser(prog="python -m support navigation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if stale")
    args = parser.parse_args(argv)
    stale, broken = [], []
    for folder, path, lesson in course.notebooks():
        if folder == "exercises":
            continue  # generated from solutions/ by `make exercises`
        name = path.relative_to(course.ROOT)
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # not JSON, not a notebook
            print(f"{name}: cannot read it ({type(exc).__name__}: {exc})")
            broken.append(path)
            continue
        footer = nb.cells[-1] if nb.cells else None
        if footer is None or footer.cell_type != "markdown":
            print(f"{name}: the last cell must be the markdown footer")
            broken.append(path)
            continue
        wanted = course.footer_with_navigation(footer.source, course.navigation(lesson, folder))
        if footer.source != wanted:
            stale.append(path)
            if not args.check:
                footer.source = wanted
                nbformat.write(nb, path)
                print(f"updated navigation: {name}")
    if args.check and stale:
        print("navigation out of date: run `make nav` (then `make exercises`)")
    return 1 if broken or (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
