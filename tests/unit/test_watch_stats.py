from __future__ import annotations

import threading

import pytest

from compose_lite.watch.stats import LatencyStats, Summary, format_duration, percentile


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.5, 10.0), (0.95, 19.0), (1.0, 20.0), (0.0, 1.0), (0.05, 1.0), (0.06, 2.0)],
)
def test_nearest_rank_percentile(fraction: float, expected: float) -> None:
    values = [float(i) for i in range(1, 21)]
    assert percentile(values, fraction) == expected


def test_percentile_of_one_and_of_none() -> None:
    assert percentile([0.3], 0.95) == 0.3
    with pytest.raises(ValueError) as info:
        percentile([], 0.5)
    assert str(info.value) == "percentile of no values"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.0004, "0.4 ms"), (0.0093, "9.3 ms"), (0.31, "310 ms"), (9.9994, "9999 ms"), (12.34, "12.3 s")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_summaries_per_category() -> None:
    stats = LatencyStats()
    for ms in [40, 10, 30, 20]:
        stats.record("sync", ms / 1000)
    stats.record("restart", 0.5)
    assert stats.summaries() == {
        "restart": Summary(1, 0.5, 0.5, 0.5),
        "sync": Summary(4, 0.02, 0.04, 0.04),
    }


def test_render_aligns_columns() -> None:
    stats = LatencyStats()
    for i in range(20):
        stats.record("sync", (30 + i) / 1000)
    stats.record("sync+restart", 0.4)
    assert stats.render() == (
        "watch latency, file change → action done:\n"
        "  sync          n=20  p50   39 ms  p95   48 ms  max   49 ms\n"
        "  sync+restart  n=1   p50  400 ms  p95  400 ms  max  400 ms"
    )


def test_render_without_samples() -> None:
    assert LatencyStats().render() == "watch latency, file change → action done: no actions recorded"


def test_record_is_thread_safe() -> None:
    stats = LatencyStats()

    def record_many() -> None:
        for _ in range(1000):
            stats.record("sync", 0.001)

    threads = [threading.Thread(target=record_many) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stats.summaries()["sync"].count == 4000
