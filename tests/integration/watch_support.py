"""Helpers for the watch integration tests: a project in a temp dir, `up` and the loop in-process,
HTTP probes on 127.0.0.1 only, and bounded waits everywhere."""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compose_lite import app
from compose_lite.engine.docker_engine import DockerEngine
from compose_lite.loader.bind import bind
from compose_lite.loader.pipeline import LoadRequest, load
from compose_lite.model import Project
from compose_lite.watch.actions import SilentReporter
from compose_lite.watch.loop import LoopOptions, WatchLoop

WAIT = 20.0  # upper bound of every wait; the expected cases take well under a second or two

# A static file server that ends on SIGTERM (busybox as PID 1 ignores it: `init: true`).
HTTPD = '["sh", "-c", "mkdir -p /www; {prep} exec httpd -f -p 80 -h /www"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(port: int, path: str = "/index.html") -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=0.5) as r:
            return str(r.read().decode())
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_until(check: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


def load_project(workdir: Path, name: str) -> Project:
    loaded = load(LoadRequest(cwd=str(workdir), project_name=name, environ=dict(os.environ)))
    return bind(loaded.model, working_dir=loaded.working_dir, config_files=tuple(loaded.config_files),
                environment=loaded.environment)


class WatchedStack:
    """`up` then the watch loop in a thread; ``lines``/``problems`` collect what it prints."""

    def __init__(self, client: Any, workdir: Path, name: str) -> None:
        self.client = client
        self.workdir = workdir
        self.name = name
        self.engine = DockerEngine(environ=dict(os.environ))
        self.lines: list[str] = []
        self.problems: list[str] = []
        self.loop: WatchLoop | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> WatchedStack:
        project = load_project(self.workdir, self.name)
        app.up(project, self.engine, app.UpRequest(), SilentReporter([]), environ=dict(os.environ))
        self.loop = WatchLoop(project, self.engine, load=lambda: load_project(self.workdir, self.name),
                              emit=self.lines.append, problem=self.problems.append,
                              options=LoopOptions(), environ=dict(os.environ))
        self._thread = threading.Thread(target=self.loop.run, name="test-watch", daemon=True)
        self._thread.start()
        assert self.loop.ready.wait(WAIT), "the watch loop did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.loop is not None and self._thread is not None
        self.loop.stop()
        self._thread.join(timeout=10)
        assert not self._thread.is_alive(), "the watch loop did not stop"

    def container(self, service: str) -> dict[str, Any]:
        return dict(self.client.api.inspect_container(f"{self.name}-{service}-1"))

    def started_at(self, service: str) -> str:
        return str(self.container(service)["State"]["StartedAt"])

    def exec(self, service: str, *argv: str) -> tuple[int, str]:
        result = self.client.api.exec_create(f"{self.name}-{service}-1", list(argv))
        output = self.client.api.exec_start(result["Id"]).decode()
        return int(self.client.api.exec_inspect(result["Id"])["ExitCode"]), str(output)

    def wait_served(self, port: int, text: str, path: str = "/index.html") -> None:
        wait_until(lambda: fetch(port, path) == text,
                   f"{text!r} served at {path} (problems: {self.problems})")

    def wait_lines(self, count: int) -> None:
        wait_until(lambda: len(self.lines) + len(self.problems) >= count,
                   f"{count} watch lines (have {self.lines}, problems {self.problems})")
