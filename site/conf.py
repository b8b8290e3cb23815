"""Sphinx configuration of the course website (`make site`; see support/tools/site.py).

The source tree is staged by ``python -m support site`` in ``_site/src`` with the repository's
layout; launch settings come from ``site/launch.toml``.
"""

from __future__ import annotations

from support.tools.site import SITE_CONFIG, read_launch

launch = read_launch()

project = "Flask caching, hands on"
author = "the Flask caching course's authors"
copyright = "2026, the course's authors"
language = "en"

extensions = ["myst_nb"]

# The committed outputs are the truth (CI ran them): never execute a notebook here.
nb_execution_mode = "off"
# Widgets need a running kernel: show their text fallback ("run this cell ...") instead, and
# load no widget JavaScript from a CDN.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}
# Charts: the course's figures carry their description as a text/html <figure> with alt text,
# which MyST-NB prefers over the bare PNG.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]

exclude_patterns = ["**/.ipynb_checkpoints"]
templates_path = []
html_static_path = [str(SITE_CONFIG / "static")]
html_css_files = ["course.css"]

html_theme = "sphinx_book_theme"
html_title = project
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = True
html_theme_options = {
    "repository_url": launch.repository_url,
    "repository_branch": launch.branch,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "launch_buttons": {
        "binderhub_url": launch.binderhub_url,
        "jupyterhub_url": launch.jupyterhub_url,
        "notebook_interface": launch.notebook_interface,
    },
    "article_footer_items": [],
    "extra_footer": (
        "<p>Lesson text and figures: <a href=\"https://creativecommons.org/licenses/by/4.0/\">"
        "CC BY 4.0</a>; code: MIT. Credit <em>Flask caching, hands on</em> with a link to "
        f"<a href=\"{launch.repository_url}\">{launch.repository_url}</a>.</p>"
    ),
}
