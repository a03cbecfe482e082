"""Helpers for the watch integration tests: a project in a temp dir, `up` and the loop in-process,
probed over HTTP on 127.0.0.1 with the bounded waits of cl_helpers."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from compose_lite import app
from compose_lite.engine.docker_engine import DockerEngine
from compose_lite.loader.bind import bind
from compose_lite.loader.pipeline import load
from compose_lite.loader.request import LoadRequest
from compose_lite.model import Project
from compose_lite.output import LineReporter, WarningsOnly
from compose_lite.watch.loop import LoopOptions, WatchLoop
from tests.integration.cl_helpers import fetch, wait_until, write

WAIT = 20.0  # upper bound of every wait; the expected cases take well under a second or two

# A static file server that ends on SIGTERM (busybox as PID 1 ignores it: `init: true`).
HTTPD = '["sh", "-c", "mkdir -p /www; {prep} exec httpd -f -p 80 -h /www"]'


def load_project(workdir: Path, name: str) -> Project:
    loaded = load(LoadRequest(cwd=str(workdir), project_name=name, environ=dict(os.environ)))
    return bind(loaded.model, working_dir=loaded.working_dir, config_files=tuple(loaded.config_files),
                environment=loaded.environment)


def sync_project(tmp_path: Path, port: int, action: str = "sync", *, service_keys: str = "",
                 top_level: str = "") -> Path:
    """web serving ./www (index.html: "v1") on the port, ./www watched with action (initial sync on);
    ``service_keys`` adds lines to the service, ``top_level`` to the file."""
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text("v1")
    return write(tmp_path, f"""
services:
  web:
    image: cl-busybox
    init: true
    command: {HTTPD.format(prep="")}
    ports: ["127.0.0.1:{port}:80"]
    develop:
      watch:
        - path: ./www
          action: {action}
          target: /www
          initial_sync: true
{service_keys}{top_level}""")


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
        app.up(project, self.engine, app.UpRequest(), WarningsOnly([].append), environ=dict(os.environ))
        self.loop = WatchLoop(project, self.engine, load=lambda: load_project(self.workdir, self.name),
                              reporter=LineReporter(self.lines.append, self.problems.append),
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
                   lambda: f"{text!r} served at {path} (problems: {self.problems})", timeout=WAIT)

    def wait_lines(self, count: int) -> None:
        wait_until(lambda: len(self.lines) + len(self.problems) >= count,
                   lambda: f"{count} watch lines (have {self.lines}, problems {self.problems})", timeout=WAIT)
