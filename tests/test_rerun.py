"""Every code cell of every lesson and solution notebook can be run twice with the same output."""

from __future__ import annotations

import pytest
from conftest import ROOT
from rerun import rerun_differences

pytestmark = pytest.mark.kernel

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.name}" for p in NOTEBOOKS])
def test_every_cell_can_be_run_twice(path) -> None:
    differences = rerun_differences(path)
    assert not differences, "\n\n".join(str(d) for d in differences)
