"""`cl up` SIGKILLed at random points, then run again: the state converges, data intact."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cl_helpers import cl, containers, spawn, write

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


def state(client: Any, project: str) -> dict[str, dict[str, Any]]:
    return {name.removeprefix(f"{project}-"): c for name, c in containers(client, project).items()}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_killed_up_converges_on_the_next_run(docker_client: Any, project_name: str, tmp_path: Path,
                                             seed: int) -> None:
    rng = random.Random(seed)
    p = project_name
    write(tmp_path, STACK.replace("GENERATION", "0"))
    cl(p, tmp_path, "up", "-d", "--wait", progress="quiet")
    exec_id = docker_client.api.exec_create(f"{p}-db-1", ["sh", "-c", "echo precious > /data/f"])
    docker_client.api.exec_start(exec_id)
    for generation in (1, 2):
        # A config change forces recreates, so the kill can land between create, stop, remove and rename.
        write(tmp_path, STACK.replace("GENERATION", str(generation)))
        victim = spawn(p, tmp_path, "up", "-d", progress="quiet", stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.6))
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
    done = cl(p, tmp_path, "up", "-d", "--wait", progress="quiet", check=False)
    assert done.returncode == 0, done.stderr
    now = state(docker_client, p)
    assert set(now) == EXPECTED
    for container in now.values():
        assert container["State"] == "running"
        env = docker_client.api.inspect_container(container["Id"])["Config"]["Env"]
        assert "GEN=2" in env
    exec_id = docker_client.api.exec_create(f"{p}-db-1", ["cat", "/data/f"])
    assert docker_client.api.exec_start(exec_id).decode().strip() == "precious"
    again = cl(p, tmp_path, "up", "-d", "--dry-run", progress="quiet", timeout=60, check=False)
    assert [line for line in again.stdout.splitlines() if not line.startswith(("keep", "wait"))] == []
