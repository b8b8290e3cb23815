"""Timing helpers as careful as :mod:`timeit`; they report, they never judge.

Every measurement uses ``time.perf_counter_ns``, warms up first, repeats a tight loop of calls and
keeps one sample (seconds per call) per repeat; the median is the headline figure and the
interquartile range is its spread. Like ``timeit``, the garbage collector is paused while a loop
is timed so that independent timings are comparable.

>>> m = measure(sorted, [3, 1, 2])
>>> print(m)                                    # doctest: +SKIP
412 ns ± 6 ns (median of 7 runs × 500,000 calls)
"""

from __future__ import annotations

import functools
import gc
import html
import itertools
import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from support.charts import Chart


__all__ = [
    "Chart",
    "ColdWarm",
    "ComparisonTable",
    "Measurement",
    "bar_chart",
    "cold_warm",
    "comparison_table",
    "format_duration",
    "format_ratio",
    "measure",
    "measure_request",
]

Timer = Callable[[], int]
"""A clock returning integer nanoseconds, like :func:`time.perf_counter_ns`."""

_UNITS = {-9: "ns", -6: "µs", -3: "ms", 0: "s"}


def _split(seconds: float) -> tuple[int, int]:
    """(power of ten of the unit, decimals) showing ``seconds`` with 3 significant figures;
    the unit is chosen after rounding, so 999.7 ns is "1.00 µs", not "1000 ns"."""
    mantissa, exponent = f"{abs(seconds):.2e}".split("e")
    exp = int(exponent) if float(mantissa) else -9
    power = min(max(exp // 3 * 3, -9), 0)
    return power, max(0, 2 - (exp - power))


def _in_unit(seconds: float, power: int, decimals: int) -> str:
    return f"{seconds / 10.0**power:.{decimals}f} {_UNITS[power]}"


def format_ratio(ratio: float) -> str:
    """Format a ratio with 3 significant figures, no exponent: "0.0417×", "12.3×", "1,230×"."""
    if not math.isfinite(ratio) or ratio == 0:
        return f"{ratio}×"
    rounded = float(f"{ratio:.2e}")
    decimals = max(0, 2 - math.floor(math.log10(abs(rounded))))
    return f"{rounded:,.{decimals}f}×"


def format_duration(seconds: float) -> str:
    """Format a duration with 3 significant figures in ns, µs, ms or s ("1.23 µs", "850 ns")."""
    if not math.isfinite(seconds):
        return f"{seconds} s"
    if seconds == 0:
        return "0 ns"
    rounded = float(f"{seconds:.2e}")  # 3 significant figures, even above 999 s
    return _in_unit(rounded, *_split(rounded))


@dataclass(frozen=True, repr=False)
class Measurement:
    """Timings of one callable: ``samples`` are seconds per call, one per repeat of ``number``
    calls."""

    label: str
    samples: tuple[float, ...]
    number: int

    @property
    def median(self) -> float:
        """Median seconds per call."""
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        """Fastest repeat, seconds per call."""
        return min(self.samples)

    @property
    def max(self) -> float:
        """Slowest repeat, seconds per call."""
        return max(self.samples)

    @property
    def quartiles(self) -> tuple[float, float]:
        """First and third quartiles, seconds per call (inclusive method, as numpy's default)."""
        if len(self.samples) < 2:
            return self.median, self.median
        q1, _, q3 = statistics.quantiles(self.samples, n=4, method="inclusive")
        return q1, q3

    @property
    def spread(self) -> float:
        """Interquartile range, seconds per call."""
        q1, q3 = self.quartiles
        return q3 - q1

    @property
    def repeat(self) -> int:
        """Number of repeats (samples)."""
        return len(self.samples)

    def __str__(self) -> str:
        power, decimals = _split(self.median)
        runs = "run" if self.repeat == 1 else "runs"
        calls = "call" if self.number == 1 else "calls"
        return (
            f"{format_duration(self.median)} ± {_in_unit(self.spread, power, decimals)} "
            f"(median of {self.repeat} {runs} × {self.number:,} {calls})"
        )

    def __repr__(self) -> str:
        return (
            f"Measurement({self.label!r}, median={format_duration(self.median)}, "
            f"repeat={self.repeat}, number={self.number})"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(f"{self.label}: {self}")


def _loop_ns(call: Callable[[], Any], number: int, timer: Timer) -> int:
    """Time ``number`` calls of ``call`` in a tight loop (GC paused, as timeit does)."""
    it = itertools.repeat(None, number)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = timer()
        for _ in it:
            call()
        return timer() - start
    finally:
        if gc_was_enabled:
            gc.enable()


def _autorange(call: Callable[[], Any], timer: Timer, target: float) -> int:
    """Smallest number in 1, 2, 5, 10, 20, 50, ... whose loop takes at least ``target`` s."""
    for exponent in itertools.count():
        for mantissa in (1, 2, 5):
            number = mantissa * 10**exponent
            if _loop_ns(call, number, timer) >= target * 1e9:
                return number
    raise AssertionError("unreachable")  # pragma: no cover


def _name(fn: Callable[..., Any]) -> str:
    fn = getattr(fn, "func", fn)  # functools.partial
    return getattr(fn, "__qualname__", None) or repr(fn)


def measure(
    fn: Callable[..., Any],
    *args: Any,
    repeat: int = 7,
    number: int | None = None,
    warmup: int = 1,
    label: str | None = None,
    timer: Timer = time.perf_counter_ns,
    target: float = 0.02,
    **kwargs: Any,
) -> Measurement:
    """Time ``fn(*args, **kwargs)``: ``warmup`` untimed calls, then ``repeat`` loops of
    ``number`` calls each. ``number=None`` picks it like timeit's autorange, so one loop takes
    at least ``target`` seconds. ``timer`` returns nanoseconds (inject a fake clock in tests).
    """
    if repeat < 1 or warmup < 0 or (number is not None and number < 1):
        raise ValueError("need repeat >= 1, warmup >= 0 and number >= 1")
    call = functools.partial(fn, *args, **kwargs) if args or kwargs else fn
    for _ in range(warmup):
        call()
    if number is None:
        number = _autorange(call, timer, target)
    samples = tuple(_loop_ns(call, number, timer) / number / 1e9 for _ in range(repeat))
    return Measurement(label if label is not None else _name(fn), samples, number)


def measure_request(
    client: Any,
    path: str,
    *,
    method: str = "GET",
    expect_status: int = 200,
    **measure_kwargs: Any,
) -> Measurement:
    """Time a Flask test-client request (body included); every response must have status
    ``expect_status``, otherwise :class:`AssertionError`. Other options go to :func:`measure`.
    """

    def request() -> None:
        response = client.open(path, method=method, buffered=True)
        status = response.status_code
        if status != expect_status:
            body = response.get_data(as_text=True)[:200]
            response.close()
            raise AssertionError(
                f"{method} {path} returned {status}, expected {expect_status}: {body!r}"
            )
        response.close()

    request()  # fail fast, before any timing
    measure_kwargs.setdefault("label", f"{method} {path}")
    return measure(request, **measure_kwargs)


@dataclass(frozen=True)
class ColdWarm:
    """A first call after a reset (``cold``) against repeated calls (``warm``)."""

    cold: Measurement
    warm: Measurement

    @property
    def speedup(self) -> float:
        """How many times faster a warm call is: cold median / warm median."""
        return self.cold.median / self.warm.median

    def __str__(self) -> str:
        return (
            f"cold {format_duration(self.cold.median)}, warm {format_duration(self.warm.median)}"
            f" → {format_ratio(self.speedup)} faster warm"
        )


def cold_warm(
    fn: Callable[[], Any],
    reset: Callable[[], Any],
    *,
    repeat: int = 7,
    label: str = "",
    timer: Timer = time.perf_counter_ns,
) -> ColdWarm:
    """Measure ``fn`` cold (``reset()`` untimed, then one timed call; ``repeat`` times) and warm
    (one priming call, then :func:`measure`)."""
    samples = []
    for _ in range(repeat):
        reset()
        samples.append(_loop_ns(fn, 1, timer) / 1e9)
    prefix = f"{label} " if label else ""
    cold = Measurement(f"{prefix}cold", tuple(samples), 1)
    fn()
    warm = measure(fn, repeat=repeat, label=f"{prefix}warm", timer=timer)
    return ColdWarm(cold, warm)


Measurements = Sequence[Measurement] | Mapping[str, Measurement]


def _labelled(measurements: Measurements) -> list[tuple[str, Measurement]]:
    if isinstance(measurements, Mapping):
        return list(measurements.items())
    return [(m.label, m) for m in measurements]


@dataclass(frozen=True)
class ComparisonTable:
    """Medians side by side; ``ratio`` is each median divided by the reference's median."""

    rows: list[dict[str, Any]]
    reference: str

    _HEADERS = ("label", "median", "spread", "ratio")

    def _cells(self) -> list[tuple[str, str, str, str]]:
        return [
            (
                row["label"],
                format_duration(row["median"]),
                format_duration(row["spread"]),
                format_ratio(row["ratio"]),
            )
            for row in self.rows
        ]

    def __str__(self) -> str:
        lines = [self._HEADERS, *self._cells()]
        widths = [max(len(line[i]) for line in lines) for i in range(4)]
        text = [
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
            for line in lines
        ]
        text.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join([*text, f"ratio: median ÷ median of {self.reference}"])

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in self._HEADERS)
        body = "".join(
            f"<tr><td style='text-align:left'>{html.escape(label)}</td>"
            + "".join(f"<td style='text-align:right'>{html.escape(c)}</td>" for c in rest)
            + "</tr>"
            for label, *rest in self._cells()
        )
        caption = f"ratio: median ÷ median of {html.escape(self.reference)}"
        return (
            f"<table><caption style='caption-side:bottom'>{caption}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


def comparison_table(measurements: Measurements, baseline: str | None = None) -> ComparisonTable:
    """Compare measurements (a list, or a dict label -> Measurement) to ``baseline`` (a label)
    or, by default, to the fastest."""
    pairs = _labelled(measurements)
    if not pairs:
        raise ValueError("nothing to compare")
    if baseline is None:
        ref_label, ref = min(pairs, key=lambda pair: pair[1].median)
        reference = f"{ref_label!r} (fastest)"
    else:
        found = [m for label, m in pairs if label == baseline]
        if not found:
            raise KeyError(f"baseline {baseline!r} is not one of {[lbl for lbl, _ in pairs]}")
        ref, reference = found[0], f"{baseline!r} (baseline)"
    rows = [
        {
            "label": label,
            "median": m.median,
            "spread": m.spread,
            "ratio": m.median / ref.median,
            "repeat": m.repeat,
            "number": m.number,
        }
        for label, m in pairs
    ]
    return ComparisonTable(rows, reference)


def __getattr__(name: str) -> Any:
    """``support.timing.Chart`` (lesson 04 imports it from here), loaded on first use: importing
    matplotlib takes about a third of a second, and most cells that time things draw nothing."""
    if name == "Chart":
        from support.charts import Chart

        return Chart
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def bar_chart(measurements: Measurements, *, title: str = "", log: bool = False) -> Chart:
    """Horizontal bars of medians (first measurement on top), interquartile range as error
    bars; the unit fits the largest median. Returns a :class:`Chart` (a Figure)."""
    pairs = _labelled(measurements)
    if not pairs:
        raise ValueError("nothing to plot")
    power, _ = _split(max(m.median for _, m in pairs))
    scale = 10.0**-power
    medians = [m.median * scale for _, m in pairs]
    low = [(m.median - m.quartiles[0]) * scale for _, m in pairs]
    high = [(m.quartiles[1] - m.median) * scale for _, m in pairs]

    from support.charts import Chart

    fig = Chart(figsize=(6.4, 0.6 + 0.45 * len(pairs)), layout="constrained")
    ax = fig.add_subplot()
    positions = range(len(pairs))
    ax.barh(positions, medians, xerr=[low, high], capsize=3, color="#4c72b0")
    ax.set_yticks(list(positions), [label for label, _ in pairs])
    ax.invert_yaxis()
    for y, (value, upper, (_, m)) in enumerate(zip(medians, high, pairs, strict=True)):
        ax.annotate(
            format_duration(m.median),
            (value + upper, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize="small",
        )
    if log:
        from matplotlib.ticker import LogLocator, NullFormatter

        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10))
        ax.xaxis.set_minor_formatter(NullFormatter())  # no crowded labels over a short range
    ax.set_xlabel(f"median time per call ({_UNITS[power]}), error bars: interquartile range")
    ax.margins(x=0.2)
    if title:
        ax.set_title(title)
    fastest, slowest = min(pairs, key=lambda p: p[1].median), max(pairs, key=lambda p: p[1].median)
    fig.description = (
        f"Bar chart{' (log scale)' if log else ''}{': ' + title if title else ''}: median time "
        f"per call of {len(pairs)} measurements; shortest {fastest[0]} "
        f"({format_duration(fastest[1].median)}), longest {slowest[0]} "
        f"({format_duration(slowest[1].median)}).")
    return fig
