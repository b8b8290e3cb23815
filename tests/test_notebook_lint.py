"""Notebook lint: headers, footers, navigation, tags, ids, timing cells, stored outputs, links."""

from __future__ import annotations

import re
import nbformat
import pytest
from conftest import ROOT

from support import grading
from support.checks import core
from support.course import (FOLDERS, LESSONS, NAV_MARKER, available, cell_tags, check_ids,
                            exercise_ids, navigation, notebook_paths, notebooks)

NOTEBOOKS = notebooks()
IDS = [f"{folder}/{path.name}" for folder, path, _ in NOTEBOOKS]
TIMING_CALL = re.compile(
    r"\b(measure|measure_request|cold_warm|comparison_table|bar_chart|show_chart|timeit|"
    r"perf_counter|perf_counter_ns)\s*\(")
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def notebook(request):
    folder, path, lesson = request.param
    return folder, path, lesson, nbformat.read(path, as_version=4)


def test_every_lesson_file_is_known() -> None:
    for folder in FOLDERS:
        for path in notebook_paths(folder):
            assert path.name in {lesson.filename for lesson in LESSONS}, (
                f"{folder}/{path.name} is not in support/course.py LESSONS")
    assert available(), "no lesson notebooks"


def test_header(notebook) -> None:
    folder, path, lesson, nb = notebook
    header = nb.cells[0]
    assert header.cell_type == "markdown"
    title = (f"# {lesson.number} · {lesson.title}" if folder == "notebooks"
             else f"# Exercises {lesson.number} · {lesson.title}")
    assert header.source.startswith(title + "\n"), f"the header must start with {title!r}"
    learn = "**You will learn**" if folder == "notebooks" else "**You will practise**"
    for part in [learn, "**Prerequisites:**", "**Backends:**", "minutes"]:
        assert part in header.source, f"the header lacks {part!r}"
    if folder == "notebooks":
        assert f"about {lesson.minutes} minutes" in header.source


def test_backends_cell_follows_the_header(notebook) -> None:
    _, _, _, nb = notebook
    code = [c for c in nb.cells[:4] if c.cell_type == "code"]
    assert code and "describe()" in code[0].source, "the first code cell prints describe()"
    assert "nbval-ignore-output" in cell_tags(code[0])


def test_footer_and_navigation(notebook) -> None:
    folder, path, lesson, nb = notebook
    footer = nb.cells[-1]
    assert footer.cell_type == "markdown" and "## Key points" in footer.source
    assert NAV_MARKER in footer.source
    nav = footer.source.split(NAV_MARKER)[1].strip()
    expected = navigation(lesson, folder)
    assert nav == expected, "navigation out of date: run `make nav`"


def test_exercise_notebooks_end_with_the_progress_table(notebook) -> None:
    folder, _, _, nb = notebook
    if folder == "notebooks":
        return
    before_footer = nb.cells[-2]
    assert before_footer.cell_type == "code" and "progress()" in before_footer.source
    assert "nbval-ignore-output" in cell_tags(before_footer)


def test_relative_links_resolve(notebook) -> None:
    _, path, _, nb = notebook
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for target in LINK.findall(cell.source):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            assert (path.parent / target.split("#")[0]).exists(), f"broken link {target}"


def test_stored_outputs(notebook) -> None:
    folder, _, _, nb = notebook
    for index, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        if folder == "exercises":
            assert not cell.outputs and cell.execution_count is None, f"code cell {index} has output"
            continue
        assert cell.execution_count is not None, f"code cell {index} was never run: rebuild it"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors or "raises-exception" in cell_tags(cell), f"code cell {index} stored an error"


def test_timing_cells_are_tagged(notebook) -> None:
    folder, _, _, nb = notebook
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("outputs") and TIMING_CALL.search(cell.source):
            assert "nbval-ignore-output" in cell_tags(cell), (
                f"a timing cell with output must be tagged nbval-ignore-output:\n{cell.source[:200]}")


def test_exercise_tags(notebook) -> None:
    folder, _, lesson, nb = notebook
    answers, checks = {}, {}
    for cell in nb.cells:
        for tag in cell_tags(cell):
            kind, _, name = tag.partition(":")
            if kind == "exercise":
                answers[name] = cell
            elif kind == "check":
                checks[name] = cell
    if folder == "notebooks":
        assert not answers and not checks, "lesson notebooks hold no exercises"
        return
    assert len(answers) >= 2, "an exercise notebook holds at least two exercises"
    assert set(answers) == set(checks), "every exercise:<id> needs a check:<id> cell and back"
    core._load_checkers()
    for name, cell in checks.items():
        assert name.startswith(lesson.slug + "-"), f"{name} must start with {lesson.slug}-"
        assert cell.source.strip() == f'from support.grading import check\ncheck("{name}")', (
            f"{name}: the check cell imports check (so it works after a restart), then calls it")
        assert name in grading.REGISTRY, f"no checker registered for {name}"
        assert nb.cells.index(cell) > nb.cells.index(answers[name])
    if folder == "solutions":
        for name, cell in answers.items():
            assert "### BEGIN SOLUTION" in cell.source, f"{name}: no solution region"


def test_exercise_ids_are_unique_across_the_course() -> None:
    seen: dict[str, str] = {}
    for folder, path, _ in NOTEBOOKS:
        if folder != "solutions":
            continue
        for name in exercise_ids(nbformat.read(path, as_version=4)):
            assert seen.setdefault(name, path.name) == path.name, f"{name} used twice"


def test_every_registered_checker_has_an_exercise() -> None:
    core._load_checkers()
    used = {name for folder, path, _ in NOTEBOOKS if folder == "solutions"
            for name in check_ids(nbformat.read(path, as_version=4))}
    assert set(grading.REGISTRY) - used == set()


def test_readme_maps_every_lesson() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for lesson in available():
        assert f"notebooks/{lesson.filename}" in readme, f"README's course map lacks {lesson.filename}"


def test_solution_notebooks_have_exercise_notebooks() -> None:
    solutions = {p.name for p in notebook_paths("solutions")}
    assert solutions == {p.name for p in notebook_paths("exercises")}
    assert solutions <= {lesson.filename for lesson in available()}


def test_course_navigation_check_passes() -> None:
    from support.tools.navigation import main

    assert main(["--check"]) == 0


def test_navigation_tool_reports_a_broken_notebook(tmp_path, monkeypatch, capsys) -> None:
    from support import course
    from support.tools import navigation

    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "00_setup.ipynb").write_text("{ not json")
    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setattr(course, "notebooks", lambda: [("notebooks",
                                                       tmp_path / "notebooks" / "00_setup.ipynb",
                                                       course.LESSONS[0])])
    assert navigation.main([]) == 1
    assert "cannot read it" in capsys.readouterr().out
