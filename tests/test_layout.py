"""The layout rule of support/ (support/__init__.py, CONTRIBUTING.md) stays true of the code."""

from __future__ import annotations

import pkgutil
import re

from conftest import ROOT

import support
from support import checks, tools

#: What notebooks import, plus the front door and the two command shims.
TOP = {"__main__", "backends", "charts", "course", "data", "doctor", "grade", "grading", "logs",
       "monitoring", "outage", "progress", "quiz", "servers", "simulator", "syntax_guard",
       "timing"}
SHIMS = {"doctor", "grade"}


def _modules(package) -> set[str]:
    return {m.name for m in pkgutil.iter_modules(package.__path__)}


def _sources(*folders: str) -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
            for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))}


def test_the_top_of_support_holds_only_what_notebooks_import() -> None:
    assert _modules(support) - {"checks", "tools"} == TOP


def test_the_shims_only_re_export_their_command() -> None:
    for name in SHIMS:
        text = (ROOT / "support" / f"{name}.py").read_text(encoding="utf-8")
        assert f"from support.tools.{name} import *" in text and len(text.splitlines()) < 20


def test_contributing_maps_every_module() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    names = (TOP - {"__main__"}) | _modules(checks) | _modules(tools)
    missing = {n for n in names if not re.search(rf"[`.]{n}\b", guide)}
    assert not missing, f"CONTRIBUTING.md's map of support/ lacks {sorted(missing)}"


def test_the_root_is_computed_once() -> None:
    found = [path for path, text in _sources("support", "tests", "site").items()
             if re.search(r"parent\.parent|parents\[", text) and path != "support/course.py"]
    assert not found, f"use support.course.ROOT instead: {found}"


def test_cell_tags_are_read_through_support_course() -> None:
    found = [path for path, text in _sources("support").items()
             if '.get("tags"' in text and path != "support/course.py"]
    assert not found, f"use support.course.cell_tags / tag_ids instead: {found}"


def test_scan_by_prefix_goes_through_one_helper() -> None:
    found = [path for path, text in _sources("support").items()
             if re.search(r"\.scan_iter\(match=(?!\.\.\.)", text) and path != "support/backends.py"]
    assert not found, f"use support.backends.scan_prefix instead: {found}"
