"""A workload simulator: real requests through a small Flask app with Flask-Caching.

The simulator answers "what would a cache do for this endpoint?" by running a workload, not by
evaluating a formula. It builds an in-process Flask app whose read view follows the cache-aside
pattern (``cache.get``; on a miss, query the database and ``cache.set``) and whose write view
updates the database and, optionally, deletes the cached entry. It then sends a seeded stream of
requests through the app's WSGI interface:

* a mix of reads and writes (``Workload.write_ratio``);
* keys chosen with Zipf popularity (``Workload.zipf``: 0 is uniform, 1 or more is "a few hot
  keys get most of the traffic");
* a TTL in *simulated* seconds on a logical clock (below);
* a cost model (:class:`Costs`) that gives every read a latency: a hit, a miss (compute plus the
  miss overhead) or, without a cache, the compute alone.

**Why a logical clock.** Flask-Caching expires entries on the wall clock (SimpleCache compares
with ``time.time()``, Redis expires keys itself), so a 10-minute TTL would need 10 real minutes.
The simulator stores ``(value, expires_at)`` in the cache with ``timeout=0`` (no expiry) and
treats an entry whose ``expires_at`` has passed on the simulated clock as a miss. No expiry is not
"kept for ever": SimpleCache prunes once it holds more than ``CACHE_THRESHOLD`` entries, and
drops ``timeout=0`` entries first, so the default config sets the threshold above the number of
keys. Request ``i``
happens at ``i / Workload.rate`` simulated seconds.

**Why modelled latencies.** Sleeping for each simulated query would make a run slow and its
numbers machine-dependent. Each read's latency comes from :class:`Costs` instead (use figures you
measured), so a run of a few thousand requests takes a fraction of a second and a given seed
always gives the same hit ratio, latencies, stale reads and query counts.

The database is a private in-memory SQLite table (one row per key, with a version number that
every write bumps), so the simulator never touches the lesson's sample shop. A read that returns
an older version than the current one is a **stale read**.

>>> result = simulate(Workload(requests=1000, write_ratio=0.05, ttl=60), Costs(compute=0.040,
...                   hit=0.0005, miss_overhead=0.001))
>>> print(result)                                       # doctest: +SKIP
"""

from __future__ import annotations

import io
import itertools
import json
import math
import random
import sqlite3
import sys
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from flask import Flask, jsonify
from flask_caching import Cache

from support.backends import ensure_course_prefix

__all__ = [
    "EXPLORER_FALLBACK",
    "Costs",
    "Explorer",
    "SimulationResult",
    "Workload",
    "break_even",
    "describe_result",
    "expected_latency",
    "format_ms",
    "hit_ratio_over_time",
    "plot_result",
    "request_stream",
    "simulate",
    "zipf_weights",
]

_SUPPORTED = {"SimpleCache", "RedisCache"}


@dataclass(frozen=True)
class Costs:
    """Modelled latency of one read, in seconds.

    ``compute``: the work the cache saves (the database query, the API call), paid on every read
    without a cache and on every miss. ``hit``: a cache GET that finds the value.
    ``miss_overhead``: what a miss costs on top of ``compute``: the GET that finds nothing plus
    the SET that stores the result.
    """

    compute: float
    hit: float
    miss_overhead: float

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(f"Costs.{f.name} must be a finite number >= 0, got {value!r}")


@dataclass(frozen=True)
class Workload:
    """A stream of requests to one endpoint.

    ``requests``: how many requests (reads and writes). ``write_ratio``: the share of writes.
    ``keys``: how many distinct keys (products, users, rooms...). ``zipf``: the popularity skew;
    key ``k`` (1-based) is chosen with weight ``1 / k**zipf``. ``ttl``: simulated seconds an
    entry lives, ``None`` for no expiry (only writes remove entries). ``rate``: requests per
    simulated second. ``invalidate``: a write deletes the cached entry (True), or the data
    changes behind the app's back and only the TTL bounds staleness (False), like an external
    API. ``seed``: the random stream; the same seed gives the same run.
    """

    requests: int = 2000
    write_ratio: float = 0.05
    keys: int = 40
    zipf: float = 1.0
    ttl: float | None = 60.0
    rate: float = 10.0
    invalidate: bool = True
    seed: int = 4

    def __post_init__(self) -> None:
        if not isinstance(self.requests, int) or self.requests < 1:
            raise ValueError(f"requests must be a positive int, got {self.requests!r}")
        if not 0 <= self.write_ratio <= 1:
            raise ValueError(f"write_ratio must be between 0 and 1, got {self.write_ratio!r}")
        if not isinstance(self.keys, int) or self.keys < 1:
            raise ValueError(f"keys must be a positive int, got {self.keys!r}")
        if self.zipf < 0:
            raise ValueError(f"zipf must be >= 0, got {self.zipf!r}")
        if self.ttl is not None and not self.ttl > 0:
            raise ValueError(f"ttl must be > 0 seconds or None (no expiry), got {self.ttl!r}")
        if not self.rate > 0:
            raise ValueError(f"rate must be > 0 requests per second, got {self.rate!r}")

    def but(self, **changes: Any) -> Workload:
        """A copy with some fields changed: ``workload.but(ttl=300)``."""
        return replace(self, **changes)


def format_ms(seconds: float) -> str:
    """Milliseconds with 3 significant figures and no exponent: "0.0500 ms", "41.0 ms"."""
    if seconds == 0:
        return "0 ms"
    ms = seconds * 1000
    decimals = max(0, 2 - math.floor(math.log10(abs(ms))))
    return f"{ms:,.{decimals}f} ms"


@dataclass(frozen=True)
class SimulationResult:
    """What one run saw. Latencies are of reads only, in seconds, from the cost model.

    ``expired`` misses found an entry whose TTL had run out; ``stale_reads`` are hits that
    returned an older version than the database held, ``max_staleness`` how many simulated
    seconds the oldest of them lagged behind the write that made it stale. ``latencies`` and
    ``outcomes`` (``"hit"``, ``"stale"``, ``"miss"``, ``"expired"``) list every read in order.
    """

    workload: Workload
    costs: Costs
    reads: int
    writes: int
    hits: int
    misses: int
    expired: int
    stale_reads: int
    max_staleness: float
    mean_latency: float
    p95_latency: float
    db_queries: int
    db_queries_without_cache: int
    latencies: tuple[float, ...] = field(repr=False, compare=False)
    outcomes: tuple[str, ...] = field(repr=False, compare=False, default=())

    @property
    def hit_ratio(self) -> float:
        """Hits / reads (0 when there were no reads)."""
        return self.hits / self.reads if self.reads else 0.0

    @property
    def no_cache_latency(self) -> float:
        """Mean (and p95) read latency without a cache: every read computes."""
        return self.costs.compute

    @property
    def speedup(self) -> float:
        """No-cache latency / cached mean latency: above 1 the cache helps, below 1 it hurts."""
        return self.no_cache_latency / self.mean_latency if self.mean_latency else math.inf

    @property
    def queries_saved(self) -> int:
        """Database queries the cache avoided."""
        return self.db_queries_without_cache - self.db_queries

    def as_row(self) -> dict[str, Any]:
        """The headline figures as a flat dict (for a table)."""
        return {
            "hit ratio": round(self.hit_ratio, 3),
            "mean": self.mean_latency,
            "p95": self.p95_latency,
            "no cache": self.no_cache_latency,
            "speedup": round(self.speedup, 2),
            "stale reads": self.stale_reads,
            "queries saved": self.queries_saved,
        }

    def __str__(self) -> str:
        w = self.workload
        ttl = "no expiry" if w.ttl is None else f"TTL {w.ttl:g} s"
        return "\n".join([
            f"{w.requests} requests ({self.reads} reads, {self.writes} writes) over {w.keys} "
            f"keys, zipf {w.zipf:g}, {ttl}, {'invalidate on write' if w.invalidate else 'no invalidation'}",
            f"hit ratio      {self.hit_ratio:.3f}  ({self.hits} hits, {self.misses} misses, "
            f"{self.expired} of them expired)",
            f"mean latency   {format_ms(self.mean_latency)} with cache, "
            f"{format_ms(self.no_cache_latency)} without (speedup {self.speedup:.2f}×)",
            f"p95 latency    {format_ms(self.p95_latency)} with cache, "
            f"{format_ms(self.no_cache_latency)} without",
            f"stale reads    {self.stale_reads} (oldest {self.max_staleness:g} s behind)",
            f"db queries     {self.db_queries} instead of {self.db_queries_without_cache} "
            f"(saved {self.queries_saved})",
        ])


def expected_latency(hit_ratio: float, costs: Costs) -> float:
    """The model: ``h·hit + (1 − h)·(compute + miss_overhead)`` seconds per read."""
    return hit_ratio * costs.hit + (1 - hit_ratio) * (costs.compute + costs.miss_overhead)


def zipf_weights(keys: int, s: float) -> list[float]:
    """Popularity of keys 1..``keys``: ``1 / k**s``, normalised to sum to 1."""
    raw = [1 / k**s for k in range(1, keys + 1)]
    total = sum(raw)
    return [w / total for w in raw]


def request_stream(workload: Workload) -> Iterator[tuple[bool, int]]:
    """The seeded stream of ``(is_write, key)``; keys are 1..``workload.keys``."""
    rng = random.Random(workload.seed)
    cumulative = list(itertools.accumulate(zipf_weights(workload.keys, workload.zipf)))
    top = cumulative[-1]
    for _ in range(workload.requests):
        is_write = rng.random() < workload.write_ratio
        key = min(bisect_right(cumulative, rng.random() * top), workload.keys - 1) + 1
        yield is_write, key


def hit_ratio_over_time(result: SimulationResult, window: int = 100) -> list[float]:
    """The hit ratio of each run of ``window`` consecutive reads (a moving average), one value
    per read from read ``window`` on; stale hits count as hits."""
    if window < 1:
        raise ValueError("window must be >= 1")
    hits = [outcome in ("hit", "stale") for outcome in result.outcomes]
    if len(hits) < window:
        return []
    running = sum(hits[:window])
    ratios = [running / window]
    for i in range(window, len(hits)):
        running += hits[i] - hits[i - window]
        ratios.append(running / window)
    return ratios


def break_even(costs: Costs) -> float | None:
    """The hit ratio above which the cache lowers the mean latency,
    ``miss_overhead / (compute + miss_overhead − hit)``; ``None`` when a hit costs as much as the
    work (the cache never pays)."""
    if costs.hit >= costs.compute:
        return None
    return costs.miss_overhead / (costs.compute + costs.miss_overhead - costs.hit)


def describe_result(result: SimulationResult, window: int = 100) -> str:
    """One line, in words, of what :func:`plot_result` draws for ``result``: its caption and
    alt text. The same result and window always give the same line."""
    costs = result.costs
    h_star = break_even(costs)
    no_cache = f"the dashed no-cache line ({format_ms(costs.compute)})"
    if h_star is None:
        crossing = f"never drops below {no_cache}: a hit costs at least as much as the work"
    elif h_star == 0:
        crossing = f"is below {no_cache} at any hit ratio above 0"
    else:
        crossing = f"crosses {no_cache} at hit ratio {h_star:.2f}"
    left = (f"Left, mean read latency against hit ratio: the model goes from "
            f"{format_ms(expected_latency(0, costs))} with no hits to {format_ms(costs.hit)} "
            f"with all hits and {crossing}; the dot for this run sits at hit ratio "
            f"{result.hit_ratio:.2f}, {format_ms(result.mean_latency)}.")
    over_time = hit_ratio_over_time(result, window)
    if over_time:
        right = (f"Right, the hit ratio of the last {window} reads along the run: between "
                 f"{min(over_time):.2f} and {max(over_time):.2f}, {over_time[-1]:.2f} at the "
                 f"end")
    else:
        right = f"Right, the hit ratio along the run: empty, fewer than {window} reads"
    return (f"Simulator chart, two panels. {left} {right}; {result.stale_reads} stale reads, "
            f"{result.queries_saved} of {result.db_queries_without_cache} database queries "
            f"saved.")


def plot_result(result: SimulationResult, window: int = 100) -> Any:
    """Two panels: mean latency against hit ratio (the model, with this run and the no-cache
    line), and the hit ratio over the run. Returns a :class:`support.charts.Chart` whose
    ``description`` (:func:`describe_result`) is its caption and alt text."""
    from support.charts import Chart

    costs = result.costs
    fig = Chart(figsize=(10, 3.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    ratios = [i / 100 for i in range(101)]
    left.plot(ratios, [expected_latency(h, costs) * 1000 for h in ratios], label="with cache (model)")
    left.axhline(costs.compute * 1000, color="grey", linestyle="--", label="no cache")
    left.plot([result.hit_ratio], [result.mean_latency * 1000], "o", color="C3",
              label=f"this run: hit ratio {result.hit_ratio:.2f}")
    left.set_xlabel("hit ratio")
    left.set_ylabel("mean read latency (ms)")
    left.set_ylim(bottom=0)
    # Below the axes, not inside: any place inside can hide the no-cache line or the point.
    left.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3,
                frameon=False)
    over_time = hit_ratio_over_time(result, window)
    right.plot(range(window, window + len(over_time)), over_time, color="C0")
    right.set_ylim(-0.02, 1.02)
    right.set_xlabel("read number")
    right.set_ylabel(f"hit ratio (last {window} reads)")
    right.set_title(f"{result.stale_reads} stale reads, {result.queries_saved} queries saved",
                    fontsize="small")
    fig.description = describe_result(result, window)
    return fig


def _p95(values: list[float]) -> float:
    """95th percentile, nearest-rank method (a value that occurred)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class _Clock:
    """The simulated clock: the app reads ``now``; the simulator advances it."""

    def __init__(self) -> None:
        self.now = 0.0


def _build_app(workload: Workload, config: Mapping[str, Any], clock: _Clock,
               database: sqlite3.Connection, counter: list[int]) -> tuple[Flask, Cache]:
    """The simulated endpoint: a cache-aside read view and a write view."""
    app = Flask("simulator")
    cache = Cache()
    cache.init_app(app, config=dict(config))

    def query(sql: str, *params: Any) -> Any:
        counter[0] += 1
        return database.execute(sql, params)

    @app.get("/items/<int:key>")
    def read(key: int) -> Any:
        entry = cache.get(f"item:{key}")
        if entry is not None:
            version, expires_at = entry
            if expires_at is None or clock.now < expires_at:
                return jsonify(version=version, source="cache")
            source = "expired"
        else:
            source = "database"
        (version,) = query("SELECT version FROM item WHERE id = ?", key).fetchone()
        expires_at = None if workload.ttl is None else clock.now + workload.ttl
        cache.set(f"item:{key}", (version, expires_at), timeout=0)  # expiry: the logical clock
        return jsonify(version=version, source=source)

    @app.post("/items/<int:key>")
    def write(key: int) -> Any:
        query("UPDATE item SET version = version + 1 WHERE id = ?", key)
        if workload.invalidate:
            cache.delete(f"item:{key}")
        return jsonify(updated=key)

    return app, cache


def _request(app: Flask, method: str, path: str) -> Any:
    """Send one request through the app's WSGI interface, as a server would, and return the JSON
    body. (``app.test_client()`` does the same plus cookie and redirect handling that the
    simulator does not need, at twice the cost per request.)"""
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "simulator", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    statuses: list[str] = []
    chunks = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    if not statuses or not statuses[0].startswith("200"):
        raise RuntimeError(f"{method} {path} answered {statuses[:1]}: {body[:200]!r}")
    return json.loads(body)


def simulate(workload: Workload, costs: Costs, config: Mapping[str, Any] | None = None
             ) -> SimulationResult:
    """Run ``workload`` through a fresh Flask app with a cache and report what happened.

    ``config`` is a Flask-Caching config for SimpleCache (the default) or RedisCache (e.g.
    ``support.backends.redis_config(lesson)``); the keys the run writes are deleted at the end.
    Deterministic: the same workload and costs give the same result on any backend.
    """
    if config is None:
        # Above the number of keys: over its threshold SimpleCache would prune timeout=0 entries.
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": workload.keys + 10}
    if config.get("CACHE_TYPE") not in _SUPPORTED:
        raise ValueError(f"the simulator runs on {sorted(_SUPPORTED)}, not {config.get('CACHE_TYPE')!r}")
    ensure_course_prefix(dict(config))  # it writes and deletes item:<n> keys: only under ours
    clock, counter = _Clock(), [0]
    database = sqlite3.connect(":memory:", check_same_thread=False)
    database.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)")
    database.executemany("INSERT INTO item VALUES (?, 0)", [(k,) for k in range(1, workload.keys + 1)])
    app, cache = _build_app(workload, config, clock, database, counter)

    versions = [0] * (workload.keys + 1)
    write_times: list[list[float]] = [[] for _ in range(workload.keys + 1)]
    latencies: list[float] = []
    outcomes: list[str] = []
    hits = misses = expired = stale = writes = 0
    max_staleness = 0.0
    miss_cost = costs.compute + costs.miss_overhead
    try:
        for i, (is_write, key) in enumerate(request_stream(workload)):
            clock.now = i / workload.rate
            if is_write:
                _request(app, "POST", f"/items/{key}")
                versions[key] += 1
                write_times[key].append(clock.now)
                writes += 1
                continue
            body = _request(app, "GET", f"/items/{key}")
            if body["source"] == "cache":
                hits += 1
                latencies.append(costs.hit)
                outcomes.append("hit")
                if body["version"] < versions[key]:
                    stale += 1
                    outcomes[-1] = "stale"
                    age = clock.now - write_times[key][body["version"]]
                    max_staleness = max(max_staleness, age)
            else:
                misses += 1
                expired += body["source"] == "expired"
                latencies.append(miss_cost)
                outcomes.append("expired" if body["source"] == "expired" else "miss")
    finally:
        with app.app_context():
            cache.delete_many(*[f"item:{k}" for k in range(1, workload.keys + 1)])
        database.close()
    reads = hits + misses
    return SimulationResult(
        workload=workload,
        costs=costs,
        reads=reads,
        writes=writes,
        hits=hits,
        misses=misses,
        expired=expired,
        stale_reads=stale,
        max_staleness=round(max_staleness, 9),
        mean_latency=sum(latencies) / reads if reads else 0.0,
        p95_latency=_p95(latencies),
        db_queries=counter[0],
        db_queries_without_cache=reads + writes,
        latencies=tuple(latencies),
        outcomes=tuple(outcomes),
    )


EXPLORER_FALLBACK = ("Simulator: run this cell (Shift+Enter) to start it. Its sliders (writes, "
                     "TTL, compute cost, popularity skew, keys) need a running kernel.")


class Explorer:
    """The lesson's interactive simulator: sliders for the workload and the compute cost; each
    setting runs :func:`simulate` and shows :func:`plot_result` and the printed report.

    The sliders need a running kernel. Before the cell is run (a notebook just opened, a static
    view), a front end shows an output's ``text/plain``: here :data:`EXPLORER_FALLBACK`, a short
    "run this cell" instead of the widget tree's repr.
    """

    SLIDERS = ("write_ratio", "ttl", "compute_ms", "zipf", "keys")

    def __init__(self, hit: float, miss_overhead: float, *, requests: int = 600, rate: float = 10,
                 seed: int = 4) -> None:
        self.hit, self.miss_overhead = hit, miss_overhead
        self.requests, self.rate, self.seed = requests, rate, seed
        self._widget: Any = None

    def run(self, write_ratio: float = 0.05, ttl: float = 60, compute_ms: float = 8.0,
            zipf: float = 1.0, keys: int = 40) -> SimulationResult:
        """One run with the sliders' values (``compute_ms`` in milliseconds)."""
        workload = Workload(requests=self.requests, write_ratio=write_ratio, keys=keys, zipf=zipf,
                            ttl=ttl, rate=self.rate, seed=self.seed)
        return simulate(workload, Costs(compute=compute_ms / 1000, hit=self.hit,
                                        miss_overhead=self.miss_overhead))

    def _show(self, **values: Any) -> None:
        from IPython.display import display

        result = self.run(**values)
        display(plot_result(result))
        print(result)

    def sliders(self) -> dict[str, Any]:
        """The sliders, labelled in full (the default label width cuts "compute ms")."""
        import ipywidgets as widgets

        sliders = {
            "write_ratio": widgets.FloatSlider(value=0.05, min=0, max=0.5, step=0.01,
                                               description="writes (share)"),
            "ttl": widgets.IntSlider(value=60, min=5, max=600, step=5, description="TTL (s)"),
            "compute_ms": widgets.FloatSlider(value=8, min=0.5, max=50, step=0.5,
                                              description="compute (ms)"),
            "zipf": widgets.FloatSlider(value=1.0, min=0, max=2, step=0.1,
                                        description="zipf skew"),
            "keys": widgets.IntSlider(value=40, min=1, max=500, description="keys"),
        }
        for slider in sliders.values():
            slider.style.description_width = "initial"  # the whole label, never "compute…"
            slider.layout.margin = "0 16px 0 0"
            slider.continuous_update = False
        return sliders

    def widget(self) -> Any:
        """The sliders (two a row) above the plot and report (built once)."""
        if self._widget is None:
            import ipywidgets as widgets

            sliders = self.sliders()
            controls = widgets.GridBox(  # two sliders a row: fits a notebook column
                [sliders[name] for name in self.SLIDERS],
                layout=widgets.Layout(grid_template_columns="repeat(2, max-content)",
                                      grid_gap="2px 24px"))
            self._widget = widgets.VBox([controls, widgets.interactive_output(self._show, sliders)])
        return self._widget

    def __repr__(self) -> str:
        return EXPLORER_FALLBACK

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        try:
            bundle = dict(self.widget()._repr_mimebundle_())
        except ImportError:  # no ipywidgets: text only
            return {"text/plain": "Simulator: install ipywidgets to get its sliders; call "
                                  "explorer.run(write_ratio=..., ttl=...) meanwhile."}
        bundle["text/plain"] = EXPLORER_FALLBACK
        return bundle
