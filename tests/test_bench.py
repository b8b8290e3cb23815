"""Tests of support.bench's pure parts, plus one real run of the notebook executor."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from support.tools import bench
from support.tools.bench import Agreement, NotebookRun


def run(name: str, seconds: float, *, peak: int | None = 51_200, error: str | None = None):
    return NotebookRun(name, seconds, peak, error)


def agreement(timeit_median: float, measure_median: float, label: str = "~1 µs") -> Agreement:
    return Agreement(label, 1000, timeit_median, timeit_median * 0.98, measure_median)


# --- small pieces --------------------------------------------------------------------------


def test_marks() -> None:
    assert (bench.mark(True), bench.mark(False), bench.mark(None)) == ("✅ met", "❌ missed", "➖ n/a")


def test_format_memory() -> None:
    assert bench.format_memory(51_200) == "50.0 MiB"
    assert bench.format_memory(None) == "n/a"


def test_agreement_difference_is_relative_to_timeit() -> None:
    assert agreement(1e-6, 1.05e-6).difference == pytest.approx(5.0)
    assert agreement(2e-3, 1.8e-3).difference == pytest.approx(-10.0)


def test_is_lesson_only_for_notebooks_folder() -> None:
    assert run("notebooks/01.ipynb", 1).is_lesson
    assert not run("solutions/01.ipynb", 1).is_lesson


def test_busy_does_the_work() -> None:
    assert bench.busy(0) == 0
    assert bench.busy(101) == 5050


class CostClock:
    """A fake nanosecond clock; ``work(n)`` costs ``overhead + per_item * n`` on it."""

    def __init__(self, overhead: int, per_item: int) -> None:
        self.now, self.overhead, self.per_item = 0, overhead, per_item

    def __call__(self) -> int:
        return self.now

    def work(self, n: int) -> None:
        self.now += self.overhead + self.per_item * n


def test_calibrate_exact_for_a_linear_cost() -> None:
    clock = CostClock(overhead=0, per_item=10)
    assert bench.calibrate(1e-6, work=clock.work, timer=clock) == 100
    assert bench.calibrate(1e-2, work=clock.work, timer=clock) == 1_000_000


def test_calibrate_converges_despite_a_call_overhead() -> None:
    clock = CostClock(overhead=200, per_item=10)  # the exact answer is 80 for 1 µs
    n = bench.calibrate(1e-6, work=clock.work, timer=clock, steps=6)
    assert abs(n - 80) <= 1


def test_calibrate_never_goes_below_one() -> None:
    clock = CostClock(overhead=5_000, per_item=10)  # overhead alone exceeds the target
    assert bench.calibrate(1e-6, work=clock.work, timer=clock) == 1


def test_peak_memory_of_this_process_and_of_nothing() -> None:
    import os

    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc on this system")
    assert bench.peak_memory_kib(os.getpid()) > 1000
    assert bench.peak_memory_kib(None) is None
    assert bench.peak_memory_kib(2**22 + 12345) is None  # above Linux's pid_max


def test_find_notebooks_in_lesson_then_solution_order(tmp_path: Path) -> None:
    for name in ["solutions/01.ipynb", "notebooks/02.ipynb", "notebooks/01.ipynb", "x/0.ipynb",
                 "exercises/01.ipynb"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = [p.relative_to(tmp_path).as_posix() for p in bench.find_notebooks(tmp_path)]
    assert found == ["notebooks/01.ipynb", "notebooks/02.ipynb", "solutions/01.ipynb",
                     "exercises/01.ipynb"]
    assert bench.find_notebooks(tmp_path / "empty") == []


def test_no_notebooks_runs_no_kernel() -> None:
    assert bench.run_notebooks([]) == ([], [])


# --- targets and report --------------------------------------------------------------------


def test_targets_met() -> None:
    suite = [run("notebooks/01.ipynb", 3.0), run("solutions/01.ipynb", 30.0)]
    floor = [run("floor", 1.5), run("floor", 1.5)]
    marks = bench.targets(suite, floor, [agreement(1e-6, 1.09e-6)])
    assert [ok for ok, _ in marks] == [True, False, True]
    assert "(1/1)" in marks[0][1]
    assert "(11.00×)" in marks[1][1]
    assert "(worst 9.0 %)" in marks[2][1]


def test_targets_missed() -> None:
    suite = [
        run("notebooks/01.ipynb", 10.0),  # the limit is strict
        run("notebooks/02.ipynb", 1.0, error="ZeroDivisionError: division by zero"),
        run("notebooks/03.ipynb", 1.0),
    ]
    floor = [run("floor", 1.0)] * 3
    marks = bench.targets(suite, floor, [agreement(1e-3, 1e-3), agreement(1e-2, 0.88e-2)])
    assert [ok for ok, _ in marks] == [False, False, False]
    assert "(1/3)" in marks[0][1]
    assert "(4.00×)" in marks[1][1]
    assert "(worst 12.0 %)" in marks[2][1]


def test_targets_with_nothing_to_judge() -> None:
    assert [ok for ok, _ in bench.targets([], [], [])] == [None, None, None]
    skipped = bench.targets(None, None, None)
    assert all(ok is None and "skipped" in text for ok, text in skipped)


def test_report_tables() -> None:
    suite = [
        run("notebooks/01-basics.ipynb", 2.5, peak=102_400),
        run("notebooks/02-views.ipynb", 1.0, peak=None, error="KeyError: 'x|y'"),
        run("solutions/01-basics.ipynb", 2.0),
    ]
    floor = [run("floor", 1.0), run("floor", 1.0), run("floor", 1.0)]
    text = bench.render_report(
        suite, floor, [agreement(1e-6, 1.02e-6)], environment="Python 3.11 on test"
    )
    lines = text.splitlines()
    assert lines[0] == "# Course benchmark"
    assert "Python 3.11 on test" in lines
    assert "| notebooks/01-basics.ipynb | ok | 2.50 s | 100.0 MiB | ✅ met |" in lines
    assert "| notebooks/02-views.ipynb | failed: KeyError: 'x\\|y' | 1.00 s | n/a | ❌ missed |" in lines
    assert "| solutions/01-basics.ipynb | ok | 2.00 s | 50.0 MiB | – |" in lines
    assert any("Notebooks total 5.50 s" in line and "**1.83×**" in line for line in lines)
    assert "| ~1 µs | 1,000 | 1.00 µs | 980 ns | 1.02 µs | +2.0 % | ✅ met |" in lines
    assert lines[-3:] == [
        "- ❌ missed every lesson runs under 10 s (1/2)",
        "- ✅ met notebooks within 2× bare kernels (1.83×)",
        "- ✅ met measure() within 10 % of timeit (worst 2.0 %)",
    ]


def test_report_without_notebooks_or_timing() -> None:
    text = bench.render_report([], [], None)
    assert "No notebooks found in notebooks/ or solutions/ or exercises/." in text
    assert "Skipped." in text
    assert "- ➖ n/a notebooks within 2× bare kernels (no notebooks)" in text


def test_main_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench" / "report.md"
    assert bench.main(["--skip-notebooks", "--skip-timing", "--skip-checks", "--skip-suite",
                       "--skip-grading", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        bench.main(["--rounds", "0"])
    assert usage.value.code == 2


# --- the executor, for real (starts one kernel) --------------------------------------------


def test_execute_notebook_runs_in_its_folder_and_reports_failure(tmp_path: Path) -> None:
    (tmp_path / "marker.txt").write_text("here")
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# A failing notebook"),
            nbformat.v4.new_code_cell("assert open('marker.txt').read() == 'here'"),
            nbformat.v4.new_code_cell("1 / 0"),
            nbformat.v4.new_code_cell("never = True"),
        ]
    )
    path = tmp_path / "failing.ipynb"
    nbformat.write(nb, path)
    result = bench.execute_notebook(path, "notebooks/failing.ipynb", timeout=60)
    assert result.name == "notebooks/failing.ipynb"
    assert result.error == "ZeroDivisionError: division by zero"  # so the cwd was right
    assert result.seconds > 0
    if Path("/proc/self/status").exists():
        assert result.peak_kib is not None and result.peak_kib > 1000


def test_execute_notebook_reports_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json")
    result = bench.execute_notebook(path)
    assert result.name == "broken.ipynb"
    assert result.error is not None and result.error.startswith("NotJSONError")
    assert result.peak_kib is None


def test_output_must_be_a_file_path(tmp_path, capsys) -> None:
    import pytest

    from support.tools.bench import main

    for bad in [tmp_path, tmp_path / "a-file" / "report.md"]:
        (tmp_path / "a-file").write_text("x")
        with pytest.raises(SystemExit) as stopped:
            main(["--skip-notebooks", "--skip-timing", "--skip-checks", "--output", str(bad)])
        assert stopped.value.code == 2
    assert "--output must be a file path" in capsys.readouterr().err


def test_report_shows_check_timings() -> None:
    checks = [bench.CheckTiming("views-query-string", "passed", 0.8, 0.1),
              bench.CheckTiming("invalidation-stampede", "passed", 2.5, 2.1)]
    text = bench.render_report(None, None, None, checks=checks)
    assert "| views-query-string | passed | 800 ms | 100 ms | ✅ met |" in text
    assert "| invalidation-stampede | passed | 2.50 s | 2.10 s | ❌ missed |" in text
    assert "- ❌ missed every check answers under 2 s (1/2)" in text


def test_time_checks_on_one_solution(monkeypatch) -> None:
    from support.tools import mutants

    every = mutants.answers()
    monkeypatch.setattr(mutants, "answers", lambda: [a for a in every
                                                     if a.exercise == "setup-timeouts"])
    (timing,) = bench.time_checks()
    assert timing.exercise == "setup-timeouts" and timing.status == "passed"
    assert timing.first > 0 and timing.again > 0


# --- the suite and grading parts -----------------------------------------------------------


def test_slowest_tests_from_a_junit_report(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    cases = "".join(f'<testcase classname="tests.test_{n}" name="test_{n}" time="{t}"/>'
                    for n, t in [("a", "0.5"), ("b", "12.25"), ("c", "3")])
    report.write_text(f'<testsuites><testsuite name="pytest">{cases}</testsuite></testsuites>')
    assert bench.slowest_tests(report, count=2) == [("tests.test_b::test_b", 12.25),
                                                    ("tests.test_c::test_c", 3.0)]
    assert bench.slowest_tests(tmp_path / "missing.xml") == []
    (tmp_path / "broken.xml").write_text("<testsuites>")
    assert bench.slowest_tests(tmp_path / "broken.xml") == []


def test_suite_against_the_serial_notebook_floor() -> None:
    tests = bench.SuiteRun(90.0, 0, "1418 passed in 90.00s", [("tests/test_x.py::test_y", 17.0)])
    lines = bench.suite_lines(tests, [run("notebooks/01.ipynb", 40.0), run("solutions/01.ipynb", 20.0)])
    assert lines[0].startswith("`make test` passed in 90.0 s (1418 passed in 90.00s); every "
                               "notebook executed once, one after the other: 60.0 s;")
    assert "ratio **1.50×** (target ≤ 1×)" in lines[0]
    assert "| tests/test_x.py::test_y | 17.0 |" in lines
    failed = bench.suite_lines(bench.SuiteRun(10.0, 2, "1 failed in 9s", []), [])
    assert "FAILED (exit status 2)" in failed[0] and "n/a (notebooks skipped)" in failed[0]
    assert bench.suite_lines(None, []) == ["Skipped."]


def test_grading_throughput_against_bare_kernels() -> None:
    graded = [bench.GradingRun(1, 8, 120.0), bench.GradingRun(2, 8, 80.0, error="boom")]
    assert graded[0].per_minute == 4.0
    assert bench.GradingRun(1, 3, 0.0).per_minute == 0.0
    lines = bench.grading_lines(graded, [run("floor", 2.0), run("floor", 4.0)])
    assert "| 1 | 8 | 120 s | 4.0 | ok |" in lines
    assert "| 2 | 8 | 80.0 s | 6.0 | boom |" in lines
    assert "20.0 per minute one at a time" in lines[-1]
    assert bench.grading_lines(None, []) == ["Skipped."]


def test_run_suite_times_make_test_and_reads_its_slowest_tests(tmp_path: Path) -> None:
    import shutil
    import sys

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    (tmp_path / "test_one.py").write_text(
        "import time\n\ndef test_quick():\n    pass\n\ndef test_slow():\n    time.sleep(0.2)\n")
    (tmp_path / "Makefile").write_text(
        f"test:\n\t{sys.executable} -m pytest -p no:cacheprovider -p no:xdist test_one.py\n")
    tests = bench.run_suite(root=tmp_path)
    assert tests.status == 0
    assert "2 passed" in tests.summary
    assert [name.split("::")[-1] for name, _ in tests.slowest] == ["test_slow", "test_quick"]
    assert tests.seconds >= tests.slowest[0][1] >= 0.2


def test_a_failing_suite_names_its_failed_tests(tmp_path: Path) -> None:
    import shutil
    import sys

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    (tmp_path / "test_one.py").write_text("def test_fine():\n    pass\n\ndef test_broken():\n    assert False\n")
    (tmp_path / "Makefile").write_text(
        f"test:\n\t{sys.executable} -m pytest -p no:cacheprovider -p no:xdist test_one.py\n")
    tests = bench.run_suite(root=tmp_path)
    assert tests.status != 0 and tests.failed == ["test_one::test_broken"]
    text = "\n".join(bench.suite_lines(tests, []))
    assert "FAILED" in text and "`test_one::test_broken`" in text
