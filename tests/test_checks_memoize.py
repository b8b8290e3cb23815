"""Lesson 02's checkers: the solutions pass, the placeholders are not attempted, and what a
plain "fails with this hint / passes" cannot show (the shrunk hint, the grading shop left as it
was, a concurrent reader during an update). The plausible wrong answers and the correct
alternatives are files in tests/mutants/memoize-*/, judged by tests/test_hand_written.py."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import answer_cell, run_answer

from support.tools.exercises import blank_solutions
from support.grading import run_check

HERE = Path(__file__).parent
NB = "02_memoize.ipynb"
EXERCISES = ["memoize-invalidate-one", "memoize-method-identity", "memoize-none",
             "memoize-route-int"]

PREAMBLE = textwrap.dedent("""
    import dataclasses
    import datetime
    import functools
    from flask import jsonify
    from flask_caching import Cache
    from sqlalchemy import func
    from support.data import Comment, Post, Rating, User, db
    """)


def _written(exercise: str, name: str) -> str:
    """A hand-written answer of tests/mutants/<exercise>/ (judged there by test_hand_written)."""
    return (HERE / "mutants" / exercise / f"{name}.py").read_text()


def _run(exercise: str, source: str) -> tuple[str, str]:
    source = PREAMBLE + textwrap.dedent(source)
    namespace = run_answer(source)
    namespace["__fcc_source__"] = source  # what a notebook's history gives the worker processes
    result = run_check(exercise, namespace)
    return result.status, result.message


@pytest.mark.solution
@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_passes(exercise: str) -> None:
    status, message = _run(exercise, answer_cell(NB, exercise))
    assert status == "passed", message


@pytest.mark.parametrize("exercise", EXERCISES)
def test_placeholder_is_not_attempted(exercise: str) -> None:
    status, message = _run(exercise, blank_solutions(answer_cell(NB, exercise)))
    assert status == "not-attempted", message


def test_nothing_defined_is_not_attempted() -> None:
    for exercise in EXERCISES:
        assert run_check(exercise, {}).status == "not-attempted"


# --- memoize-invalidate-one ----------------------------------------------------------------


def test_invalidate_one_hint_is_the_shortest_sequence() -> None:
    """The failing sequence is minimised: the hint names three calls (read, rename of a user
    other than 1, read again), not a long story."""
    source = _written("memoize-invalidate-one", "invalidates_only_user_1")
    _, message = _run("memoize-invalidate-one", source)
    first, update, last = message.split(":", 1)[0].split(" then ")
    assert first.startswith("`user_stats(") and last.startswith("`user_stats("), message
    assert update.startswith("`update_user_name(") and "(1," not in update, message
    assert "the third was served the first's result" in message, message


def test_invalidate_one_leaves_the_grading_shop_unchanged() -> None:
    _run("memoize-invalidate-one", answer_cell(NB, "memoize-invalidate-one"))
    _run("memoize-invalidate-one", _written("memoize-invalidate-one", "no_invalidation"))
    assert _run("memoize-invalidate-one", answer_cell(NB, "memoize-invalidate-one"))[0] == "passed"


# --- memoize-method-identity ---------------------------------------------------------------


def test_method_identity_function_of_the_id_passes_without_an_address() -> None:
    """The lesson's alternative: the method calls a memoized function of the user id. The
    success message speaks of behaviour, not of a key that still holds the address."""
    source = _written("memoize-method-identity", "memoized_function_of_the_id")
    status, message = _run("memoize-method-identity", source)
    assert status == "passed", message
    assert "object at 0x" not in message and "keyed on" not in message, message


# --- memoize-route-int ---------------------------------------------------------------------


def test_route_int_leaves_no_post_behind() -> None:
    from flask import Flask

    from support.checks import memoize
    from support.data import Post, init_shop

    _run("memoize-route-int", _written("memoize-route-int", "no_converter"))
    app = Flask("inspect_grading_shop")
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{memoize._grading_db()}"
    init_shop(app)
    with app.app_context():
        assert Post.query.filter_by(title="grading post").count() == 0


def test_concurrent_reader_reads_committed_data_and_leaves_the_cache_as_it_was() -> None:
    """The checker's second request sees only what was committed, caches what it read (as a
    real second worker would), and the checker's cache is its plain self afterwards."""
    from support.checks import memoize
    from support.data import User, db
    from support.grading import Namespace

    with memoize._grading_app() as (app, cache):

        @cache.memoize(timeout=600)
        def user_name(user_id: int) -> str:
            return db.session.get(User, user_id).name

        original = db.session.get(User, 1).name
        backend_type = type(cache.cache)
        try:
            with memoize._concurrent_reader(app, cache, Namespace({}), user_name, 1) as seen:
                db.session.get(User, 1).name = "Uncommitted"
                cache.delete_memoized(user_name, 1)  # before the commit: the reader caches
                db.session.commit()
            assert seen and seen[-1] == original, seen
            assert user_name(1) == original  # the old name came back into the cache
            assert all(name not in vars(cache.cache) for name in memoize._INVALIDATING)
            assert type(cache.cache) is backend_type
        finally:
            db.session.rollback()
            db.session.get(User, 1).name = original
            db.session.commit()
            cache.clear()


def test_method_identity_workers_share_the_redis_and_leave_no_key_behind() -> None:
    """The two worker processes meet in the course's Redis (real or embedded) under a scratch
    prefix, which is empty again when the check ends, whether the answer passes or fails."""
    from support.backends import course_prefix, redis_client
    from support.checks.plumbing import glob_escape

    pattern = glob_escape(course_prefix("grading")) + "memoize-identity*"
    status, message = _run("memoize-method-identity",
                           _written("memoize-method-identity", "hash_of_a_string"))
    assert status == "failed" and "in another worker process" in message, message
    assert "in the first process but" in message, message
    assert not list(redis_client().scan_iter(match=pattern, count=500))
