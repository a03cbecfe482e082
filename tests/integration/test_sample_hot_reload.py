"""samples/hot-reload: each watch action observed through `cl watch` on the real engine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.integration.samples import cl, copy_sample, free_port, http, wait_for_line

SERVICES = {  # service → (port variable, file edited)
    "sync": ("SYNC_PORT", "sync/html/index.html"),
    "sync-restart": ("SYNC_RESTART_PORT", "sync-restart/src/message.txt"),
    "bind-restart": ("BIND_RESTART_PORT", "bind-restart/message.txt"),
    "rebuild": ("REBUILD_PORT", "rebuild/message.txt"),
}


def _served(port: int, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    body = b""
    while time.monotonic() < deadline:
        try:
            status, body = http("GET", f"http://127.0.0.1:{port}/", timeout=2)
            if status == 200 and text.encode() in body:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"port {port} never served {text!r}; last body {body!r}")


def _container(docker_client: Any, project: str, service: str) -> dict[str, Any]:
    info: dict[str, Any] = docker_client.api.inspect_container(f"{project}-{service}-1")
    return info


def test_every_watch_action_of_the_sample(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    app = copy_sample("hot-reload", tmp_path)
    ports = {svc: free_port() for svc in SERVICES}
    env = {**os.environ, **{SERVICES[svc][0]: str(port) for svc, port in ports.items()}}
    cl("-p", project_name, "up", "-d", "--wait", "--build", cwd=app, env=env)
    before = {svc: _container(docker_client, project_name, svc) for svc in SERVICES}
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        watcher = subprocess.Popen([sys.executable, "-m", "compose_lite", "-p", project_name, "watch"],
                                   cwd=app, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_for_line(log, "Watching")
        for svc, (_, rel) in SERVICES.items():
            (app / rel).write_text(f"edited {svc}\n")
            _served(ports[svc], f"edited {svc}")
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.wait(timeout=30)
    after = {svc: _container(docker_client, project_name, svc) for svc in SERVICES}
    started = {svc: (before[svc]["State"]["StartedAt"], after[svc]["State"]["StartedAt"]) for svc in SERVICES}
    assert started["sync"][0] == started["sync"][1], "sync must not restart the container"
    assert started["sync-restart"][0] != started["sync-restart"][1]
    assert started["bind-restart"][0] != started["bind-restart"][1]
    assert before["rebuild"]["Id"] != after["rebuild"]["Id"], "rebuild recreates the container"
    assert before["rebuild"]["Image"] != after["rebuild"]["Image"]
