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


def _killed_after(seconds: float, project: str, cwd: Path, *args: str) -> None:
    """`cl ARGS` SIGKILLed after ``seconds``, as a crash or an OOM kill would end it."""
    victim = spawn(project, cwd, *args, progress="quiet", stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)


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
        _killed_after(rng.uniform(0.3, 1.6), p, tmp_path, "up", "-d")
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


def test_killed_right_after_the_replacement_is_created_converges(docker_client: Any, project_name: str,
                                                                 tmp_path: Path) -> None:
    """The kill lands at the riskiest point of a recreate: the replacement exists under its temporary
    name and the old container has not been removed yet. The next `up` keeps one of each, data intact."""
    p = project_name
    write(tmp_path, STACK.replace("GENERATION", "0"))
    cl(p, tmp_path, "up", "-d", "--wait", progress="quiet")
    exec_id = docker_client.api.exec_create(f"{p}-db-1", ["sh", "-c", "echo precious > /data/f"])
    docker_client.api.exec_start(exec_id)
    write(tmp_path, STACK.replace("GENERATION", "1"))
    now = time.time()
    events = docker_client.api.events(decode=True, since=now, until=now + 60, filters={
        "type": "container", "event": "create", "label": f"com.docker.compose.project={p}"})
    try:
        victim = spawn(p, tmp_path, "up", "-d", progress="quiet", stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        for event in events:  # the stream ends by itself after a minute
            if event["Actor"]["Attributes"].get("name", "").endswith(f"_{p}-db-1"):
                victim.send_signal(signal.SIGKILL)
                break
        victim.wait(timeout=30)
    finally:
        events.close()
    left = {name for name in containers(docker_client, p)}
    assert any(name.endswith(f"_{p}-db-1") for name in left), left  # the kill landed mid-recreate
    done = cl(p, tmp_path, "up", "-d", "--wait", progress="quiet", check=False)
    assert done.returncode == 0, done.stderr
    now = state(docker_client, p)
    assert set(now) == EXPECTED
    assert all("GEN=1" in docker_client.api.inspect_container(c["Id"])["Config"]["Env"] for c in now.values())
    exec_id = docker_client.api.exec_create(f"{p}-db-1", ["cat", "/data/f"])
    assert docker_client.api.exec_start(exec_id).decode().strip() == "precious"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_down_converges_on_the_next_down_and_keeps_named_volumes(
        docker_client: Any, project_name: str, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    p = project_name
    write(tmp_path, STACK.replace("GENERATION", "0"))
    cl(p, tmp_path, "up", "-d", "--wait", progress="quiet")
    _killed_after(rng.uniform(0.05, 0.8), p, tmp_path, "down", "-t", "1")
    done = cl(p, tmp_path, "down", "-t", "1", progress="quiet", check=False)
    assert done.returncode == 0, done.stderr
    mine = {"label": f"com.docker.compose.project={p}"}
    assert docker_client.api.containers(all=True, filters=mine) == []
    assert docker_client.api.networks(filters=mine) == []
    assert [v["Name"] for v in docker_client.api.volumes(filters=mine)["Volumes"] or []] == [f"{p}_dbdata"]
    assert docker_client.containers.list(all=True, filters={"name": f"{p}-cl-lock"}) == []
