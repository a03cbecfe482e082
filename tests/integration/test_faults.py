"""Fault drills on the real engine: the connection to a remote engine drops in the middle of `up`;
the command ends with a clear error (no hang, no traceback) and the next run converges."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, containers, spawn, write
from tests.integration.sshd import running_sshd

STACK = """
x-sleeper: &sleeper
  image: cl-busybox
  command: ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /tmp; sleep 1; touch /tmp/ready; sleep 3600 & wait"]
  healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 200ms, retries: 50}
services:
  db: *sleeper
  cache: *sleeper
  api: {<<: *sleeper, depends_on: {db: {condition: service_healthy}, cache: {condition: service_healthy}}}
  web: {<<: *sleeper, depends_on: {api: {condition: service_healthy}}}
"""


def test_ssh_dropped_mid_up_fails_clearly_and_the_next_up_converges(docker_client: Any, project_name: str,
                                                                    tmp_path: Path) -> None:
    p = project_name
    write(tmp_path, STACK)
    with running_sshd(tmp_path / "ssh") as endpoint:
        remote = ("-H", endpoint.host_url)
        victim = spawn(p, tmp_path, *remote, "up", "-d", "--wait", env=endpoint.env)
        deadline = time.monotonic() + 30
        while not containers(docker_client, p) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert containers(docker_client, p), "the up never reached the engine"
        # Every connection is served by a child of the listening sshd: end them, as a lost link would.
        subprocess.run(["pkill", "-KILL", "-P", str(endpoint.sshd_pid)], check=False)
        out, err = victim.communicate(timeout=60)
        assert victim.returncode != 0, out + err
        assert "Traceback" not in err and "cannot reach the Docker Engine" in err, err
        assert "check the ssh link" in err and "running the command again goes on" in err, err
        again = cl(p, tmp_path, *remote, "up", "-d", "--wait", env=endpoint.env, check=False, timeout=120)
        assert again.returncode == 0, again.stdout + again.stderr
    now = containers(docker_client, p)
    assert sorted(n.removeprefix(f"{p}-") for n in now) == ["api-1", "cache-1", "db-1", "web-1"]
    assert all(c["State"] == "running" for c in now.values())
    assert len(docker_client.networks.list(names=[f"{p}_default"])) == 1
    assert docker_client.containers.list(all=True, filters={"name": f"{p}-cl-lock"}) == []
