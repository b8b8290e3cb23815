"""Benchmark the course: notebook run times, the test suite against them, grading, timing accuracy.

``python -m support bench`` executes every notebook in ``notebooks/``, ``solutions/`` and
``exercises/`` in a fresh kernel, one after the other (their total is the *serial notebook
floor*), each followed by a bare notebook (what starting a kernel costs). In the same run it
times ``make test`` (the suite's wall time over the serial floor, and its slowest tests),
grades ``solutions/`` with ``support.grade`` at ``--jobs 1`` and ``--jobs 2`` (notebooks per
minute, against bare kernel starts), compares :func:`support.timing.measure` with
:mod:`timeit`, and times ``check()`` on every exercise's worked solution (the first check of a
lesson loads its checkers; the second is warm) against the 2 s a learner should wait at most.
It prints a Markdown report and writes it to ``bench/report.md``. It reports, it does not
judge: the exit status is 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from support.timing import Timer, format_duration, measure

from support.course import ROOT
NOTEBOOK_DIRS = ("notebooks", "solutions", "exercises")
LESSON_DIR = "notebooks"
LESSON_LIMIT = 10.0  # seconds per lesson
FLOOR_FACTOR = 2.0  # suite total <= FLOOR_FACTOR x floor total
TOLERANCE = 10.0  # percent, measure() against timeit
WORKLOADS = (("~1 µs", 1e-6), ("~100 µs", 1e-4), ("~10 ms", 1e-2))
CHECK_LIMIT = 2.0  # seconds a learner waits for check() at most (issue 10, item 5)
SUITE_FACTOR = 1.0  # make test's wall time <= SUITE_FACTOR x the serial notebook floor
SLOWEST = 10  # tests listed in the report


@dataclass(frozen=True)
class CheckTiming:
    """``check()`` on one exercise's worked solution: its status, first and second run."""

    exercise: str
    status: str
    first: float
    again: float


def time_checks(log: Callable[[str], None] = lambda _: None) -> list[CheckTiming]:
    """Run each solution's answer as Run All would, then time ``check()`` on it twice."""
    import contextlib
    import io
    import warnings

    from support.grading import run_check
    from support.tools.mutants import answers

    timings = []
    for answer in answers():
        log(f"timing check({answer.exercise!r}) …")
        namespace: dict[str, Any] = {"__name__": "__main__", "__fcc_source__": answer.source}
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(answer.prelude, "<notebook>", "exec"), namespace)
            exec(compile(answer.source, "<answer>", "exec"), namespace)
            runs = []
            for _ in range(2):
                start = time.perf_counter()
                status = run_check(answer.exercise, namespace).status
                runs.append(time.perf_counter() - start)
        timings.append(CheckTiming(answer.exercise, status, runs[0], runs[1]))
    return timings


@dataclass(frozen=True)
class NotebookRun:
    """One notebook executed top to bottom in a fresh kernel."""

    name: str
    seconds: float
    peak_kib: int | None = None
    error: str | None = None

    @property
    def is_lesson(self) -> bool:
        return self.name.startswith(f"{LESSON_DIR}/")


@dataclass(frozen=True)
class Agreement:
    """``measure()`` and ``timeit`` on the same workload (seconds per call)."""

    workload: str
    number: int
    timeit_median: float
    timeit_best: float
    measure_median: float

    @property
    def difference(self) -> float:
        """Percent by which measure()'s median differs from timeit's median."""
        return (self.measure_median - self.timeit_median) / self.timeit_median * 100


def mark(ok: bool | None) -> str:
    """``✅ met``, ``❌ missed``, ``➖ n/a`` (nothing to judge): a word beside every symbol."""
    return "➖ n/a" if ok is None else "✅ met" if ok else "❌ missed"


def format_memory(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.1f} MiB"


# --- timing agreement ---------------------------------------------------------------------


def busy(n: int) -> int:
    """A pure-Python busy loop (no sleep: sleeping overshoots)."""
    total = 0
    for i in range(n):
        total += i
    return total


def calibrate(
    seconds: float,
    *,
    work: Callable[[int], Any] = busy,
    timer: Timer = time.perf_counter_ns,
    start: int = 1000,
    steps: int = 4,
) -> int:
    """Return ``n`` such that ``work(n)`` takes about ``seconds`` (fixed-point steps
    n <- n x seconds / t(n), which converge even with a constant per-call overhead)."""
    n = start
    for _ in range(steps):
        took = measure(work, n, repeat=3, warmup=0, timer=timer, target=0.005).median
        n = max(1, round(n * seconds / took))
    return n


def compare_with_timeit(
    label: str, seconds: float, *, rounds: int = 5, repeat: int = 7
) -> Agreement:
    """Time one calibrated workload with measure() and timeit, interleaved ``rounds`` times
    (alternating which goes first), and keep the median of each side's round medians."""
    work = functools.partial(busy, calibrate(seconds))
    number = measure(work, repeat=1).number
    timer = timeit.Timer(work)
    ours: list[float] = []
    theirs: list[float] = []
    best = float("inf")

    def run_timeit() -> None:
        nonlocal best
        per_call = [t / number for t in timer.repeat(repeat=repeat, number=number)]
        theirs.append(statistics.median(per_call))
        best = min(best, *per_call)

    for round_ in range(rounds):
        if round_ % 2:
            run_timeit()
        ours.append(measure(work, repeat=repeat).median)
        if not round_ % 2:
            run_timeit()
    return Agreement(label, number, statistics.median(theirs), best, statistics.median(ours))


# --- notebooks ----------------------------------------------------------------------------


def peak_memory_kib(pid: int | None) -> int | None:
    """VmHWM (peak resident memory) of a live process, in KiB; None where unavailable."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (OSError, TypeError):
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def execute_notebook(path: Path, name: str | None = None, *, timeout: int = 600) -> NotebookRun:
    """Run a notebook in a fresh "python3" kernel with cwd = its folder. Wall time includes the
    kernel's start and shutdown; peak memory is read after each cell, before shutdown."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    name = name or path.name
    probe: dict[str, Any] = {}

    def on_start(**_: Any) -> None:
        probe["pid"] = getattr(getattr(client.km, "provisioner", None), "pid", None)

    def on_cell(**_: Any) -> None:
        probe["kib"] = peak_memory_kib(probe.get("pid"))

    started = time.perf_counter()
    error = None
    try:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            kernel_name="python3",
            timeout=timeout,
            resources={"metadata": {"path": str(path.parent)}},
            on_notebook_start=on_start,
            on_cell_executed=on_cell,
        )
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # a broken notebook is reported, never a crash
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
    return NotebookRun(name, time.perf_counter() - started, probe.get("kib"), error)


def bare_notebook(folder: Path) -> Path:
    """Write the floor's notebook: one trivial code cell."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "bare.ipynb"
    nbformat.write(nb, path)
    return path


def find_notebooks(root: Path = ROOT) -> list[Path]:
    return [p for d in NOTEBOOK_DIRS for p in sorted((root / d).glob("*.ipynb"))]


def run_notebooks(
    paths: Sequence[Path], root: Path = ROOT, log: Callable[[str], Any] = print
) -> tuple[list[NotebookRun], list[NotebookRun]]:
    """Execute each notebook, each followed by one bare notebook (interleaved so that noise
    hits both alike), after one untimed bare warm-up. Returns (suite, floor)."""
    suite: list[NotebookRun] = []
    floor: list[NotebookRun] = []
    if not paths:
        return suite, floor
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        bare = bare_notebook(Path(tmp))
        execute_notebook(bare)  # warm-up: the first kernel start pays for cold disk caches
        for path in paths:
            name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            log(f"running {name} …")
            suite.append(execute_notebook(path, name))
            floor.append(execute_notebook(bare, "floor"))
    return suite, floor


# --- the test suite and grading ------------------------------------------------------------


@dataclass(frozen=True)
class SuiteRun:
    """``make test``, timed: wall time, exit status, its summary line, its slowest tests and
    the tests that failed."""

    seconds: float
    status: int
    summary: str
    slowest: list[tuple[str, float]]
    failed: list[str] = field(default_factory=list)


def failed_tests(junit_xml: Path) -> list[str]:
    """The test ids of a JUnit XML report's failures and errors."""
    import xml.etree.ElementTree as ElementTree

    try:
        cases = ElementTree.parse(junit_xml).getroot().iter("testcase")
    except (OSError, ElementTree.ParseError):
        return []
    return ["::".join(part for part in (case.get("classname", ""), case.get("name", "")) if part)
            for case in cases if case.find("failure") is not None or case.find("error") is not None]


def slowest_tests(junit_xml: Path, count: int = SLOWEST) -> list[tuple[str, float]]:
    """The ``count`` slowest test cases of a JUnit XML report, as (test id, seconds)."""
    import xml.etree.ElementTree as ElementTree

    try:
        cases = ElementTree.parse(junit_xml).getroot().iter("testcase")
    except (OSError, ElementTree.ParseError):
        return []
    timed = []
    for case in cases:
        name = "::".join(part for part in (case.get("classname", ""), case.get("name", "")) if part)
        timed.append((name, float(case.get("time") or 0.0)))
    return sorted(timed, key=lambda item: item[1], reverse=True)[:count]


def run_suite(root: Path = ROOT) -> SuiteRun:
    """Run README's test command (``make test``, as it is) once and time it; output kept quiet."""
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        report = Path(tmp) / "junit.xml"
        env = {**os.environ, "PYTEST_ADDOPTS": f"-q --junitxml={report}"}
        started = time.perf_counter()
        done = subprocess.run(["make", "-s", "test"], cwd=root, env=env,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - started
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        summary = next((line.strip("= ") for line in reversed(lines)
                        if " in " in line and ("passed" in line or "failed" in line)),
                       lines[-1] if lines else f"no output (exit status {done.returncode})")
        return SuiteRun(seconds, done.returncode, summary, slowest_tests(report),
                        failed_tests(report))


@dataclass(frozen=True)
class GradingRun:
    """``support.grade`` over some notebooks with ``jobs`` kernels at once."""

    jobs: int
    notebooks: int
    seconds: float
    error: str | None = None

    @property
    def per_minute(self) -> float:
        return self.notebooks / self.seconds * 60 if self.seconds > 0 else 0.0


def run_grading(paths: Sequence[Path], jobs: int) -> GradingRun:
    """Grade ``paths`` in a fresh process, as an instructor would, and time it."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "support.grade", "--json", "--jobs", str(jobs),
                           *map(str, paths)], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    error = None if done.returncode == 0 else (done.stderr.strip().splitlines() or
                                                [f"exit status {done.returncode}"])[-1]
    return GradingRun(jobs, len(paths), seconds, error)


# --- report -------------------------------------------------------------------------------


def lesson_ok(run: NotebookRun) -> bool:
    return run.error is None and run.seconds < LESSON_LIMIT


def targets(
    suite: Sequence[NotebookRun] | None,
    floor: Sequence[NotebookRun] | None,
    agreements: Sequence[Agreement] | None,
) -> list[tuple[bool | None, str]]:
    """(met?, description) for each target; None when there is nothing to judge."""
    why_not = "skipped" if suite is None else "no notebooks"
    suite, floor = suite or [], floor or []
    lessons = [run for run in suite if run.is_lesson]
    ok_lessons = sum(lesson_ok(run) for run in lessons)
    result: list[tuple[bool | None, str]] = [
        (
            ok_lessons == len(lessons) if lessons else None,
            f"every lesson runs under {LESSON_LIMIT:g} s "
            + (f"({ok_lessons}/{len(lessons)})" if lessons else f"({why_not})"),
        )
    ]
    suite_total, floor_total = sum(r.seconds for r in suite), sum(r.seconds for r in floor)
    if floor_total > 0:
        ratio = suite_total / floor_total
        result.append(
            (ratio <= FLOOR_FACTOR, f"notebooks within {FLOOR_FACTOR:g}× bare kernels ({ratio:.2f}×)")
        )
    else:
        result.append((None, f"notebooks within {FLOOR_FACTOR:g}× bare kernels ({why_not})"))
    if agreements:
        worst = max(abs(a.difference) for a in agreements)
        result.append(
            (
                worst <= TOLERANCE,
                f"measure() within {TOLERANCE:g} % of timeit (worst {worst:.1f} %)",
            )
        )
    else:
        result.append((None, f"measure() within {TOLERANCE:g} % of timeit (skipped)"))
    return result


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_report(
    suite: Sequence[NotebookRun] | None,
    floor: Sequence[NotebookRun] | None,
    agreements: Sequence[Agreement] | None,
    *,
    environment: str = "",
    checks: Sequence[CheckTiming] | None = None,
    tests: SuiteRun | None = None,
    grading: Sequence[GradingRun] | None = None,
) -> str:
    """The Markdown report; None for a part that was skipped."""
    lines = ["# Course benchmark", ""]
    if environment:
        lines += [environment, ""]
    lines += ["## Notebooks", ""]
    floor = floor or []
    if suite is None:
        lines.append("Skipped.")
    elif suite:
        lines += [
            f"| notebook | result | wall time | peak memory | lesson < {LESSON_LIMIT:g} s |",
            "|---|---|---:|---:|:-:|",
        ]
        for run in suite:
            result = "ok" if run.error is None else f"failed: {_cell(run.error)[:120]}"
            target = mark(lesson_ok(run)) if run.is_lesson else "–"
            lines.append(
                f"| {run.name} | {result} | {format_duration(run.seconds)} "
                f"| {format_memory(run.peak_kib)} | {target} |"
            )
        suite_total, floor_total = sum(r.seconds for r in suite), sum(r.seconds for r in floor)
        ratio = f"{suite_total / floor_total:.2f}×" if floor_total else "n/a"
        floor_peak = max((r.peak_kib for r in floor if r.peak_kib), default=None)
        lines += [
            "",
            f"Notebooks total {format_duration(suite_total)}; bare kernels ({len(floor)} bare notebooks, "
            f"one trivial cell each, same executor) {format_duration(floor_total)} "
            f"(peak memory up to {format_memory(floor_peak)}); ratio **{ratio}** "
            f"(target ≤ {FLOOR_FACTOR:g}×).",
        ]
    else:
        lines.append(f"No notebooks found in {' or '.join(f'{d}/' for d in NOTEBOOK_DIRS)}.")
    lines += ["", "## The test suite (`make test`) against the serial notebook floor", ""]
    lines += suite_lines(tests, suite)
    lines += ["", "## Grading throughput (`support.grade`, solutions/)", ""]
    lines += grading_lines(grading, floor)
    lines += ["", "## Timing: support.timing.measure against timeit", ""]
    if agreements:
        lines += [
            "| workload | calls per repeat | timeit median | timeit best | measure median "
            f"| difference | within {TOLERANCE:g} % |",
            "|---|---:|---:|---:|---:|---:|:-:|",
        ]
        for a in agreements:
            lines.append(
                f"| {a.workload} | {a.number:,} | {format_duration(a.timeit_median)} "
                f"| {format_duration(a.timeit_best)} | {format_duration(a.measure_median)} "
                f"| {round(a.difference, 1) or 0.0:+.1f} % | {mark(abs(a.difference) <= TOLERANCE)} |"
            )
        lines += [
            "",
            "Busy loops sized by calibration; medians of interleaved rounds, seconds per call.",
        ]
    else:
        lines.append("Skipped.")
    lines += ["", "## check(): seconds a learner waits", ""]
    if checks:
        lines += [f"| exercise | status | first check | again | under {CHECK_LIMIT:g} s |",
                  "|---|---|---:|---:|:-:|"]
        lines += [f"| {c.exercise} | {c.status} | {format_duration(c.first)} "
                  f"| {format_duration(c.again)} | {mark(max(c.first, c.again) < CHECK_LIMIT)} |"
                  for c in checks]
        lines += ["", "The worked solution's answer, checked in this process; the first check of "
                  "a lesson includes loading its checkers."]
    else:
        lines.append("Skipped.")
    lines += ["", "## Targets", ""]
    lines += [f"- {mark(ok)} {text}" for ok, text in targets(suite, floor, agreements)]
    if checks:
        slow = [c.exercise for c in checks if max(c.first, c.again) >= CHECK_LIMIT]
        lines.append(f"- {mark(not slow)} every check answers under {CHECK_LIMIT:g} s "
                     f"({len(checks) - len(slow)}/{len(checks)})")
    return "\n".join(lines) + "\n"


def suite_lines(tests: SuiteRun | None, notebooks: Sequence[NotebookRun] | None) -> list[str]:
    """The suite's wall time, its ratio to the serial notebook floor, and its slowest tests."""
    if tests is None:
        return ["Skipped."]
    floor = sum(run.seconds for run in notebooks or [])
    ratio = f"**{tests.seconds / floor:.2f}×**" if floor else "n/a (notebooks skipped)"
    result = "passed" if tests.status == 0 else f"FAILED (exit status {tests.status})"
    lines = [f"`make test` {result} in {format_duration(tests.seconds)} ({_cell(tests.summary)}); "
             f"every notebook executed once, one after the other: {format_duration(floor)}; "
             f"ratio {ratio} (target ≤ {SUITE_FACTOR:g}×).", ""]
    if tests.failed:
        lines += ["Failed: " + ", ".join(f"`{name}`" for name in tests.failed), ""]
    if tests.slowest:
        lines += ["| slowest tests | seconds |", "|---|---:|"]
        lines += [f"| {_cell(name)} | {seconds:.1f} |" for name, seconds in tests.slowest]
    return lines


def grading_lines(grading: Sequence[GradingRun] | None,
                  floor: Sequence[NotebookRun] | None) -> list[str]:
    """Notebooks graded per minute at each ``--jobs``, against bare kernel starts."""
    if not grading:
        return ["Skipped."]
    lines = ["| --jobs | notebooks | wall time | notebooks per minute | result |",
             "|---:|---:|---:|---:|---|"]
    lines += [f"| {g.jobs} | {g.notebooks} | {format_duration(g.seconds)} | {g.per_minute:.1f} "
              f"| {'ok' if g.error is None else _cell(g.error)[:100]} |" for g in grading]
    bare = [run.seconds for run in floor or [] if run.error is None]
    if bare:
        lines += ["", f"Floor: a bare notebook (start a kernel, run `1 + 1`, stop) takes "
                  f"{format_duration(statistics.mean(bare))} on average, "
                  f"{60 / statistics.mean(bare):.1f} per minute one at a time."]
    return lines


def environment() -> str:
    """One line on where and when, including the load (timings on a busy machine are noisy)."""
    load = "n/a"
    if hasattr(os, "getloadavg"):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.now():%Y-%m-%d %H:%M} · Python {platform.python_version()} · "
        f"{platform.platform()} · {os.cpu_count()} CPUs · load average {load}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support bench", description=__doc__)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "report.md")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved timing rounds")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--skip-checks", action="store_true", help="do not time check()")
    parser.add_argument("--skip-suite", action="store_true", help="do not time make test")
    parser.add_argument("--skip-grading", action="store_true", help="do not time support.grade")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.output.is_dir() or any(p.exists() and not p.is_dir() for p in args.output.parents):
        parser.error(f"--output must be a file path in a folder, not {args.output}")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    suite, floor = (None, None) if args.skip_notebooks else run_notebooks(find_notebooks(), log=log)
    agreements = None
    if not args.skip_timing:
        agreements = []
        for label, seconds in WORKLOADS:
            log(f"timing {label} workload …")
            agreements.append(compare_with_timeit(label, seconds, rounds=args.rounds))
    checks = None if args.skip_checks else time_checks(log)
    grading = None
    if not args.skip_grading:
        solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
        grading = []
        for jobs in (1, 2):
            log(f"grading solutions/ with --jobs {jobs} …")
            grading.append(run_grading(solutions, jobs))
    tests = None
    if not args.skip_suite:
        log("running make test …")
        tests = run_suite()
    report = render_report(suite, floor, agreements, environment=environment(), checks=checks,
                           tests=tests, grading=grading)
    print(report, end="")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    log(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
