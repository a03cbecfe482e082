"""Batching of file-system events: a batch closes after a quiet window or a maximum wait.

Why these defaults (measured with watchdog's inotify observer on Linux):
a vim ``:w`` produces its ~35 events (swap file, ``4913`` probe, backup, write) within 0.5–4 ms, so
50 ms of quiet safely ends a save while keeping latency low (Compose waits a fixed 500 ms).  A
``git checkout`` rewriting 1,000 files produced ~14,000 events over 200–300 ms with pauses of up
to 41 ms between them, too close to 50 ms; so once a batch holds ``burst_events`` events it is a
burst and waits ``burst_quiet`` (150 ms) of quiet instead.  The maximum wait of 500 ms bounds any
burst to one or two batches instead of postponing forever.

Events are coalesced per path by comparing existence at the start of the batch with existence at
the end: created then deleted is nothing, deleted then created is a modification, and an atomic
save (temp created, temp renamed over the real file) leaves a single change of the real file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum

from compose_lite.clock import Clock
from compose_lite.errors import ConfigError

DEFAULT_QUIET = 0.05
DEFAULT_MAX_WAIT = 0.5
DEFAULT_BURST_QUIET = 0.15
DEFAULT_BURST_EVENTS = 200


class ChangeKind(StrEnum):
    CREATED = "created"
    MODIFIED = "modified"
    DELETED = "deleted"


@dataclass(frozen=True)
class Change:
    path: str
    kind: ChangeKind
    is_dir: bool = False


@dataclass(frozen=True)
class Batch:
    """Coalesced changes, sorted by path; ``rescan`` means events were lost: rescan everything."""

    changes: tuple[Change, ...]
    rescan: bool
    opened_at: float  # clock time of the first event, the start of the latency the user sees
    closed_at: float
    events: int  # raw events folded into this batch

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(c.path for c in self.changes)


@dataclass
class _PathState:
    existed_before: bool
    exists: bool
    modified: bool
    is_dir: bool


class Batcher:
    """Thread-safe: ``add``/``overflow`` from observer threads, ``next_batch``/``poll`` from the loop."""

    def __init__(
        self,
        clock: Clock,
        *,
        quiet: float = DEFAULT_QUIET,
        max_wait: float = DEFAULT_MAX_WAIT,
        burst_quiet: float | None = DEFAULT_BURST_QUIET,
        burst_events: int = DEFAULT_BURST_EVENTS,
    ) -> None:
        if quiet <= 0 or max_wait < quiet:
            raise ConfigError(
                f"invalid watch batching: quiet window {quiet:g}s, maximum wait {max_wait:g}s",
                hint="the quiet window must be above 0 and not longer than the maximum wait",
            )
        self._clock = clock
        self.quiet = quiet
        self.max_wait = max_wait
        # None (or a value below ``quiet``) turns burst detection off.
        self.burst_quiet = max(quiet, burst_quiet if burst_quiet is not None else quiet)
        self.burst_events = burst_events
        self._cond = threading.Condition()
        self._states: dict[str, _PathState] = {}
        self._rescan = False
        self._events = 0
        self._first_at: float | None = None
        self._last_at = 0.0
        self._closed = False

    def add(self, path: str, kind: ChangeKind, *, is_dir: bool = False) -> None:
        with self._cond:
            self._touch()
            state = self._states.get(path)
            if state is None:
                existed = kind is not ChangeKind.CREATED
                state = _PathState(existed_before=existed, exists=True, modified=False, is_dir=is_dir)
                self._states[path] = state
            state.exists = kind is not ChangeKind.DELETED
            state.modified = state.modified or kind is ChangeKind.MODIFIED
            state.is_dir = is_dir
            self._cond.notify_all()

    def overflow(self) -> None:
        """Events were lost (queue overflow, watch limit): the next batch asks for a full rescan."""
        with self._cond:
            self._touch()
            self._rescan = True
            self._cond.notify_all()

    def close(self) -> None:
        """Wake a waiting ``next_batch``, which then returns None; pending changes are dropped."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def poll(self) -> Batch | None:
        """The closed batch if its quiet window or maximum wait has passed, without blocking."""
        with self._cond:
            if self._first_at is None or self._clock.monotonic() < self._due_at():
                return None
            return self._take()

    def next_batch(self, idle_timeout: float | None = None) -> Batch | None:
        """Block until a batch closes; None after ``idle_timeout`` seconds without events or on close.

        Waiting for the first event uses a condition variable (woken by ``add``); waiting for the
        window to close uses the clock, so a fake clock makes this instantaneous in tests.  Sleeping
        until the current due time is never too long: later events only move it later.
        """
        with self._cond:
            if self._first_at is None and not self._closed:
                self._cond.wait(idle_timeout)
            if self._first_at is None or self._closed:
                return None
        while True:
            with self._cond:
                if self._closed:
                    return None
                delay = self._due_at() - self._clock.monotonic()
                if delay <= 0:
                    return self._take()
            self._clock.sleep(delay)

    def _touch(self) -> None:
        now = self._clock.monotonic()
        if self._first_at is None:
            self._first_at = now
        self._last_at = now
        self._events += 1

    def _due_at(self) -> float:
        assert self._first_at is not None
        quiet = self.burst_quiet if self._events >= self.burst_events else self.quiet
        return min(self._last_at + quiet, self._first_at + self.max_wait)

    def _take(self) -> Batch:
        assert self._first_at is not None
        changes = []
        for path in sorted(self._states):
            state = self._states[path]
            kind = _net_kind(state)
            if kind is not None:
                changes.append(Change(path, kind, state.is_dir))
        batch = Batch(tuple(changes), self._rescan, self._first_at, self._clock.monotonic(), self._events)
        self._states = {}
        self._rescan = False
        self._events = 0
        self._first_at = None
        return batch


def _net_kind(state: _PathState) -> ChangeKind | None:
    if not state.exists:
        return ChangeKind.DELETED if state.existed_before else None
    if state.existed_before or state.modified:
        return ChangeKind.MODIFIED
    return ChangeKind.CREATED
