"""`cl ps` formats against the real engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

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


def cl(project: str, workdir: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "compose_lite", "-p", project, "--progress", "quiet", *args],
                          cwd=workdir, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ps_formats(project_name: str, tmp_path: Path) -> None:
    p = project_name
    (tmp_path / "compose.yaml").write_text(STACK)
    cl(p, tmp_path, "up", "-d", "--wait", "web")
    cl(p, tmp_path, "up", "-d", "job")
    rows = [json.loads(line) for line in cl(p, tmp_path, "ps", "--format", "json").splitlines()]
    assert [(r["Name"], r["Service"], r["State"], r["Ports"]) for r in rows] == [
        (f"{p}-web-1", "web", "running", "127.0.0.1:18997->80/tcp")]
    assert rows[0]["Publishers"] == [{"URL": "127.0.0.1", "TargetPort": 80, "PublishedPort": 18997,
                                      "Protocol": "tcp"}]
    time.sleep(1)  # let the job exit
    assert cl(p, tmp_path, "ps", "-a", "--services") == "job\nweb\n"
    assert cl(p, tmp_path, "ps", "--status", "exited", "--services") == "job\n"
    assert len(cl(p, tmp_path, "ps", "-q").split()) == 1
    table = cl(p, tmp_path, "ps").splitlines()
    assert table[0].split() == ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
