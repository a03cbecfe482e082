"""Progress output: a live status display on a terminal, plain lines, JSON lines, or nothing.

The one way library code tells the user what it does: the executor's events, the watch loop's
lines, attached `up`'s notices.  All of it goes to stderr; stdout is for data (``ps``, ``config``,
container output through ``logs.LogSink``).  Reporters are called from worker threads, so each one
serialises its writes.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TextIO


class Reporter(Protocol):
    def event(self, kind: str, name: str, status: str, *, done: bool = False) -> None:
        """A resource changed state: ``("Container", "p-web-1", "Started", done=True)``."""

    def info(self, message: str) -> None:
        """A line of what is being done (dropped by --quiet)."""

    def warning(self, message: str) -> None:
        """Something the user should know; the run goes on (``warning: …``, also when quiet)."""

    def problem(self, message: str) -> None:
        """A failure the command goes on after (a watch action that failed): shown as it is worded,
        also when quiet."""

    def close(self) -> None: ...


class _Timed:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lock = threading.Lock()
        self.started: dict[tuple[str, str], float] = {}

    def elapsed(self, kind: str, name: str, done: bool) -> float:
        now = time.monotonic()
        begun = self.started.setdefault((kind, name), now)
        if done:
            del self.started[(kind, name)]
        return now - begun


class PlainReporter(_Timed):
    """Compose's plain style: `` Container web-db-1  Started 0.4s``."""

    def event(self, kind: str, name: str, status: str, *, done: bool = False) -> None:
        with self.lock:
            took = self.elapsed(kind, name, done)
            suffix = f" {took:.1f}s" if done else ""
            self.stream.write(f" {kind} {name}  {status}{suffix}\n")
            self.stream.flush()

    def warning(self, message: str) -> None:
        with self.lock:
            self.stream.write(f"warning: {message}\n")
            self.stream.flush()

    def info(self, message: str) -> None:
        with self.lock:
            self.stream.write(f"{message}\n")
            self.stream.flush()

    problem = info

    def close(self) -> None:
        return None


class JsonReporter(_Timed):
    """One JSON object per line: ``{"kind", "name", "status", "done", "elapsed"}``."""

    def _write(self, record: dict[str, Any]) -> None:
        self.stream.write(json.dumps(record) + "\n")
        self.stream.flush()

    def event(self, kind: str, name: str, status: str, *, done: bool = False) -> None:
        with self.lock:
            took = self.elapsed(kind, name, done)
            self._write({"kind": kind, "name": name, "status": status, "done": done,
                         "elapsed": round(took, 3)})

    def warning(self, message: str) -> None:
        with self.lock:
            self._write({"level": "warning", "message": message})

    def info(self, message: str) -> None:
        with self.lock:
            self._write({"level": "info", "message": message})

    def problem(self, message: str) -> None:
        with self.lock:
            self._write({"level": "error", "message": message})

    def close(self) -> None:
        return None


class WarningsOnly:
    """Progress dropped, warnings and problems handed to `warn`: --quiet-pull/--quiet-build pass
    them on to the shown reporter, the watch loop's rebuilds keep them as notes of what it did."""

    def __init__(self, warn: Callable[[str], object]) -> None:
        self._warn = warn

    def event(self, kind: str, name: str, status: str, *, done: bool = False) -> None:
        return None

    def warning(self, message: str) -> None:
        self._warn(message)

    def info(self, message: str) -> None:
        return None

    def problem(self, message: str) -> None:
        self._warn(message)

    def close(self) -> None:
        return None


class LineReporter(WarningsOnly):
    """Each message as one line of text, progress events dropped: ``say`` gets what was done,
    ``alert`` the warnings (``warning: …``) and problems. The Python API's watch hands them to its
    callback; tests collect them."""

    def __init__(self, say: Callable[[str], object], alert: Callable[[str], object] | None = None) -> None:
        self._say = say
        self._alert = alert or say
        super().__init__(lambda message: self._alert(f"warning: {message}"))

    def info(self, message: str) -> None:
        self._say(message)

    def problem(self, message: str) -> None:
        self._alert(message)


class QuietReporter(LineReporter):
    """--quiet: nothing but warnings and problems, on the stream."""

    def __init__(self, stream: TextIO) -> None:
        lock = threading.Lock()

        def write(text: str) -> None:
            with lock:
                stream.write(text + "\n")

        super().__init__(lambda _message: None, write)


class LiveReporter(_Timed):
    """A rich live table: one row per resource with its state and running time."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        from rich.console import Console
        from rich.live import Live

        self.console = Console(file=stream)
        self.rows: dict[tuple[str, str], tuple[str, bool, float]] = {}
        self.live = Live(console=self.console, refresh_per_second=10, transient=False,
                         get_renderable=self._render)
        self.live.start()

    def _render(self) -> Any:
        from rich.table import Table
        from rich.text import Text

        table = Table.grid(padding=(0, 1))
        now = time.monotonic()
        with self.lock:
            rows = list(self.rows.items())
            started = dict(self.started)
        for (kind, name), (status, done, took) in rows:
            mark = Text("✔", style="green") if done else Text("⠿", style="yellow")
            seconds = took if done else now - started.get((kind, name), now)
            table.add_row(mark, kind, Text(name, style="bold"), status, Text(f"{seconds:.1f}s", style="dim"))
        return table

    def event(self, kind: str, name: str, status: str, *, done: bool = False) -> None:
        with self.lock:
            took = self.elapsed(kind, name, done)
            self.rows[(kind, name)] = (status, done, took)

    def warning(self, message: str) -> None:
        from rich.text import Text

        self.console.print(Text.assemble(("warning:", "yellow"), " ", message), highlight=False)

    def info(self, message: str) -> None:
        self.console.print(message, highlight=False, markup=False)

    def problem(self, message: str) -> None:
        self.console.print(message, style="red", highlight=False, markup=False)

    def close(self) -> None:
        self.live.stop()


def make_reporter(progress: str, stream: TextIO | None = None) -> Reporter:
    """``--progress`` auto|tty|plain|json|quiet → a reporter (auto = live on a terminal)."""
    out = stream or sys.stderr
    if progress == "auto":
        progress = "tty" if out.isatty() else "plain"
    if progress == "tty":
        return LiveReporter(out)
    if progress == "json":
        return JsonReporter(out)
    if progress == "quiet":
        return QuietReporter(out)
    return PlainReporter(out)
