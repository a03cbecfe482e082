"""Time as a seam: library code reads time through a ``Clock`` so tests never sleep for timing logic."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a monotonic scale (only differences are meaningful)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds`` (a no-op for zero or negative values)."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class FakeClock:
    """A clock that only moves when told to; ``sleep`` advances it instead of blocking."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.slept: list[float] = []  # every sleep request, so tests can assert how a loop waited

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if seconds > 0:
            self.advance(seconds)


def unix_time(rfc3339: str) -> float | None:
    """Seconds since the epoch of an engine timestamp (RFC 3339, nanoseconds); None when unset
    (Go's zero time) or unreadable."""
    from datetime import datetime

    if not rfc3339 or rfc3339.startswith("0001-"):
        return None
    head, _, rest = rfc3339.replace("Z", "+00:00").partition(".")
    fraction, zone = (rest[:6].ljust(6, "0"), rest.lstrip("0123456789")) if rest else ("0", "")
    try:
        return datetime.fromisoformat(f"{head}.{fraction}{zone}" if rest else head).timestamp()
    except ValueError:
        return None


def human_duration(seconds: float) -> str:
    """A duration as the docker CLI words it (go-units' HumanDuration): "5 seconds", "About an hour"."""
    whole = int(seconds)
    minutes, hours = whole // 60, int(seconds / 3600 + 0.5)
    if whole < 1:
        return "Less than a second"
    if whole < 60:
        return "1 second" if whole == 1 else f"{whole} seconds"
    if minutes < 60:
        return "About a minute" if minutes == 1 else f"{minutes} minutes"
    if hours < 48:
        return "About an hour" if hours == 1 else f"{hours} hours"
    for limit, size, unit in ((24 * 14, 24, "days"), (24 * 60, 24 * 7, "weeks"),
                              (24 * 730, 24 * 30, "months")):
        if hours < limit:
            return f"{hours // size} {unit}"
    return f"{int(seconds / 3600) // 24 // 365} years"


def ago(then: float, now: float | None = None) -> str:
    """``5 seconds ago``, as `docker ps` says how long ago something happened."""
    return f"{human_duration(max(0.0, (time.time() if now is None else now) - then))} ago"
