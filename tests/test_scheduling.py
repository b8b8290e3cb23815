"""make test's scheduling: a notebook's cells stay together, long lists of tests are shared,
a few files that mostly wait
at a time."""

from __future__ import annotations

from conftest import ROOT
from scheduling import SPREAD, WAIT_FIRST, WAITING_AT_ONCE, next_scope, scope_of


def test_a_notebooks_cells_stay_on_one_worker() -> None:
    assert scope_of("notebooks/03_invalidation.ipynb::Cell 4") == "notebooks/03_invalidation.ipynb"
    assert scope_of("solutions/00_setup.ipynb::grader") == "solutions/00_setup.ipynb"


def test_an_ordinary_test_file_stays_on_one_worker() -> None:
    assert scope_of("tests/test_data.py::test_counts") == "tests/test_data.py"


def test_the_hand_written_answers_are_scheduled_one_by_one() -> None:
    nodeid = "tests/test_hand_written.py::test_hand_written_answer_is_judged_as_its_header_says[x]"
    assert scope_of(nodeid) == nodeid


def test_every_named_file_exists() -> None:
    missing = [name for name in SPREAD + WAIT_FIRST if not (ROOT / name).is_file()]
    assert not missing, f"tests/scheduling.py names files that are gone: {missing}"


def test_waiting_files_are_given_out_longest_first_a_few_at_a_time() -> None:
    queue = ["tests/test_notebook_lint.py", "tests/test_servers.py", "tests/test_data.py",
             "notebooks/08_operating.ipynb"]
    assert next_scope(queue, 0) == "notebooks/08_operating.ipynb"
    assert next_scope(queue, WAITING_AT_ONCE - 1) == "notebooks/08_operating.ipynb"
    assert next_scope(queue, WAITING_AT_ONCE) == "tests/test_notebook_lint.py"
    assert next_scope(["tests/test_servers.py"], WAITING_AT_ONCE) == "tests/test_servers.py"
    assert next_scope(["tests/test_data.py"], 0) == "tests/test_data.py"
