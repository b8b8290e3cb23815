"""The course as a static website: ``make site`` (Sphinx + MyST-NB + sphinx-book-theme).

    python -m support site            # stage the sources, build _site/html (incremental)
    python -m support site --clean    # start from nothing
    python -m support site --stage    # only write the staged sources (no Sphinx)

How it works. The notebooks are not executed: the site shows their committed outputs, which CI
has already proved. This module *stages* a Sphinx source tree in ``_site/src`` with the same
layout as the repository (``notebooks/``, ``exercises/``, ``solutions/``, ``INSTRUCTORS.md``),
so links between notebooks (``01_views.ipynb``, ``../exercises/01_views.ipynb``) resolve as
they do in JupyterLab, and the launch buttons point at the same paths in the repository.
Staging changes only what the website needs:

* ``index.md``: the landing page, with the course map, generated from ``support/course.py``
  (every lesson whose notebook exists, so new lessons appear when they land);
* exercise pages: after each answer cell, a folded hint (the grader's own hint) and a folded
  link to the worked answer;
* solution pages: titled "Solutions NN", answers folded (``hide-input``) and shown without the
  ``### BEGIN/END SOLUTION`` markers, each with a target the exercise page links to;
* links to repository files that are not on the site (``../support/checks/views.py``) point at
  the repository instead.

A staged file is rewritten only when its content changes, so Sphinx re-reads only what
changed. After the build, the "download this notebook" files (``_site/html/_sources/``) are
replaced by the repository's own notebooks, so a learner downloads exactly what ``git clone``
gives. Launch settings (repository, branch, Binder and the JupyterHub address) are read from
``site/launch.toml``: the one place to set them.
"""

from __future__ import annotations

import argparse
import copy
import html
import posixpath
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from support.course import (EXERCISE, ROOT, SOLUTION_MARKER_PATTERN, Lesson, available, cell_tags,
                            tag_ids)

SITE_CONFIG = ROOT / "site"  # conf.py, launch.toml, static files
OUT = ROOT / "_site"  # git-ignored: src/ (staged), doctrees/, html/ (the website)
FOLDERS = ("notebooks", "exercises", "solutions")
PAGES = ("INSTRUCTORS.md",)  # markdown pages copied from the repository root
_SOLUTION_MARKER = re.compile(SOLUTION_MARKER_PATTERN + r"\n?", re.MULTILINE)
# [text](target) and [text](target "title"), not images; target without spaces.
_LINK = re.compile(r"(?<!!)(\[[^\]\n]*\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")


@dataclass(frozen=True)
class LaunchSettings:
    """Where the launch buttons go: read from ``site/launch.toml``."""

    repository_url: str  # https://github.com/OWNER/REPO (Binder and nbgitpuller clone it)
    branch: str
    binderhub_url: str  # "" hides the Binder button
    jupyterhub_url: str  # "" hides the JupyterHub (nbgitpuller) button
    notebook_interface: str  # "jupyterlab" or "classic"

    def blob_url(self, path: str) -> str:
        """The repository's web page of ``path`` (a file that is not on the site)."""
        return f"{self.repository_url.rstrip('/')}/blob/{self.branch}/{path}"


def read_launch(path: Path = SITE_CONFIG / "launch.toml") -> LaunchSettings:
    """The launch settings from ``path`` (``site/launch.toml``)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    interface = data.get("notebook_interface", "jupyterlab")
    if interface not in ("jupyterlab", "classic"):
        raise ValueError(f"{path}: notebook_interface must be jupyterlab or classic, not {interface!r}")
    return LaunchSettings(
        repository_url=str(data["repository_url"]).rstrip("/"),
        branch=str(data.get("branch", "main")),
        binderhub_url=str(data.get("binderhub_url", "")).rstrip("/"),
        jupyterhub_url=str(data.get("jupyterhub_url", "")).rstrip("/"),
        notebook_interface=interface,
    )


# --- links --------------------------------------------------------------------------------------

def on_site(path: str, root: Path = ROOT) -> bool:
    """Whether a repository path (``notebooks/01_views.ipynb``) is a page of the website."""
    folder, _, name = path.partition("/")
    if folder in FOLDERS and name.endswith(".ipynb") and "/" not in name:
        return (root / path).exists()
    return path in PAGES


def rewrite_links(markdown: str, where: str, settings: LaunchSettings, root: Path = ROOT) -> str:
    """``markdown`` (in repository file ``where``) with links to repository files fixed for the site.

    A link to another page of the site (a course notebook, INSTRUCTORS.md) is kept as it is:
    the staged tree has the repository's layout, so Sphinx resolves it. A link to any other file
    of the repository (a checker's source, README.md, the Makefile) points at the repository.
    External links, anchors and links to missing files are kept.
    """
    folder = posixpath.dirname(where)

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("#", "/")):
            return match.group(0)
        path, hash_, anchor = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(folder, path))
        if resolved.startswith("..") or on_site(resolved, root):
            return match.group(0)
        if not (root / resolved).exists():
            return match.group(0)
        return f"{match.group(1)}{settings.blob_url(resolved)}{hash_}{anchor}{match.group(3)}"

    # Not inside fenced code blocks.
    parts = re.split(r"(^```.*?^```[ \t]*$)", markdown, flags=re.MULTILINE | re.DOTALL)
    return "".join(part if part.startswith("```") else _LINK.sub(fix, part) for part in parts)


# --- pages --------------------------------------------------------------------------------------

def exercise_ids(cell: nbformat.NotebookNode) -> list[str]:
    """The ids of the ``exercise:<id>`` tags of a cell."""
    return tag_ids(cell, EXERCISE)


def grader_hint(exercise_id: str) -> str | None:
    """The general hint the grader gives for ``exercise_id`` (what ``hint(...)`` prints)."""
    from support.checks import core

    try:
        return core._lookup(exercise_id).hint
    except Exception:  # a checker that cannot be imported here: the page does without
        return None


def _inline_html(text: str) -> str:
    """Plain text with `code` spans, as HTML."""
    pieces = re.split(r"(`[^`]+`)", text)
    return "".join(f"<code>{html.escape(p[1:-1])}</code>" if p.startswith("`") and p.endswith("`")
                   and len(p) > 1 else html.escape(p) for p in pieces)


def folded_help(exercise_id: str, lesson: Lesson, hint: str | None) -> str:
    """The markdown cell placed after an answer cell: a folded hint and a folded solution link."""
    hint_html = (_inline_html(hint) if hint else
                 f"Run <code>hint(\"{html.escape(exercise_id)}\")</code> in the notebook.")
    solution_href = f"../solutions/{lesson.stem}.html#solution-{exercise_id}"
    return (
        f'<details class="fcc-hint" data-exercise="{html.escape(exercise_id)}">\n'
        f"<summary>Hint</summary>\n<p>{hint_html}</p>\n"
        f"<p>In the notebook, <code>check(\"{html.escape(exercise_id)}\")</code> tests your answer "
        f"and names the shortest case it gets wrong.</p>\n</details>\n"
        f'<details class="fcc-solution" data-exercise="{html.escape(exercise_id)}">\n'
        f"<summary>Solution</summary>\n<p>Try it first: the check tells you what is wrong. "
        f'Then read <a class="fcc-solution-link" href="{solution_href}">the worked answer to '
        f"<code>{html.escape(exercise_id)}</code></a> on the solutions page.</p>\n</details>"
    )


def stage_exercises(nb: nbformat.NotebookNode, lesson: Lesson,
                    hint_for: Callable[[str], str | None] = grader_hint) -> nbformat.NotebookNode:
    """An exercise notebook for the site: a folded hint and solution link after each answer cell."""
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        for exercise_id in exercise_ids(cell):
            help_cell = nbformat.v4.new_markdown_cell(
                folded_help(exercise_id, lesson, hint_for(exercise_id)))
            help_cell.id = f"fcc-help-{exercise_id}"  # stable: unchanged pages are not rebuilt
            cells.append(help_cell)
    staged = copy.deepcopy(nb)
    staged.cells = copy.deepcopy(cells)
    return staged


def stage_solutions(nb: nbformat.NotebookNode, lesson: Lesson) -> nbformat.NotebookNode:
    """A solutions notebook for the site: its own title, each answer folded behind a target."""
    staged = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(staged.cells):
        if index == 0 and cell.cell_type == "markdown":
            cell.source = re.sub(r"^# Exercises ", "# Solutions ", cell.source, count=1)
        ids = exercise_ids(cell)
        if ids and cell.cell_type == "code":
            target = nbformat.v4.new_markdown_cell(
                "\n".join(f"(solution-{i})=" for i in ids)
                + f"\n**A worked answer to {', '.join(f'`{i}`' for i in ids)}** "
                "(click to show it)")
            target.id = f"fcc-solution-{ids[0]}"
            cells.append(target)
            cell.source = _SOLUTION_MARKER.sub("", cell.source)
            tags = cell_tags(cell)
            if "hide-input" not in tags:
                cell.metadata["tags"] = tags + ["hide-input"]
        cells.append(cell)
    staged.cells = cells
    return staged


def readme_course_map(root: Path = ROOT) -> dict[str, str]:
    """README's course map: lesson file name -> its "you leave able to" cell."""
    readme = root / "README.md"
    if not readme.exists():
        return {}
    found = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        match = re.search(r"\]\(notebooks/([^)]+\.ipynb)\)", cells[0]) if len(cells) >= 3 else None
        if match:
            found[match.group(1)] = cells[2]
    return found


def you_will_learn(nb: nbformat.NotebookNode) -> list[str]:
    """The "You will learn" bullets of a lesson's header cell."""
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        return []
    lines = nb.cells[0].source.splitlines()
    bullets: list[str] = []
    inside = False
    for line in lines:
        if line.strip().startswith("**You will learn"):
            inside = True
            continue
        if inside:
            if line.startswith("- "):
                bullets.append(line[2:].strip())
            elif line.startswith("  ") and bullets:
                bullets[-1] += " " + line.strip()
            elif line.strip():
                break
    return bullets


def landing_page(lessons: list[Lesson], settings: LaunchSettings, root: Path = ROOT) -> str:
    """``index.md``: the course map, how to run it, the licence, and the table of contents."""
    rows = []
    summaries = readme_course_map(root)
    for lesson in lessons:
        learn = summaries.get(lesson.filename)
        if not learn:  # a lesson README does not list yet: its header's objectives
            nb = nbformat.read(root / "notebooks" / lesson.filename, as_version=4)
            learn = "; ".join(b.rstrip(";.") for b in you_will_learn(nb)) or lesson.title
        exercises = (f"[exercises](exercises/{lesson.filename}) · "
                     f"[solutions](solutions/{lesson.filename})"
                     if (root / "exercises" / lesson.filename).exists() else "")
        rows.append(f"| [{lesson.label}](notebooks/{lesson.filename}) | {lesson.minutes} min "
                    f"| {learn.replace('|', '&#124;')} | {exercises} |")
    exercises_pages = [f"exercises/{lesson.stem}" for lesson in lessons
                       if (root / "exercises" / lesson.filename).exists()]
    order = []
    for lesson in lessons:
        order.append(f"notebooks/{lesson.stem}")
        if f"exercises/{lesson.stem}" in exercises_pages:
            order.append(f"exercises/{lesson.stem}")
    solutions_pages = [f"solutions/{lesson.stem}" for lesson in lessons
                       if (root / "solutions" / lesson.filename).exists()]
    hub = (f"**JupyterHub** (your institution's hub, {settings.jupyterhub_url}): nbgitpuller "
           "copies the course into your home folder on the hub and opens the page; running it "
           "again later brings the course's updates without overwriting your answers."
           if settings.jupyterhub_url else
           "**JupyterHub**: the button appears when an instructor sets the hub's address in "
           "`site/launch.toml`.")
    toc = ["```{toctree}", ":caption: Lessons and exercises", ":hidden:", ""] + order + ["```",
           "", "```{toctree}", ":caption: Solutions", ":hidden:", ""] + solutions_pages + [
           "```", "", "```{toctree}", ":caption: For instructors", ":hidden:", "",
           "INSTRUCTORS", "```"]
    return "\n".join([
        "# Flask caching, hands on",
        "",
        "An interactive course on caching in Flask with "
        "[Flask-Caching](https://flask-caching.readthedocs.io/): Jupyter notebooks in which every "
        "claim is shown by running code (query counters, response bodies, the keys in the cache, "
        "TTLs, measured timings) and every exercise checks itself. This website shows each "
        "notebook with the outputs it gave when it last ran in the course's tests; to run the "
        "code yourself, launch it (below) or clone the repository.",
        "",
        "## Course map",
        "",
        "| lesson | time (lesson alone) | you leave able to | exercises |",
        "|---|---|---|---|",
        *rows,
        "",
        "Each lesson builds its own small Flask app in the notebook (a sample shop in SQLite with a "
        "query counter) and sends requests through Flask's test client: nothing listens on a port.",
        "",
        "## Run the notebooks",
        "",
        "Every lesson and exercise page has a launch button (the rocket at the top of the page) "
        "and a download button:",
        "",
        *([] if not settings.binderhub_url else [
            "- **Binder** builds the course's environment from `environment.yml` and `postBuild` "
            "and opens the page in JupyterLab, free and in the browser (a session ends when idle: "
            "download your exercise notebooks before you leave)."]),
        f"- {hub}",
        "- **Download** (the arrow) saves the notebook exactly as it is in the repository; open it "
        "in a clone of the course, where `make lab` installs everything.",
        "",
        f"On your own machine: `git clone {settings.repository_url}`, then `make lab`. "
        f"The exercises check themselves: write your answer in the cell that says "
        f"`# YOUR CODE HERE` and run the `check(...)` cell below it.",
        "",
        "## Licence",
        "",
        "The lesson text, exercises and figures are licensed under "
        f"[CC BY 4.0]({settings.blob_url('LICENSE-CONTENT.md')}); the code (the `support` "
        "package, the tests and the code in the notebooks) under the "
        f"[MIT licence]({settings.blob_url('LICENSE')}). Reuse and adapt them freely, crediting "
        f"*Flask caching, hands on* with a link to {settings.repository_url} and saying what you "
        "changed.",
        "",
        *toc,
        "",
    ])


# --- staging and building -----------------------------------------------------------------------

def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def with_chart_descriptions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Give every bare PNG output an HTML twin whose alt text is the output's text/plain.

    The course's charts already carry a ``<figure>`` with alt text (MyST-NB shows text/html
    before image/png); a PNG without one would otherwise get its file name as alt text.
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data and "text/html" not in data:
                alt = html.escape(str(data.get("text/plain", "")).strip(), quote=True)
                png = str(data["image/png"]).replace("\n", "")
                data["text/html"] = f'<img alt="{alt}" src="data:image/png;base64,{png}">'
    return nb


def _fix_notebook_links(nb: nbformat.NotebookNode, where: str, settings: LaunchSettings,
                        root: Path) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(cell.source, where, settings, root)
    return nb


def staged_files(settings: LaunchSettings, root: Path = ROOT,
                 hint_for: Callable[[str], str | None] | None = None) -> dict[str, bytes]:
    """Every file of the staged source tree: relative path -> content."""
    hint_for = hint_for or grader_hint
    lessons = available(root)
    files: dict[str, bytes] = {"index.md": landing_page(lessons, settings, root).encode()}
    for lesson in lessons:
        for folder in FOLDERS:
            source = root / folder / lesson.filename
            if not source.exists():
                continue
            where = f"{folder}/{lesson.filename}"
            nb = nbformat.read(source, as_version=4)
            if folder == "exercises":
                nb = stage_exercises(nb, lesson, hint_for)
            elif folder == "solutions":
                nb = stage_solutions(nb, lesson)
            nb = with_chart_descriptions(_fix_notebook_links(nb, where, settings, root))
            files[where] = (nbformat.writes(nb) + "\n").encode()
    for page in PAGES:
        if (root / page).exists():
            text = (root / page).read_text(encoding="utf-8")
            files[page] = rewrite_links(text, page, settings, root).encode()
    return files


def stage(src: Path, settings: LaunchSettings, root: Path = ROOT) -> list[str]:
    """Write the staged tree into ``src``; return the files that changed. Removes stale files."""
    files = staged_files(settings, root)
    changed = [name for name, content in files.items() if _write_if_changed(src / name, content)]
    for path in sorted(src.rglob("*")):
        if path.is_file() and path.relative_to(src).as_posix() not in files:
            path.unlink()
            changed.append(path.relative_to(src).as_posix())
    return changed


def publish_downloads(html_dir: Path, root: Path = ROOT) -> int:
    """Make the site's "download this notebook" files the repository's own notebooks."""
    count = 0
    for lesson in available(root):
        for folder in FOLDERS:
            source = root / folder / lesson.filename
            target = html_dir / "_sources" / folder / lesson.filename
            if source.exists() and target.parent.exists():
                shutil.copyfile(source, target)
                count += 1
    return count


def prune_source_maps(html_dir: Path) -> int:
    """Delete the theme's JavaScript/CSS source maps (a third of the site; only debuggers use them)."""
    maps = list((html_dir / "_static").rglob("*.map"))
    for path in maps:
        path.unlink()
    return len(maps)


def build(out: Path = OUT, clean: bool = False, quiet: bool = True) -> Path:
    """Stage the sources and run Sphinx; return the folder of the website."""
    settings = read_launch()
    if clean and out.exists():
        shutil.rmtree(out)
    src, html_dir = out / "src", out / "html"
    started = time.monotonic()
    changed = stage(src, settings)
    print(f"staged {src.relative_to(ROOT)}: {len(changed)} file(s) changed")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(SITE_CONFIG),
               "-d", str(out / "doctrees"), str(src), str(html_dir), "--fail-on-warning",
               "--keep-going"]
    if quiet:
        command.append("-q")
    subprocess.run(command, check=True, cwd=ROOT)
    copied = publish_downloads(html_dir)
    prune_source_maps(html_dir)
    size = sum(p.stat().st_size for p in html_dir.rglob("*") if p.is_file())
    print(f"website in {html_dir.relative_to(ROOT)}/ ({size / 1e6:.1f} MB, {copied} notebooks "
          f"to download) in {time.monotonic() - started:.0f} s; open "
          f"{html_dir.relative_to(ROOT)}/index.html")
    return html_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support site", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clean", action="store_true", help="remove _site/ first")
    parser.add_argument("--stage", action="store_true", help="only stage the sources")
    parser.add_argument("--verbose", action="store_true", help="Sphinx's full output")
    args = parser.parse_args(argv)
    if args.stage:
        changed = stage(OUT / "src", read_launch())
        print(f"staged: {len(changed)} file(s) changed")
        return 0
    try:
        build(clean=args.clean, quiet=not args.verbose)
    except subprocess.CalledProcessError as exc:
        print(f"sphinx-build failed (exit status {exc.returncode}): see the warnings above",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
