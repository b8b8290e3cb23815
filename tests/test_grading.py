"""support.grading: outcomes, placeholders, hints and the solution reveal."""

from __future__ import annotations

import pytest

from support import grading, syntax_guard
from support.checks import core
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


def test_unknown_exercise_is_an_error_naming_the_lessons() -> None:
    result = run_check("nope-nothing", {})
    assert result.status == "error" and "setup-" in result.message and "views-" in result.message
    result = run_check("views-no-such-thing", {})
    assert result.status == "error" and "views-query-string" in result.message


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


# --- isolation: a check loads only its own lesson's checkers ------------------------------------


def test_exercise_ids_map_to_their_lesson_module() -> None:
    assert grading.lesson_module("setup-create-app") == "support.checks.setup"
    assert grading.lesson_module("when-to-cache-ttls") == "support.checks.when_to_cache"
    assert grading.lesson_module("nope-nothing") is None


SHARED_CHECKER_MODULES = {"support.checks.core", "support.checks.plumbing",
                          "support.checks.transparency", "support.checks.processes",
                          "support.checks.concurrency"}


def test_check_imports_only_its_lesson() -> None:
    import ast
    import subprocess
    import sys

    code = ("import sys; from support.grading import run_check; "
            "r = run_check('views-query-string', {}); "
            "print(r.status, sorted(m for m in sys.modules if m.startswith('support.checks.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    status, loaded = out.strip().split(" ", 1)
    lessons = set(ast.literal_eval(loaded)) - SHARED_CHECKER_MODULES
    assert status == "not-attempted"
    assert lessons == {"support.checks.views"}


@pytest.fixture()
def broken_lesson(tmp_path, monkeypatch):
    """A lesson module whose import fails, standing for a broken support/checks/<lesson>.py."""
    package = tmp_path / "fcc_broken_checks"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "lesson.py").write_text("def oops(:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    real = core.lesson_module
    monkeypatch.setattr(core, "lesson_module", lambda exercise_id: (
        "fcc_broken_checks.lesson" if exercise_id.startswith("broken-") else real(exercise_id)))
    return "broken-thing"


def test_a_broken_lesson_module_is_an_error_result_and_others_still_work(broken_lesson: str,
                                                                          capsys) -> None:
    result = run_check(broken_lesson, {})
    assert result.status == "error"
    assert "could not be loaded: SyntaxError" in result.message
    assert "lesson.py, line 1" in result.message and "not in your answer" in result.message
    assert "Traceback" not in str(result)
    assert run_check("views-query-string", {}).status == "not-attempted"
    grading.hint(broken_lesson)
    assert "could not be loaded" in capsys.readouterr().out


def test_a_checker_module_can_be_imported_again_after_a_failure() -> None:
    def checker(ns: Namespace) -> str:
        return "ok"

    grading.exercise("toy-again", hint="h")(checker)
    try:
        grading.exercise("toy-again", hint="h")(checker)  # the same checker again: fine
        with pytest.raises(ValueError):
            grading.exercise("toy-again", hint="h")(lambda ns: "other")
    finally:
        grading.REGISTRY.pop("toy-again")


# --- structured results and readable statuses ---------------------------------------------------


def test_results_carry_structured_metadata(toy_exercise: str) -> None:
    result = check(toy_exercise, {"double": lambda n: n * 2})
    data, metadata = result._repr_mimebundle_()
    assert data["text/plain"] == str(result) and data["text/html"] == result._repr_html_()
    assert metadata == {grading.METADATA_KEY: {"exercise": "toy-double", "status": "passed",
                                               "message": "doubles correctly."}}


@pytest.mark.parametrize("status", ["passed", "failed", "not-attempted", "error"])
def test_every_status_shows_words_colour_and_a_label(status: str) -> None:
    result = Result("toy-x", status, "msg")  # type: ignore[arg-type]
    page = result._repr_html_()
    assert grading.LABELS[status] in str(result)
    assert f'aria-label="toy-x: {grading.LABELS[status]}"' in page and 'role="status"' in page
    assert grading.TEXT_COLOURS[status] in page and '<span aria-hidden="true">' in page
    assert f">{grading.ICONS[status]}</span> {grading.LABELS[status]}</span>" in page


def test_missing_answer_says_where_it_is_defined_and_how_to_run_it(toy_exercise: str) -> None:
    """True both after Run All of an untouched bare `...` cell and after a kernel restart."""
    result = check(toy_exercise, {})
    assert result.status == "not-attempted"
    assert "not defined in this kernel yet" in result.message
    assert "replace the `...` there" in result.message
    assert "after a kernel restart, run the cells above" in result.message.lower()


# --- a syntax error in an answer cell -------------------------------------------------------------


def test_syntax_guard_replaces_a_broken_cell_and_remembers_what_it_defined(toy_exercise: str
                                                                           ) -> None:
    broken = ["def double(n):\n", "    return n *\n"]
    replaced = syntax_guard._syntax_guard(broken)
    assert replaced != broken and "_show_syntax_error" in replaced[0]
    key = replaced[0].split("(")[-1].strip(")\n'")
    slip = syntax_guard._pending[key]
    assert slip.line == 2 and slip.names == ("double",) and slip.code == "return n *"
    assert slip.caret.strip() == "^" and "SyntaxError in this cell, line 2" in slip.plain()
    assert 'role="alert"' in slip.html()
    syntax_guard._broken["double"] = slip  # what showing the error does
    result = check(toy_exercise, {"double": lambda n: n * 2})  # an older version is defined
    assert result.status == "error" and "has a syntax error" in result.message
    assert "line 2" in result.message
    fixed = ["def double(n):\n", "    return n * 2\n"]
    assert syntax_guard._syntax_guard(fixed) == fixed
    assert syntax_guard.syntax_error_defining("double") is None
    assert check(toy_exercise, {"double": lambda n: n * 2}).status == "passed"


@pytest.mark.parametrize("source", ["await something()\n", "x = 1\n", "print(1)\n",
                                    "get_ipython().run_line_magic('time', 'x = 1')\n"])
def test_syntax_guard_leaves_valid_cells_alone(source: str) -> None:
    assert syntax_guard._syntax_guard([source]) == [source]


def test_syntax_guard_catches_compiler_errors_too() -> None:
    assert "_show_syntax_error" in syntax_guard._syntax_guard(["return 3\n"])[0]
    assert "_show_syntax_error" in syntax_guard._syntax_guard(["if True:\nx = 1\n"])[0]
