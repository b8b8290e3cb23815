"""The check core: how a checker is registered, run and reported.

A checker module (``support/checks/<lesson>.py``) registers each exercise's checker with
:func:`exercise`; :func:`run_check` finds it (importing only that lesson's module, so a broken
module is an ``error`` in its own lesson only), gives it the learner's variables as a
:class:`Namespace` and turns what happens into a :class:`Result`: ``passed``, ``failed`` (a
:class:`Fail`'s message is the hint), ``not-attempted`` (:class:`NotAttempted`) or ``error``. A
learner's exception never escapes. Notebooks reach this through :mod:`support.grading`
(``check``, ``hint``, ``reveal``); checkers import from here.

Writing a checker (in ``support/checks/<lesson>.py``)::

    @exercise("setup-create-app", hint="Build the app, then call cache.init_app(app).")
    def _(ns: Namespace) -> str:
        create_app = ns.answer("create_app")      # NotAttempted while still a placeholder
        app = ns.call(create_app, {...})          # the learner's exception becomes a Fail
        if ...:
            raise Fail("the cache is not registered on the app: did you call init_app?")
        return "create_app wires the cache to each app it builds."

An untouched exercise must leave its answer missing, ``...``, or an empty function, so that
``ns.answer`` reports it as not attempted.
"""

from __future__ import annotations

import html
import importlib
import json
import pkgutil
import sys
import traceback
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from support.course import LESSONS
from support.syntax_guard import syntax_error_defining

Status = Literal["passed", "failed", "not-attempted", "error"]

ICONS = {"passed": "✅", "failed": "❌", "not-attempted": "⏳", "error": "💥"}
#: Every status in words: shown beside any icon, so that no status depends on an emoji font.
LABELS = {"passed": "passed", "failed": "failed", "not-attempted": "not attempted yet",
          "error": "error"}
#: Background and text colour per status (text colours have at least 4.5:1 contrast on white).
BACKGROUNDS = {"passed": "#e7f6e7", "failed": "#fdecea", "not-attempted": "#f3f3f3",
               "error": "#fdecea"}
TEXT_COLOURS = {"passed": "#1b5e20", "failed": "#b71c1c", "not-attempted": "#4a4a4a",
                "error": "#8e1b1b"}
_COLOURS = BACKGROUNDS  # the old name
#: Key of a check result's structured record in its notebook output's metadata.
METADATA_KEY = "fcc_check"


def status_html(status: str, text: str | None = None) -> str:
    """A status as HTML: the icon hidden from screen readers, the word, colour and a label."""
    label = LABELS.get(status, status)
    colour = TEXT_COLOURS.get(status, "#000")
    words = html.escape(label if text is None else text)
    return (f'<span class="fcc-status fcc-{html.escape(status)}" title="{html.escape(label)}" '
            f'style="color:{colour};font-weight:600"><span aria-hidden="true">'
            f"{ICONS.get(status, '?')}</span> {words}</span>")


class Fail(AssertionError):
    """Raised by a checker: the answer is wrong; the message is the hint shown to the learner."""


class NotAttempted(Exception):
    """Raised by a checker: the answer is still the placeholder."""


class BrokenAnswer(Exception):
    """The answer's cell has a syntax error, so it did not run: the check is an ``error``."""


@dataclass(frozen=True)
class Result:
    """The outcome of one check."""

    exercise: str
    status: Status
    message: str

    @property
    def passed(self) -> bool:
        """True when the answer passed."""
        return self.status == "passed"

    def __str__(self) -> str:
        text = f"{ICONS[self.status]} {self.exercise}: {LABELS[self.status]}. {self.message}"
        if self.status in ("failed", "not-attempted"):
            text += (f'\n   Stuck? hint("{self.exercise}") gives a nudge; '
                     f'reveal("{self.exercise}") shows the answer.')
        return text

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        lines = str(self).splitlines()
        first = lines[0].split(" ", 1)[1]  # without the icon: status_html shows it
        head = html.escape(first).replace(
            html.escape(f"{self.exercise}: {LABELS[self.status]}."),
            f"{html.escape(self.exercise)}: {status_html(self.status)}.", 1)
        body = "<br>".join([head, *(html.escape(line) for line in lines[1:])])
        return (f'<div role="status" aria-label="{html.escape(self.exercise)}: '
                f'{LABELS[self.status]}" style="background:{BACKGROUNDS[self.status]};'
                f"border-left:6px solid {TEXT_COLOURS[self.status]};padding:6px 10px;"
                f'border-radius:4px">{body}</div>')

    def record(self) -> dict[str, str]:
        """The result as plain data: ``exercise``, ``status``, ``message``."""
        return asdict(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None
                          ) -> tuple[dict[str, str], dict[str, Any]]:
        # The metadata travels with the saved output: support.progress reads it.
        return ({"text/plain": str(self), "text/html": self._repr_html_()},
                {METADATA_KEY: self.record()})


@dataclass(frozen=True)
class Exercise:
    """A registered exercise: its id, its checker and its general hint."""

    id: str
    checker: Callable[[Namespace], str]
    hint: str


REGISTRY: dict[str, Exercise] = {}
_recorded: dict[str, Result] = {}


def exercise(exercise_id: str, *, hint: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register the decorated function as the checker of ``exercise_id``."""

    def register(checker: Callable[..., str]) -> Callable[..., str]:
        known = REGISTRY.get(exercise_id)
        if known is not None and (known.checker.__module__, known.checker.__qualname__) != (
                checker.__module__, checker.__qualname__):
            raise ValueError(f"exercise id {exercise_id!r} is registered twice")
        REGISTRY[exercise_id] = Exercise(exercise_id, checker, hint)
        return checker

    return register


class Namespace:
    """The learner's variables, with helpers that turn slips into clear outcomes."""

    def __init__(self, variables: Mapping[str, Any]) -> None:
        self.variables = variables

    def answer(self, name: str) -> Any:
        """The learner's ``name``; :class:`NotAttempted` while it is missing or a placeholder."""
        broken = syntax_error_defining(name)
        if broken is not None:
            raise BrokenAnswer(f"the cell that defines `{name}` has a syntax error, so it did not "
                               f"run: {broken}. Fix that cell and run it again, then this one.")
        if name not in self.variables:
            raise NotAttempted(f"`{name}` is not defined in this kernel yet: your answer in the "
                               f"cell above defines it (replace the `...` there), then run that "
                               "cell and this one. After a kernel restart, run the cells above "
                               "first: Run > Run All Above Selected Cell.")
        value = self.variables[name]
        if is_placeholder(value):
            raise NotAttempted(f"`{name}` is still the placeholder: replace the `...` in the "
                               "cell above with your answer and run it.")
        return value

    def function(self, name: str) -> Callable[..., Any]:
        """The learner's function ``name`` (see :meth:`answer`); a :class:`Fail` if not callable."""
        value = self.answer(name)
        if not callable(value):
            raise Fail(f"`{name}` should be a function, but it is a {type(value).__name__}.")
        return value

    def get(self, name: str, default: Any = None) -> Any:
        """A variable the lesson defined (not an answer), or ``default``."""
        return self.variables.get(name, default)

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call the learner's code; an exception in it becomes a :class:`Fail` with its message."""
        try:
            return fn(*args, **kwargs)
        except (Fail, NotAttempted):
            raise
        except Exception as exc:
            raise Fail(f"calling {describe_call(fn, args, kwargs)} raised "
                       f"{type(exc).__name__}: {exc}") from None


def describe_call(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
    """``name(arg, key=value)`` for messages, with long reprs shortened."""
    parts = [_short_repr(a) for a in args] + [f"{k}={_short_repr(v)}" for k, v in kwargs.items()]
    return f"{getattr(fn, '__name__', 'your function')}({', '.join(parts)})"


def _short_repr(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _empty() -> None: ...


def _empty_with_doc() -> None:
    """Docstring."""


def is_placeholder(value: Any) -> bool:
    """True for ``...`` and for a function whose body is only ``...``, ``pass`` or a docstring."""
    if value is Ellipsis:
        return True
    code = getattr(value, "__code__", None)
    if code is None:
        return False
    # An empty body loads None and returns it: slot 0 plain, slot 1 after a docstring.
    return any(code.co_code == empty.__code__.co_code and code.co_consts[slot] is None
               for empty, slot in ((_empty, 0), (_empty_with_doc, 1)))


class CheckerUnavailable(Exception):
    """The checkers of an exercise's lesson cannot be loaded (a fault in the course)."""


def lesson_module(exercise_id: str) -> str | None:
    """``support.checks.<module>`` holding the checkers of ``exercise_id``, from its prefix.

    The prefix is a lesson's slug (``support.course.LESSONS``: ``when-to-cache-ttls`` ->
    ``support.checks.when_to_cache``); a lesson not listed there yet is found by the module name.
    """
    for slug in sorted((lesson.slug for lesson in LESSONS), key=len, reverse=True):
        if exercise_id.startswith(slug + "-"):
            return f"support.checks.{slug.replace('-', '_')}"
    from support import checks

    flat = exercise_id.replace("-", "_")
    names = sorted((m.name for m in pkgutil.iter_modules(checks.__path__)
                    if not m.name.startswith("_")), key=len, reverse=True)
    return next((f"support.checks.{n}" for n in names if flat.startswith(n + "_")), None)


def _import_lesson(module: str) -> None:
    """Import one lesson's checkers; any failure becomes :class:`CheckerUnavailable`."""
    if module in sys.modules:
        return
    try:
        importlib.import_module(module)
    except Exception as exc:  # SyntaxError, ImportError, an error at import time, ...
        where = traceback.extract_tb(exc.__traceback__)
        place = f" ({Path(where[-1].filename).name}, line {where[-1].lineno})" if where else ""
        if isinstance(exc, SyntaxError) and exc.filename:
            place = f" ({Path(exc.filename).name}, line {exc.lineno})"
        raise CheckerUnavailable(
            f"the checkers in {module} could not be loaded: {type(exc).__name__}: {exc}{place}. "
            "This is a fault in the course, not in your answer: tell your instructor (or update "
            "the course). The other lessons' checks still work.") from None


def _load_checkers() -> None:
    """Import every lesson's checkers (for tools and tests; ``check`` loads only one lesson)."""
    from support import checks

    for module in pkgutil.iter_modules(checks.__path__):
        importlib.import_module(f"support.checks.{module.name}")


def _lookup(exercise_id: str) -> Exercise:
    """The registered exercise; loads only its lesson's checkers (KeyError / CheckerUnavailable)."""
    if exercise_id in REGISTRY:
        return REGISTRY[exercise_id]
    module = lesson_module(exercise_id)
    if module is None:
        starts = ", ".join(f"{lesson.slug}-" for lesson in LESSONS)
        raise KeyError(f"no exercise is called {exercise_id!r}: an exercise id starts with its "
                       f"lesson ({starts}); copy it from the check cell of the exercise notebook.")
    _import_lesson(module)
    if exercise_id not in REGISTRY:
        prefix = module.rsplit(".", 1)[1].replace("_", "-") + "-"
        known = ", ".join(sorted(e for e in REGISTRY if e.startswith(prefix))) or "none"
        raise KeyError(f"no exercise is called {exercise_id!r}; this lesson's exercises: {known}")
    return REGISTRY[exercise_id]


def run_check(exercise_id: str, variables: Mapping[str, Any]) -> Result:
    """Run one checker against ``variables`` and return its result (never raises)."""
    try:
        entry = _lookup(exercise_id)
    except KeyError as exc:
        return Result(exercise_id, "error", str(exc.args[0]))
    except CheckerUnavailable as exc:
        return Result(exercise_id, "error", str(exc))
    try:
        message = entry.checker(Namespace(variables))
        result = Result(exercise_id, "passed", message or "Well done.")
    except BrokenAnswer as exc:
        result = Result(exercise_id, "error", str(exc))
    except NotAttempted as exc:
        result = Result(exercise_id, "not-attempted", str(exc))
    except Fail as exc:
        result = Result(exercise_id, "failed", str(exc))
    except Exception as exc:  # a learner's object misbehaving in a way the checker missed
        where = traceback.extract_tb(exc.__traceback__)[-1]
        result = Result(exercise_id, "failed",
                        f"your answer raised {type(exc).__name__}: {exc} "
                        f"(in {Path(where.filename).name}, line {where.lineno})")
    _recorded[exercise_id] = result
    return result


def recorded_results() -> list[dict[str, str]]:
    """Every result recorded in this process, for ``python -m support grade``."""
    return [asdict(r) for r in _recorded.values()]


def recorded_results_json() -> str:
    """:func:`recorded_results` as JSON (what the grader reads from the kernel)."""
    return json.dumps(recorded_results())
