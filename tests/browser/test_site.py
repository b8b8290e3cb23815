"""The course website (``make site``) in a real browser: Debian's Chromium, driven by Playwright.

``make test-site`` builds the site, serves ``_site/html`` on 127.0.0.1 and checks what a reader
meets:

* the landing page lists every lesson whose notebook exists, with its exercises;
* each lesson page renders its title and headings, every code cell, the stored outputs, and
  its charts (loaded images whose alt text is the chart's description), and leads on to its
  exercises (previous/next);
* every lesson and exercise page has the launch links (Binder, JupyterHub through nbgitpuller
  with the hub address of ``site/launch.toml``) and a "download this notebook" link that gives
  the repository's own notebook;
* exercise pages show the instructions and the answer cells, with each hint and solution link
  folded away; the solution link lands on the worked answer, folded on its own page;
* no link between pages is broken (every page reachable from the landing page, every anchor);
* the search finds "SCAN" in lesson 03;
* nothing is fetched from another host (the site works offline);
* on a phone-sized screen (390 px) no page is wider than the screen.

Screenshots go to ``$BROWSER_SCREENSHOTS/site`` (default ``screenshots/site/``, git-ignored).
Runs only with ``FCC_SITE_TESTS=1`` (``make test-site``); ``$SITE_DIR`` overrides the folder.
"""

from __future__ import annotations

import functools
import html.parser
import json
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from support.course import EXERCISE, available, tag_ids
from support.tools.site import OUT, read_launch

from .conftest import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("FCC_SITE_TESTS") != "1",
                       reason="the website test runs with `make test-site` (FCC_SITE_TESTS=1)"),
]

SITE = Path(os.environ.get("SITE_DIR") or OUT / "html")
LESSONS = available()
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 30_000


# --- a local web server for the built site ------------------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The base URL of ``_site/html`` served on 127.0.0.1."""
    if not (SITE / "index.html").exists():
        pytest.fail(f"no website in {SITE}: run `make site` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def shots(screenshot_dir: Path) -> Path:
    folder = screenshot_dir / "site"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser, site):
    """A page that refuses (and records) every request to another host."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.outside = []  # type: ignore[attr-defined]

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(site) or url.startswith(("data:", "blob:")):
            request_route.continue_()
        else:
            page.outside.append(url)  # type: ignore[attr-defined]
            request_route.abort()

    page.route("**/*", route)
    page.failed = []  # type: ignore[attr-defined]
    page.on("response", lambda response: page.failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    try:
        yield page
    finally:
        context.close()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def notebook(path: str) -> dict:
    return json.loads((ROOT / path).read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def charts(nb: dict) -> list[str]:
    """The description (text/plain) of every PNG output of a notebook."""
    found = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                found.append("".join(data.get("text/plain", "")).strip())
    return found


# --- the landing page ---------------------------------------------------------------------------

def test_landing_page_lists_every_lesson(page, site, shots):
    page.goto(f"{site}/index.html")
    main = page.locator("main")
    assert main.locator("h1").first.inner_text().strip().startswith("Flask caching, hands on")
    assert LESSONS, "no lesson notebook exists"
    for lesson in LESSONS:
        link = main.locator(f"a[href='notebooks/{lesson.stem}.html']")
        assert link.count() >= 1, f"the course map does not link lesson {lesson.label}"
        assert lesson.title in link.first.inner_text()
        if (ROOT / "exercises" / lesson.filename).exists():
            assert main.locator(f"a[href='exercises/{lesson.stem}.html']").count() >= 1, (
                f"the course map does not link the exercises of {lesson.label}")
        # The sidebar (table of contents) lists it too.
        assert page.locator(f"nav a[href='notebooks/{lesson.stem}.html']").count() >= 1
    page.screenshot(path=str(shots / "landing.png"), full_page=True)
    assert not page.outside, f"the landing page fetched from other hosts: {page.outside}"
    assert not page.failed, f"requests that failed: {page.failed}"


# --- every lesson page --------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.stem for lesson in LESSONS])
def test_lesson_page_renders_its_notebook(page, site, shots, lesson):
    path = f"notebooks/{lesson.filename}"
    nb = notebook(path)
    page.goto(f"{site}/notebooks/{lesson.stem}.html")
    article = page.locator("main article")
    title = article.locator("h1").first.inner_text().strip()
    assert title.startswith(f"{lesson.number} · {lesson.title}"), title
    headings = nb_headings = sum(1 for c in nb["cells"] if c["cell_type"] == "markdown"
                                 for line in c["source"] if "".join(line).startswith("## "))
    headings = article.locator("h2").count()
    assert headings >= nb_headings > 0, f"{path}: {headings} h2 on the page, {nb_headings} in the notebook"

    # Every non-empty code cell, with its source.
    cells = code_cells(nb)
    inputs = article.locator("div.cell_input pre")
    assert inputs.count() == len(cells), f"{path}: {inputs.count()} code cells shown, {len(cells)} stored"
    first = "".join(cells[0]["source"]).splitlines()[0].strip()
    assert first in inputs.first.inner_text()

    # The stored outputs (every code cell that has one).
    with_outputs = sum(1 for c in cells if c.get("outputs"))
    outputs = article.locator("div.cell_output")
    assert outputs.count() == with_outputs, f"{path}: {outputs.count()} outputs shown, {with_outputs} stored"
    assert "Traceback (most recent call last)" not in article.inner_text()

    # Charts: each stored PNG is an image that loaded, with its description as alt text.
    wanted = charts(nb)
    images = article.locator("div.cell_output img")
    assert images.count() == len(wanted), f"{path}: {images.count()} images, {len(wanted)} charts stored"
    for index, description in enumerate(wanted):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                               arg=image.element_handle(), timeout=TIMEOUT_MS)
        assert image.get_attribute("alt") == description
        if index == 0:
            image.screenshot(path=str(shots / f"{lesson.stem}-chart.png"))

    # Previous/next: a lesson leads to its exercises, then to the next lesson.
    position = LESSONS.index(lesson)
    following = (f"../exercises/{lesson.stem}.html"
                 if (ROOT / "exercises" / lesson.filename).exists() else
                 f"{LESSONS[position + 1].stem}.html" if position + 1 < len(LESSONS) else None)
    if following:
        assert page.locator("a.right-next").get_attribute("href") == following
    if position > 0:
        assert page.locator("a.left-prev").count() == 1

    check_launch_links(page, site, path)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"{lesson.stem}.png"))
    assert not page.outside, f"{path} fetched from other hosts: {page.outside}"
    assert not page.failed, f"requests that failed: {page.failed}"


def check_launch_links(page, site: str, path: str, shot: Path | None = None) -> None:
    """Binder, JupyterHub (nbgitpuller) and download links of a notebook page."""
    launch = read_launch()
    hrefs = page.eval_on_selector_all("a[href]", "(links) => links.map((a) => a.href)")
    ui = "lab/tree" if launch.notebook_interface == "jupyterlab" else "tree"
    if launch.binderhub_url:
        binder = [h for h in hrefs if h.startswith(launch.binderhub_url + "/v2/")]
        assert binder, f"{path}: no Binder link"
        assert binder[0].endswith(f"?urlpath={ui}/{path}"), binder[0]
    if launch.jupyterhub_url:
        hub = [h for h in hrefs if h.startswith(launch.jupyterhub_url + "/hub/user-redirect/git-pull?")]
        assert hub, f"{path}: no JupyterHub (nbgitpuller) link"
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(hub[0]).query)
        repo_name = launch.repository_url.rsplit("/", 1)[1]
        assert query == {"repo": [launch.repository_url], "branch": [launch.branch],
                         "urlpath": [f"{ui}/{repo_name}/{path}"]}, query
    # The rocket button unfolds them for the reader.
    launch_button = page.locator("button[aria-label='Launch interactive content']")
    if launch.binderhub_url or launch.jupyterhub_url:
        launch_button.click()
        menu = page.locator(".dropdown-launch-buttons .dropdown-menu")
        for name, url in (("Binder", launch.binderhub_url), ("JupyterHub", launch.jupyterhub_url)):
            if url:
                assert menu.get_by_text(name, exact=True).is_visible(), f"{path}: no {name} entry"
        if shot is not None:
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(shot))
        page.keyboard.press("Escape")
    download = [h for h in hrefs if h.endswith(f"_sources/{path}")]
    assert download, f"{path}: no 'download this notebook' link"
    status, body = fetch(download[0])
    assert status == 200
    assert body == (ROOT / path).read_bytes(), f"{path}: the download is not the repository's notebook"


# --- exercise and solution pages ----------------------------------------------------------------

EXERCISES = [lesson for lesson in LESSONS if (ROOT / "exercises" / lesson.filename).exists()]


@pytest.mark.parametrize("lesson", EXERCISES, ids=[lesson.stem for lesson in EXERCISES])
def test_exercise_page_folds_hints_and_solutions(page, site, shots, lesson):
    path = f"exercises/{lesson.filename}"
    nb = notebook(path)
    ids = [name for c in nb["cells"] for name in tag_ids(c, EXERCISE)]
    assert ids, f"{path} has no exercise cell"
    page.goto(f"{site}/exercises/{lesson.stem}.html")
    article = page.locator("main article")
    assert article.locator("h1").first.inner_text().startswith(f"Exercises {lesson.number}")
    assert article.locator("div.cell_input pre").count() == len(code_cells(nb))
    assert "# YOUR CODE HERE" in article.inner_text()
    assert "### BEGIN SOLUTION" not in article.inner_text()

    for exercise_id in ids:
        hint = article.locator(f"details.fcc-hint[data-exercise='{exercise_id}']")
        solution = article.locator(f"details.fcc-solution[data-exercise='{exercise_id}']")
        assert hint.count() == 1 and solution.count() == 1, f"{exercise_id}: no folded hint/solution"
        assert hint.get_attribute("open") is None and solution.get_attribute("open") is None
        assert not hint.locator("p").first.is_visible(), f"{exercise_id}: the hint is not folded"
    # Unfold the first hint and solution: readable, and the link lands on the worked answer.
    first = ids[0]
    article.locator(f"details.fcc-hint[data-exercise='{first}'] > summary").click()
    assert article.locator(f"details.fcc-hint[data-exercise='{first}'] p").first.is_visible()
    article.locator(f"details.fcc-solution[data-exercise='{first}'] > summary").click()
    check_launch_links(page, site, path, shot=shots / f"launch-exercises-{lesson.stem}.png")
    page.locator(f"details.fcc-hint[data-exercise='{first}']").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"exercises-{lesson.stem}.png"))

    article.locator(f"details.fcc-solution[data-exercise='{first}'] a.fcc-solution-link").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/solutions/{lesson.stem}.html#solution-{first}"), page.url
    assert page.locator(f"[id='solution-{first}']").count() == 1, "no target for the worked answer"
    solutions = page.locator("main article")
    assert solutions.locator("h1").first.inner_text().startswith(f"Solutions {lesson.number}")
    folded = solutions.locator("details.hide.above-input")
    assert folded.count() >= len(ids), "the worked answers are not folded away"
    assert "### BEGIN SOLUTION" not in solutions.inner_text()
    page.screenshot(path=str(shots / f"solutions-{lesson.stem}.png"))
    assert not page.outside, f"{path} fetched from other hosts: {page.outside}"
    assert not page.failed, f"requests that failed: {page.failed}"


# --- links --------------------------------------------------------------------------------------

class _Anchors(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for attr in ("href", "src"):
            if values.get(attr) and (tag != "link" or attr == "href"):
                self.links.append(values[attr])


def test_every_link_between_pages_resolves(site):
    """Crawl from the landing page: every same-site link answers 200, every #anchor exists."""
    pages: dict[str, _Anchors] = {}
    queue = [f"{site}/index.html"]
    broken: list[str] = []
    wanted_anchors: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        status, body = fetch(url)
        if status != 200:
            broken.append(f"{url}: HTTP {status}")
            pages[url] = _Anchors()
            continue
        parsed = _Anchors()
        if url.endswith(".html"):
            parsed.feed(body.decode("utf-8", errors="replace"))
        pages[url] = parsed
        for link in parsed.links:
            absolute = urllib.parse.urljoin(url, link)
            if not absolute.startswith(site):
                continue
            target, _, anchor = absolute.partition("#")
            target = target.split("?", 1)[0]
            if anchor and target.endswith(".html"):
                wanted_anchors.append((url, target, urllib.parse.unquote(anchor)))
            if target not in pages and target not in queue:
                queue.append(target)
    for lesson in LESSONS:
        assert f"{site}/notebooks/{lesson.stem}.html" in pages, f"{lesson.label} is not linked"
    for source, target, anchor in wanted_anchors:
        if target in pages and anchor not in pages[target].ids:
            broken.append(f"{source} links to {target}#{anchor}: no such anchor")
    assert not broken, "broken links:\n" + "\n".join(sorted(set(broken)))
    html_pages = [u for u in pages if u.endswith(".html")]
    assert len(html_pages) >= 3 * len(LESSONS)


# --- search -------------------------------------------------------------------------------------

def test_search_finds_scan_in_lesson_03(page, site, shots):
    invalidation = next((lesson for lesson in LESSONS if lesson.slug == "invalidation"), None)
    if invalidation is None:
        pytest.skip("lesson 03 does not exist")
    page.goto(f"{site}/search.html?q=SCAN")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=TIMEOUT_MS)
    hrefs = results.locator("a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert any(h and h.split("#")[0].endswith(f"notebooks/{invalidation.stem}.html") for h in hrefs), hrefs
    page.screenshot(path=str(shots / "search-SCAN.png"), full_page=True)
    assert not page.outside, f"the search page fetched from other hosts: {page.outside}"
    assert not page.failed, f"requests that failed: {page.failed}"


# --- a phone ------------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("kind", ["notebooks", "exercises"])
def test_pages_read_on_a_phone_without_sideways_scrolling(browser, site, shots, kind):
    """Wide code and tables scroll inside their own boxes; the page itself fits the screen."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    try:
        wide = {}
        for lesson in LESSONS:
            if not (ROOT / kind / lesson.filename).exists():
                continue
            page.goto(f"{site}/{kind}/{lesson.stem}.html")
            page.locator("main article h1").first.wait_for(timeout=TIMEOUT_MS)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"] + 1:
                wide[lesson.stem] = width
        page.screenshot(path=str(shots / f"phone-{kind}.png"))
    finally:
        context.close()
    assert not wide, f"pages wider than a {PHONE['width']} px phone screen: {wide}"
