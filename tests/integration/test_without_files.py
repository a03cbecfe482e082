"""`cl -p NAME ps|stop|start|down` from a directory without Compose files, as Docker Compose allows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

COMPOSE = """
services:
  db:
    image: cl-busybox
    init: true
    command: ["sleep", "300"]
    volumes: [data:/data]
  web:
    image: cl-busybox
    init: true
    command: ["sleep", "300"]
    depends_on: [db]
networks:
  default: {}
volumes:
  data: {}
"""


def _cl(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "compose_lite", "--progress", "plain", *args], cwd=cwd,
                          env=dict(os.environ), capture_output=True, text=True, timeout=120)


def test_project_managed_by_name_alone(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    app, elsewhere = tmp_path / "app", tmp_path / "elsewhere"
    app.mkdir()
    elsewhere.mkdir()
    (app / "compose.yaml").write_text(COMPOSE)
    assert _cl(app, "-p", project_name, "up", "-d").returncode == 0

    listed = _cl(elsewhere, "-p", project_name, "ps", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(json.loads(line)["Service"] for line in listed.stdout.splitlines()) == ["db", "web"]
    stopped = _cl(elsewhere, "-p", project_name, "stop")
    assert stopped.returncode == 0, stopped.stderr
    # dependents stop first: web before db (the order comes from the depends_on label)
    assert stopped.stderr.index(f"{project_name}-web-1") < stopped.stderr.index(f"{project_name}-db-1")

    down = _cl(elsewhere, "-p", project_name, "down", "-v")
    assert down.returncode == 0, down.stderr
    flt = {"label": f"com.docker.compose.project={project_name}"}
    assert docker_client.containers.list(all=True, filters=flt) == []
    assert docker_client.networks.list(filters=flt) == []
    assert docker_client.volumes.list(filters=flt) == []


def test_unknown_project_without_files_is_the_usual_error(tmp_path: Path, project_name: str) -> None:
    done = _cl(tmp_path, "-p", project_name, "down")
    assert done.returncode == 1
    assert done.stderr.startswith("error: no configuration file provided: not found\n")
