"""Self-check API for the exercises: the learner's door to :mod:`support.checks`.

A check cell runs ``from support.grading import check`` and ``check("views-query-string")``
(it works in a kernel where nothing else ran). Only the checkers of the id's lesson are imported
(``views-`` -> ``support.checks.views``), so a broken checker module of one lesson is an
``error`` result in that lesson only. The checker looks up the learner's answer in the
notebook's namespace, tries it against a small app of its own and returns a :class:`Result`:
``passed``, ``failed`` (with a hint naming the mistake), ``not-attempted`` or ``error``. It never
lets the learner's exception escape as a traceback. A result shows its status in words and
colour, and its notebook output carries a structured record (``METADATA_KEY`` in the output's
metadata) that :mod:`support.progress` reads. ``hint(id)`` prints the exercise's nudge and
``reveal(id)`` one correct answer, from solutions/.

The machinery (registering and running checkers, results) is :mod:`support.checks.core`; its
names are re-exported here, so ``from support.grading import Fail, Namespace, exercise`` keeps
working. Imported in IPython, this module also installs :mod:`support.syntax_guard`, which
keeps a syntax error in one cell from stopping Run All.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from support.checks.core import (BACKGROUNDS, ICONS, LABELS, METADATA_KEY, REGISTRY,
                                 TEXT_COLOURS, BrokenAnswer, CheckerUnavailable, Exercise, Fail,
                                 Namespace, NotAttempted, Result, Status, _lookup, exercise,
                                 is_placeholder, lesson_module, recorded_results,
                                 recorded_results_json, run_check, status_html)
from support.course import EXERCISE, SOLUTIONS_DIR, notebook_paths, tagged, without_markers
from support.syntax_guard import SYNTAX_METADATA_KEY, install_syntax_guard, syntax_error_defining

__all__ = ["BACKGROUNDS", "ICONS", "LABELS", "METADATA_KEY", "REGISTRY", "SOLUTIONS_DIR",
           "SYNTAX_METADATA_KEY", "TEXT_COLOURS", "BrokenAnswer", "CheckerUnavailable",
           "Exercise", "Fail", "Namespace", "NotAttempted", "Result", "Status", "check",
           "exercise", "hint", "is_placeholder", "lesson_module", "recorded_results",
           "recorded_results_json", "reveal", "run_check", "solution_source", "status_html",
           "syntax_error_defining"]


def _learner_namespace() -> Mapping[str, Any]:
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython ships with the course
        shell = None
    if shell is not None:
        return shell.user_ns
    return sys._getframe(2).f_globals


def check(exercise_id: str, variables: Mapping[str, Any] | None = None) -> Result:
    """Check the learner's answer to ``exercise_id``; the notebook shows the returned result.

    In a notebook it also defines ``hint`` and ``reveal`` when they are missing (a check cell
    run after a restart), so the result's "Stuck?" line works as written.
    """
    if variables is None:
        variables = _learner_namespace()
        if isinstance(variables, dict) and "get_ipython" in variables:  # a notebook's names
            variables.setdefault("hint", hint)
            variables.setdefault("reveal", reveal)
    return run_check(exercise_id, variables)


def hint(exercise_id: str) -> None:
    """Print the general hint of an exercise."""
    try:
        print(f"💡 hint for {exercise_id}: {_lookup(exercise_id).hint}")
    except KeyError as exc:
        print(exc.args[0])
    except CheckerUnavailable as exc:
        print(exc)


def solution_source(exercise_id: str, solutions_dir: Path = SOLUTIONS_DIR) -> str | None:
    """The answer cell(s) of ``exercise_id`` from the solutions notebooks, or ``None``."""
    import nbformat

    for path in notebook_paths(solutions_dir):
        nb = nbformat.read(path, as_version=4)
        cells = [c.source for c in tagged(nb.cells, f"{EXERCISE}:{exercise_id}")]
        if cells:
            return "\n\n".join(cells)
    return None


def reveal(exercise_id: str) -> None:
    """Print the model answer of an exercise (try the hint first!)."""
    source = solution_source(exercise_id)
    if source is None:
        print(f"No solution found for {exercise_id!r} in {SOLUTIONS_DIR}.")
        return
    print(f"One correct answer to {exercise_id} (solutions/ has the whole notebook):\n")
    print(without_markers(source))


install_syntax_guard()
