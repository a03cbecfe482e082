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
