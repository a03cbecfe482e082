"""samples/single-server: deploy with --wait, restart policies at work, and the same deploy over ssh."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tests.integration.samples import cl, copy_sample, free_port, http, wait_for_json
from tests.integration.sshd import running_sshd


def _restarted(docker_client: Any, name: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info: dict[str, Any] = docker_client.api.inspect_container(name)
        if info["RestartCount"] >= 1 and info["State"]["Running"]:
            return info
        time.sleep(0.2)
    raise AssertionError(f"{name} was not restarted by its restart policy within {timeout}s")


def test_single_server_deploy_heals_itself(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    app = copy_sample("single-server", tmp_path)
    port = free_port()
    env = {"APP_PORT": str(port)}
    cl("-p", project_name, "up", "-d", "--wait", "--build", cwd=app, env=env)

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
        host = ["-H", endpoint.host_url, "-p", project_name]
        cl(*host, "up", "-d", "--wait", "--build", cwd=app, env=env)
        rows = [json.loads(line) for line in
                cl(*host, "ps", "--format", "json", cwd=app, env=env).stdout.splitlines()]
        services = sorted((r["Service"], r["State"]) for r in rows)
        assert services == [("app", "running"), ("heartbeat", "running")]
        assert json.loads(http("GET", f"http://127.0.0.1:{port}/")[1]) == {"visits": 1}
        cl(*host, "down", "-v", cwd=app, env=env)
        assert cl(*host, "ps", "-a", "-q", cwd=app, env=env).stdout.strip() == ""
