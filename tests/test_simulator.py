"""Unit tests of support.simulator (the workload simulator) and support.quiz (lesson 04)."""

from __future__ import annotations

import math

import pytest

from support.backends import course_prefix, redis_client, redis_config
from support.quiz import Question, Quiz
from support.simulator import (
    Costs,
    Workload,
    expected_latency,
    format_ms,
    hit_ratio_over_time,
    plot_result,
    request_stream,
    simulate,
    zipf_weights,
)

COSTS = Costs(compute=0.008, hit=0.0012, miss_overhead=0.0021)


def test_same_seed_same_result_other_seed_other_stream() -> None:
    workload = Workload(requests=400, write_ratio=0.1, ttl=30, seed=3)
    assert simulate(workload, COSTS) == simulate(workload, COSTS)
    assert list(request_stream(workload)) != list(request_stream(workload.but(seed=4)))


def test_no_writes_no_expiry_misses_once_per_key() -> None:
    result = simulate(Workload(requests=300, write_ratio=0, keys=5, zipf=0, ttl=None), COSTS)
    keys_seen = len({key for _, key in request_stream(result.workload)})
    assert result.misses == keys_seen == 5
    assert result.hits == 300 - 5 and result.writes == 0 and result.stale_reads == 0


def test_ttl_runs_on_the_simulated_clock() -> None:
    # one key, one request per simulated second, TTL 10 s: a miss every 10 requests
    result = simulate(Workload(requests=100, write_ratio=0, keys=1, ttl=10, rate=1), COSTS)
    assert result.misses == 10 and result.expired == 9 and result.hits == 90


def test_invalidation_prevents_stale_reads() -> None:
    result = simulate(Workload(requests=1000, write_ratio=0.2, keys=10, ttl=None), COSTS)
    assert result.writes > 0 and result.stale_reads == 0


def test_without_invalidation_staleness_is_bounded_by_the_ttl() -> None:
    result = simulate(Workload(requests=1000, write_ratio=0.2, keys=10, ttl=20, rate=2,
                               invalidate=False), COSTS)
    assert result.stale_reads > 0
    assert 0 < result.max_staleness < 20


def test_latencies_follow_the_cost_model() -> None:
    result = simulate(Workload(requests=500, write_ratio=0.05, keys=30), COSTS)
    assert math.isclose(result.mean_latency, expected_latency(result.hit_ratio, COSTS))
    assert result.no_cache_latency == COSTS.compute
    assert math.isclose(result.speedup, COSTS.compute / result.mean_latency)
    assert sorted(set(result.latencies)) == sorted({COSTS.hit, COSTS.compute + COSTS.miss_overhead})
    ordered = sorted(result.latencies)
    assert result.p95_latency == ordered[math.ceil(0.95 * len(ordered)) - 1]


def test_query_counts() -> None:
    result = simulate(Workload(requests=500, write_ratio=0.1, keys=30), COSTS)
    assert result.db_queries == result.misses + result.writes
    assert result.db_queries_without_cache == result.reads + result.writes == 500
    assert result.queries_saved == result.hits


def test_outcomes_and_hit_ratio_over_time() -> None:
    result = simulate(Workload(requests=300, write_ratio=0.1, keys=5, ttl=5, invalidate=False),
                      COSTS)
    assert len(result.outcomes) == result.reads
    assert result.outcomes.count("stale") == result.stale_reads
    assert result.outcomes.count("expired") == result.expired
    series = hit_ratio_over_time(result, window=50)
    assert len(series) == result.reads - 49
    hits = [o in ("hit", "stale") for o in result.outcomes]
    assert series[0] == sum(hits[:50]) / 50 and series[-1] == sum(hits[-50:]) / 50
    assert hit_ratio_over_time(result, window=10_000) == []
    with pytest.raises(ValueError):
        hit_ratio_over_time(result, window=0)


def test_zipf_weights_and_stream() -> None:
    uniform = zipf_weights(4, 0)
    assert uniform == [0.25] * 4
    skewed = zipf_weights(10, 1.0)
    assert math.isclose(sum(skewed), 1) and skewed == sorted(skewed, reverse=True)
    assert math.isclose(skewed[0] / skewed[1], 2)
    stream = list(request_stream(Workload(requests=5000, write_ratio=0.3, keys=7, seed=1)))
    assert {key for _, key in stream} == set(range(1, 8))
    assert 0.25 < sum(is_write for is_write, _ in stream) / 5000 < 0.35


def test_same_run_on_redis_leaves_no_keys() -> None:
    workload = Workload(requests=200, write_ratio=0.1, keys=8)
    on_redis = simulate(workload, COSTS, redis_config("simtest"))
    assert on_redis == simulate(workload, COSTS)
    client = redis_client()
    assert list(client.scan_iter(match=course_prefix("simtest") + "*")) == []


def test_rejects_unsupported_backends_and_bad_inputs() -> None:
    with pytest.raises(ValueError, match="simulator runs on"):
        simulate(Workload(requests=10), COSTS, {"CACHE_TYPE": "NullCache"})
    for bad in [{"requests": 0}, {"write_ratio": 1.5}, {"keys": 0}, {"zipf": -1}, {"ttl": 0},
                {"rate": 0}]:
        with pytest.raises(ValueError):
            Workload(**bad)
    with pytest.raises(ValueError):
        Costs(compute=-1, hit=0, miss_overhead=0)
    with pytest.raises(ValueError):
        Costs(compute=float("nan"), hit=0, miss_overhead=0)


def test_report_text_and_chart() -> None:
    result = simulate(Workload(requests=200), COSTS)
    text = str(result)
    assert f"hit ratio      {result.hit_ratio:.3f}" in text and "saved" in text
    assert format_ms(0.0015) == "1.50 ms" and format_ms(0.2) == "200 ms" and format_ms(0) == "0 ms"
    row = result.as_row()
    assert row["queries saved"] == result.queries_saved
    chart = plot_result(result)
    assert len(chart.axes) == 2
    assert chart._repr_png_().startswith(b"\x89PNG")


# --- the quiz --------------------------------------------------------------------------------

QUESTION = Question("2 + 2?", ("3", "4", "5"), answer=1, why=("Off by one.", "Yes.", "No."))


def test_question_feedback() -> None:
    assert QUESTION.feedback(1) == "✅ Right. Yes."
    assert QUESTION.feedback(0) == "❌ Not quite. Off by one."
    assert QUESTION.feedback(None) == "Choose an answer first."
    with pytest.raises(ValueError):
        QUESTION.feedback(3)
    with pytest.raises(ValueError):
        Question("?", ("a", "b"), answer=2, why=("x", "y"))
    with pytest.raises(ValueError):
        Question("?", ("a", "b"), answer=0, why=("x",))


def test_quiz_without_widgets(capsys: pytest.CaptureFixture[str]) -> None:
    quiz = Quiz([QUESTION], title="T")
    assert quiz.answer(0, 2) == "❌ Not quite. No."
    assert "❌ Not quite. No." in capsys.readouterr().out
    assert "0. 2 + 2?" in str(quiz) and "(1) 4" in str(quiz)
    with pytest.raises(ValueError):
        Quiz([])


def test_quiz_widget_gives_feedback_on_click() -> None:
    box = Quiz([QUESTION, QUESTION]).widget()
    title, prompt, choices, row = box.children[:4]
    button, feedback = row.children
    assert "2 + 2?" in prompt.value and choices.value is None
    button.click()
    assert feedback.value == "Choose an answer first."
    choices.value = 1
    button.click()
    assert feedback.value == "✅ Right. Yes."
    choices.value = 0
    button.click()
    assert feedback.value.startswith("❌")


def test_simulate_refuses_a_redis_config_outside_the_course_prefix() -> None:
    import fakeredis
    import pytest

    from support.simulator import Costs, Workload, simulate

    client = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    client.set("item:1", "the learner's")
    for prefix in ["", "shop:"]:
        with pytest.raises(ValueError, match="CACHE_KEY_PREFIX"):
            simulate(Workload(), Costs(compute=1.0, hit=0.1, miss_overhead=0.1),
                     {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": client,
                      "CACHE_KEY_PREFIX": prefix})
    assert client.get("item:1") == b"the learner's"


def test_quiz_shows_its_questions_as_text_before_it_runs() -> None:
    bundle = Quiz([QUESTION], title="T")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("T\n0. 2 + 2?") and "VBox" not in bundle["text/plain"]
    assert "Run this cell" in bundle["text/plain"]


# --- the explorer (the lesson's sliders) -----------------------------------------------------


def test_explorer_shows_run_this_cell_before_it_runs() -> None:
    from support.simulator import EXPLORER_FALLBACK, Explorer

    explorer = Explorer(hit=0.0012, miss_overhead=0.0021)
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == EXPLORER_FALLBACK and "VBox" not in bundle["text/plain"]
    assert "run this cell" in EXPLORER_FALLBACK
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]
    assert repr(explorer) == EXPLORER_FALLBACK


def test_explorer_sliders_are_labelled_in_full_and_drive_the_simulation() -> None:
    from support.simulator import Explorer

    explorer = Explorer(hit=0.0012, miss_overhead=0.0021, requests=300)
    sliders = explorer.sliders()
    assert list(sliders) == list(Explorer.SLIDERS)
    assert all(s.style.description_width == "initial" for s in sliders.values())
    assert sliders["compute_ms"].description == "compute (ms)"
    result = explorer.run(write_ratio=0.0, ttl=600, compute_ms=8, zipf=1.0, keys=5)
    assert result.costs.compute == 0.008 and result.workload.requests == 300
    assert result.misses == 5 and result.writes == 0


def test_legend_does_not_cover_the_plot() -> None:
    chart = plot_result(simulate(Workload(requests=200), COSTS))
    chart.canvas.draw()
    left = chart.axes[0]
    legend = left.get_legend()
    assert legend is not None
    assert not legend.get_window_extent().overlaps(left.get_window_extent())


# --- the chart's description (alt text and caption, issue 12 item 5) ------------------------


def test_break_even_matches_the_model() -> None:
    from support.simulator import break_even

    h_star = break_even(COSTS)
    assert h_star is not None and 0 < h_star < 1
    assert math.isclose(expected_latency(h_star, COSTS), COSTS.compute)
    assert break_even(Costs(compute=0.001, hit=0.001, miss_overhead=0.002)) is None
    assert break_even(Costs(compute=0.008, hit=0.001, miss_overhead=0)) == 0


def test_chart_describes_what_it_shows_in_words() -> None:
    from support.simulator import describe_result

    result = simulate(Workload(requests=300, write_ratio=0.05, keys=10), COSTS)
    chart = plot_result(result)
    text = chart.description
    assert text == describe_result(result) == plot_result(result).description  # deterministic
    assert "\n" not in text and text.startswith("Simulator chart, two panels.")
    h_star = (COSTS.miss_overhead / (COSTS.compute + COSTS.miss_overhead - COSTS.hit))
    series = hit_ratio_over_time(result, 100)
    for figure in (f"crosses the dashed no-cache line ({format_ms(COSTS.compute)}) at hit ratio "
                   f"{h_star:.2f}",
                   f"from {format_ms(COSTS.compute + COSTS.miss_overhead)} with no hits",
                   f"to {format_ms(COSTS.hit)} with all hits",
                   f"this run sits at hit ratio {result.hit_ratio:.2f}, {format_ms(result.mean_latency)}",
                   f"between {min(series):.2f} and {max(series):.2f}, {series[-1]:.2f} at the end",
                   f"{result.stale_reads} stale reads",
                   f"{result.queries_saved} of 300 database queries saved"):
        assert figure in text, figure
    other = simulate(Workload(requests=300, write_ratio=0.3, keys=10), COSTS)
    assert describe_result(other) != text  # it describes this run, not a fixed caption


def test_chart_description_is_its_alt_text_and_caption() -> None:
    import html

    chart = plot_result(simulate(Workload(requests=200), COSTS))
    bundle = chart._repr_mimebundle_()
    assert bundle["text/plain"] == chart.description
    assert f'alt="{html.escape(chart.description)}"' in bundle["text/html"]
    caption = f'<figcaption style="font-size:small">{html.escape(chart.description)}</figcaption>'
    assert caption in bundle["text/html"]
    assert bundle["image/png"]


def test_chart_description_edge_cases() -> None:
    from support.simulator import describe_result

    few = simulate(Workload(requests=20, write_ratio=0), COSTS)
    assert "empty, fewer than 100 reads" in describe_result(few)
    assert "between" in describe_result(few, window=5)
    never = simulate(Workload(requests=200), Costs(compute=0.001, hit=0.002, miss_overhead=0.001))
    assert "never drops below the dashed no-cache line (1.00 ms)" in describe_result(never)


def test_explorer_displays_the_chart_with_its_description(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    import IPython.display

    from support.simulator import Explorer, describe_result

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    explorer = Explorer(hit=0.0012, miss_overhead=0.0021, requests=300)
    explorer._show(write_ratio=0.05, ttl=60, compute_ms=8, zipf=1.0, keys=40)
    (chart,) = shown
    result = explorer.run(write_ratio=0.05, ttl=60, compute_ms=8, zipf=1.0, keys=40)
    assert chart.description == describe_result(result)
    assert "hit ratio" in capsys.readouterr().out
