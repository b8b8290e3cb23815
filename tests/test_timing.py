"""Unit tests of support.timing with a fake clock, so every figure is exact."""

from __future__ import annotations

import base64
import pytest
from flask import Flask

from support.timing import (
    ColdWarm,
    Measurement,
    bar_chart,
    cold_warm,
    comparison_table,
    format_duration,
    format_ratio,
    measure,
    measure_request,
)

MS = 1_000_000  # nanoseconds


class FakeClock:
    """A nanosecond clock that moves only when the fake workload says so; logs every event."""

    def __init__(self) -> None:
        self.now = 0
        self.events: list[str] = []

    def __call__(self) -> int:
        self.events.append("tick")
        return self.now

    def work(self, cost_ns: int) -> object:
        """A workload taking ``cost_ns`` per call on this clock."""

        def fn() -> None:
            self.events.append("call")
            self.now += cost_ns

        return fn


def sample(*seconds: float, number: int = 1, label: str = "m") -> Measurement:
    return Measurement(label, tuple(seconds), number)


# --- Measurement ---------------------------------------------------------------------------


def test_statistics_from_known_samples() -> None:
    m = sample(5.0, 1.0, 7.0, 3.0, 2.0, 6.0, 4.0, number=10)
    assert m.median == 4.0
    assert m.min == 1.0
    assert m.max == 7.0
    assert m.repeat == 7
    assert m.quartiles == (2.5, 5.5)
    assert m.spread == 3.0


def test_even_number_of_samples_and_single_sample() -> None:
    assert sample(1.0, 2.0, 3.0, 10.0).median == 2.5
    single = sample(2e-6)
    assert (single.median, single.spread, single.repeat) == (2e-6, 0.0, 1)


def test_str_uses_the_median_unit_for_the_spread() -> None:
    m = sample(1.21e-6, 1.22e-6, 1.23e-6, 1.23e-6, 1.24e-6, 1.25e-6, 1.30e-6, number=1000)
    assert str(m) == "1.23 µs ± 0.02 µs (median of 7 runs × 1,000 calls)"
    assert str(sample(850e-9)) == "850 ns ± 0 ns (median of 1 run × 1 call)"


def test_repr_is_short_and_names_the_label() -> None:
    m = sample(*[1e-3] * 7, number=5, label="GET /")
    assert repr(m) == "Measurement('GET /', median=1.00 ms, repeat=7, number=5)"


# --- measure -------------------------------------------------------------------------------


def test_measure_with_fixed_number_is_exact() -> None:
    clock = FakeClock()
    m = measure(clock.work(3 * MS), repeat=5, number=4, timer=clock, label="x")
    assert m.samples == (0.003,) * 5
    assert (m.median, m.number, m.repeat, m.label) == (0.003, 4, 5, "x")


def test_warmup_calls_happen_first_and_are_not_timed() -> None:
    clock = FakeClock()
    measure(clock.work(1), repeat=2, number=2, warmup=3, timer=clock)
    loop = ["tick", "call", "call", "tick"]
    assert clock.events == ["call"] * 3 + loop + loop


def test_no_warmup() -> None:
    clock = FakeClock()
    measure(clock.work(1), repeat=1, number=1, warmup=0, timer=clock)
    assert clock.events == ["tick", "call", "tick"]


@pytest.mark.parametrize(
    ("cost_ms", "target", "expected"),
    [(3, 0.02, 10), (25, 0.02, 1), (10, 0.02, 2), (1, 0.02, 20), (0.001, 0.02, 20_000)],
)
def test_autorange_picks_the_first_number_reaching_the_target(
    cost_ms: float, target: float, expected: int
) -> None:
    clock = FakeClock()
    m = measure(clock.work(round(cost_ms * MS)), repeat=3, target=target, timer=clock)
    assert m.number == expected
    assert m.median == pytest.approx(cost_ms / 1000, rel=1e-12)


def test_autorange_tries_1_2_5_10_in_order() -> None:
    clock = FakeClock()
    measure(clock.work(3 * MS), repeat=1, warmup=0, timer=clock)
    # autorange loops of 1, 2, 5, 10 calls, then the single timed repeat of 10 calls
    assert clock.events.count("call") == 1 + 2 + 5 + 10 + 10


def test_args_and_kwargs_are_passed_and_label_defaults_to_the_name() -> None:
    seen = []

    def add(a: int, b: int = 0) -> None:
        seen.append((a, b))

    m = measure(add, 1, b=2, repeat=2, number=3, warmup=1)
    assert seen == [(1, 2)] * 7
    assert m.label.endswith("add")


@pytest.mark.parametrize("bad", [{"repeat": 0}, {"number": 0}, {"warmup": -1}])
def test_measure_rejects_nonsense(bad: dict) -> None:
    with pytest.raises(ValueError):
        measure(lambda: None, **bad)


# --- measure_request -----------------------------------------------------------------------


@pytest.fixture
def client():
    app = Flask(__name__)
    calls = []

    @app.get("/ok")
    def ok() -> str:
        calls.append("ok")
        return "fine"

    @app.post("/made")
    def made() -> tuple[str, int]:
        return "created", 201

    @app.get("/broken")
    def broken() -> tuple[str, int]:
        return "database is down", 500

    test_client = app.test_client()
    test_client.calls = calls
    return test_client


def test_measure_request_times_the_view(client) -> None:
    m = measure_request(client, "/ok", repeat=2, number=3, warmup=1)
    assert m.label == "GET /ok"
    assert (m.repeat, m.number) == (2, 3)
    assert len(client.calls) == 1 + 1 + 2 * 3  # status check, warm-up, timed


def test_measure_request_with_method_and_status(client) -> None:
    m = measure_request(client, "/made", method="POST", expect_status=201, repeat=1, number=1)
    assert m.label == "POST /made"


def test_measure_request_fails_clearly_on_a_wrong_status(client) -> None:
    with pytest.raises(AssertionError, match=r"GET /broken returned 500, expected 200.*down"):
        measure_request(client, "/broken", repeat=1, number=1)
    with pytest.raises(AssertionError, match="returned 404"):
        measure_request(client, "/missing", repeat=1, number=1)


def test_measure_request_checks_every_response() -> None:
    app = Flask(__name__)
    count = 0

    @app.get("/flaky")
    def flaky() -> tuple[str, int]:
        nonlocal count
        count += 1
        return ("ok", 200) if count < 3 else ("gone", 503)

    with pytest.raises(AssertionError, match="returned 503"):
        measure_request(app.test_client(), "/flaky", repeat=1, number=5, warmup=0)


# --- cold_warm -----------------------------------------------------------------------------


def test_cold_warm_resets_before_every_cold_call() -> None:
    clock = FakeClock()
    cache: dict[str, int] = {}

    def fetch() -> None:
        clock.events.append("call")
        clock.now += 1 * MS if "k" in cache else 40 * MS
        cache["k"] = 1

    def reset() -> None:
        clock.events.append("reset")
        cache.clear()

    result = cold_warm(fetch, reset, repeat=3, label="page", timer=clock)
    cold_events = clock.events[: 3 * 4]
    assert cold_events == ["reset", "tick", "call", "tick"] * 3
    assert "reset" not in clock.events[3 * 4 :]
    assert isinstance(result, ColdWarm)
    assert result.cold.samples == (0.04,) * 3
    assert result.cold.number == 1
    assert result.warm.median == pytest.approx(0.001)
    assert result.warm.repeat == 3
    assert (result.cold.label, result.warm.label) == ("page cold", "page warm")
    assert result.speedup == pytest.approx(40)
    assert str(result) == "cold 40.0 ms, warm 1.00 ms → 40.0× faster warm"


# --- formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 ns"),
        (5e-10, "0.500 ns"),
        (1e-9, "1.00 ns"),
        (850e-9, "850 ns"),
        (999.4e-9, "999 ns"),
        (999.7e-9, "1.00 µs"),  # rounding moves it to the next unit
        (1.23e-6, "1.23 µs"),
        (1.2345e-6, "1.23 µs"),
        (99.99e-6, "100 µs"),
        (1e-3, "1.00 ms"),
        (12.3e-3, "12.3 ms"),
        (0.9996, "1.00 s"),
        (1.5, "1.50 s"),
        (42, "42.0 s"),
        (1234, "1230 s"),  # no unit above seconds
        (-2e-6, "-2.00 µs"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(1, "1.00×"), (12.345, "12.3×"), (245.2, "245×"), (1234.5, "1,230×"), (0.004166, "0.00417×")],
)
def test_format_ratio(ratio: float, text: str) -> None:
    assert format_ratio(ratio) == text


# --- comparison_table ----------------------------------------------------------------------


@pytest.fixture
def shop() -> dict[str, Measurement]:
    return {
        "no cache": sample(11e-3, 12e-3, 13e-3),
        "cache miss": sample(12e-3, 13e-3, 14e-3),
        "cache hit": sample(40e-6, 50e-6, 60e-6, number=100),
    }


def test_table_ratios_default_to_the_fastest(shop) -> None:
    table = comparison_table(shop)
    assert [row["label"] for row in table.rows] == ["no cache", "cache miss", "cache hit"]
    assert [row["ratio"] for row in table.rows] == pytest.approx([240, 260, 1])
    assert table.rows[2]["median"] == 50e-6
    assert table.rows[0]["spread"] == pytest.approx(1e-3)


def test_table_ratios_against_a_baseline(shop) -> None:
    table = comparison_table(shop, baseline="no cache")
    assert [row["ratio"] for row in table.rows] == pytest.approx([1, 13 / 12, 50e-6 / 12e-3])
    with pytest.raises(KeyError, match="'nope' is not one of"):
        comparison_table(shop, baseline="nope")


def test_table_text_is_aligned(shop) -> None:
    assert str(comparison_table(shop)).splitlines() == [
        "label        median   spread  ratio",
        "----------  -------  -------  -----",
        "no cache    12.0 ms  1.00 ms   240×",
        "cache miss  13.0 ms  1.00 ms   260×",
        "cache hit   50.0 µs  10.0 µs  1.00×",
        "ratio: median ÷ median of 'cache hit' (fastest)",
    ]


def test_table_from_a_list_uses_labels_and_renders_html() -> None:
    table = comparison_table([sample(2.0, label="slow <b>"), sample(1.0, label="fast")])
    assert [row["ratio"] for row in table.rows] == [2.0, 1.0]
    markup = table._repr_html_()
    assert markup.count("<tr>") == 3
    assert "slow &lt;b&gt;" in markup and "2.00×" in markup and "1.00 s" in markup


def test_table_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        comparison_table([])


# --- bar_chart -----------------------------------------------------------------------------


def test_bar_chart_has_one_bar_per_measurement(shop) -> None:
    from matplotlib.figure import Figure  # here: importing matplotlib takes 0.4 s per worker

    fig = bar_chart(shop, title="GET /products")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    bars = ax.patches
    assert len(bars) == 3
    assert [bar.get_width() for bar in bars] == pytest.approx([12, 13, 0.05])  # in ms
    assert "(ms)" in ax.get_xlabel()
    assert ax.get_title() == "GET /products"
    assert [t.get_text() for t in ax.get_yticklabels()] == list(shop)


def test_bar_chart_log_scale_and_png(shop) -> None:
    fig = bar_chart(list(shop.values())[2:], log=True)
    assert fig.axes[0].get_xscale() == "log"
    assert "(µs)" in fig.axes[0].get_xlabel()
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_bar_chart_describes_itself_in_words(shop) -> None:
    fig = bar_chart(shop, title="GET /products")
    bundle = fig._repr_mimebundle_()
    assert bundle["text/plain"] == fig.description
    assert "3 measurements" in fig.description and "GET /products" in fig.description
    assert "shortest" in fig.description and "longest" in fig.description
    assert 'alt="Bar chart: GET /products' in bundle["text/html"]
    assert "<figcaption" in bundle["text/html"]
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
