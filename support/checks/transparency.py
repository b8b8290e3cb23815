"""Judge a cache by transparency: it must answer what the same code without a cache answers.

A checker describes two or three *sides* and a strategy of *steps*:

* ``learner``: the learner's cached app or function;
* ``truth``: the same thing without a cache (every answer must equal its answer);
* ``reference`` (optional): the worked solution (the learner must save at least its work).

:func:`judge` runs all sides side by side on generated scenarios (Hypothesis rule-based state
machine: a fresh set of sides per scenario, one rule that plays a step on each). It is
derandomised and bounded, so a learner gets the same verdict on every run, and Hypothesis
shrinks a failure to the shortest sequence of steps, which becomes the hint::

    `GET /api/products?category=` then `GET /api/products`: the second was served the
    first's body.

The ``*_values`` / :func:`query_urls` strategies reach the edges wrong keys trip on: absent,
empty, repeated, differently cased, signed or zero-padded parameters, unknown values, names
that collide when joined, ids that share prefixes (1, 10, 11) and other views under one path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from hypothesis import HealthCheck, Phase, Verbosity, seed, settings
from hypothesis import strategies as st
from hypothesis.internal.reflection import function_digest
from hypothesis.stateful import (RuleBasedStateMachine, get_state_machine_test, precondition,
                                 rule, run_state_machine_as_test)

from support.checks.core import Fail, NotAttempted

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth")


@dataclass(frozen=True)
class Step:
    """One action of a scenario: a request, a call, a write or an invalidation.

    ``label`` is what a learner reads in a hint (``GET /a?x=``); ``args`` is what the sides get.
    """

    kind: str
    label: str
    args: tuple[Any, ...] = ()

    def __str__(self) -> str:
        return f"`{self.label}`"


@dataclass
class Side:
    """One version under test: plays steps, counts its work and (optionally) its entries."""

    play: Callable[[Step], Any]
    work: Callable[[], int] = lambda: 0
    entries: Callable[[], int] | None = None
    close: Callable[[], None] = lambda: None


@dataclass(frozen=True)
class Budget:
    """How hard to look: scenarios tried and steps per scenario (kept small: a check is fast)."""

    examples: int = 40
    steps: int = 6

    def settings(self) -> settings:
        """Derandomised, no example database, no deadline, quiet: the same verdict every run."""
        return settings(derandomize=True, database=None, deadline=None,
                        max_examples=self.examples, stateful_step_count=self.steps,
                        verbosity=Verbosity.quiet, report_multiple_bugs=False,
                        phases=(Phase.explicit, Phase.generate, Phase.shrink),
                        suppress_health_check=list(HealthCheck))


@dataclass(frozen=True)
class QuickBudget(Budget):
    """A :class:`Budget` without Hypothesis' shrink phase, for checks whose steps are slow or
    are picked from a short list (a request, a command, a write).

    Shrinking a stateful failure can replay hundreds of scenarios (tens of seconds when every
    step runs queries; for a wrong answer to lesson 07 or 08, three quarters of the check);
    :func:`judge` still minimises the failing sequence itself, dropping steps one at a time
    while the failure remains, so the hint stays a sequence from which no step can be left out,
    and the verdict is the same on every run. What is lost is Hypothesis' simplifying of the
    values inside a step, which matters for steps that carry lists or free values.
    """

    def settings(self) -> settings:
        return settings(super().settings(), phases=(Phase.explicit, Phase.generate))


@dataclass
class Verdict:
    """What :func:`judge` saw on the passing run: scenarios and steps played, work compared."""

    scenarios: int = 0
    steps: int = 0
    work: dict[str, int] = field(default_factory=dict)


def ordinal(index: int) -> str:
    """``first``, ``second``, ... for a 0-based index (``step 13`` beyond twelve)."""
    return ORDINALS[index] if index < len(ORDINALS) else f"step {index + 1}"


def sequence(steps: Sequence[Step]) -> str:
    """The steps as a learner reads them: `` `GET /a` then `GET /b` ``."""
    return " then ".join(str(s) for s in steps)


def equal_answers(steps: Sequence[Step], truths: Sequence[Any], got: Any,
                  noun: str = "body") -> str | None:
    """Why the last step's answer ``got`` is wrong (``None`` when it equals the truth's): whose
    answer it was served, if an earlier one's. A checker's ``compare`` may start from it."""
    if got == truths[-1]:
        return None
    last = len(steps) - 1
    if last == 0:
        return f"answered {_short(got)} instead of {_short(truths[-1])}."
    for earlier in range(last - 1, -1, -1):
        if truths[earlier] == got and truths[earlier] != truths[last]:
            return f"the {ordinal(last)} was served the {ordinal(earlier)}'s {noun}."
    return (f"the {ordinal(last)} answered {_short(got)}, but without a cache it answers "
            f"{_short(truths[last])} (stale or wrong data).")


def describe_mismatch(steps: Sequence[Step], truths: Sequence[Any], got: Any,
                      noun: str = "body") -> str:
    """The hint for a wrong last answer: the sequence, then :func:`equal_answers`' reason."""
    return f"{sequence(steps)}: {equal_answers(steps, truths, got, noun)}"


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


Factory = Callable[[], Side]


@dataclass(frozen=True)
class Steps:
    """Fresh steps, and (optionally) steps *near* an earlier one: the same request with one
    parameter respelled, emptied or removed. Near steps are what a wrong key merges, so a
    scenario tries them often instead of waiting for two random URLs to be neighbours.

    ``simpler`` (optional) gives smaller versions of a step (a command with one id fewer): the
    failing sequence of a hint is simplified with them too, not only shortened, which is what
    Hypothesis' shrinking would do and a :class:`QuickBudget` leaves out."""

    fresh: st.SearchStrategy[Step]
    near: Callable[[Step], st.SearchStrategy[Step]] | None = None
    simpler: Callable[[Step], Sequence[Step]] | None = None


class StepFailed(Exception):
    """Raised by a side's ``play`` to fail the step in the checker's own words (for a failure
    that is not an exception of the learner's code, e.g. an error Flask-Caching logged): the
    hint reads ``<sequence>: during the <ordinal>, <message>``."""


@dataclass
class FailingScenario:
    """The shortest failing scenario, for a checker's ``explain``.

    ``kind`` says which rule the last step broke: ``answer`` (``got`` differs from
    ``truths[-1]``), ``raised`` (the learner's code raised ``got``), ``failed`` (the learner's
    side raised ``got``, a :class:`StepFailed`), ``work`` or ``entries``; ``message`` is the
    core's hint: the sequence, then what went wrong.
    """

    steps: list[Step]
    truths: list[Any]
    got: Any
    kind: str
    message: str

    def served(self) -> int | None:
        """The index of the latest earlier step whose true answer the last step got, if any."""
        if self.kind != "answer":
            return None
        return next((i for i in range(len(self.steps) - 2, -1, -1)
                     if self.truths[i] == self.got != self.truths[-1]), None)


class ScenarioFail(Fail):
    """The :class:`Fail` of :func:`judge`: the hint, and the shortest failing ``steps``."""

    def __init__(self, message: str, steps: Sequence[Step]) -> None:
        super().__init__(message)
        self.steps = list(steps)


#: ``explain(found)``: the whole hint for the shortest failing scenario (``found.message`` is
#: the core's wording; :func:`with_advice` appends a checker's advice to it).
Explain = Callable[[FailingScenario], str]
#: ``compare(steps, truths, got)``: why the learner's answer to the last step is wrong, in the
#: exercise's words (``None`` when it is right), for answers not judged by ``==`` alone.
Compare = Callable[[Sequence[Step], Sequence[Any], Any], "str | None"]


def with_advice(advice: Callable[[FailingScenario], str]) -> Explain:
    """An :data:`Explain` that appends ``advice(found)`` (if any) to the core's message."""
    def explain(found: FailingScenario) -> str:
        extra = advice(found)
        return f"{found.message} {extra}" if extra else found.message
    return explain


class _Mismatch(Exception):
    """Raised inside a scenario; carries the :class:`FailingScenario`."""

    def __init__(self, found: FailingScenario) -> None:
        super().__init__(found.message)
        self.found = found
        self.steps = found.steps


@dataclass
class _Rules:
    """What :func:`judge` compares, shared by the scenarios and the final minimisation."""

    learner: Factory
    truth: Factory
    reference: Factory | None
    noun: str
    max_entries: int | None
    slack: int
    compare: Compare | None = None
    entries_within_reference: bool = False
    simpler: Callable[[Step], Sequence[Step]] | None = None


class _Run:
    """One scenario: fresh sides, the steps played so far and their true answers."""

    def __init__(self, rules: _Rules) -> None:
        self.rules = rules
        self.sides = {"truth": rules.truth(), "learner": rules.learner()}
        if rules.reference is not None:
            self.sides["reference"] = rules.reference()
        self.played: list[Step] = []
        self.truths: list[Any] = []

    def close(self) -> None:
        for side in self.sides.values():
            side.close()

    def play(self, step: Step) -> None:
        """Play ``step`` on every side; :class:`_Mismatch` when the learner's side is wrong."""
        self.played.append(step)
        self.truths.append(self.sides["truth"].play(step))
        if "reference" in self.sides:
            self.sides["reference"].play(step)
        which = ordinal(len(self.played) - 1)
        try:
            got = self.sides["learner"].play(step)
        except (Fail, NotAttempted):
            raise
        except StepFailed as exc:
            self._mismatch("failed", f"during the {which}, {exc}", exc)
        except Exception as exc:
            self._mismatch("raised", f"the {which} raised {type(exc).__name__}: {exc}", exc)
        if step.kind != "write":
            self._judge_answer(got)
        self._judge_work()

    def _judge_answer(self, got: Any) -> None:
        if self.rules.compare is not None:
            why = self.rules.compare(self.played, self.truths, got)
            if why:
                self._mismatch("answer", why, got)
        elif got != self.truths[-1]:
            message = describe_mismatch(self.played, self.truths, got, self.rules.noun)
            raise _Mismatch(self._found("answer", message, got))

    def _judge_work(self) -> None:
        mine, theirs = self.sides["learner"], self.sides.get("reference")
        if theirs is not None:
            done, saved = mine.work(), theirs.work()
            if done > saved + self.rules.slack:
                self._mismatch("work", f"every answer was right, but your version did the work "
                               f"{done} time(s) where the worked solution did it {saved} time(s): "
                               "the cache missed where it could have hit.")
        if self.rules.max_entries is not None and mine.entries is not None:
            count = mine.entries()
            if count > self.rules.max_entries:
                self._mismatch("entries", f"the cache now holds {count} entries; at most "
                               f"{self.rules.max_entries} are expected.")
        if self.rules.entries_within_reference and mine.entries is not None and \
                theirs is not None and theirs.entries is not None and \
                mine.entries() > theirs.entries():
            self._mismatch("entries", f"your cache holds {mine.entries()} entries, the worked "
                           f"solution's {theirs.entries()}: a request stored an entry under a "
                           "key the worked solution shares with an earlier one.")

    def _found(self, kind: str, message: str, got: Any = None) -> FailingScenario:
        return FailingScenario(list(self.played), list(self.truths), got, kind, message)

    def _mismatch(self, kind: str, why: str, got: Any = None) -> None:
        raise _Mismatch(self._found(kind, f"{sequence(self.played)}: {why}", got)) from None


def _replay(rules: _Rules, steps: Sequence[Step]) -> _Mismatch | None:
    run = _Run(rules)
    try:
        for step in steps:
            run.play(step)
    except _Mismatch as found:
        return found
    finally:
        run.close()
    return None


def _smaller(rules: _Rules, steps: Sequence[Step]) -> Iterator[list[Step]]:
    """``steps`` with one step left out, then with one step made simpler (``Steps.simpler``)."""
    steps = list(steps)
    if len(steps) > 1:
        for i in range(len(steps)):
            yield steps[:i] + steps[i + 1:]
    if rules.simpler is not None:
        for i, step in enumerate(steps):
            for simpler in rules.simpler(step):
                yield steps[:i] + [simpler] + steps[i + 1:]


def _minimise(rules: _Rules, found: _Mismatch) -> _Mismatch:
    """Drop (or simplify) steps one at a time while the failure remains (Hypothesis' shrink,
    finished off)."""
    best = found
    changed = True
    while changed:
        changed = False
        for candidate in _smaller(rules, best.steps):
            again = _replay(rules, candidate)
            if again is not None:
                best, changed = again, True
                break
    return best


_seed: list[int] = []  # the derandomised seed of judge()'s state machine, once known


def _derandomised_seed(machine: type[RuleBasedStateMachine], options: settings) -> int:
    """The seed ``settings(derandomize=True)`` gives the scenarios of :func:`judge`'s state
    machine: a digest of the sources of Hypothesis' runner and of the machine (whose source is
    the same at every call). It is computed once, here; Hypothesis would read and parse those
    sources again at every check (3 ms of every judge)."""
    if not _seed:
        runner = get_state_machine_test(machine, settings=options).hypothesis.inner_test
        _seed.append(int.from_bytes(function_digest(runner), "big"))
    return _seed[0]


NOT_REPEATED = (" Played again, the same steps answered right: your answer behaved differently on "
                "two runs of the same steps; keep it deterministic (no clocks, random values or "
                "state kept between calls).")


def judge(learner: Factory, truth: Factory, steps: st.SearchStrategy[Step] | Steps, *,
          reference: Factory | None = None, budget: Budget = Budget(), noun: str = "body",
          max_entries: int | None = None, slack: int = 0,
          examples: Sequence[Sequence[Step]] = (), shrink_examples: bool = True,
          explain: Explain | None = None, compare: Compare | None = None,
          entries_within_reference: bool = False) -> Verdict:
    """Play generated scenarios on every side; :class:`ScenarioFail` with the shortest failing
    sequence.

    Every learner answer must equal the truth's answer (or pass ``compare``); the learner's
    work must stay within the reference's work (+ ``slack``) after every step; its entries, if
    counted, within ``max_entries`` (and, with ``entries_within_reference``, within the
    reference's). The learner's exceptions fail the scenario (and are shrunk too), except
    :class:`NotAttempted` and :class:`Fail`, which end the check as they are.

    ``examples`` are hand-picked sequences played first, in order (the classic mistakes, found
    whatever the draw reaches); a failing one is shortened too unless ``shrink_examples`` is
    false (then it is reported up to the step that failed). ``explain`` words the whole hint
    from the shortest :class:`FailingScenario`. A failure that does not repeat when the same
    steps are played again (state kept between scenarios) is reported as first seen.
    """
    verdict = Verdict()
    plan = steps if isinstance(steps, Steps) else Steps(steps)
    rules = _Rules(learner, truth, reference, noun, max_entries, slack, compare,
                   entries_within_reference, plan.simpler)

    def fail(found: _Mismatch, shrink: bool = True, note: str = "") -> ScenarioFail:
        best = _minimise(rules, found) if shrink else found
        message = explain(best.found) if explain else best.found.message
        return ScenarioFail(message + note, best.steps)

    for example in examples:
        verdict.scenarios += 1
        verdict.steps += len(example)
        if (found := _replay(rules, example)) is not None:
            raise fail(found, shrink_examples) from None

    first: list[_Mismatch] = []  # the first failure seen, in case Hypothesis cannot replay it

    class Scenario(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.run = _Run(rules)
            verdict.scenarios += 1

        def _play(self, step: Step) -> None:
            verdict.steps += 1
            try:
                self.run.play(step)
            except _Mismatch as found:
                first.append(found)
                raise

        @rule(step=plan.fresh)
        def play(self, step: Step) -> None:
            self._play(step)

        @precondition(lambda self: plan.near is not None and bool(self.run.played))
        @rule(data=st.data())
        def play_near(self, data: st.DataObject) -> None:
            played = self.run.played
            earlier = played[data.draw(st.integers(0, len(played) - 1))]
            self._play(data.draw(plan.near(earlier)))  # type: ignore[misc]

        def teardown(self) -> None:
            self.run.close()

    try:
        options = budget.settings()
        scenario = seed(_derandomised_seed(Scenario, options))(lambda: Scenario())
        run_state_machine_as_test(scenario, settings=options)
    except _Mismatch as found:
        raise fail(found) from None
    except (Fail, NotAttempted):
        raise
    except Exception:
        if not first:  # an error of the checker itself
            raise
        raise fail(first[0], shrink=False, note=NOT_REPEATED) from None  # e.g. Hypothesis' Flaky
    return verdict


# --- strategies for the edges --------------------------------------------------------------------

ABSENT = None
#: Spellings of a value that wrong keys merge or split: empty, case, sign, zero padding, spaces.
EDGE_TEXT = ("", "a", "A", "ab", "a b", " a", "a ", "zzz-unknown")
EDGE_NUMBERS = ("0", "00", "1", "01", "+1", "-1", "10", "11", "2", "1.0", "x")
#: Ids whose decimal spellings share prefixes: a prefix match on 1 also hits 10-19 and 100.
PREFIX_IDS = (1, 2, 10, 11, 12, 19, 100, 21)
#: Pairs of name parts that collide when a key joins them without a separator (or with ':').
COLLIDING_PARTS = (("a", "bc"), ("ab", "c"), ("a:b", "c"), ("a", "b:c"), ("1", "23"), ("12", "3"))


def param_values(values: Sequence[str | None] = (ABSENT, *EDGE_TEXT)
                 ) -> st.SearchStrategy[str | None]:
    """One query parameter's value; ``None`` means the parameter is absent."""
    return st.sampled_from(list(values))


def query_urls(path: str, params: dict[str, Sequence[str | None]], *,
               repeat: bool = True, shuffle: bool = True) -> st.SearchStrategy[str]:
    """URLs of ``path`` with each parameter absent, empty, or one of its edge spellings.

    With ``repeat``, a parameter may appear twice (``?a=1&a=2``); with ``shuffle``, parameters
    come in any order, so a key that depends on the order or on a repeat shows it.
    """
    names = sorted(params)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        pairs: list[tuple[str, str]] = []
        for name in names:
            value = draw(param_values(params[name]))
            if value is None:
                continue
            pairs.append((name, value))
            if repeat and draw(st.booleans()) and draw(st.integers(0, 3)) == 0:
                pairs.append((name, draw(st.sampled_from([v for v in params[name] if v]))))
        if shuffle and len(pairs) > 1:
            pairs = draw(st.permutations(pairs))
        return f"{path}?{urlencode(pairs)}" if pairs else path

    return build()


def get_steps(urls: st.SearchStrategy[str]) -> st.SearchStrategy[Step]:
    """``GET url`` steps."""
    return urls.map(get_step)


def get_step(url: str) -> Step:
    """One ``GET url`` step."""
    return Step("GET", f"GET {url}", (url,))


def query_steps(path: str, params: dict[str, Sequence[str | None]], **options: Any) -> Steps:
    """``GET`` steps on ``path`` (see :func:`query_urls`), with near steps: an earlier URL with
    one parameter set to another of its edge values (``None`` removes it)."""
    def near(step: Step) -> st.SearchStrategy[Step]:
        url = step.args[0] if step.args and isinstance(step.args[0], str) else path
        return _respelled(url, params)

    return Steps(get_steps(query_urls(path, params, **options)), near)


@st.composite
def _respelled(draw: st.DrawFn, url: str, params: dict[str, Sequence[str | None]]) -> Step:
    """``GET url`` with one parameter set to another of its edge values (``None`` removes it).
    Defined once: Hypothesis reads the source of every composite it is given."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    name = draw(st.sampled_from(sorted(params)))
    value = draw(param_values(params[name]))
    kept = [(k, v) for k, v in pairs if k != name]
    if value is not None:
        kept.append((name, value))
    return get_step(f"{parts.path}?{urlencode(kept)}" if kept else parts.path)


def call_steps(name: str, args: st.SearchStrategy[tuple[Any, ...]]) -> st.SearchStrategy[Step]:
    """``name(args)`` steps (a memoised function's calls)."""
    return args.map(lambda a: Step("call", f"{name}({', '.join(map(repr, a))})", a))


def write_steps(label: str, args: st.SearchStrategy[tuple[Any, ...]] | None = None
                ) -> st.SearchStrategy[Step]:
    """Writes (a change of the data, with the learner's invalidation): not compared, only played."""
    return (args if args is not None else st.just(())).map(lambda a: Step("write", label.format(*a), a))


def ids(values: Sequence[int] = PREFIX_IDS) -> st.SearchStrategy[int]:
    """Ids whose spellings share prefixes (1, 10, 11, ...)."""
    return st.sampled_from(list(values))


def other_views(path: str) -> list[str]:
    """Paths another view may own that start like ``path``: a glob on ``path*`` also hits them."""
    base = path.rstrip("/")
    return [f"{base}/1", f"{base}/10", f"{base}-archive", f"{base}/1/reviews"]


def fill_other_keys(client: Any, prefix: str, count: int = 3000, stem: str = "other") -> list[str]:
    """Write ``count`` keys under ``prefix`` that a correct answer must not touch (a large key
    space: one SCAN call sees only part of it). Returns their names; delete them with the prefix.
    """
    names = [f"{prefix}{stem}:{i}" for i in range(count)]
    with client.pipeline(transaction=False) as pipe:
        for name in names:
            pipe.set(name, b"kept", ex=600)
        pipe.execute()
    return names


HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"})


def flask_side(app: Any, work: Callable[[], int] = lambda: 0,
               entries: Callable[[], int] | None = None,
               close: Callable[[], None] = lambda: None) -> Side:
    """A side that sends HTTP steps (``args[0]`` is the URL) to ``app``'s test client.

    An answer is ``(status code, body text)``; other steps go to ``app.config["FCC_STEPS"]``
    (a callable taking the step), e.g. a write followed by the learner's invalidation.
    """
    client = app.test_client()

    def play(step: Step) -> Any:
        if step.kind in HTTP_METHODS:
            response = client.open(step.args[0], method=step.kind)
            return response.status_code, response.get_data(as_text=True)
        return app.config["FCC_STEPS"](step)

    return Side(play, work, entries, close)
