"""samples/single-server: deploy with --wait, restart policies at work, the same deploy over ssh, and
redeploys under load through its proxy without a failed request."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import CL, cl, free_port, http, wait_for_json, wait_until
from tests.integration.samples import copy_sample
from tests.integration.sshd import running_sshd


def _restarted(docker_client: Any, name: str, timeout: float = 20) -> None:
    def restarted() -> bool:
        info = docker_client.api.inspect_container(name)
        return bool(info["RestartCount"] >= 1 and info["State"]["Running"])

    wait_until(restarted, f"{name} restarted by its restart policy", timeout, interval=0.2)


def test_single_server_deploy_heals_itself(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    app = copy_sample("single-server", tmp_path)
    port = free_port()
    env = {"APP_PORT": str(port)}
    cl(project_name, app, "up", "-d", "--wait", "--build", env=env, timeout=180, progress=None)

    assert json.loads(http("GET", f"http://127.0.0.1:{port}/")[1]) == {"visits": 1}
    assert http("GET", f"http://127.0.0.1:{port}/admin")[0] == 401
    token = (app / "secrets" / "api_token.txt").read_text().strip()
    status, _ = http("GET", f"http://127.0.0.1:{port}/admin", headers={"Authorization": f"Bearer {token}"})
    assert status == 200  # the secret file was mounted at /run/secrets/api_token
    name = f"{project_name}-app-1"
    limits = docker_client.api.inspect_container(name)["HostConfig"]
    assert (limits["Memory"], limits["NanoCpus"]) == (128 * 1024 * 1024, 500_000_000)

    # The server exits on SIGTERM; `restart: unless-stopped` must bring it back by itself.
    docker_client.api.exec_start(docker_client.api.exec_create(
        name, ["python3", "-c", "import os, signal; os.kill(1, signal.SIGTERM)"]))
    _restarted(docker_client, name)
    visits = wait_for_json(f"http://127.0.0.1:{port}/", lambda answer: True)
    assert visits == {"visits": 2}  # the count lives on the named volume


def test_single_server_deploy_through_ssh(tmp_path: Path, project_name: str) -> None:
    app = copy_sample("single-server", tmp_path)
    port = free_port()
    with running_sshd(tmp_path / "ssh") as endpoint:
        env = {**endpoint.env, "APP_PORT": str(port)}
        host = ("-H", endpoint.host_url)
        cl(project_name, app, *host, "up", "-d", "--wait", "--build", env=env, timeout=180, progress=None)
        rows = [json.loads(line) for line in
                cl(project_name, app, *host, "ps", "--format", "json", env=env, timeout=180,
                   progress=None).stdout.splitlines()]
        services = sorted((r["Service"], r["State"]) for r in rows)
        assert services == [("app", "running"), ("heartbeat", "running"), ("proxy", "running")]
        assert json.loads(http("GET", f"http://127.0.0.1:{port}/")[1]) == {"visits": 1}
        cl(project_name, app, *host, "down", "-v", env=env, timeout=180, progress=None)
        assert cl(project_name, app, *host, "ps", "-a", "-q", env=env, timeout=180,
                  progress=None).stdout.strip() == ""


def test_the_sample_redeploys_under_load_without_a_failed_request(tmp_path: Path, project_name: str) -> None:
    """The sample's own script: five redeploys at 20 requests a second through the proxy."""
    app = copy_sample("single-server", tmp_path)
    done = subprocess.run(
        [sys.executable, str(app / "redeploy_under_load.py"), "--orch", " ".join(CL),
         "--port", str(free_port()), "--project", project_name],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert re.search(r": 5 redeploys, \d+ requests, 0 failed$", done.stdout.strip()), done.stdout
