"""Run a notebook with every code cell executed twice in a row and report the cells whose second
output differs from the first (a learner re-running a cell must see the same thing).

Cells tagged ``nbval-ignore-output`` are run twice but not compared, as nbval does. Outputs are
compared after the same sanitising as nbval (tests/nbval_sanitize.cfg); images are left out.

    .venv/bin/python tests/rerun.py notebooks/02_memoize.ipynb [...]
"""

from __future__ import annotations

import configparser
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from support.course import IGNORE_OUTPUT, ROOT, cell_tags

SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def _sanitizers() -> list[tuple[re.Pattern[str], str]]:
    parser = configparser.ConfigParser()
    parser.read(SANITIZE)
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def _text(outputs: list[dict]) -> str:
    """The comparable text of a cell's outputs: streams, plain-text results and errors."""
    parts = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            # One stream printed in several chunks is the same output (as nbval sees it).
            label = f"[{out['name']}] "
            if parts and parts[-1].startswith(label):
                parts[-1] += out["text"]
            else:
                parts.append(label + out["text"])
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data or "image/png" in data:
                continue
            parts.append(data.get("text/plain", ""))
        elif kind == "error":
            parts.append(f"[error] {out['ename']}: {out['evalue']}")
    text = "\n".join(parts)
    for pattern, replacement in _sanitizers():
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class Difference:
    """A code cell whose second run printed something else than its first."""

    index: int
    source: str
    first: str
    second: str

    def __str__(self) -> str:
        head = self.source.strip().splitlines()[0] if self.source.strip() else ""
        return (f"cell {self.index} ({head[:60]!r}) changed on a second run:\n"
                f"--- first run\n{self.first}\n--- second run\n{self.second}")


def rerun_differences(path: Path, timeout: int = 120) -> list[Difference]:
    """Execute ``path`` with each code cell run twice; return the cells whose outputs changed."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    differences = []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            first = _text(cell.outputs)
            cell.outputs = []
            client.execute_cell(cell, index)
            second = _text(cell.outputs)
            ignored = IGNORE_OUTPUT in cell_tags(cell)
            if not ignored and first != second:
                differences.append(Difference(index, cell.source, first, second))
    return differences


def main(argv: list[str]) -> int:
    """Report every notebook given; exit 1 when any cell changed on its second run."""
    failed = False
    for name in argv:
        differences = rerun_differences(Path(name).resolve())
        print(f"{name}: {len(differences)} cell(s) changed on a second run")
        for difference in differences:
            print(difference, "\n")
        failed = failed or bool(differences)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
