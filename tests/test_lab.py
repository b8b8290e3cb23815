"""JupyterLab set-up: opening and saving a notebook leaves its file unchanged; lesson 00 first."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import ROOT
from traitlets.config import Config

from support.course import FOLDERS, notebook_paths
from support.tools import lab

NOTEBOOKS = sorted(p for folder in FOLDERS for p in notebook_paths(folder))


def _contents_manager(root: Path, config: Config) -> Any:
    """JupyterLab's file manager (imported here, not at collection: it loads jupyter_server)."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    return FileContentsManager(root_dir=str(root), config=config)


def _server_config() -> Config:
    config = Config()
    source = (ROOT / "jupyter" / "jupyter_server_config.py").read_text()
    exec(compile(source, "jupyter_server_config.py", "exec"),
         {"get_config": lambda: config, "__file__": str(ROOT / "jupyter" / "jupyter_server_config.py")})
    return config


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.name}" for p in NOTEBOOKS])
def test_committed_metadata_is_canonical(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    fix = f"run: .venv/bin/python -m support lab {path.relative_to(ROOT)}"
    assert nb.metadata == lab.canonical_metadata(dict(nb.metadata)), fix
    assert not [c for c in nb.cells if "execution" in c.metadata], f"execution timestamps: {fix}"
    views = [i for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
             if lab.WIDGET_VIEW in o.get("data", {})]
    assert not views, f"saved widget views in cells {views}: {fix}"


def test_saving_an_opened_notebook_leaves_the_file_unchanged(tmp_path: Path) -> None:
    shutil.copy(ROOT / "notebooks" / "00_setup.ipynb", tmp_path / "lesson.ipynb")
    lab.normalise(tmp_path / "lesson.ipynb")
    before = (tmp_path / "lesson.ipynb").read_bytes()
    manager = _contents_manager(tmp_path, _server_config())
    model = manager.get("lesson.ipynb")
    # What JupyterLab sends back after the kernel started: this machine's language_info.
    model["content"]["metadata"]["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
        "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3", "version": "3.12.9"}
    manager.save(model, "lesson.ipynb")
    assert (tmp_path / "lesson.ipynb").read_bytes() == before


def test_the_file_browser_lists_what_a_learner_needs() -> None:
    config = _server_config()
    manager = _contents_manager(ROOT, config)
    names = {entry["name"] for entry in manager.get("", content=True)["content"]}
    assert {"notebooks", "exercises", "solutions", "README.md"} <= names
    assert not names & {"support", "tests", "jupyter", "Makefile"}, names


def test_lab_opens_lesson_00() -> None:
    config = _server_config()
    assert config.LabApp.default_url == "/lab/tree/notebooks/00_setup.ipynb"
    assert (ROOT / "notebooks" / "00_setup.ipynb").is_file()
    assert config.ServerApp.root_dir == str(ROOT)


def test_normalise_command_refuses_what_is_not_a_notebook(tmp_path: Path, capsys) -> None:
    (tmp_path / "x.txt").write_text("hi")
    assert lab.main([str(tmp_path / "x.txt")]) == 2
    assert lab.main([]) == 2
    assert "not a notebook" in capsys.readouterr().err


def test_saved_widget_state_is_dropped() -> None:
    """A trusted notebook with saved widget state shows dead sliders; without it, the widget's
    text fallback (lesson 04: "run this cell") shows until the cell runs."""
    saved = {"kernelspec": {}, "widgets": {"application/vnd.jupyter.widget-state+json": {}},
             "tags": ["kept"]}
    cleaned = lab.canonical_metadata(saved)
    assert "widgets" not in cleaned and cleaned["tags"] == ["kept"]
    assert "widgets" in saved  # the caller's dict is left alone


def test_widget_outputs_are_saved_as_their_text() -> None:
    """A saved widget view needs the model of the kernel that drew it: in a trusted notebook
    (make lab trusts the course's) JupyterLab shows "Error displaying widget: model not found"
    instead of the text ("run this cell"). The save hook keeps the text only."""
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    widget = {"output_type": "execute_result", "execution_count": 3, "metadata": {},
              "data": {lab.WIDGET_VIEW: view, "text/plain": "Simulator: run this cell"}}
    image_only = {"output_type": "display_data", "metadata": {}, "data": {lab.WIDGET_VIEW: view}}
    model = {"type": "notebook", "content": {
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
        "cells": [{"cell_type": "code", "source": "sim", "metadata": {}, "execution_count": 3,
                   "outputs": [widget, image_only]},
                  {"cell_type": "markdown", "source": "text", "metadata": {}}]}}
    lab.keep_course_metadata(model)
    outputs = model["content"]["cells"][0]["outputs"]
    assert outputs[0]["data"] == {"text/plain": "Simulator: run this cell"}
    assert outputs[1]["data"] == {lab.WIDGET_VIEW: view}  # nothing else to show: kept
