"""`cl ps` formats against the real engine."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.integration.cl_helpers import cl, write

STACK = """
services:
  web:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    ports: ["127.0.0.1:18997:80"]
  job:
    image: cl-busybox
    command: ["true"]
"""


def test_ps_formats(project_name: str, tmp_path: Path) -> None:
    p = project_name
    write(tmp_path, STACK)
    cl(p, tmp_path, "up", "-d", "--wait", "web", progress="quiet")
    cl(p, tmp_path, "up", "-d", "job", progress="quiet")
    listed = cl(p, tmp_path, "ps", "--format", "json", progress="quiet").stdout
    rows = [json.loads(line) for line in listed.splitlines()]
    assert [(r["Name"], r["Service"], r["State"], r["Ports"]) for r in rows] == [
        (f"{p}-web-1", "web", "running", "127.0.0.1:18997->80/tcp")]
    assert rows[0]["Publishers"] == [{"URL": "127.0.0.1", "TargetPort": 80, "PublishedPort": 18997,
                                      "Protocol": "tcp"}]
    time.sleep(1)  # let the job exit
    assert cl(p, tmp_path, "ps", "-a", "--services", progress="quiet").stdout == "job\nweb\n"
    assert cl(p, tmp_path, "ps", "--status", "exited", "--services", progress="quiet").stdout == "job\n"
    assert len(cl(p, tmp_path, "ps", "-q", progress="quiet").stdout.split()) == 1
    table = cl(p, tmp_path, "ps", progress="quiet").stdout.splitlines()
    assert table[0].split() == ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
    # the docker CLI's ellipsis: 20 characters with the "…", as `docker compose ps` prints it
    assert '"sh -c \'trap \'exit 0…"' in table[1]
