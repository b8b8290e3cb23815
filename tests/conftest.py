"""Shared fixtures: the repository root and helpers to load notebooks."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "kernel: starts Jupyter kernels (slow)")


def answer_cell(notebook: str, exercise_id: str) -> str:
    """The source of the ``exercise:<id>`` cell(s) of a solutions notebook."""
    nb = nbformat.read(ROOT / "solutions" / notebook, as_version=4)
    cells = [c.source for c in nb.cells
             if f"exercise:{exercise_id}" in c.get("metadata", {}).get("tags", [])]
    assert cells, f"no exercise:{exercise_id} cell in solutions/{notebook}"
    return "\n\n".join(cells)


def run_answer(source: str) -> dict:
    """Execute an answer's source in a fresh namespace, as a notebook cell would."""
    namespace: dict = {"__name__": "__main__"}
    exec(compile(source, "<answer>", "exec"), namespace)
    return namespace
