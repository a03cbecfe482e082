"""When a container being stopped has exited: its ``die`` event, ahead of the stop call's answer.

The engine usually answers a stop only after it has released the container's network endpoints,
and it releases them one container at a time (~30–40 ms each on the benchmark machine), so when 24
containers stop together the last answer comes a second after every process has exited.
Shutdown order only needs a dependent's process gone before its dependencies are signalled:
waiting for the die event lets the next tier's shutdown overlap the engine's cleanup.  Without
events (the subscription failed or broke), the stop call's answer is the signal, as before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from compose_lite.engine.base import Engine, EventStream
from compose_lite.errors import ComposeLiteError

log = logging.getLogger(__name__)


class ExitWatch:
    """Tracks the containers this run stops and reports when each has exited or its stop ended.

    Use as a context manager: entering subscribes to the project's events (before any stop is
    sent) and starts a daemon thread reading them; leaving closes the stream. A die that is missed
    anyway only costs the early signal: the stop call's end still reports the exit.
    """

    def __init__(self, engine: Engine, project: str | None) -> None:
        """``project`` None: nothing to subscribe to, stop calls are the only signal."""
        self._engine = engine
        self._project = project
        self._stopping: set[str] = set()  # containers whose stop has been sent
        self._killed: set[str] = set()  # … and whose kill event has been read since
        self._outcome: dict[str, BaseException | None] = {}  # exited (None) or its stop failed
        self._waiting: dict[str, list[Callable[[BaseException | None], None]]] = {}
        self._lock = threading.Lock()
        self._stream: EventStream | None = None

    def __enter__(self) -> ExitWatch:
        if self._project is None:
            return self
        try:
            self._stream = self._engine.events(self._project)
        except ComposeLiteError as err:
            log.debug("no event stream (%s): waiting for stop calls instead", err)
            return self
        threading.Thread(target=self._read, args=(self._stream,), name="cl-exits", daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        # Not joined: the reader ends once the stream is closed, or with the process where a
        # transport cannot be woken; nothing reads the watch after this.
        if self._stream is not None:
            self._stream.close()

    def stopping(self, container_id: str) -> None:
        """A stop is about to be sent: the die that follows its kill event means it exited.

        Requiring the kill first keeps out a die that happened earlier (a crash-looping
        container's) but is read only now: the stream delivers events in order.
        """
        with self._lock:
            self._stopping.add(container_id)

    def on_exit(self, container_id: str, callback: Callable[[BaseException | None], None]) -> None:
        """Call ``callback`` (at once, or later from another thread) once the container has exited,
        with None, or with the error its stop failed with before it did."""
        with self._lock:
            if container_id not in self._outcome:
                self._waiting.setdefault(container_id, []).append(callback)
                return
            outcome = self._outcome[container_id]
        callback(outcome)

    def settled(self, container_id: str, error: BaseException | None = None) -> None:
        """The container exited (its die was read, or its stop call ended), or its stop failed with
        ``error``, which its waiters then get.  Only the first report counts."""
        with self._lock:
            if container_id in self._outcome:
                return
            self._outcome[container_id] = error
            callbacks = self._waiting.pop(container_id, [])
        for callback in callbacks:
            callback(error)

    def _read(self, stream: EventStream) -> None:
        try:
            for event in stream:
                with self._lock:
                    if event.action == "kill" and event.id in self._stopping:
                        self._killed.add(event.id)
                    exited = event.action == "die" and event.id in self._killed
                if exited:
                    self.settled(event.id)
        except Exception as err:  # a broken stream only costs the early signal
            log.debug("event stream ended: %r", err)
