"""make test's scheduling: a notebook's cells stay together, long lists of tests are shared."""

from __future__ import annotations

from conftest import ROOT
from scheduling import SPREAD, scope_of


def test_a_notebooks_cells_stay_on_one_worker() -> None:
    assert scope_of("notebooks/03_invalidation.ipynb::Cell 4") == "notebooks/03_invalidation.ipynb"
    assert scope_of("solutions/00_setup.ipynb::grader") == "solutions/00_setup.ipynb"


def test_an_ordinary_test_file_stays_on_one_worker() -> None:
    assert scope_of("tests/test_data.py::test_counts") == "tests/test_data.py"


def test_the_hand_written_answers_are_scheduled_one_by_one() -> None:
    nodeid = "tests/test_hand_written.py::test_hand_written_answer_is_judged_as_its_header_says[x]"
    assert scope_of(nodeid) == nodeid


def test_every_spread_file_exists() -> None:
    missing = [name for name in SPREAD if not (ROOT / name).is_file()]
    assert not missing, f"tests/scheduling.py names files that are gone: {missing}"
