"""``python -m support.grade``, kept for instructors: the command is :mod:`support.tools.grade`
(``python -m support grade``); this module re-exports it and runs it."""

from __future__ import annotations

import sys

from support.tools.grade import *  # noqa: F403  (the old import path keeps working)
from support.tools.grade import main  # noqa: F401

if __name__ == "__main__":
    from support.__main__ import main as run_command

    sys.exit(run_command(["grade", *sys.argv[1:]]))
