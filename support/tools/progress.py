"""Print a learner's progress table: ``python -m support progress [FOLDER]``.

FOLDER holds their exercise notebooks (default: exercises/); the table is the one
``progress()`` shows in a notebook (:mod:`support.progress`), from the saved check outputs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from support.progress import EXERCISES_DIR, course_progress


def main(argv: list[str] | None = None) -> int:
    """Print the progress table of a folder of exercise notebooks; 2 for bad usage."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m support progress [FOLDER]  (default: exercises/)", file=sys.stderr)
        return 2
    folder = Path(args[0]) if args else EXERCISES_DIR
    if not folder.is_dir():
        print(f"error: no such folder: {folder}", file=sys.stderr)
        return 2
    print(course_progress(folder, live=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
