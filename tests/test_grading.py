"""support.grading: outcomes, placeholders, hints and the solution reveal."""

from __future__ import annotations

import pytest

from support import grading
from support.grading import Fail, Namespace, Result, check, is_placeholder, run_check


@pytest.fixture()
def toy_exercise():
    @grading.exercise("toy-double", hint="Return twice the number.")
    def _(ns: Namespace) -> str:
        double = ns.function("double")
        if ns.call(double, 2) != 4:
            raise Fail("double(2) should be 4.")
        return "doubles correctly."

    yield "toy-double"
    grading.REGISTRY.pop("toy-double")


def test_passed(toy_exercise: str) -> None:
    result = check(toy_exercise, {"double": lambda n: n * 2})
    assert result == Result("toy-double", "passed", "doubles correctly.")
    assert "✅" in str(result) and "passed" in result._repr_html_()


def test_failed_with_hint_and_help_line(toy_exercise: str) -> None:
    result = check(toy_exercise, {"double": lambda n: n + 2 if n != 2 else 5})
    assert result.status == "failed"
    assert "double(2) should be 4." in str(result)
    assert 'hint("toy-double")' in str(result) and 'reveal("toy-double")' in str(result)


def test_missing_and_placeholder_answers_are_not_attempted(toy_exercise: str) -> None:
    def double(n): ...

    assert check(toy_exercise, {}).status == "not-attempted"
    assert check(toy_exercise, {"double": double}).status == "not-attempted"
    assert check(toy_exercise, {"double": ...}).status == "not-attempted"
    assert "not attempted yet" in str(check(toy_exercise, {}))


def test_learner_exception_is_a_message_not_a_traceback(toy_exercise: str) -> None:
    def double(n):
        raise KeyError("boom")

    result = check(toy_exercise, {"double": double})
    assert result.status == "failed"
    assert "double(2) raised KeyError" in result.message
    assert "Traceback" not in str(result)


def test_a_non_function_answer_fails(toy_exercise: str) -> None:
    result = check(toy_exercise, {"double": 4})
    assert result.status == "failed" and "should be a function" in result.message


def test_unknown_exercise_is_an_error_listing_known_ones() -> None:
    result = run_check("nope-nothing", {})
    assert result.status == "error" and "setup-create-app" in result.message


def test_checker_bug_on_learner_object_is_reported_as_failed(toy_exercise: str) -> None:
    class Weird:
        def __call__(self, n):
            return self

        def __eq__(self, other):
            raise RuntimeError("cannot compare")

    result = check(toy_exercise, {"double": Weird()})
    assert result.status == "failed" and "RuntimeError" in result.message


def test_results_are_recorded_for_the_grader(toy_exercise: str) -> None:
    check(toy_exercise, {"double": lambda n: n * 2})
    recorded = {r["exercise"]: r for r in grading.recorded_results()}
    assert recorded["toy-double"]["status"] == "passed"


def test_is_placeholder() -> None:
    def empty(a, b): ...

    def documented():
        """Only a docstring."""

    def real(a):
        return a

    def constant(a):
        return True

    def documented_constant(a):
        """Doc."""
        return False

    assert is_placeholder(...) and is_placeholder(empty) and is_placeholder(documented)
    assert not is_placeholder(real) and not is_placeholder(None) and not is_placeholder(0)
    assert not is_placeholder(constant) and not is_placeholder(documented_constant)


def test_hint_and_reveal_print(capsys: pytest.CaptureFixture[str]) -> None:
    grading.hint("setup-create-app")
    grading.reveal("setup-create-app")
    out = capsys.readouterr().out
    assert "init_app" in out
    assert "cache.init_app(app)" in out and "### BEGIN SOLUTION" not in out


def test_reveal_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    grading.reveal("nope-nothing")
    grading.hint("nope-nothing")
    out = capsys.readouterr().out
    assert "No solution found" in out and "no exercise is called" in out
