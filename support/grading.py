"""Self-check API for the exercises.

A check cell runs ``check("views-query-string")``. The checker registered for that id looks up
the learner's answer in the notebook's namespace, tries it against a small app of its own and
returns a :class:`Result`: ``passed``, ``failed`` (with a hint naming the mistake) or
``not-attempted``. It never lets the learner's exception escape as a traceback.

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

Status = Literal["passed", "failed", "not-attempted", "error"]

SOLUTIONS_DIR = Path(__file__).resolve().parent.parent / "solutions"
ICONS = {"passed": "✅", "failed": "❌", "not-attempted": "⏳", "error": "💥"}
_COLOURS = {"passed": "#e7f6e7", "failed": "#fdecea", "not-attempted": "#f3f3f3",
            "error": "#fdecea"}


class Fail(AssertionError):
    """Raised by a checker: the answer is wrong; the message is the hint shown to the learner."""


class NotAttempted(Exception):
    """Raised by a checker: the answer is still the placeholder."""


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
        label = "not attempted yet" if self.status == "not-attempted" else self.status
        text = f"{ICONS[self.status]} {self.exercise}: {label}. {self.message}"
        if self.status in ("failed", "not-attempted"):
            text += (f'\n   Stuck? hint("{self.exercise}") gives a nudge; '
                     f'reveal("{self.exercise}") shows the answer.')
        return text

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        body = "<br>".join(html.escape(line) for line in str(self).splitlines())
        return (f'<div style="background:{_COLOURS[self.status]};padding:6px 10px;'
                f'border-radius:4px">{body}</div>')


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
        if exercise_id in REGISTRY:
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
        if name not in self.variables:
            raise NotAttempted(f"`{name}` is not defined yet: write it in the cell above and run "
                               "that cell, then this one.")
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


def _load_checkers() -> None:
    from support import checks

    for module in pkgutil.iter_modules(checks.__path__):
        importlib.import_module(f"support.checks.{module.name}")


def _learner_namespace() -> Mapping[str, Any]:
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython ships with the course
        shell = None
    if shell is not None:
        return shell.user_ns
    return sys._getframe(2).f_globals


def _lookup(exercise_id: str) -> Exercise:
    _load_checkers()
    if exercise_id not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"no exercise is called {exercise_id!r}; known exercises: {known}")
    return REGISTRY[exercise_id]


def run_check(exercise_id: str, variables: Mapping[str, Any]) -> Result:
    """Run one checker against ``variables`` and return its result (never raises)."""
    try:
        entry = _lookup(exercise_id)
    except KeyError as exc:
        return Result(exercise_id, "error", str(exc.args[0]))
    try:
        message = entry.checker(Namespace(variables))
        result = Result(exercise_id, "passed", message or "Well done.")
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


def check(exercise_id: str, variables: Mapping[str, Any] | None = None) -> Result:
    """Check the learner's answer to ``exercise_id``; the notebook shows the returned result."""
    return run_check(exercise_id, variables if variables is not None else _learner_namespace())


def hint(exercise_id: str) -> None:
    """Print the general hint of an exercise."""
    try:
        print(f"💡 {exercise_id}: {_lookup(exercise_id).hint}")
    except KeyError as exc:
        print(exc.args[0])


def solution_source(exercise_id: str, solutions_dir: Path = SOLUTIONS_DIR) -> str | None:
    """The answer cell(s) of ``exercise_id`` from the solutions notebooks, or ``None``."""
    import nbformat

    for path in sorted(solutions_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = [c.source for c in nb.cells
                 if f"exercise:{exercise_id}" in c.get("metadata", {}).get("tags", [])]
        if cells:
            return "\n\n".join(cells)
    return None


def reveal(exercise_id: str) -> None:
    """Print the model answer of an exercise (try the hint first!)."""
    source = solution_source(exercise_id)
    if source is None:
        print(f"No solution found for {exercise_id!r} in {SOLUTIONS_DIR}.")
        return
    print(f"One correct answer to {exercise_id} (solutions/ has the whole notebook):\n")
    from support.exercises import without_markers

    print(without_markers(source))


def recorded_results() -> list[dict[str, str]]:
    """Every result recorded in this process, for ``python -m support.grade``."""
    return [asdict(r) for r in _recorded.values()]


def recorded_results_json() -> str:
    """:func:`recorded_results` as JSON (what the grader reads from the kernel)."""
    return json.dumps(recorded_results())
