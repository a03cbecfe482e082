"""Restart-storm guard for bind-mount restarts.

A container that writes into its own bind mount (a database data directory, a log file, a
cache) would restart itself forever: restart → the process writes at start-up → change →
restart.  Two defences, both per service and only for bind-mount restarts (``develop.watch``
rules are explicit and always followed):

1. Settle window: a batch whose first event came while that service's restart was running or
   within ``settle`` seconds after it finished is attributed to the restart itself and ignored
   (the batcher coalesces, so a user's save in the same batch is lost too: a rare, visible miss
   that the next save fixes, against an endless loop).
2. Storm limit: a restart whose batch opened within ``storm_gap`` seconds after the previous
   restart of the same service finished counts as a chained restart.  After ``limit`` chained
   restarts in a row the service's bind mounts are no longer watched and a warning suggests
   ``x-cl-watch: false``.  A human editing files rarely saves within seconds of every restart
   many times in a row; a self-writing container does so every time.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SETTLE = 0.3
DEFAULT_STORM_GAP = 2.0
DEFAULT_STORM_LIMIT = 5


@dataclass
class _History:
    started: float
    finished: float | None = None
    chained: int = 0


class StormGuard:
    """Not thread-safe: used by the loop thread only.  Times are the loop clock's monotonic time."""

    def __init__(self, *, settle: float = DEFAULT_SETTLE, storm_gap: float = DEFAULT_STORM_GAP,
                 limit: int = DEFAULT_STORM_LIMIT) -> None:
        self.settle = settle
        self.storm_gap = storm_gap
        self.limit = limit
        self._history: dict[str, _History] = {}
        self.stopped: set[str] = set()  # services whose bind mounts are no longer watched

    def allows(self, service: str, batch_opened_at: float) -> bool:
        """Whether a bind-mount restart of ``service`` for a batch opened at that time should run."""
        if service in self.stopped:
            return False
        last = self._history.get(service)
        if last is None:
            return True
        if last.finished is None:
            return False
        # Events from before the restart began are the user's; from during it or just after, its own.
        return batch_opened_at < last.started or batch_opened_at > last.finished + self.settle

    def started(self, service: str, now: float, batch_opened_at: float) -> str | None:
        """Record a restart beginning; a warning text when this restart trips the storm limit."""
        last = self._history.get(service)
        chained = 0
        if last and last.finished is not None and batch_opened_at - last.finished <= self.storm_gap:
            chained = last.chained + 1
        self._history[service] = _History(started=now, chained=chained)
        if chained + 1 < self.limit:
            return None
        self.stopped.add(service)
        return (f"service {service} was restarted {self.limit} times in a row by changes in its own bind "
                f"mounts right after each restart; no longer watching its bind mounts (does it write into "
                f"them? set `x-cl-watch: false` on the service to silence this)")

    def finished(self, service: str, now: float) -> None:
        last = self._history.get(service)
        if last is not None:
            last.finished = now
