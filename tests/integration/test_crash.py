"""`cl up` SIGKILLed at random points, then run again: the state converges, data intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

STACK = """
services:
  db:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /tmp; touch /tmp/ready; sleep 3600 & wait"]
    volumes: [dbdata:/data]
    environment: {GEN: "GENERATION"}
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 100ms, retries: 50}
  api:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    environment: {GEN: "GENERATION"}
    deploy: {replicas: 2}
    depends_on: {db: {condition: service_healthy}}
  web:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    environment: {GEN: "GENERATION"}
    depends_on: [api]
volumes:
  dbdata: {}
"""
EXPECTED = {"db-1", "api-1", "api-2", "web-1"}


def command(project: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "compose_lite", "-p", project, "--progress", "quiet", *args]


def state(client: Any, project: str) -> dict[str, dict[str, Any]]:
    found = client.api.containers(all=True, filters={"label": f"com.docker.compose.project={project}"})
    return {c["Names"][0].lstrip("/").removeprefix(f"{project}-"): c for c in found}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_killed_up_converges_on_the_next_run(docker_client: Any, project_name: str, tmp_path: Path,
                                             seed: int) -> None:
    rng = random.Random(seed)
    p = project_name
    compose = tmp_path / "compose.yaml"
    compose.write_text(STACK.replace("GENERATION", "0"))
    subprocess.run(command(p, "up", "-d", "--wait"), cwd=tmp_path, check=True, timeout=120)
    exec_id = docker_client.api.exec_create(f"{p}-db-1", ["sh", "-c", "echo precious > /data/f"])
    docker_client.api.exec_start(exec_id)
    for generation in (1, 2):
        # A config change forces recreates, so the kill can land between create, stop, remove and rename.
        compose.write_text(STACK.replace("GENERATION", str(generation)))
        victim = subprocess.Popen(command(p, "up", "-d"), cwd=tmp_path, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, env=dict(os.environ))
        time.sleep(rng.uniform(0.3, 1.6))
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
    done = subprocess.run(command(p, "up", "-d", "--wait"), cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    now = state(docker_client, p)
    assert set(now) == EXPECTED
    for container in now.values():
        assert container["State"] == "running"
        env = docker_client.api.inspect_container(container["Id"])["Config"]["Env"]
        assert "GEN=2" in env
    exec_id = docker_client.api.exec_create(f"{p}-db-1", ["cat", "/data/f"])
    assert docker_client.api.exec_start(exec_id).decode().strip() == "precious"
    again = subprocess.run(command(p, "up", "-d", "--dry-run"), cwd=tmp_path, capture_output=True, text=True,
                           timeout=60)
    assert [line for line in again.stdout.splitlines() if not line.startswith(("keep", "wait"))] == []
