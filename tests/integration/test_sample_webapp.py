"""samples/webapp end to end: frontend → backend → PostgreSQL, data kept across down/up."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

from tests.integration.cl_helpers import cl, free_port, http, spawn, wait_for_json, wait_for_line
from tests.integration.samples import copy_sample


def test_webapp_up_writes_and_reads_the_database_and_keeps_data(tmp_path: Path, project_name: str) -> None:
    app = copy_sample("webapp", tmp_path)
    port = free_port()
    env = {"FRONTEND_PORT": str(port)}
    base = f"http://127.0.0.1:{port}"

    cl(project_name, app, "up", "-d", "--wait", "--build", env=env, timeout=180, progress=None)
    status, body = http("POST", f"{base}/api/notes", b"remember the milk")
    assert status == 201, body
    assert json.loads(body)["body"] == "remember the milk"
    assert [n["body"] for n in json.loads(http("GET", f"{base}/api/notes")[1])] == ["remember the milk"]
    assert http("GET", f"{base}/")[0] == 200

    ps = cl(project_name, app, "ps", "-a", "--format", "json", env=env, timeout=180, progress=None).stdout
    states = {row["Service"]: row["State"] for row in map(json.loads, ps.splitlines())}
    assert states == {"frontend": "running", "backend": "running", "db": "running", "migrate": "exited"}

    cl(project_name, app, "down", env=env, timeout=180, progress=None)
    cl(project_name, app, "up", "-d", "--wait", env=env, timeout=180, progress=None)
    notes = wait_for_json(f"{base}/api/notes", lambda rows: bool(rows))
    assert [n["body"] for n in notes] == ["remember the milk"]


def test_webapp_backend_edit_is_served_by_the_watch_loop(tmp_path: Path, project_name: str) -> None:
    app = copy_sample("webapp", tmp_path)
    port = free_port()
    env = {"FRONTEND_PORT": str(port)}
    hello = f"http://127.0.0.1:{port}/api/hello"
    cl(project_name, app, "up", "-d", "--wait", "--build", env=env, timeout=180, progress=None)
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        watcher = spawn(project_name, app, "watch", env=env, progress=None, stdout=sink,
                        stderr=subprocess.STDOUT)
    try:
        assert wait_for_json(hello, lambda body: True) == {"message": "hello from the backend"}
        wait_for_line(log, "Watching")
        server = app / "backend" / "app" / "server.py"
        server.write_text(server.read_text().replace("hello from the backend", "hello, edited"))
        assert wait_for_json(hello, lambda body: body == {"message": "hello, edited"}, timeout=60)
        line = wait_for_line(log, "restarted")
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.wait(timeout=30)
    assert line.startswith("backend") and "1 file changed" in line and "synced 1" in line, line

