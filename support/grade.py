"""``python -m support.grade``, kept for instructors: the command is :mod:`support.tools.grade`
(``python -m support grade``); this module re-exports it and runs it."""

from __future__ import annotations

import sys

from support.tools.grade import *  # noqa: F403  (the old import path keeps working)
from support.tools.grade import INTERRUPTED, main

if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\n" + INTERRUPTED, file=sys.stderr)
        sys.exit(130)
