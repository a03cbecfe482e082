"""Fault drills on the real engine: the connection to a remote engine drops in the middle of `up`,
and an engine of the test's own is stopped or killed in the middle of `up` and of `down`. Each
command ends with a clear error (no hang, no traceback), and the next run converges, data kept."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cl_helpers import cl, containers, spawn, wait_until, write
from tests.integration.own_engine import OwnEngine, own_engine
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


def _drill_containers(engine: OwnEngine, project: str) -> dict[str, str]:
    listed = engine.docker("ps", "-a", "--filter", f"label=com.docker.compose.project={project}",
                           "--format", "{{.Names}} {{.State}}").stdout.decode().split("\n")
    return dict(line.split(" ", 1) for line in listed if line)


def _until_created(engine: OwnEngine, project: str) -> None:
    deadline = time.monotonic() + 30
    while not _drill_containers(engine, project) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _drill_containers(engine, project), "the command never reached the engine"


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["stopped", "killed"])
def test_engine_restarted_mid_up_and_mid_down_converges(project_name: str, tmp_path: Path, how: int) -> None:
    p = project_name
    write(tmp_path, STACK.replace("  db: *sleeper", "  db: {<<: *sleeper, volumes: [data:/data]}")
          + "volumes:\n  data: {}\n")
    with own_engine(Path(f"/tmp/cld-{p[-6:]}"), "cl-busybox:latest") as engine:
        env = {"DOCKER_HOST": engine.host}
        victim = spawn(p, tmp_path, "up", "-d", "--wait", env=env)
        _until_created(engine, p)
        engine.stop(how)
        out, err = victim.communicate(timeout=60)
        assert victim.returncode != 0 and "Traceback" not in err, out + err
        engine.start()
        again = cl(p, tmp_path, "up", "-d", "--wait", env=env, check=False, timeout=120)
        assert again.returncode == 0, again.stdout + again.stderr
        assert sorted(_drill_containers(engine, p).items()) == [
            (f"{p}-{s}-1", "running") for s in ("api", "cache", "db", "web")]
        engine.docker("exec", f"{p}-db-1", "sh", "-c", "echo precious > /data/f")

        victim = spawn(p, tmp_path, "down", "-t", "1", env=env)
        wait_until(lambda: set(_drill_containers(engine, p).values()) != {"running"}, "the down under way")
        engine.stop(how)
        victim.communicate(timeout=60)
        engine.start()
        done = cl(p, tmp_path, "down", "-t", "1", env=env, check=False, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert _drill_containers(engine, p) == {}
        mine = f"label=com.docker.compose.project={p}"
        assert engine.docker("network", "ls", "-q", "--filter", mine).stdout.strip() == b""
        assert engine.docker("volume", "ls", "-q", "--filter", mine).stdout.decode().split() == [f"{p}_data"]
        back = cl(p, tmp_path, "up", "-d", "--wait", env=env, check=False, timeout=120)
        assert back.returncode == 0, back.stdout + back.stderr
        assert engine.docker("exec", f"{p}-db-1", "cat", "/data/f").stdout == b"precious\n"
