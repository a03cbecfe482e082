"""Latency bookkeeping for ``cl watch --stats``: per-category samples → p50 / p95 / max text."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    count: int
    p50: float
    p95: float
    max: float


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (a value that was actually observed), of ascending values."""
    if not sorted_values:
        raise ValueError("percentile of no values")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def format_duration(seconds: float) -> str:
    """``0.4 ms``, ``9.3 ms``, ``310 ms``, ``2.4 s``: the precision a reader can use."""
    ms = seconds * 1000
    if ms < 10:
        return f"{ms:.1f} ms"
    if ms < 10_000:
        return f"{ms:.0f} ms"
    return f"{seconds:.1f} s"


class LatencyStats:
    """Thread-safe recorder; categories are free text (``sync``, ``restart``, ``rebuild``, …)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._samples: dict[str, list[float]] = {}

    def record(self, category: str, seconds: float) -> None:
        with self._lock:
            self._samples.setdefault(category, []).append(seconds)

    def summaries(self) -> dict[str, Summary]:
        with self._lock:
            samples = {k: sorted(v) for k, v in self._samples.items()}
        return {
            category: Summary(len(values), percentile(values, 0.5), percentile(values, 0.95), values[-1])
            for category, values in sorted(samples.items())
        }

    def render(self, title: str = "watch latency, file change → action done") -> str:
        summaries = self.summaries()
        if not summaries:
            return f"{title}: no actions recorded"
        width = max(len(c) for c in summaries)
        count_width = max(len(str(s.count)) for s in summaries.values())
        lines = [f"{title}:"]
        for category, s in summaries.items():
            lines.append(
                f"  {category:<{width}}  n={s.count:<{count_width}}  p50 {format_duration(s.p50):>7}"
                f"  p95 {format_duration(s.p95):>7}  max {format_duration(s.max):>7}"
            )
        return "\n".join(lines)
