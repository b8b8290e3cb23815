"""One execution of each course notebook, judged three ways (a plugin the root conftest.py loads).

nbval runs every code cell of a notebook and compares its output with the saved one. On that
same kernel this module

* runs each code cell a second time (except in ``exercises/``), straight after the first, and
  fails the cell when the second output differs from the first (a learner re-running a cell
  must see the same thing; cells tagged ``nbval-ignore-output`` run twice but are not
  compared, as nbval does), and
* adds one item after the last cell of each solutions and exercises notebook, ``::grader``,
  which asks the kernel for the check results the notebook recorded, exactly as
  ``support.grade`` does after running a notebook, and fails unless every exercise of a
  solutions notebook passed, and every exercise of an exercises notebook (as handed out, its
  placeholders untouched) is not attempted; the in-process tests marked ``solution`` (the same
  worked answers through ``check()``) are then deselected.

So nbval's run, the re-run test and the grader's run of a notebook are one execution.
"""

from __future__ import annotations

import json
from pathlib import Path
from queue import Empty
from typing import Any

import pytest
from nbformat import NotebookNode
from nbval.plugin import IPyNbCell, IPyNbFile, NbCellError

from support.course import check_ids

RUN_ONCE = "exercises"  # a folder whose notebooks run once (its cells hold placeholders)
#: The folders whose notebooks end with the grader's verdict, and the status it must give each
#: exercise: a worked solution passes; a placeholder, as handed out, is not attempted.
GRADED = {"solutions": "passed", "exercises": "not-attempted"}
COLLECT = "from support.grading import recorded_results_json as _r; print(_r())"


def _folder(item: pytest.Item) -> str:
    return Path(str(item.fspath)).resolve().parent.name


_first_run = IPyNbCell.runtest


def _run_twice(self: IPyNbCell) -> None:
    """nbval's run of the cell, then a second run compared with the first."""
    _first_run(self)
    if _folder(self) == RUN_ONCE:
        return
    saved = self.cell
    self.cell = NotebookNode({**saved, "outputs": list(self.test_outputs), "execution_count": 1})
    try:
        _first_run(self)
    except NbCellError as error:
        what = ("Cell outputs changed when it ran a second time (the first run's output is the "
                "reference below)" if "differ" in str(error) else f"Second run of the cell: {error}")
        raise NbCellError(self.cell_num, what + "; a learner re-running it must see the same",
                          saved.source, error.inner_traceback) from None
    finally:
        self.cell = saved


IPyNbCell.runtest = _run_twice


class GraderVerdict(pytest.Item):
    """After a solutions notebook ran: every exercise it holds passed, as the grader sees it.
    After an exercises notebook ran: every exercise is not attempted (a check that passes or
    fails on the placeholder gives the answer away, or judges what the learner has not done)."""

    def runtest(self) -> None:
        kernel = self.parent.kernel
        if kernel is None or not kernel.is_alive():
            raise AssertionError("the notebook's kernel is not running: an earlier cell failed")
        results = {row["exercise"]: row for row in json.loads(self._ask(kernel, COLLECT))}
        status = GRADED[_folder(self)]
        expected = check_ids(self.parent.nb)
        missing = [e for e in expected if e not in results]
        wrong = {e: results[e] for e in expected if e in results
                 and results[e].get("status") != status}
        assert not missing and not wrong, (
            f"the grader would not give every exercise '{status}': missing {missing}, "
            f"given another status {wrong}")

    def _ask(self, kernel: Any, code: str) -> str:
        """What ``code`` prints on stdout when run in the notebook's kernel."""
        timeout = self.config.option.nbval_cell_timeout
        msg_id = kernel.execute_cell_input(code, allow_stdin=False)
        kernel.await_reply(msg_id, timeout=timeout)
        printed = []
        while True:
            try:
                msg = self.parent.get_kernel_message(timeout=timeout)
            except Empty as error:
                raise AssertionError("no answer from the kernel") from error
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                return "".join(printed)
            if kind == "stream" and content["name"] == "stdout":
                printed.append(content["text"])
            if kind == "error":
                raise AssertionError(f"{content['ename']}: {content['evalue']}")

    def reportinfo(self) -> tuple[Path, None, str]:
        return Path(str(self.parent.fspath)), None, f"{self.parent.name}::grader"


def add_grader_items(items: list[pytest.Item]) -> None:
    """Put a ``::grader`` item after the last cell of each solutions and exercises notebook."""
    last: dict[IPyNbFile, int] = {}
    for index, item in enumerate(items):
        if isinstance(item, IPyNbCell) and _folder(item) in GRADED:
            last[item.parent] = index
    for parent, index in sorted(last.items(), key=lambda pair: -pair[1]):
        items.insert(index + 1, GraderVerdict.from_parent(parent, name="grader"))


SOLUTION = "solution"  # marks a test that runs a worked solution's answer through check()
EXERCISE_PARAMS = ("exercise", "exercise_id")


def leave_solutions_to_the_grader(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the in-process "the worked solution passes" tests (marked ``solution``) of the
    exercises whose solutions notebook this run executes: its ``::grader`` item gives the same
    verdict on the same answer, from the notebook's own kernel. Without ``--nbval`` (``make
    test-fast``) they run."""
    graded = {exercise for item in items
              if isinstance(item, GraderVerdict) and GRADED[_folder(item)] == "passed"
              for exercise in check_ids(item.parent.nb)}
    keep, covered = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        exercise = next((params[p] for p in EXERCISE_PARAMS if p in params), None)
        marked = item.get_closest_marker(SOLUTION) is not None
        (covered if marked and exercise in graded else keep).append(item)
    if covered:
        config.hook.pytest_deselected(items=covered)
        items[:] = keep


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{SOLUTION}: the worked solution of the exercise "
                            "(param `exercise` or `exercise_id`) passes check()")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    add_grader_items(items)
    leave_solutions_to_the_grader(config, items)
