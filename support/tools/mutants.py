"""Mutation score of the graders: ``python -m support mutants [--exercise ID]...``.

Every solution's answer cells (``solutions/*.ipynb``, tagged ``exercise:<id>``) are mutated
inside their ``### BEGIN SOLUTION`` / ``### END SOLUTION`` region: operators, comparisons,
boolean operators, constants, removed or swapped statements, dropped key parts (a term of a
``+``, a piece of an f-string, an item of a tuple), changed arguments (a keyword dropped, the
last argument dropped, two arguments swapped), negated conditions, ``return None``. Each mutant
runs as Run All would (the notebook's earlier code cells, then the mutated cell) and goes through
the exercise's checker in this process, with a time limit. A mutant the checker passes
*survives*: either the checker misses a mistake, or the mutant is equivalent to the answer;
equivalents are listed, with a one-line reason each, in ``tests/mutants/<id>/equivalent.toml``.

Hand-written answers live in ``tests/mutants/<exercise-id>/*.py``; a header names what the file
must get (see tests/mutants/README.md)::

    # expect: fail          (a wrong answer: must be judged "failed")
    # hint: query string    (optional: words the failure message must contain)
    # why: one line on what is wrong (or, for expect: pass, why it is a correct alternative)

Exit status: 0 when every non-equivalent mutant is killed and every hand-written answer is
judged as its header says; 1 otherwise; 2 for bad usage.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import io
import json
import re
import signal
import sys
import time
import tomllib
import warnings
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from support.course import (CHECK, EXERCISE, ROOT, SOLUTION_MARKER, SOLUTIONS_DIR, notebook_paths,
                            tag_ids)

SOLUTIONS = SOLUTIONS_DIR
HAND_WRITTEN = ROOT / "tests" / "mutants"
_MARKER = SOLUTION_MARKER


# --- the answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One exercise's answer cell, and the code cells Run All executes before it."""

    exercise: str
    notebook: str
    source: str
    prelude: str
    region: tuple[int, int]  # first and last line (1-based) of the solution in ``source``


def _compiles(source: str) -> bool:
    try:
        compile(source, "<cell>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


def solution_region(source: str) -> tuple[int, int]:
    """Lines strictly between the markers (the whole cell when it has none)."""
    lines = source.splitlines()
    marks = [i + 1 for i, line in enumerate(lines) if _MARKER.match(line)]
    return (marks[0] + 1, marks[-1] - 1) if len(marks) >= 2 else (1, len(lines))


def answers(solutions: Path = SOLUTIONS) -> list[Answer]:
    """Every exercise's answer in the solutions notebooks, in course order."""
    found: list[Answer] = []
    for path in notebook_paths(solutions):
        nb = nbformat.read(path, as_version=4)
        before: list[str] = []
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            ids = tag_ids(cell, EXERCISE)
            if ids:
                found.append(Answer(ids[0], path.name, cell.source, "\n\n".join(before),
                                    solution_region(cell.source)))
            if tag_ids(cell, CHECK) or not _compiles(cell.source):
                continue
            if "progress(" in cell.source:
                continue
            before.append(cell.source)
    return found


# --- generating mutants ---------------------------------------------------------------------------

_BINOPS: dict[type, list[type]] = {
    ast.Add: [ast.Sub], ast.Sub: [ast.Add], ast.Mult: [ast.Div, ast.Add], ast.Div: [ast.Mult],
    ast.FloorDiv: [ast.Div, ast.Mult], ast.Mod: [ast.FloorDiv], ast.Pow: [ast.Mult],
}
_COMPARES: dict[type, list[type]] = {
    ast.Eq: [ast.NotEq], ast.NotEq: [ast.Eq], ast.Lt: [ast.LtE, ast.Gt], ast.LtE: [ast.Lt],
    ast.Gt: [ast.GtE, ast.Lt], ast.GtE: [ast.Gt], ast.In: [ast.NotIn], ast.NotIn: [ast.In],
    ast.Is: [ast.IsNot], ast.IsNot: [ast.Is],
}


@dataclass(frozen=True)
class Mutant:
    """One mutation of an answer: a stable id, what changed, and the mutated cell's source."""

    id: str
    description: str
    source: str


class _Mutator(ast.NodeTransformer):
    """Numbers every possible mutation in a fixed order; applies the ``target``-th one."""

    def __init__(self, region: tuple[int, int], target: int = -1) -> None:
        self.region = region
        self.target = target
        self.offers: list[str] = []

    def _inside(self, node: ast.AST) -> bool:
        line = getattr(node, "lineno", None)
        return line is not None and self.region[0] <= line <= self.region[1]

    def _offer(self, node: ast.AST, variants: list[tuple[str, Callable[[], Any]]]) -> Any:
        replacement = None
        for description, make in variants:
            if len(self.offers) == self.target:
                replacement = make()
            self.offers.append(f"line {getattr(node, 'lineno', '?')}: {description}")
        return replacement

    def generic_visit(self, node: ast.AST) -> ast.AST:
        node = super().generic_visit(node)
        for name in ("body", "orelse", "finalbody"):
            body = getattr(node, name, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                setattr(node, name, self._statements(body))
        return node

    def _statements(self, body: list[ast.stmt]) -> list[ast.stmt]:
        result = body
        for i, stmt in enumerate(body):
            if not self._inside(stmt) or isinstance(stmt, (ast.Import, ast.ImportFrom)):
                continue
            if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # a docstring
            text = ast.unparse(stmt).splitlines()[0][:50]
            variants: list[tuple[str, Callable[[], Any]]] = [
                (f"removed `{text}`", lambda i=i: body[:i] + body[i + 1:] or [ast.Pass()])]
            if i + 1 < len(body) and self._inside(body[i + 1]):
                variants.append((f"swapped `{text}` with the next statement",
                                 lambda i=i: body[:i] + [body[i + 1], body[i]] + body[i + 2:]))
            replaced = self._offer(stmt, variants)
            if replaced is not None:
                result = replaced
        return result

    def visit_Expr(self, node: ast.Expr) -> Any:
        if isinstance(node.value, ast.Constant):
            return node  # a docstring or a bare constant: changing it changes nothing
        return self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        node = self.generic_visit(node)  # type: ignore[assignment]
        if not self._inside(node):
            return node
        variants = [(f"{type(node.op).__name__} -> {new.__name__}",
                     lambda new=new: ast.BinOp(node.left, new(), node.right))
                    for new in _BINOPS.get(type(node.op), [])]
        variants += [(f"dropped `{ast.unparse(node.right)[:40]}` from `... {_op(node)} ...`",
                      lambda: node.left),
                     (f"dropped `{ast.unparse(node.left)[:40]}` from `... {_op(node)} ...`",
                      lambda: node.right)]
        return self._offer(node, variants) or node

    def visit_Compare(self, node: ast.Compare) -> Any:
        node = self.generic_visit(node)  # type: ignore[assignment]
        if not self._inside(node) or len(node.ops) != 1:
            return node
        variants = [(f"{type(node.ops[0]).__name__} -> {new.__name__}",
                     lambda new=new: ast.Compare(node.left, [new()], node.comparators))
                    for new in _COMPARES.get(type(node.ops[0]), [])]
        return self._offer(node, variants) or node

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        node = self.generic_visit(node)  # type: ignore[assignment]
        if not self._inside(node):
            return node
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        variants: list[tuple[str, Callable[[], Any]]] = [
            (f"{type(node.op).__name__} -> {other.__name__}",
             lambda: ast.BoolOp(other(), node.values))]
        for i, value in enumerate(node.values):
            rest = node.values[:i] + node.values[i + 1:]
            variants.append((f"dropped `{ast.unparse(value)[:40]}` from a boolean operation",
                             lambda rest=rest: rest[0] if len(rest) == 1
                             else ast.BoolOp(node.op, rest)))
        return self._offer(node, variants) or node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        node = self.generic_visit(node)  # type: ignore[assignment]
        if self._inside(node) and isinstance(node.op, (ast.Not, ast.USub)):
            return self._offer(node, [(f"removed `{_op(node)}`", lambda: node.operand)]) or node
        return node

    def visit_If(self, node: ast.If) -> Any:
        node = self.generic_visit(node)  # type: ignore[assignment]
        if self._inside(node):
            replaced = self._offer(node, [("negated an `if` condition",
                                           lambda: ast.If(ast.UnaryOp(ast.Not(), node.test),
                                                          node.body, node.orelse))])
            return replaced or node
        return node

    def visit_Return(self, node: ast.Return) -> Any:
        node = self.generic_visit(node)  # type: ignore[assignment]
        if self._inside(node) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            return self._offer(node, [("`return None` instead", lambda: ast.Return(None))]) or node
        return node

    def visit_Constant(self, node: ast.Constant) -> Any:
        if not self._inside(node):
            return node
        value = node.value
        variants: list[tuple[str, Callable[[], Any]]] = []
        if isinstance(value, bool):
            variants.append((f"{value} -> {not value}", lambda: ast.Constant(not value)))
        elif isinstance(value, (int, float)):
            variants.append((f"{value!r} -> {value + 1!r}", lambda: ast.Constant(value + 1)))
            if value != 0:
                variants.append((f"{value!r} -> 0", lambda: ast.Constant(type(value)(0))))
        elif isinstance(value, str) and value:
            variants.append((f"{value[:30]!r} -> ''", lambda: ast.Constant("")))
            variants.append((f"{value[:30]!r} -> {value[:30] + 'X'!r}",
                             lambda: ast.Constant(value + "X")))
        elif value is None:
            variants.append(("None -> 0", lambda: ast.Constant(0)))
        return self._offer(node, variants) or node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> Any:
        if not self._inside(node) or len(node.values) < 2:
            return node
        variants = []
        for i, part in enumerate(node.values):
            shown = ast.unparse(part.value) if isinstance(part, ast.FormattedValue) else part.value
            variants.append((f"dropped `{str(shown)[:30]}` from an f-string",
                             lambda i=i: ast.JoinedStr(node.values[:i] + node.values[i + 1:])))
        return self._offer(node, variants) or node

    def _items(self, node: Any, kind: str) -> Any:
        node = self.generic_visit(node)
        if not self._inside(node) or len(node.elts) < 2 or not isinstance(node.ctx, ast.Load):
            return node
        variants = [(f"dropped `{ast.unparse(item)[:30]}` from a {kind}",
                     lambda i=i: type(node)(node.elts[:i] + node.elts[i + 1:], ast.Load()))
                    for i, item in enumerate(node.elts)]
        return self._offer(node, variants) or node

    def visit_Tuple(self, node: ast.Tuple) -> Any:
        return self._items(node, "tuple")

    def visit_List(self, node: ast.List) -> Any:
        return self._items(node, "list")

    def visit_Call(self, node: ast.Call) -> Any:
        node = self.generic_visit(node)  # type: ignore[assignment]
        if not self._inside(node):
            return node
        name = ast.unparse(node.func)[:30]
        variants: list[tuple[str, Callable[[], Any]]] = []
        for i, keyword in enumerate(node.keywords):
            if keyword.arg is not None:
                variants.append((f"dropped `{keyword.arg}=` from {name}(...)",
                                 lambda i=i: ast.Call(node.func, node.args,
                                                      node.keywords[:i] + node.keywords[i + 1:])))
        if node.args and not isinstance(node.args[-1], ast.Starred):
            variants.append((f"dropped the last argument of {name}(...)",
                             lambda: ast.Call(node.func, node.args[:-1], node.keywords)))
        if len(node.args) >= 2:
            variants.append((f"swapped the first two arguments of {name}(...)",
                             lambda: ast.Call(node.func, [node.args[1], node.args[0],
                                                          *node.args[2:]], node.keywords)))
        return self._offer(node, variants) or node


def _op(node: ast.AST) -> str:
    return {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
            ast.Mod: "%", ast.Pow: "**", ast.Not: "not", ast.USub: "-"}.get(
        type(getattr(node, "op", None)), "?")


def mutants(source: str, region: tuple[int, int]) -> list[Mutant]:
    """Every distinct mutant of ``source`` inside ``region`` (ids stable for the same source)."""
    tree = ast.parse(source)
    counter = _Mutator(region)
    counter.visit(copy.deepcopy(tree))
    original = ast.unparse(tree)
    seen = {original}
    found = []
    for index, description in enumerate(counter.offers):
        mutated = _Mutator(region, index).visit(copy.deepcopy(tree))
        try:
            text = ast.unparse(ast.fix_missing_locations(mutated))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(text, "<mutant>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, TypeError, AttributeError, RecursionError):
            continue
        if text in seen:
            continue
        seen.add(text)
        found.append(Mutant(f"m{index:03d}", description, text))
    return found


# --- running one answer through its checker ---------------------------------------------------------


class _TimeLimit(BaseException):
    """Raised by the alarm: a BaseException, so the checkers' ``except Exception`` lets it out."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, alarm)
    # fires again every 0.5 s: code that swallows one (``except BaseException``) still stops
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Judged:
    """How the checker judged one answer."""

    status: str  # passed | failed | not-attempted | error | crashed | timeout
    message: str
    seconds: float


def judge(exercise: str, prelude: str, source: str, timeout: float = 10.0) -> Judged:
    """Run ``prelude`` and ``source`` as Run All would, then the checker; never raises."""
    from support.checks.core import run_check

    start = time.perf_counter()
    quiet = io.StringIO()
    try:
        with (_time_limit(timeout), contextlib.redirect_stdout(quiet),
              contextlib.redirect_stderr(quiet), warnings.catch_warnings()):
            warnings.simplefilter("ignore")
            namespace: dict[str, Any] = {"__name__": "__main__", "__fcc_source__": source}
            try:
                exec(compile(prelude, "<notebook>", "exec"), namespace)
                exec(compile(source, "<answer>", "exec"), namespace)
            except Exception as exc:
                return Judged("crashed", f"{type(exc).__name__}: {exc}",
                              time.perf_counter() - start)
            result = run_check(exercise, namespace)
    except _TimeLimit:
        return Judged("timeout", f"ran longer than {timeout:g} s", time.perf_counter() - start)
    return Judged(result.status, result.message, time.perf_counter() - start)


# --- hand-written answers and equivalents ------------------------------------------------------------


@dataclass(frozen=True)
class HandWritten:
    """A wrong answer or a correct alternative kept in tests/mutants/<exercise>/."""

    exercise: str
    path: Path
    expect: str  # "fail" or "pass"
    hint: str
    why: str
    source: str


_HEADER = re.compile(r"^#\s*(expect|hint|why|exercise):\s*(.*?)\s*$")


def hand_written(folder: Path = HAND_WRITTEN) -> list[HandWritten]:
    """Every ``tests/mutants/<exercise>/*.py``; raises ValueError on a bad header."""
    found = []
    for path in sorted(folder.glob("*/*.py")):
        fields = {"exercise": path.parent.name, "hint": "", "why": ""}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break  # the header is the leading comment block
            match = _HEADER.match(line)
            if match is not None:
                fields[match[1]] = match[2]
        if fields.get("expect") not in ("pass", "fail"):
            raise ValueError(f"{path}: the header needs `# expect: pass` or `# expect: fail`")
        found.append(HandWritten(fields["exercise"], path, fields["expect"], fields["hint"],
                                 fields["why"], path.read_text(encoding="utf-8")))
    return found


def equivalents(folder: Path = HAND_WRITTEN) -> dict[tuple[str, str], str]:
    """``(exercise, mutant id) -> reason`` from the reviewed lists of equivalent mutants: one
    ``<exercise-id>/equivalent.toml`` per exercise (so each checker's reviewer edits its own)."""
    listed = {}
    for path in sorted(folder.glob("*/equivalent.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("equivalent", []):
            if not entry.get("reason") or not entry.get("mutant"):
                raise ValueError(f"{path}: {entry} needs a mutant id and a one-line reason")
            listed[(path.parent.name, entry["mutant"])] = entry["reason"]
    return listed


# --- the report ----------------------------------------------------------------------------------------


@dataclass
class Score:
    """One exercise's mutation score and hand-written answers."""

    exercise: str
    generated: int = 0
    killed: int = 0
    timeouts: int = 0
    equivalent: int = 0
    survivors: list[str] = field(default_factory=list)
    wrong_ok: int = 0
    wrong_total: int = 0
    alternatives_ok: int = 0
    alternatives_total: int = 0
    misjudged: list[str] = field(default_factory=list)
    solution: str = ""
    seconds: float = 0.0

    @property
    def survived(self) -> int:
        """Mutants the checker passed that are not listed as equivalent."""
        return len(self.survivors)

    @property
    def ok(self) -> bool:
        """Nothing survived, every hand-written answer judged right, the solution passes."""
        return not self.survivors and not self.misjudged and self.solution == "passed"


def score(answer: Answer, timeout: float, equivalent: dict[tuple[str, str], str],
          written: list[HandWritten], log: Callable[[str], None] = lambda _: None) -> Score:
    """Grade the solution, every mutant and the hand-written answers of one exercise."""
    start = time.perf_counter()
    result = Score(answer.exercise)
    # The first run in a process imports Flask, the checkers and Hypothesis: keep that out of the
    # time limits, or a busy machine times out a correct solution and "kills" slow mutants.
    judge(answer.exercise, answer.prelude, answer.source, timeout * 10)
    result.solution = judge(answer.exercise, answer.prelude, answer.source, timeout).status
    for mutant in mutants(answer.source, answer.region):
        result.generated += 1
        judged = judge(answer.exercise, answer.prelude, mutant.source, timeout)
        if judged.status != "passed":
            result.killed += 1
            result.timeouts += judged.status == "timeout"
        elif (answer.exercise, mutant.id) in equivalent:
            result.equivalent += 1
        else:
            result.survivors.append(f"{mutant.id} ({mutant.description})")
            log(f"  survived {answer.exercise} {mutant.id}: {mutant.description}")
    for item in (w for w in written if w.exercise == answer.exercise):
        judged = judge(answer.exercise, answer.prelude, item.source, timeout)
        if item.expect == "fail":
            result.wrong_total += 1
            good = judged.status == "failed" and item.hint.lower() in judged.message.lower()
            result.wrong_ok += good
        else:
            result.alternatives_total += 1
            good = judged.status == "passed"
            result.alternatives_ok += good
        if not good:
            result.misjudged.append(f"{item.path.name}: expected {item.expect}, got "
                                    f"{judged.status}: {judged.message[:120]}")
    result.seconds = time.perf_counter() - start
    return result


def _score_quietly(answer: Answer, timeout: float, equivalent: dict[tuple[str, str], str],
                   written: list[HandWritten]) -> Score:
    return score(answer, timeout, equivalent, written)


def score_all(chosen: list[Answer], timeout: float, equivalent: dict[tuple[str, str], str],
              written: list[HandWritten], jobs: int = 1,
              log: Callable[[str], None] = lambda _: None) -> list[Score]:
    """Score each exercise in a fresh process of its own (a mutant that hangs in a thread, or
    changes global state, cannot slow down or sway the next exercise), ``jobs`` at a time."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                             max_tasks_per_child=1) as pool:
        futures = [pool.submit(_score_quietly, a, timeout, equivalent, written) for a in chosen]
        scores = []
        for answer, future in zip(chosen, futures, strict=True):
            result = future.result()
            log(f"{answer.exercise}: {result.generated} mutants, {result.killed} killed, "
                f"{result.survived} survived ({result.seconds:.0f} s)")
            scores.append(result)
    return scores


def format_table(scores: list[Score]) -> str:
    """One line per exercise, then what survived and what was misjudged."""
    head = (f"{'exercise':<32} {'solution':<8} {'mutants':>7} {'killed':>6} {'survived':>8} "
            f"{'equiv':>5} {'wrong ok':>9} {'alt ok':>7} {'seconds':>7}")
    lines = [head, "-" * len(head)]
    for s in scores:
        lines.append(f"{s.exercise:<32} {s.solution:<8} {s.generated:>7} {s.killed:>6} "
                     f"{s.survived:>8} {s.equivalent:>5} {s.wrong_ok:>4}/{s.wrong_total:<4} "
                     f"{s.alternatives_ok:>3}/{s.alternatives_total:<3} {s.seconds:>7.1f}")
    total = sum(s.generated for s in scores)
    killed = sum(s.killed for s in scores)
    lines.append(f"total: {total} mutants, {killed} killed, "
                 f"{sum(s.survived for s in scores)} survived, "
                 f"{sum(s.equivalent for s in scores)} equivalent"
                 + (f" (score {killed / max(total - sum(s.equivalent for s in scores), 1):.0%})"
                    if total else ""))
    for s in scores:
        for line in s.survivors:
            lines.append(f"SURVIVED  {s.exercise}: {line}")
        for line in s.misjudged:
            lines.append(f"MISJUDGED {s.exercise}: {line}")
        if s.solution != "passed":
            lines.append(f"SOLUTION  {s.exercise}: the worked solution is judged {s.solution}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command line: 0 when every exercise is ok, 1 otherwise, 2 for bad usage."""
    parser = argparse.ArgumentParser(prog="python -m support mutants", description=(
        "Mutate every solution's answer and grade each mutant: a grader must reject them all."))
    parser.add_argument("--exercise", action="append", metavar="ID",
                        help="only this exercise (repeatable)")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds one mutant may take (default 10)")
    parser.add_argument("--show", metavar="ID:MUTANT",
                        help="print one mutant's source (e.g. views-query-string:m004)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--jobs", type=int, default=1,
                        help="exercises graded at once (each in a process of its own)")
    args = parser.parse_args(argv)
    every = answers()
    known = {a.exercise for a in every}
    wanted = args.exercise or [a.exercise for a in every]
    unknown = sorted(set(wanted) - known)
    if unknown:
        print(f"error: no such exercise: {', '.join(unknown)}", file=sys.stderr)
        return 2
    if args.show:
        exercise, _, mutant_id = args.show.partition(":")
        answer = next((a for a in every if a.exercise == exercise), None)
        mutant = next((m for m in mutants(answer.source, answer.region) if m.id == mutant_id),
                      None) if answer else None
        if mutant is None:
            print(f"error: no mutant {args.show}", file=sys.stderr)
            return 2
        print(f"# {mutant.description}\n{mutant.source}")
        return 0
    try:
        listed = equivalents()
        written = hand_written()
    except (ValueError, tomllib.TOMLDecodeError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    chosen = [a for a in every if a.exercise in wanted]
    scores = score_all(chosen, args.timeout, listed, written, args.jobs, log)
    if args.json:
        print(json.dumps([{**asdict(s), "survived": s.survived} for s in scores], indent=2))
    else:
        print(format_table(scores))
    return 0 if all(s.ok for s in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
