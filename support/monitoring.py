"""Display helpers for lesson 06 (production), plus a harmless "payload".

* :func:`ratio_table` renders hit / miss counts per endpoint as a small text table with bars.
* :func:`capture_logs` (from :mod:`support.logs`, importable from here as lessons do) collects
  the records of some loggers for a ``with`` block, so a lesson can show what Flask-Caching logged.
* :func:`intrusion` and :data:`INTRUSIONS` exist for the pickle demonstration: a crafted pickle
  calls :func:`intrusion`, which only appends a note to a list. It proves that code chosen by
  whoever wrote the cache entry ran inside the app, without doing anything else.
"""

from __future__ import annotations

from collections.abc import Mapping

from support.logs import CapturedLogs, capture_logs

__all__ = ["BAR_WIDTH", "INTRUSIONS", "CapturedLogs", "capture_logs", "hit_ratio", "intrusion",
           "ratio_table"]

BAR_WIDTH = 20


def hit_ratio(hits: int, misses: int) -> float | None:
    """hits / (hits + misses), or ``None`` before the first request."""
    total = hits + misses
    return hits / total if total else None


def ratio_table(stats: Mapping[str, Mapping[str, int]], *, title: str = "") -> str:
    """A text table: one row per endpoint with hits, misses, the hit ratio and a bar.

    ``stats`` maps a name to ``{"hits": int, "misses": int}``.
    """
    rows = sorted(stats.items())
    width = max([len("endpoint")] + [len(str(name)) for name, _ in rows])
    lines = [title] if title else []
    lines.append(f"{'endpoint':<{width}}  {'hits':>5}  {'misses':>6}  {'ratio':>6}")
    total_hits = total_misses = 0
    for name, counts in rows:
        hits, misses = int(counts.get("hits", 0)), int(counts.get("misses", 0))
        total_hits += hits
        total_misses += misses
        lines.append(_row(str(name), hits, misses, width))
    if len(rows) > 1:
        lines.append(_row("all", total_hits, total_misses, width))
    return "\n".join(lines)


def _row(name: str, hits: int, misses: int, width: int) -> str:
    ratio = hit_ratio(hits, misses)
    if ratio is None:
        return f"{name:<{width}}  {hits:>5}  {misses:>6}  {'-':>6}"
    filled = round(ratio * BAR_WIDTH)
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    return f"{name:<{width}}  {hits:>5}  {misses:>6}  {ratio:>6.0%}  {bar}"


# --- the harmless payload of the pickle demonstration ----------------------------------------

INTRUSIONS: list[str] = []


def intrusion(note: str) -> str:
    """Record that code from a cache entry ran; return what the app will then serve.

    A crafted pickle names this function; unpickling the entry calls it. A real attacker would
    name ``os.system`` or ``subprocess.run`` instead: that is the point of the demonstration.
    """
    INTRUSIONS.append(note)
    return f"<h1>Defaced!</h1><p>{note}</p>"
