"""Container output, multiplexed: one reader thread per container, lines handed to one sink.

Used by `cl logs` and by attached `cl up` (through compose_lite.attach).  While following, the
project's container list is polled (bounded, every ``poll`` seconds) so containers created
meanwhile (a recreate, a scale-up, a restart) join the stream.  Reader threads are daemons: a
blocked HTTP read must never keep the process alive after the user pressed Ctrl-C.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from compose_lite import observe
from compose_lite.engine.base import Engine
from compose_lite.errors import (
    ComposeLiteError,
    ConfigError,
    EngineError,
    GoneError,
    NotFoundError,
    OutputClosed,
)
from compose_lite.logfmt import LogLine
from compose_lite.state import ENDED, LIVE, ContainerState, ObservedContainer, Status

POLL_S = 0.5
SETTLE_S = 2.0  # how long a container whose output ended may still be said to run
SETTLE_POLL_S = 0.02


class LogSink(Protocol):
    """Where container output goes (stdout, as data): log lines, lifecycle lines (``exited with
    code 0``) and the session's own unprefixed lines (``Attaching to …``). Progress and warnings go
    to the Reporter (stderr) instead."""

    def line(self, entry: LogLine) -> None: ...

    def event(self, name: str, service: str, message: str) -> None: ...

    def notice(self, message: str) -> None: ...


@dataclass(frozen=True)
class LogOptions:
    follow: bool = False
    tail: int | None = None  # None = all lines
    since: float | None = None  # unix seconds
    until: float | None = None
    timestamps: bool = False


def display_name(c: ObservedContainer) -> str:
    """The name Compose prefixes lines with: ``web-1`` for ``<project>-web-1``; any other name (a
    ``container_name``, a one-off's, one a v1 made) whole."""
    default = f"{c.project}-{c.service}-{c.number}"
    return c.name[len(c.project) + 1:] if c.name == default and not c.oneoff else c.name


_RELATIVE = re.compile(r"^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$")
_UNIT_S = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_time(value: str, *, now: float, option: str) -> float:
    """``--since``/``--until``: a unix timestamp, RFC 3339 time/date, or a Go duration ago (``42m``)."""
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    if _RELATIVE.match(text):
        return now - sum(float(n) * _UNIT_S[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)",
                                                                       text))
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"invalid {option} value {value!r}",
                          hint="use a timestamp (2024-01-02T13:23:37Z), unix seconds or a duration "
                               "like 42m") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def split_lines(pending: bytes, chunk: bytes) -> tuple[list[str], bytes]:
    """Complete lines in ``pending + chunk`` (newline and a trailing CR removed) and the rest."""
    data = pending + chunk
    *complete, rest = data.split(b"\n")
    return [line.rstrip(b"\r").decode(errors="replace") for line in complete], rest


def to_log_line(c: ObservedContainer, text: str, *, timestamps: bool) -> LogLine:
    """With timestamps, the engine puts one RFC 3339 stamp and a space before each line."""
    stamp = None
    if timestamps and " " in text:
        stamp, text = text.split(" ", 1)
    return LogLine(display_name(c), c.service, text, stamp)


Ended = Callable[[ObservedContainer, ContainerState | None], None]


class Multiplexer:
    """Reads many containers' output at once; each complete line goes to ``emit`` (serialised).

    ``ended(container, state)`` is called once a reader's stream is over: when following, with the
    state the container settled in (exited, restarting, or running again), None when it is gone or
    when not following (the whole output was read). Until it returns, the reader counts as active.
    """

    def __init__(self, engine: Engine, options: LogOptions, emit: Callable[[LogLine], None],
                 ended: Ended | None = None) -> None:
        self._engine = engine
        self._options = options
        self._emit = emit
        self._ended = ended
        self._lock = threading.Lock()
        self._active: dict[str, threading.Thread] = {}
        self._ended_at: dict[str, float] = {}  # container id → when its last reader ended
        self.errors: list[ComposeLiteError] = []
        self.closed = threading.Event()  # our output's reader went away: everything ends

    def add(self, c: ObservedContainer) -> bool:
        """Start reading ``c`` unless a reader already runs; a container read before resumes."""
        with self._lock:
            if c.id in self._active:
                return False
            since = self._ended_at.get(c.id)
            thread = threading.Thread(target=self._read, args=(c, since), daemon=True,
                                      name=f"cl-logs-{display_name(c)}")
            self._active[c.id] = thread
        thread.start()
        return True

    def resumable(self, c: ObservedContainer, listed_at: float) -> bool:
        """Whether a container listed as running at ``listed_at`` is to be read (again): never read,
        or restarted since its last reader ended. For the latter the list is not enough: after a
        stop, the engine's list answers with the old state a moment longer than inspect does."""
        with self._lock:
            if c.id in self._active:
                return False
            ended_at = self._ended_at.get(c.id)
        if ended_at is None:
            return True
        if ended_at >= listed_at:
            return False
        try:
            return self._engine.inspect_container(c.id).status == Status.RUNNING
        except ComposeLiteError:
            return False  # removed meanwhile

    def active(self) -> int:
        with self._lock:
            return len(self._active)

    def wait(self, timeout: float) -> None:
        """Wait up to ``timeout`` for every reader to end (in short slices: Ctrl-C stays prompt)."""
        deadline = time.monotonic() + timeout
        while self.active() and time.monotonic() < deadline and not self.closed.is_set():
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def _read(self, c: ObservedContainer, resumed_since: float | None) -> None:
        """``resumed_since``: the container was read before (it restarted): only what came after."""
        opts = self._options
        pending = b""
        try:
            stream = self._engine.container_logs(
                c.id, follow=opts.follow, tail=opts.tail if resumed_since is None else None,
                since=opts.since if resumed_since is None else resumed_since, until=opts.until,
                timestamps=opts.timestamps)
            for chunk in stream:
                lines, pending = split_lines(pending, chunk)
                self._send(c, lines)
            if pending:
                self._send(c, [pending.rstrip(b"\r").decode(errors="replace")])
        except OutputClosed:
            self.closed.set()
        except (GoneError, NotFoundError):
            pass  # removed since it was listed (a recreate while following): its output has ended
        except ComposeLiteError as err:
            with self._lock:
                self.errors.append(err)
        except Exception as err:  # a reader thread must report, never die with a raw traceback
            with self._lock:
                self.errors.append(EngineError(f"logs of {c.name}: {err}"))
        finally:
            stream_ended = time.time()
            if self._ended is not None:
                self._ended(c, self._settled(c.id) if opts.follow else None)
            with self._lock:
                self._active.pop(c.id, None)
                self._ended_at[c.id] = stream_ended

    def _settled(self, container_id: str) -> ContainerState | None:
        """The state of a container whose followed output ended: the engine ends the stream a moment
        before it marks the container stopped, so "running" is asked again, for a bounded while."""
        deadline = time.monotonic() + SETTLE_S
        while True:
            try:
                state = self._engine.inspect_container(container_id)
            except ComposeLiteError:
                return None  # removed since (a recreate while following)
            if state.status != Status.RUNNING or time.monotonic() >= deadline:
                return state
            time.sleep(SETTLE_POLL_S)

    def _send(self, c: ObservedContainer, lines: Iterable[str]) -> None:
        with self._lock:
            for text in lines:
                if self.closed.is_set():
                    raise OutputClosed("output closed")
                self._emit(to_log_line(c, text, timestamps=self._options.timestamps))


def follow(mux: Multiplexer, list_containers: Callable[[], list[ObservedContainer]], *,
           stop: threading.Event | None = None, poll: float = POLL_S) -> None:
    """Keep ``mux`` reading every running container ``list_containers`` returns until none is left.

    The first list is read whatever the containers' states (a container that already stopped
    still shows its output).  A container created while following (e.g. by a recreate) is picked
    up on the next poll; one that restarts is resumed where it stopped.  Ends when no reader is
    active and no container is live (running, restarting, paused, or created since we began), or
    when ``stop`` is set.
    """
    initially_created: set[str] | None = None
    while (stop is None or not stop.is_set()) and not mux.closed.is_set():
        listed_at = time.time()
        current = list_containers()
        if initially_created is None:
            initially_created = {c.id for c in current if c.state == Status.CREATED}
            for c in current:  # stopped ones too: their output, then their exit
                if c.state != Status.CREATED:
                    mux.add(c)
        for c in current:
            if c.state == Status.RUNNING and mux.resumable(c, listed_at):
                mux.add(c)
        live = [c for c in current
                if c.state in LIVE or (c.state == Status.CREATED and c.id not in initially_created)]
        if not mux.active() and not live:
            return
        mux.wait(poll)


def show(engine: Engine, project: str, services: Iterable[str], options: LogOptions,
         emit: Callable[[LogLine], None], exited: Callable[[ObservedContainer, int], None] | None = None,
         *, index: int | None = None, poll: float = POLL_S,
         stop: threading.Event | None = None) -> list[ComposeLiteError]:
    """`cl logs`: the project's (selected services') output; following, until no container is live.

    ``exited(container, code)`` reports, while following, each container whose output ended because
    it stopped.  ``index`` keeps one replica per service.  Returns the errors readers met (a
    container removed meanwhile is not one).
    """
    wanted = set(services)

    def containers() -> list[ObservedContainer]:
        return observe.containers(engine, project, services=wanted or None, number=index)

    def ended(c: ObservedContainer, state: ContainerState | None) -> None:
        if exited is not None and state is not None and state.status in ENDED:
            exited(c, state.exit_code)

    mux = Multiplexer(engine, options, emit, ended)
    if options.follow:
        follow(mux, containers, stop=stop, poll=poll)
    else:
        for c in containers():
            mux.add(c)
        while mux.active() and not mux.closed.is_set():
            mux.wait(poll)
    if mux.closed.is_set():
        raise OutputClosed("output closed")
    return mux.errors
