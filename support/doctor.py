"""``python -m support.doctor``, kept because learners were told to run it (README, the course
design's contract 6): the command is :mod:`support.tools.doctor` (``python -m support doctor``);
this module re-exports it and runs it."""

from __future__ import annotations

import sys

from support.tools.doctor import *  # noqa: F403  (the old import path keeps working)
from support.tools.doctor import main  # noqa: F401

if __name__ == "__main__":
    from support.__main__ import main as run_command

    sys.exit(run_command(["doctor", *sys.argv[1:]]))
