"""The lesson 05 checkers, tested both ways: the solutions and other correct answers pass,
placeholders are not attempted, and plausible wrong answers fail with a hint that names the
mistake, including the shortest sequence of requests that shows it."""

from __future__ import annotations

import pytest
from conftest import answer_cell, run_answer

from support.exercises import blank_solutions
from support.grading import Result, run_check

NB = "05_fragments.ipynb"
# What the notebook defines before the answer cells (the playground's cache and imports).
PRELUDE = """
from flask_caching import Cache, make_template_fragment_key
cache = Cache()
"""


def run(exercise_id: str, source: str) -> Result:
    return run_check(exercise_id, run_answer(PRELUDE + source))


@pytest.mark.parametrize("exercise_id", ["fragments-int-id", "fragments-collision",
                                         "fragments-invalidate"])
def test_solution_passes_and_placeholder_is_not_attempted(exercise_id: str) -> None:
    source = answer_cell(NB, exercise_id)
    result = run(exercise_id, source)
    assert result.status == "passed", result
    blank = run(exercise_id, blank_solutions(source))
    assert blank.status == "not-attempted", blank


# --- fragments-int-id ------------------------------------------------------------------------

LINES = ("\n<div class=\"sidebar\">\n    {{ render_notifications(current_user) }}\n"
         "    {{ render_recommendations(current_user) }}\n</div>\n")


def sidebar(tag: str, body: str = LINES) -> str:
    return f'SIDEBAR_TEMPLATE = """{tag}{body}{{% endcache %}}"""\n'


# The wrong answers and the correct alternatives are files in tests/mutants/fragments-*/,
# judged by tests/test_hand_written.py (one source for them and for `python -m support.mutants`).

def test_the_verdict_is_the_same_on_every_run() -> None:
    source = sidebar("{% cache 300, 'sidebar', current_user.id|string if current_user.id != 10 "
                     "else 'x' %}")
    assert run("fragments-int-id", source) == run("fragments-int-id", source)


def test_checker_cache_is_never_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    # A learner's cache.clear() (tested above) must never reach a real Redis (KEYS prefix*).
    from cachelib import SimpleCache

    from support.checks.fragments import _Data, _Site

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    site = _Site(_Data(), {}, cached=True)
    with site.app.app_context():
        assert isinstance(site.cache.cache, SimpleCache)


def test_the_uncached_reference_renders_every_block() -> None:
    from support.checks.fragments import USERS, _Data, _Site

    site = _Site(_Data(), {"t": "{% cache 300, 'x' %}{{ current_user.name }}{% endcache %}"},
                 cached=False)
    assert [site.render("t", 1, current_user=USERS[u])[0] for u in (1, 2)] == ["ada", "ben"]


def test_the_search_leaves_no_files_in_the_learners_folder(tmp_path) -> None:
    # Hypothesis caches constants under ./.hypothesis, fixed when it is imported: use a fresh
    # interpreter whose working folder is the "learner's" folder.
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']\n"
            "from test_checks_fragments import run, sidebar\n"
            "print(run('fragments-int-id', sidebar(\"{% cache 300, 'sidebar', "
            "current_user.id|string %}\")).status)")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], cwd=tmp_path,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "passed", done.stderr
    assert list(tmp_path.iterdir()) == []
