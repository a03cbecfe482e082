"""The project lock on the real engine: two, then five `cl up` at once (locally, and some of them
over ssh) leave one network and one set of containers (without the lock both of two failed and
left duplicate networks), the later ones saying whom they waited for; the lock leaves nothing
behind. `bench/concurrency.py` runs the same race many times over."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cl_helpers import TWO_SLEEPERS as STACK
from tests.integration.cl_helpers import cl, spawn, wait_until, write
from tests.integration.conftest import PROJECT_LABEL
from tests.integration.sshd import running_sshd


def _race(runs: list[subprocess.Popen[str]], docker_client: Any, project: str) -> None:
    outputs = [p.communicate(timeout=180) for p in runs]
    assert [p.returncode for p in runs] == [0] * len(runs), outputs
    # each later one waited for an earlier one, or came after it and found nothing to do
    assert all(
        "waiting for `cl up`" in err or "Nothing to do" in err or "Created" in err for _, err in outputs
    )
    assert sum("Created" in err for _, err in outputs) >= 1
    networks = docker_client.networks.list(names=[f"{project}_default"])
    assert len(networks) == 1
    running = docker_client.containers.list(filters={"label": f"{PROJECT_LABEL}={project}"})
    assert sorted(c.name for c in running) == [f"{project}-a-1", f"{project}-b-1"]
    assert docker_client.containers.list(all=True, filters={"name": f"{project}-cl-lock"}) == []


@pytest.mark.parametrize("how_many", [2, 5])
def test_ups_at_once_take_turns(docker_client: Any, project_name: str, tmp_path: Path, how_many: int) -> None:
    write(tmp_path, STACK)
    _race([spawn(project_name, tmp_path, "up", "-d") for _ in range(how_many)], docker_client, project_name)


def test_ups_at_once_over_ssh_and_locally_take_turns(docker_client: Any, project_name: str,
                                                     tmp_path: Path) -> None:
    """Two machines deploying to one server: the lock lives on the engine, so ssh and local agree."""
    write(tmp_path, STACK)
    with running_sshd(tmp_path / "ssh") as endpoint:
        remote = [spawn(project_name, tmp_path, "-H", endpoint.host_url, "up", "-d", env=endpoint.env)
                  for _ in range(3)]
        local = [spawn(project_name, tmp_path, "up", "-d") for _ in range(2)]
        _race(remote + local, docker_client, project_name)


def test_ups_at_once_all_over_ssh_take_turns(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    """Five deploys from five laptops: each opens a handful of ssh sessions, so sshd's MaxStartups
    (ten pending handshakes) is not overrun; before connections were reused, most of them failed."""
    write(tmp_path, STACK)
    with running_sshd(tmp_path / "ssh") as endpoint:
        remote = [spawn(project_name, tmp_path, "-H", endpoint.host_url, "up", "-d", env=endpoint.env)
                  for _ in range(5)]
        _race(remote, docker_client, project_name)


def test_sigterm_mid_up_releases_the_lock_and_the_next_up_converges(docker_client: Any, project_name: str,
                                                                     tmp_path: Path) -> None:
    slow = """
services:
  a:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "sleep 5; mkdir -p /tmp; touch /tmp/ok; sleep 3600"]
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ok"], interval: 200ms, retries: 100}
  b:
    image: cl-busybox
    init: true
    command: ["sleep", "3600"]
    depends_on: {a: {condition: service_healthy}}
"""
    write(tmp_path, slow)
    victim = spawn(project_name, tmp_path, "up", "-d")
    a_running = {"name": f"{project_name}-a-1", "status": "running"}
    wait_until(lambda: bool(docker_client.containers.list(filters=a_running)), "a started, b waiting on it")
    victim.send_signal(signal.SIGTERM)
    _, err = victim.communicate(timeout=30)
    assert victim.returncode != 0, err
    assert docker_client.containers.list(all=True, filters={"name": f"{project_name}-cl-lock"}) == []
    again = cl(project_name, tmp_path, "up", "-d", "--wait")
    assert "waiting for" not in again.stderr
    running = docker_client.containers.list(filters={"label": f"{PROJECT_LABEL}={project_name}"})
    assert sorted(c.name for c in running) == [f"{project_name}-a-1", f"{project_name}-b-1"]
