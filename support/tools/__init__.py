"""The course's commands: one module each, run as ``python -m support <command> [args...]``.

Each command module has ``main(argv) -> int`` (its exit status) and a module docstring that
starts with what it does. :data:`COMMANDS` lists them with one line each, for
``python -m support`` (a test keeps it in step with the modules here).
"""

from __future__ import annotations

#: Every command and what it does, in one line each; ``support.tools.<name>.main`` runs it.
COMMANDS: dict[str, str] = {
    "grade": "grade exercise notebooks or folders of them ([--json] [--report DIR] PATH...)",
    "progress": "print a learner's progress table from a folder of exercise notebooks",
    "doctor": "check this machine for the course, with a fix for each problem",
    "exercises": "regenerate exercises/ from solutions/ (--check: exit 1 when stale)",
    "navigation": "rewrite every notebook's navigation footer from support/course.py",
    "lab": "rewrite notebooks with the course's canonical metadata",
    "guide": "rewrite the common mistakes (and --measure: the times) in INSTRUCTORS.md",
    "mutants": "mutate every solution's answers and grade each mutant",
    "bench": "notebook run times and memory, grading throughput, timing against timeit",
    "site": "build the course as a static website in _site/html",
}
