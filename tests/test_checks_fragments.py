"""The lesson 05 checkers, tested both ways: the solutions and other correct answers pass,
placeholders are not attempted, and plausible wrong answers fail with a hint that names the
mistake, including the shortest sequence of requests that shows it."""

from __future__ import annotations

import pytest
from conftest import answer_cell, run_answer

from support.tools.exercises import blank_solutions
from support.grading import Result, run_check

NB = "05_fragments.ipynb"
# What the notebook defines before the answer cells (the playground's cache and imports).
PRELUDE = """
from flask_caching import Cache, make_template_fragment_key
cache = Cache()
"""


def run(exercise_id: str, source: str) -> Result:
    return run_check(exercise_id, run_answer(PRELUDE + source))


@pytest.mark.solution
@pytest.mark.parametrize("exercise_id", ["fragments-int-id", "fragments-collision",
                                         "fragments-invalidate"])
def test_solution_passes(exercise_id: str) -> None:
    source = answer_cell(NB, exercise_id)
    result = run(exercise_id, source)
    assert result.status == "passed", result


@pytest.mark.parametrize("exercise_id", ["fragments-int-id", "fragments-collision",
                                         "fragments-invalidate"])
def test_placeholder_is_not_attempted(exercise_id: str) -> None:
    source = answer_cell(NB, exercise_id)
    blank = run(exercise_id, blank_solutions(source))
    assert blank.status == "not-attempted", blank


# --- fragments-int-id ------------------------------------------------------------------------

LINES = ("\n<div class=\"sidebar\">\n    {{ render_notifications(current_user) }}\n"
         "    {{ render_recommendations(current_user) }}\n</div>\n")


def sidebar(tag: str, body: str = LINES) -> str:
    return f'SIDEBAR_TEMPLATE = """{tag}{body}{{% endcache %}}"""\n'


# The wrong answers and the correct alternatives are files in tests/mutants/fragments-*/,
# judged by tests/test_hand_written.py (one source for them and for `python -m support mutants`).

def test_the_verdict_is_the_same_on_every_run() -> None:
    source = sidebar("{% cache 300, 'sidebar', current_user.id|string if current_user.id != 10 "
                     "else 'x' %}")
    assert run("fragments-int-id", source) == run("fragments-int-id", source)


def test_checker_cache_is_never_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    # A learner's cache.clear() must never reach a real Redis (KEYS prefix*): with a Redis that
    # cannot be reached configured, the answer is still judged, on the checker's own SimpleCache.
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    source = answer_cell(NB, "fragments-invalidate").replace(
        "cache.delete(key)", "cache.clear()")
    result = run("fragments-invalidate", source)
    assert result.status == "failed" and "deleted user 10's fragment too" in result.message, result


def test_the_hint_names_the_shortest_sequence_and_the_mistake() -> None:
    source = sidebar("{% cache 300, 'sidebar', current_user.name %}")
    result = run("fragments-int-id", source)
    assert result.status == "failed"
    assert result.message.startswith(
        "`user 1 (ada) views the sidebar` then `user 11 (ada) views the sidebar`: the second was "
        "served the first's sidebar. User 11 (ada) saw user 1's sidebar: two viewers share one "
        "key (['_template_fragment_cache_sidebar_ada']). Vary the fragment on a value unique to "
        "each user, current_user.id|string"), result.message


def test_a_mistake_no_hand_picked_sequence_shows_is_found() -> None:
    # user 11's key is made up: none of the hand-picked sequences shows it, a short one does
    source = sidebar("{% cache 300, 'sidebar', current_user.id|string if current_user.id != 11 "
                     "else 'eleven' %}")
    result = run("fragments-int-id", source)
    assert result.status == "failed", result
    assert ("`user 11 (ada) views the sidebar` then `user 11 (ada) gets a new comment and the app "
            "deletes make_template_fragment_key('sidebar', vary_on=['11'])` then `user 11 (ada) "
            "views the sidebar`: the third was served the first's sidebar") in result.message, (
        result)


def test_the_search_leaves_no_files_in_the_learners_folder(tmp_path) -> None:
    # Hypothesis caches constants under ./.hypothesis, fixed when it is imported: use a fresh
    # interpreter whose working folder is the "learner's" folder.
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys; sys.path[:0] = [sys.argv[1] + '/tests', sys.argv[1]]\n"
            "from test_checks_fragments import run, sidebar\n"
            "print(run('fragments-int-id', sidebar(\"{% cache 300, 'sidebar', "
            "current_user.id|string %}\")).status)")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], cwd=tmp_path,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "passed", done.stderr
    assert list(tmp_path.iterdir()) == []
