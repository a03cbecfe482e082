"""samples/webapp end to end: frontend → backend → PostgreSQL, data kept across down/up."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.samples import cl, copy_sample, free_port, http, wait_for_json


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
