"""Progress output: a live status display on a terminal, plain lines, JSON lines, or nothing.

All of it goes to stderr; stdout is for data (``ps``, ``config``).  Reporters are called from
the executor's worker threads, so each one serialises its writes.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TextIO


class Reporter(Protocol):
    def event(self, kind: str, name: str, status: str, *, done: bool = False) -> None: ...

    def warning(self, message: str) -> None: ...

    def info(self, message: str) -> None: ...

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

    def close(self) -> None:
        return None


class WarningsOnly:
    """Progress dropped, warnings handed to `warn`: --quiet-pull/--quiet-build pass them on to the
    shown reporter, the watch loop's rebuilds keep them as notes of what it did."""

    def __init__(self, warn: Callable[[str], object]) -> None:
        self._warn = warn

    def event(self, kind: str, name: str, status: str, *, done: bool = False) -> None:
        return None

    def warning(self, message: str) -> None:
        self._warn(message)

    def info(self, message: str) -> None:
        return None

    def close(self) -> None:
        return None


class QuietReporter(WarningsOnly):
    """--quiet: nothing but warnings, on the stream."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(lambda message: stream.write(f"warning: {message}\n"))


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
        self.console.print(f"[yellow]warning:[/] {message}", highlight=False)

    def info(self, message: str) -> None:
        self.console.print(message, highlight=False)

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
