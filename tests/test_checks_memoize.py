"""Lesson 02's checkers, tested both ways: the solutions pass, the placeholders are not
attempted, and plausible wrong answers fail with a hint that names the mistake."""

from __future__ import annotations

import textwrap

import pytest
from conftest import answer_cell, run_answer

from support.exercises import blank_solutions
from support.grading import run_check

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


def _run(exercise: str, source: str) -> tuple[str, str]:
    result = run_check(exercise, run_answer(PREAMBLE + textwrap.dedent(source)))
    return result.status, result.message


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

STATS_BODY = """
        return {
            "name": db.session.get(User, user_id).name,
            "post_count": Post.query.filter_by(user_id=user_id).count(),
            "comment_count": Comment.query.filter_by(user_id=user_id).count(),
            "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
        }
"""


def _stats_answer(decorator: str, invalidate: str, commit: str = "db.session.commit()",
                  returns: str = "user_stats, update_user_name") -> str:
    return (f"""
def make_stats(cache):
    {decorator}
    def user_stats(user_id):""" + STATS_BODY + f"""
    def update_user_name(user_id, name):
        db.session.get(User, user_id).name = name
        {commit}
        {invalidate}

    return {returns}
""")


GOOD_DELETE = "cache.delete_memoized(user_stats, user_id)"
NOTEBOOK_CACHE = "NOTEBOOK_CACHE = Cache()\n"

WRONG_INVALIDATE_ONE = {
    "not memoized": (_stats_answer("", GOOD_DELETE), "not cached"),
    "@cached ignores the argument": (
        _stats_answer("@cache.cached(timeout=600, key_prefix='stats')", GOOD_DELETE),
        "@cache.cached uses one key"),
    "delete_memoized without argument": (
        _stats_answer("@cache.memoize(timeout=600)", "cache.delete_memoized(user_stats)"),
        "threw away every user's entry"),
    "clear the whole cache": (
        _stats_answer("@cache.memoize(timeout=600)", "cache.clear()"),
        "threw away every user's entry"),
    "no invalidation": (
        _stats_answer("@cache.memoize(timeout=600)", "pass"),
        "still returned the cached name"),
    "delete a made-up key": (
        _stats_answer("@cache.memoize(timeout=600)", "cache.delete(f'user_stats_{user_id}')"),
        "still returned the cached name"),
    "string id": (
        _stats_answer("@cache.memoize(timeout=600)",
                      "cache.delete_memoized(user_stats, str(user_id))"),
        "the same argument (an int)"),
    "no commit": (
        _stats_answer("@cache.memoize(timeout=600)", GOOD_DELETE, commit="pass"),
        "did not save the new name"),
    "functools.lru_cache": (
        _stats_answer("@functools.lru_cache", "user_stats.cache_clear()"),
        "does not cache in the Cache it was given"),
    "the notebook's cache": (
        NOTEBOOK_CACHE + _stats_answer("@NOTEBOOK_CACHE.memoize(timeout=600)", GOOD_DELETE),
        "memoized with another Cache object"),
    "returns one function": (
        _stats_answer("@cache.memoize(timeout=600)", GOOD_DELETE, returns="user_stats"),
        "should return two functions"),
    "default timeout": (
        _stats_answer("@cache.memoize()", GOOD_DELETE), "the cache's default"),
    "timeout in minutes": (
        _stats_answer("@cache.memoize(timeout=10)", GOOD_DELETE), "the timeout is in seconds"),
    "never expires": (
        _stats_answer("@cache.memoize(timeout=0)", GOOD_DELETE), "never expires"),
    "delete_memoized by name": (
        _stats_answer("@cache.memoize(timeout=600)",
                      "cache.delete_memoized('user_stats', user_id)"),
        "raised TypeError"),
    # right on the hand-picked user 1, wrong elsewhere: only the generated sequences see it
    "invalidates only user 1": (
        _stats_answer("@cache.memoize(timeout=600)",
                      "if user_id == 1:\n            cache.delete_memoized(user_stats, user_id)"),
        "`update_user_name(2, "),
    "invalidates a constant id": (
        _stats_answer("@cache.memoize(timeout=600)", "cache.delete_memoized(user_stats, 1)"),
        "the same code without a cache returns"),
}


@pytest.mark.parametrize("name", list(WRONG_INVALIDATE_ONE))
def test_invalidate_one_wrong_answers(name: str) -> None:
    source, hint = WRONG_INVALIDATE_ONE[name]
    status, message = _run("memoize-invalidate-one", source)
    assert status == "failed" and hint in message, message


def test_invalidate_one_keyword_delete_passes() -> None:
    source = _stats_answer("@cache.memoize(timeout=600)",
                           "cache.delete_memoized(user_stats, user_id=user_id)")
    assert _run("memoize-invalidate-one", source)[0] == "passed"


@pytest.mark.parametrize("decorator, invalidate", [
    ("@cache.memoize(timeout=600)",
     "cache.delete(user_stats.make_cache_key(user_stats.uncached, user_id))"),
    ("@cache.memoize(timeout=datetime.timedelta(minutes=10))", GOOD_DELETE),
    ("@cache.memoize(timeout='600')", GOOD_DELETE),  # Flask-Caching 2.5.1 converts with int()
])
def test_invalidate_one_correct_alternatives_pass(decorator: str, invalidate: str) -> None:
    status, message = _run("memoize-invalidate-one", _stats_answer(decorator, invalidate))
    assert status == "passed", message


def test_invalidate_one_hint_is_the_shortest_sequence() -> None:
    """Hypothesis shrinks the failing sequence: the hint names three calls, not a long story."""
    _, message = _run("memoize-invalidate-one", WRONG_INVALIDATE_ONE["invalidates only user 1"][0])
    assert message.count("`, then `") == 2, message
    assert "shortest form: `user_stats(2)`, then `update_user_name(2, " in message, message


def test_invalidate_one_timeout_as_an_expression_passes() -> None:
    source = _stats_answer("@cache.memoize(timeout=10 * 60)", GOOD_DELETE)
    assert _run("memoize-invalidate-one", source)[0] == "passed"


def test_invalidate_one_leaves_the_grading_shop_unchanged() -> None:
    _run("memoize-invalidate-one", answer_cell(NB, "memoize-invalidate-one"))
    _run("memoize-invalidate-one", WRONG_INVALIDATE_ONE["no invalidation"][0])
    assert _run("memoize-invalidate-one", answer_cell(NB, "memoize-invalidate-one"))[0] == "passed"


# --- memoize-method-identity ---------------------------------------------------------------


def _report_answer(decorator: str = "@cache.memoize(timeout=300)", identity: str = "",
                   returns: str = "UserReport") -> str:
    return f"""
def make_report_class(cache):
    class UserReport:
        def __init__(self, user_id):
            self.user_id = user_id
{textwrap.indent(textwrap.dedent(identity), " " * 8)}
        {decorator}
        def stats(self):
            user_id = self.user_id
            return {{
                "post_count": Post.query.filter_by(user_id=user_id).count(),
                "comment_count": Comment.query.filter_by(user_id=user_id).count(),
                "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
            }}

    return {returns}
"""


GOOD_ID = "def __caching_id__(self):\n    return f'user:{self.user_id}'\n"

WRONG_METHOD_IDENTITY = {
    "default repr": (_report_answer(), "still its memory address"),
    "id(self)": (_report_answer(identity="def __caching_id__(self):\n    return id(self)\n"),
                 "still its memory address"),
    "constant id": (_report_answer(identity="def __caching_id__(self):\n    return 'report'\n"),
                    "share one key"),
    "id as an attribute": (_report_answer(identity="__caching_id__ = 'report'\n"),
                           "make it a method"),
    "args_to_ignore self": (
        _report_answer(decorator="@cache.memoize(timeout=300, args_to_ignore=['self'])",
                       identity=GOOD_ID),
        "self is left out of the key"),
    "not memoized": (_report_answer(decorator="", identity=GOOD_ID), "not cached"),
    "an instance instead of the class": (_report_answer(identity=GOOD_ID, returns="UserReport(1)"),
                                         "return the class itself"),
    "id mixes in the address": (
        _report_answer(identity="def __caching_id__(self):\n"
                                "    return f'user:{self.user_id}:{id(self)}'\n"),
        "still its memory address"),
    "the notebook's cache": (
        NOTEBOOK_CACHE + _report_answer(decorator="@NOTEBOOK_CACHE.memoize(timeout=300)",
                                        identity=GOOD_ID),
        "memoized with another Cache object"),
    "identity from the user's name": (
        _report_answer(identity="def __caching_id__(self):\n"
                                "    return db.session.get(User, self.user_id).name\n"),
        "building its key queries the database"),
    "name read at construction": (
        _report_answer(identity="def __caching_id__(self):\n"
                                "    return self.name\n").replace(
            "self.user_id = user_id",
            "self.user_id = user_id\n            self.name = db.session.get(User, user_id).name"),
        "rename user "),
    "hash() of a string": (
        _report_answer(identity="def __caching_id__(self):\n"
                                "    return str(hash(f'user:{self.user_id}'))\n"),
        "in another worker process"),
    "hash() of the class name": (
        _report_answer(identity="def __caching_id__(self):\n"
                                "    return f'{hash(type(self).__name__)}:{self.user_id}'\n"),
        "in another worker process"),
}


@pytest.mark.parametrize("name", list(WRONG_METHOD_IDENTITY))
def test_method_identity_wrong_answers(name: str) -> None:
    source, hint = WRONG_METHOD_IDENTITY[name]
    status, message = _run("memoize-method-identity", source)
    assert status == "failed" and hint in message, message


def test_method_identity_repr_passes() -> None:
    source = _report_answer(identity="def __repr__(self):\n"
                                     "    return f'UserReport(user_id={self.user_id})'\n")
    status, message = _run("memoize-method-identity", source)
    assert status == "passed", message


def test_method_identity_hash_of_an_int_passes() -> None:
    """hash() of an int is the same in every process: not the per-process hash of a string."""
    source = _report_answer(identity="def __caching_id__(self):\n"
                                     "    return str(hash(self.user_id))\n")
    status, message = _run("memoize-method-identity", source)
    assert status == "passed", message


def test_method_identity_dataclass_repr_passes() -> None:
    source = """
def make_report_class(cache):
    @dataclasses.dataclass
    class UserReport:
        user_id: int

        @cache.memoize(timeout=300)
        def stats(self):
            user_id = self.user_id
            return {
                "post_count": Post.query.filter_by(user_id=user_id).count(),
                "comment_count": Comment.query.filter_by(user_id=user_id).count(),
                "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
            }

    return UserReport
"""
    status, message = _run("memoize-method-identity", source)
    assert status == "passed", message


def test_method_identity_function_of_the_id_passes_without_an_address() -> None:
    """The lesson's alternative: the method calls a memoized function of the user id. The
    success message speaks of behaviour, not of a key that still holds the address."""
    source = """
def make_report_class(cache):
    @cache.memoize(timeout=300)
    def stats_for(user_id):
        return {
            "post_count": Post.query.filter_by(user_id=user_id).count(),
            "comment_count": Comment.query.filter_by(user_id=user_id).count(),
            "avg_rating": db.session.query(func.avg(Rating.score)).filter_by(user_id=user_id).scalar(),
        }

    class UserReport:
        def __init__(self, user_id):
            self.user_id = user_id

        def stats(self):
            return stats_for(self.user_id)

    return UserReport
"""
    status, message = _run("memoize-method-identity", source)
    assert status == "passed", message
    assert "object at 0x" not in message and "keyed on" not in message, message


# --- memoize-none --------------------------------------------------------------------------


def _find_answer(decorator: str, miss: str = "None", wrap: str = "") -> str:
    return f"""
def make_find_user(cache):
    {decorator}
    def find_user(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else {miss}
{textwrap.indent(textwrap.dedent(wrap), " " * 4)}
    return find_user
"""


UNWRAP_OBJECT = """
MISSING = object()
lookup = find_user
def find_user(email):
    found = lookup(email)
    return None if found is MISSING else found
"""

WRONG_NONE = {
    "plain memoize": (_find_answer("@cache.memoize(timeout=60)"),
                      "does not cache a None result"),
    "@cached": (_find_answer("@cache.cached(timeout=60, key_prefix='find_user')"),
                "the key ignores the email"),
    "marker leaks to the caller": (
        _find_answer("@cache.memoize(timeout=60)", miss="'not-found'"),
        "callers expect None"),
    "object() sentinel": (
        _find_answer("@cache.memoize(timeout=60)", miss="MISSING", wrap=UNWRAP_OBJECT),
        "bare object() sentinel"),
    "not cached": (_find_answer(""), "not cached"),
    "functools.lru_cache": (_find_answer("@functools.lru_cache"),
                            "does not cache in the Cache it was given"),
    "the notebook's cache": (
        NOTEBOOK_CACHE + _find_answer("@NOTEBOOK_CACHE.memoize(timeout=60, cache_none=True)"),
        "memoized with another Cache object"),
    "string marker compared with is": (
        "NOT_FOUND = 'not-found'\n" + _find_answer("@cache.memoize(timeout=60)", miss="NOT_FOUND",
                                                     wrap="""
            lookup = find_user
            def find_user(email):
                found = lookup(email)
                return None if found is NOT_FOUND else found
            """),
        "callers expect None"),
    "misses remembered in a set": (
        """
def make_find_user(cache):
    missing = set()

    @cache.memoize(timeout=60)
    def lookup(email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    def find_user(email):
        if email in missing:
            return None
        found = lookup(email)
        if found is None:
            missing.add(email)
        return found

    return find_user
""", "does not cache in the Cache it was given"),
    "email lower-cased before the query": (
        _find_answer("@cache.memoize(timeout=60, cache_none=True)").replace(
            "filter_by(email=email)", "filter_by(email=email.lower())"),
        "the function itself changes the answer"),
    "key lower-cased, query exact": (
        """
def make_find_user(cache):
    @cache.memoize(timeout=60, cache_none=True, args_to_ignore=["email"])
    def lookup(key, email):
        user = User.query.filter_by(email=email).first()
        return user.to_dict() if user else None

    def find_user(email):
        return lookup(email.strip().lower(), email)  # one entry per normalised address

    return find_user
""", "the same code without a cache returns"),
}


@pytest.mark.parametrize("name", list(WRONG_NONE))
def test_none_wrong_answers(name: str) -> None:
    source, hint = WRONG_NONE[name]
    status, message = _run("memoize-none", source)
    assert status == "failed" and hint in message, message


def test_none_cache_none_passes() -> None:
    source = _find_answer("@cache.memoize(timeout=60, cache_none=True)")
    status, message = _run("memoize-none", source)
    assert status == "passed", message


def test_none_manual_get_set_with_a_marker_passes() -> None:
    source = """
def make_find_user(cache):
    def find_user(email):
        key = f"find_user:{email}"
        found = cache.get(key)
        if found is None:
            user = User.query.filter_by(email=email).first()
            found = user.to_dict() if user else False
            cache.set(key, found, timeout=60)
        return found or None

    return find_user
"""
    status, message = _run("memoize-none", source)
    assert status == "passed", message


def test_none_string_sentinel_passes() -> None:
    wrap = """
    lookup = find_user
    def find_user(email):
        found = lookup(email)
        return None if found == "not-found" else found
    """
    source = _find_answer("@cache.memoize(timeout=60)", miss="'not-found'", wrap=wrap)
    status, message = _run("memoize-none", source)
    assert status == "passed", message


# --- memoize-route-int ---------------------------------------------------------------------


def _route_answer(rule: str, call: str = "user_stats(user_id)") -> str:
    return f"""
def add_stats_route(app, user_stats):
    @app.route({rule!r})
    def user_stats_view(user_id):
        return jsonify({call})
"""


WRONG_ROUTE = {
    "no converter": (_route_answer("/users/<user_id>/stats"), "with a str"),
    "string converter": (_route_answer("/users/<string:user_id>/stats"), "with a str"),
    "float converter": (_route_answer("/users/<float:user_id>/stats"), "404 Not Found"),
    "wrong path": (_route_answer("/user/<int:user_id>/stats"), "404 Not Found"),
    "uncached call": (_route_answer("/users/<int:user_id>/stats", "user_stats.uncached(user_id)"),
                      "computed the statistics again"),
    "ignores user_stats": (
        _route_answer("/users/<int:user_id>/stats",
                      "{'post_count': Post.query.filter_by(user_id=user_id).count()}"),
        "never called user_stats"),
    "path converter": (_route_answer("/users/<path:user_id>/stats"), "with a str"),
    "int converter, str argument": (
        _route_answer("/users/<int:user_id>/stats", "user_stats(str(user_id))"), "with a str"),
    "float argument": (
        _route_answer("/users/<int:user_id>/stats", "user_stats(float(user_id))"), "with a float"),
    "a second cache in the view": (
        """
def add_stats_route(app, user_stats):
    @functools.lru_cache
    def stats_of(user_id):
        return user_stats(user_id)

    @app.route("/users/<int:user_id>/stats")
    def user_stats_view(user_id):
        return jsonify(stats_of(user_id))
""", "something else keeps the old response"),
    "always user 1": (_route_answer("/users/<int:user_id>/stats", "user_stats(1)"),
                      "must pass the URL's user id to user_stats"),
    "only /users/1/stats": (
        """
def add_stats_route(app, user_stats):
    @app.route("/users/1/stats")
    def user_stats_view():
        return jsonify(user_stats(1))
""", "The view does not answer /users/2/stats"),
}


@pytest.mark.parametrize("name", list(WRONG_ROUTE))
def test_route_int_wrong_answers(name: str) -> None:
    source, hint = WRONG_ROUTE[name]
    status, message = _run("memoize-route-int", source)
    assert status == "failed" and hint in message, message


def test_route_int_converting_in_the_view_passes() -> None:
    source = _route_answer("/users/<user_id>/stats", "user_stats(int(user_id))")
    status, message = _run("memoize-route-int", source)
    assert status == "passed", message


def test_route_int_add_url_rule_passes() -> None:
    source = """
def add_stats_route(app, user_stats):
    def user_stats_view(user_id):
        return jsonify(user_stats(user_id=user_id))

    app.add_url_rule("/users/<int:user_id>/stats", view_func=user_stats_view)
"""
    status, message = _run("memoize-route-int", source)
    assert status == "passed", message


def test_route_int_leaves_no_post_behind() -> None:
    from flask import Flask

    from support.checks import memoize
    from support.data import Post, init_shop

    _run("memoize-route-int", WRONG_ROUTE["no converter"][0])
    app = Flask("inspect_grading_shop")
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{memoize._grading_db()}"
    init_shop(app)
    with app.app_context():
        assert Post.query.filter_by(title="grading post").count() == 0
