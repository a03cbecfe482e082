"""`cl up` on the real engine: health-gated order, no-op re-run, targeted recreate, data, failures."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, containers, write

STACK = """
services:
  db:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /tmp; touch /tmp/ready; sleep 3600 & wait"]
    volumes: [dbdata:/data]
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 200ms, retries: 30}
  migrate:
    image: cl-busybox
    command: ["sh", "-c", "sleep 0.3; echo migrated >> /data/migrations"]
    volumes: [dbdata:/data]
    depends_on: {db: {condition: service_healthy}}
  backend:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /tmp; touch /tmp/ready; sleep 3600 & wait"]
    environment: {DEBUG: "${DEBUG:-0}"}
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 200ms, retries: 30}
    depends_on:
      db: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
  frontend:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on: {backend: {condition: service_healthy}}
volumes:
  dbdata: {}
"""


def started_at(client: Any, name: str) -> str:
    return str(client.api.inspect_container(name)["State"]["StartedAt"])


def test_health_gated_stack_comes_up_in_order(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    wd = write(tmp_path, STACK)
    cl(project_name, wd, "up", "-d", "--wait")
    p = project_name
    assert set(containers(docker_client, p)) == {f"{p}-db-1", f"{p}-migrate-1", f"{p}-backend-1",
                                                 f"{p}-frontend-1"}
    migrate = docker_client.api.inspect_container(f"{p}-migrate-1")["State"]
    assert (migrate["Status"], migrate["ExitCode"]) == ("exited", 0)
    assert started_at(docker_client, f"{p}-db-1") < migrate["StartedAt"]
    assert migrate["FinishedAt"] < started_at(docker_client, f"{p}-backend-1")
    assert started_at(docker_client, f"{p}-backend-1") < started_at(docker_client, f"{p}-frontend-1")
    labels = docker_client.api.inspect_container(f"{p}-backend-1")["Config"]["Labels"]
    assert labels["com.docker.compose.depends_on"] == ("db:service_healthy:false,"
                                                       "migrate:service_completed_successfully:false")
    assert labels["com.docker.compose.project.working_dir"] == str(wd)


THREE_TIER = """
services:
  db:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /tmp; touch /tmp/ready; sleep 3600 & wait"]
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 200ms, retries: 30}
  backend:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on: {db: {condition: service_healthy}}
  frontend:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    ports: ["127.0.0.1::80"]
    depends_on: [backend]
"""


def test_second_up_changes_nothing(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    """(A completed one-shot job would be started again, as Compose does; this stack has none.)"""
    wd = write(tmp_path, THREE_TIER)
    cl(project_name, wd, "up", "-d", "--wait")
    before = {n: c["Id"] for n, c in containers(docker_client, project_name).items()}
    second = cl(project_name, wd, "up", "-d", "--wait")
    after = {n: c["Id"] for n, c in containers(docker_client, project_name).items()}
    assert before == after
    assert "Nothing to do" in second.stderr


def test_env_change_recreates_only_that_service_and_data_survives(
        docker_client: Any, project_name: str, tmp_path: Path) -> None:
    wd = write(tmp_path, STACK)
    p = project_name
    cl(p, wd, "up", "-d", "--wait")
    exec_id = docker_client.api.exec_create(f"{p}-db-1", ["sh", "-c", "echo keep > /data/f"])
    docker_client.api.exec_start(exec_id)
    before = {n: c["Id"] for n, c in containers(docker_client, p).items()}
    dry = cl(p, wd, "up", "-d", "--dry-run", env={"DEBUG": "1"})
    assert f"recreate {p}-backend-1: environment.DEBUG changed" in dry.stdout.splitlines()
    cl(p, wd, "up", "-d", "--wait", env={"DEBUG": "1"})
    after = {n: c["Id"] for n, c in containers(docker_client, p).items()}
    assert {n for n in before if before[n] != after.get(n)} == {f"{p}-backend-1"}
    assert after[f"{p}-db-1"] == before[f"{p}-db-1"]
    cl(p, wd, "down")
    assert containers(docker_client, p) == {}
    cl(p, wd, "up", "-d", "--wait", env={"DEBUG": "1"})
    assert _read(docker_client, f"{p}-db-1", "/data/f") == "keep"
    cl(p, wd, "down", "-v")
    assert docker_client.api.volumes(filters={"name": f"{p}_dbdata"})["Volumes"] in (None, [])


def _read(client: Any, container: str, path: str) -> str:
    exec_id = client.api.exec_create(container, ["cat", path])
    return str(client.api.exec_start(exec_id).decode().strip())


UNHEALTHY = """
services:
  db:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    healthcheck: {test: ["CMD-SHELL", "echo db is not ready; exit 1"], interval: 100ms, retries: 2}
  web:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on: {db: {condition: service_healthy}}
"""


def test_unhealthy_dependency_fails_with_health_output(docker_client: Any, project_name: str,
                                                      tmp_path: Path) -> None:
    wd = write(tmp_path, UNHEALTHY)
    done = cl(project_name, wd, "up", "-d", check=False)
    assert done.returncode == 1
    assert f"error: dependency db failed: container {project_name}-db-1 is unhealthy" in done.stderr
    assert "last health check output: db is not ready" in done.stderr
    assert "Traceback" not in done.stderr
    # Like Compose, the dependent is created up front; it must never have been started.
    web = containers(docker_client, project_name).get(f"{project_name}-web-1")
    assert web is None or web["State"] == "created", web


SLOW = """
services:
  slow:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    healthcheck: {test: ["CMD", "false"], interval: 1s, retries: 1000}
"""


def test_wait_timeout_returns_after_about_that_long(project_name: str, tmp_path: Path) -> None:
    wd = write(tmp_path, SLOW)
    begin = time.monotonic()
    done = cl(project_name, wd, "up", "-d", "--wait", "--wait-timeout", "3", check=False)
    took = time.monotonic() - begin
    assert done.returncode == 1
    assert f"timed out waiting for container {project_name}-slow-1" in done.stderr
    assert 3.0 <= took < 6.0


def test_docker_compose_sees_our_containers(project_name: str, tmp_path: Path) -> None:
    wd = write(tmp_path, STACK)
    cl(project_name, wd, "up", "-d", "--wait")
    listed = subprocess.run(["docker", "compose", "-p", project_name, "ps", "-a", "--format", "json"],
                            capture_output=True, text=True, timeout=60, check=True)
    rows = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    assert sorted(r["Service"] for r in rows) == ["backend", "db", "frontend", "migrate"]
    services = ("backend", "db", "frontend", "migrate")
    assert {r["Name"] for r in rows} == {f"{project_name}-{s}-1" for s in services}
