"""samples/webapp end to end: frontend → backend → PostgreSQL, data kept across down/up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.integration.samples import cl, copy_sample, free_port, http, wait_for_json, wait_for_line


def test_webapp_up_writes_and_reads_the_database_and_keeps_data(tmp_path: Path, project_name: str) -> None:
    app = copy_sample("webapp", tmp_path)
    port = free_port()
    env = {"FRONTEND_PORT": str(port)}
    base = f"http://127.0.0.1:{port}"

    cl("-p", project_name, "up", "-d", "--wait", "--build", cwd=app, env=env)
    status, body = http("POST", f"{base}/api/notes", b"remember the milk")
    assert status == 201, body
    assert json.loads(body)["body"] == "remember the milk"
    assert [n["body"] for n in json.loads(http("GET", f"{base}/api/notes")[1])] == ["remember the milk"]
    assert http("GET", f"{base}/")[0] == 200

    ps = cl("-p", project_name, "ps", "-a", "--format", "json", cwd=app, env=env).stdout
    states = {row["Service"]: row["State"] for row in map(json.loads, ps.splitlines())}
    assert states == {"frontend": "running", "backend": "running", "db": "running", "migrate": "exited"}

    cl("-p", project_name, "down", cwd=app, env=env)
    cl("-p", project_name, "up", "-d", "--wait", cwd=app, env=env)
    notes = wait_for_json(f"{base}/api/notes", lambda rows: bool(rows))
    assert [n["body"] for n in notes] == ["remember the milk"]  # type: ignore[attr-defined]


def test_webapp_backend_edit_is_served_by_the_watch_loop(tmp_path: Path, project_name: str) -> None:
    app = copy_sample("webapp", tmp_path)
    port = free_port()
    env = {**os.environ, "FRONTEND_PORT": str(port)}
    hello = f"http://127.0.0.1:{port}/api/hello"
    cl("-p", project_name, "up", "-d", "--wait", "--build", cwd=app, env=env)
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        watcher = subprocess.Popen([sys.executable, "-m", "compose_lite", "-p", project_name, "watch"],
                                   cwd=app, env=env, stdout=sink, stderr=subprocess.STDOUT)
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

