"""The website's build code (support/site.py), without Sphinx: staging, links, launch settings.

`make test-site` checks the built site in a browser; these run in `make test` and need only
the course's own packages.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil

import nbformat
import pytest

from support.tools import site
from support.course import EXERCISE, LESSONS, ROOT, available, tag_ids
from support.tools.site import (
    LaunchSettings,
    landing_page,
    publish_downloads,
    read_launch,
    rewrite_links,
    stage,
    stage_exercises,
    stage_solutions,
    staged_files,
)

SETTINGS = LaunchSettings(repository_url="https://github.com/org/course", branch="main",
                          binderhub_url="https://mybinder.org",
                          jupyterhub_url="https://hub.example.edu", notebook_interface="jupyterlab")
LESSON = next(lesson for lesson in LESSONS if lesson.slug == "views")


# --- launch settings ----------------------------------------------------------------------------

def test_launch_settings_are_read_from_one_file(tmp_path):
    path = tmp_path / "launch.toml"
    path.write_text('jupyterhub_url = "https://hub.uni.edu/"\n'
                    'repository_url = "https://github.com/me/fork/"\nbranch = "spring"\n')
    settings = read_launch(path)
    assert settings == LaunchSettings("https://github.com/me/fork", "spring", "",
                                      "https://hub.uni.edu", "jupyterlab")
    path.write_text('repository_url = "https://github.com/me/fork"\nnotebook_interface = "vscode"\n')
    with pytest.raises(ValueError, match="notebook_interface"):
        read_launch(path)


def test_the_committed_launch_settings_are_complete():
    settings = read_launch()
    assert settings.repository_url.startswith("https://")
    assert settings.binderhub_url.startswith("https://")
    assert settings.notebook_interface == "jupyterlab"
    # conf.py reads only this file: no second copy of the hub address anywhere in site/.
    for path in (ROOT / "site").rglob("*"):
        if path.is_file() and path.name != "launch.toml" and settings.jupyterhub_url:
            assert settings.jupyterhub_url not in path.read_text(errors="replace"), path


# --- links --------------------------------------------------------------------------------------

@pytest.mark.parametrize("where, markdown", [
    ("notebooks/01_views.ipynb", "[next](02_memoize.ipynb)"),
    ("notebooks/01_views.ipynb", "[try them](../exercises/01_views.ipynb)"),
    ("exercises/01_views.ipynb", "[lesson](../notebooks/01_views.ipynb#caching-a-view)"),
    ("notebooks/01_views.ipynb", "[guide](../INSTRUCTORS.md)"),
    ("notebooks/01_views.ipynb", "[docs](https://flask-caching.readthedocs.io/)"),
    ("notebooks/01_views.ipynb", "[above](#the-shop)"),
    ("notebooks/01_views.ipynb", "[planned](09_future.ipynb)"),  # missing: Sphinx reports it
    ("notebooks/01_views.ipynb", "![chart](../support/checks/views.py)"),  # an image: kept
])
def test_links_to_pages_of_the_site_are_kept(where, markdown):
    assert rewrite_links(markdown, where, SETTINGS) == markdown


@pytest.mark.parametrize("where, markdown, expected", [
    ("notebooks/01_views.ipynb", "see [the checker](../support/checks/views.py).",
     "see [the checker](https://github.com/org/course/blob/main/support/checks/views.py)."),
    ("INSTRUCTORS.md", "[README](README.md#quick-start) and [make](Makefile \"the targets\")",
     "[README](https://github.com/org/course/blob/main/README.md#quick-start) and "
     "[make](https://github.com/org/course/blob/main/Makefile \"the targets\")"),
    ("exercises/01_views.ipynb", "[the tests](../tests/mutants/README.md)",
     "[the tests](https://github.com/org/course/blob/main/tests/mutants/README.md)"),
])
def test_links_to_other_repository_files_point_at_the_repository(where, markdown, expected):
    assert rewrite_links(markdown, where, SETTINGS) == expected


def test_links_inside_code_blocks_are_left_alone():
    markdown = "```python\nx = d[k](../support/data.py)\n```\n[data](../support/data.py)"
    fixed = rewrite_links(markdown, "notebooks/01_views.ipynb", SETTINGS)
    assert fixed.startswith("```python\nx = d[k](../support/data.py)\n```\n")
    assert fixed.endswith("(https://github.com/org/course/blob/main/support/data.py)")


def test_every_relative_link_of_the_staged_site_names_a_staged_page():
    """What Sphinx resolves: each link between staged files lands on a staged file."""
    files = staged_files(SETTINGS, hint_for=lambda _: "a hint")
    link = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)")
    checked = 0
    for name, content in files.items():
        if name.endswith(".ipynb"):
            texts = [c.source for c in nbformat.reads(content.decode(), as_version=4).cells
                     if c.cell_type == "markdown"]
        else:
            texts = [content.decode()]
        for text in texts:
            for target in link.findall(text):
                if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("#"):
                    continue
                path = target.split("#")[0]
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
                assert resolved in files, f"{name}: link to {target} names no page of the site"
                checked += 1
    assert checked >= 3 * len(available())  # the navigation footers at least


# --- exercise and solution pages ----------------------------------------------------------------

def _exercise_notebook() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / LESSON.filename, as_version=4)


def test_exercise_pages_fold_a_hint_and_a_solution_link_after_each_answer():
    nb = _exercise_notebook()
    before = nbformat.writes(nb)
    staged = stage_exercises(nb, LESSON, hint_for=lambda i: f"Think about `{i}` <here>.")
    assert nbformat.writes(nb) == before, "staging changed the repository's notebook"
    ids = [name for c in nb.cells for name in tag_ids(c, EXERCISE)]
    assert len(ids) >= 2
    assert len(staged.cells) == len(nb.cells) + len(ids)
    for index, cell in enumerate(staged.cells):
        for exercise_id in site.exercise_ids(cell):
            folded = staged.cells[index + 1]
            assert folded.cell_type == "markdown"
            assert f'<details class="fcc-hint" data-exercise="{exercise_id}">' in folded.source
            assert "<details open" not in folded.source
            assert f"Think about <code>{exercise_id}</code> &lt;here&gt;." in folded.source
            assert (f'href="../solutions/{LESSON.stem}.html#solution-{exercise_id}"'
                    in folded.source)
            assert "BEGIN SOLUTION" not in folded.source


def test_the_hint_on_the_page_is_the_graders_hint():
    from support.checks.core import _lookup

    assert site.grader_hint("views-query-string") == _lookup("views-query-string").hint
    assert site.grader_hint("views-no-such-exercise") is None
    staged = stage_exercises(_exercise_notebook(), LESSON)
    text = "\n".join(c.source for c in staged.cells)
    assert "Run <code>hint(" not in text, "a hint is missing from the exercise page"


def test_solution_pages_fold_each_answer_behind_a_target():
    nb = nbformat.read(ROOT / "solutions" / LESSON.filename, as_version=4)
    before = nbformat.writes(nb)
    staged = stage_solutions(nb, LESSON)
    assert nbformat.writes(nb) == before, "staging changed the repository's notebook"
    assert staged.cells[0].source.startswith(f"# Solutions {LESSON.number} · ")
    answers = [c for c in staged.cells if site.exercise_ids(c)]
    assert answers
    for cell in answers:
        assert "hide-input" in cell.metadata["tags"]
        assert "### BEGIN SOLUTION" not in cell.source and "### END SOLUTION" not in cell.source
        assert cell.source.strip()
        position = staged.cells.index(cell)
        for exercise_id in site.exercise_ids(cell):
            assert f"(solution-{exercise_id})=" in staged.cells[position - 1].source


# --- the landing page and the table of contents -------------------------------------------------

def _toctree_entries(index: str) -> list[str]:
    entries = []
    for block in re.findall(r"```\{toctree\}\n(.*?)```", index, flags=re.DOTALL):
        entries += [line for line in block.splitlines() if line and not line.startswith(":")]
    return entries


def test_landing_page_lists_every_lesson_and_every_page_once():
    files = staged_files(SETTINGS, hint_for=lambda _: None)
    index = files["index.md"].decode()
    for lesson in available():
        assert f"[{lesson.label}](notebooks/{lesson.filename})" in index
        assert f"(exercises/{lesson.filename})" in index
    entries = _toctree_entries(index)
    pages = sorted(name.rsplit(".", 1)[0] for name in files if name != "index.md")
    assert sorted(entries) == pages, "every page is in the table of contents exactly once"
    # previous/next: each lesson is followed by its exercises
    for lesson in available():
        position = entries.index(f"notebooks/{lesson.stem}")
        assert entries[position + 1] == f"exercises/{lesson.stem}"
    assert "https://hub.example.edu" in index and "CC BY 4.0" in index


def test_a_new_lesson_appears_on_the_site_when_its_notebook_lands(tmp_path):
    root = tmp_path / "course"
    for folder in ("notebooks", "exercises", "solutions"):
        (root / folder).mkdir(parents=True)
    first, new = LESSONS[0], LESSONS[7]
    for folder in ("notebooks", "exercises", "solutions"):
        shutil.copy(ROOT / folder / first.filename, root / folder / first.filename)
    index = landing_page(available(root), SETTINGS, root)
    assert new.title not in index
    header = nbformat.v4.new_markdown_cell(
        f"# {new.number} · {new.title}\n*Lesson {new.number}*\n\n**You will learn**\n"
        "- to trace a request;\n- to size the cache.\n\n**Prerequisites:** 00")
    nbformat.write(nbformat.v4.new_notebook(cells=[header]), root / "notebooks" / new.filename)
    index = landing_page(available(root), SETTINGS, root)
    assert f"[{new.label}](notebooks/{new.filename})" in index
    assert "to trace a request; to size the cache" in index  # no README row: the objectives
    assert f"notebooks/{new.stem}" in _toctree_entries(index)
    assert f"exercises/{new.stem}" not in _toctree_entries(index)  # none written yet


# --- staging is incremental; downloads are the repository's files --------------------------------

def test_staging_writes_only_what_changed_and_removes_stale_files(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "grader_hint", lambda _: "a hint")
    src = tmp_path / "src"
    first = stage(src, SETTINGS)
    assert "index.md" in first and f"notebooks/{LESSON.filename}" in first
    (src / "notebooks" / "99_gone.ipynb").write_text("{}")
    assert stage(src, SETTINGS) == ["notebooks/99_gone.ipynb"]
    assert not (src / "notebooks" / "99_gone.ipynb").exists()
    assert stage(src, SETTINGS) == []


def test_downloads_are_replaced_by_the_repositorys_notebooks(tmp_path):
    html_dir = tmp_path / "html"
    for folder in ("notebooks", "exercises", "solutions"):
        (html_dir / "_sources" / folder).mkdir(parents=True)
        (html_dir / "_sources" / folder / LESSON.filename).write_text(json.dumps({"staged": 1}))
    count = publish_downloads(html_dir)
    assert count == sum(1 for lesson in available() for folder in ("notebooks", "exercises",
                        "solutions") if (ROOT / folder / lesson.filename).exists())
    for folder in ("notebooks", "exercises", "solutions"):
        assert ((html_dir / "_sources" / folder / LESSON.filename).read_bytes()
                == (ROOT / folder / LESSON.filename).read_bytes())


def test_a_bare_png_output_gets_its_description_as_alt_text():
    image = nbformat.v4.new_output("display_data", data={
        "image/png": "iVBORw0KGgo=\n", "text/plain": 'Bar chart: "hits" < misses'})
    figure = nbformat.v4.new_output("display_data", data={
        "image/png": "iVBORw0KGgo=", "text/html": "<figure>mine</figure>", "text/plain": "x"})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("chart()", outputs=[image, figure])])
    outputs = site.with_chart_descriptions(nb).cells[0].outputs
    assert outputs[0].data["text/html"] == (
        '<img alt="Bar chart: &quot;hits&quot; &lt; misses" src="data:image/png;base64,iVBORw0KGgo=">')
    assert outputs[1].data["text/html"] == "<figure>mine</figure>"


def test_source_maps_are_pruned(tmp_path):
    scripts = tmp_path / "_static" / "scripts"
    scripts.mkdir(parents=True)
    (scripts / "theme.js").write_text("x")
    (scripts / "theme.js.map").write_text("{}")
    assert site.prune_source_maps(tmp_path) == 1
    assert sorted(p.name for p in scripts.iterdir()) == ["theme.js"]

