"""samples/hot-reload: each watch action observed through `cl watch` on the real engine."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, fetch, free_port, spawn, wait_for_line, wait_until
from tests.integration.samples import copy_sample

SERVICES = {  # service → (port variable, file edited)
    "sync": ("SYNC_PORT", "sync/html/index.html"),
    "sync-restart": ("SYNC_RESTART_PORT", "sync-restart/src/message.txt"),
    "bind-restart": ("BIND_RESTART_PORT", "bind-restart/message.txt"),
    "rebuild": ("REBUILD_PORT", "rebuild/message.txt"),
}


def _served(port: int, text: str, timeout: float = 60) -> None:
    wait_until(lambda: text in (fetch(port, "/", timeout=2) or ""),
               lambda: f"port {port} to serve {text!r}; it serves {fetch(port, '/', timeout=2)!r}", timeout,
               interval=0.1)


def _container(docker_client: Any, project: str, service: str) -> dict[str, Any]:
    info: dict[str, Any] = docker_client.api.inspect_container(f"{project}-{service}-1")
    return info


def test_every_watch_action_of_the_sample(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    app = copy_sample("hot-reload", tmp_path)
    ports = {svc: free_port() for svc in SERVICES}
    env = {SERVICES[svc][0]: str(port) for svc, port in ports.items()}
    cl(project_name, app, "up", "-d", "--wait", "--build", env=env, timeout=180, progress=None)
    before = {svc: _container(docker_client, project_name, svc) for svc in SERVICES}
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        watcher = spawn(project_name, app, "watch", env=env, progress=None, stdout=sink,
                        stderr=subprocess.STDOUT)
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
