"""JupyterLab set-up for the course: notebook files that opening them does not change.

JupyterLab fills in a notebook's ``language_info`` when its kernel starts (with this machine's
Python version) and autosave then rewrites the file, so a lesson the learner only read shows up
as modified in git. The course commits one canonical metadata block, and JupyterLab's save hook
(:func:`keep_course_metadata`, set in ``jupyter/jupyter_server_config.py``) writes that same
block back, so saving an unchanged notebook leaves its file byte for byte as it was.

    python -m support lab notebooks/*.ipynb   # rewrite files with the canonical metadata
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbformat

KERNELSPEC: dict[str, str] = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}
# What ipykernel reports, less the Python version (which differs from machine to machine).
LANGUAGE_INFO: dict[str, Any] = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def canonical_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """``metadata`` with the course's kernelspec and language_info, without saved widget state
    (a trusted notebook would show it as sliders that do nothing until the cell runs; without
    it, a widget's output says to run its cell); other keys kept."""
    metadata = {key: value for key, value in metadata.items() if key != "widgets"}
    return {**metadata, "kernelspec": dict(KERNELSPEC),
            "language_info": {**LANGUAGE_INFO, "codemirror_mode": dict(LANGUAGE_INFO["codemirror_mode"])}}


def drop_widget_views(cells: list[Any]) -> None:
    """Keep only the text of saved widget outputs. A widget's view needs its model, which lives
    in the kernel that drew it: in a trusted notebook (``make lab`` trusts the course's) JupyterLab
    shows a saved view as "Error displaying widget: model not found" instead of its text ("run
    this cell to start it")."""
    for cell in cells:
        for output in cell.get("outputs") or []:
            data = output.get("data") or {}
            if WIDGET_VIEW in data and "text/plain" in data:
                del data[WIDGET_VIEW]


def keep_course_metadata(model: dict[str, Any], **kwargs: Any) -> None:
    """Jupyter server pre-save hook: save notebooks with the canonical metadata, and widget
    outputs as their text."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        content = model["content"]
        content["metadata"] = canonical_metadata(dict(content.get("metadata") or {}))
        drop_widget_views(content.get("cells") or [])


def normalise(path: Path) -> bool:
    """Rewrite ``path`` with the canonical metadata, widget outputs as their text and without
    nbclient's execution timestamps in cell metadata; True when the file changed."""
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    nb.metadata = nbformat.from_dict(canonical_metadata(dict(nb.metadata)))
    drop_widget_views(nb.cells)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    after = nbformat.writes(nb) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
        return True
    return False


USAGE = "usage: python -m support lab NOTEBOOK..."


def main(argv: list[str]) -> int:
    """Normalise the notebooks given on the command line."""
    if not argv:
        print(USAGE, file=sys.stderr)
        return 2
    if argv[0] in {"-h", "--help"}:
        print(f"{USAGE}\n\n{__doc__}")
        return 0
    for name in argv:
        path = Path(name)
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"not a notebook: {name}", file=sys.stderr)
            return 2
        if normalise(path):
            print(f"normalised {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
