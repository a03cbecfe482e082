"""`cl stack` on a real one-node swarm: the test engine is made a manager for this module and leaves
the swarm after it (unless it was one already).

This machine's kernel has no IPVS, so Swarm's routing mesh and virtual IPs do not work here: the
services publish their ports in host mode, which needs neither.
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compose_lite.clock import unix_time
from tests.integration.cl_helpers import cl, free_port, wait_until
from tests.integration.conftest import unique_name

pytestmark = pytest.mark.integration

NAMESPACE = "com.docker.stack.namespace"
SERVER = ("trap 'exit 0' TERM; while true; do printf 'HTTP/1.0 200 OK\\r\\n\\r\\n%s\\n' \"$$GREETING\" "
          "| nc -l -p 80; done")
SLEEPER = "trap 'exit 0' TERM; while true; do sleep 1; done"


@pytest.fixture(scope="module")
def swarm(docker_client: Any) -> Iterator[Any]:
    joined = docker_client.info()["Swarm"]["LocalNodeState"] == "inactive"
    if joined:
        docker_client.swarm.init(advertise_addr="127.0.0.1")
    yield docker_client
    if joined:
        docker_client.swarm.leave(force=True)


@pytest.fixture
def stack(swarm: Any, request: pytest.FixtureRequest) -> Iterator[str]:
    """A stack name no other test uses; whatever carries its label is removed afterwards."""
    name = unique_name(request, "cls")
    yield name
    remove_stack(swarm, name)


def remove_stack(client: Any, name: str) -> None:
    label = {"label": f"{NAMESPACE}={name}"}
    for service in client.api.services(filters=label):
        client.api.remove_service(service["ID"])
    wait_until(lambda: not client.api.containers(all=True, filters=label), f"{name}'s containers gone",
               timeout=60)
    for secret in client.api.secrets(filters=label):
        client.api.remove_secret(secret["ID"])
    for config in client.api.configs(filters=label):
        client.api.remove_config(config["ID"])
    for network in client.api.networks(filters=label):
        client.api.remove_network(network["Id"])


def leftovers(client: Any, name: str) -> list[str]:
    label = {"label": f"{NAMESPACE}={name}"}
    api = client.api
    return ([s["Spec"]["Name"] for s in api.services(filters=label)]
            + [c["Names"][0] for c in api.containers(all=True, filters=label)]
            + [n["Name"] for n in api.networks(filters=label)]
            + [s["Spec"]["Name"] for s in api.secrets(filters=label) + api.configs(filters=label)])


def get(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
        return str(reply.read().decode().strip())


def service(client: Any, name: str) -> dict[str, Any]:
    [found] = client.api.services(filters={"name": name})
    return dict(found)


def running_tasks(client: Any, name: str) -> list[dict[str, Any]]:
    return [t for t in client.api.tasks(filters={"service": name, "desired-state": "running"})
            if t["Status"]["State"] == "running"]


def test_deploy_with_dotenv_and_replicas_redeploy_one_change_list_and_remove(
        swarm: Any, stack: str, tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / ".env").write_text("GREETING=hello from .env\n")
    (tmp_path / "compose.yaml").write_text(f"""
services:
  web:
    image: cl-busybox
    command: ["sh", "-c", {json.dumps(SERVER)}]
    environment: {{GREETING: "${{GREETING}}"}}
    ports: [{{target: 80, published: {port}, mode: host}}]
    stop_grace_period: 1s  # nc holds the shell until it returns
  worker:
    image: cl-busybox
    command: ["sh", "-c", "{SLEEPER}"]
    deploy: {{replicas: 2}}
""")
    done = cl(None, tmp_path, "stack", "deploy", "--wait", "--wait-timeout", "120", stack)
    assert f"{stack}_web: converged" in done.stderr and f"{stack}_worker: converged" in done.stderr
    assert get(port) == "hello from .env"

    docker_ps = subprocess.run(["docker", "stack", "ps", stack, "--format", "{{.Name}} {{.CurrentState}}"],
                               capture_output=True, text=True, check=True).stdout
    assert sorted(line.split()[0] for line in docker_ps.splitlines()) == [
        f"{stack}_web.1", f"{stack}_worker.1", f"{stack}_worker.2"]
    assert all(" Running " in line for line in docker_ps.splitlines())

    assert re.search(rf"^{stack}\s+2$", cl(None, tmp_path, "stack", "ls").stdout, re.M)
    services = cl(None, tmp_path, "stack", "services", stack).stdout
    assert re.search(rf"\s{stack}_worker\s+replicated\s+2/2\s+cl-busybox", services)
    ps = cl(None, tmp_path, "stack", "ps", stack).stdout
    assert len(re.findall(rf"{stack}_worker\.\d\s+cl-busybox\s+\S+\s+Running\s+Running", ps)) == 2

    worker_version = service(swarm, f"{stack}_worker")["Version"]["Index"]
    planned = cl(None, tmp_path, "stack", "deploy", "--dry-run", stack, env={"GREETING": "changed"}).stdout
    assert planned.splitlines() == [f"update    {stack}_web  (environment changed)",
                                    f"unchanged {stack}_worker"]
    redeployed = cl(None, tmp_path, "stack", "deploy", "--wait", stack, env={"GREETING": "changed"})
    assert f"Service {stack}_worker  Unchanged" in redeployed.stderr
    assert f"Service {stack}_web  Updating (environment changed)" in redeployed.stderr
    assert service(swarm, f"{stack}_worker")["Version"]["Index"] == worker_version
    assert get(port) == "changed"

    cl(None, tmp_path, "stack", "rm", stack)
    wait_until(lambda: not leftovers(swarm, stack), f"nothing of {stack} left", timeout=60)
    missing = cl(None, tmp_path, "stack", "deploy", "-c", "nope.yaml", stack, check=False)
    assert missing.returncode != 0 and "nope.yaml" in missing.stderr
    invalid = cl(None, tmp_path, "stack", "deploy", "Shop", check=False)
    assert invalid.returncode != 0 and "invalid project name 'Shop' (from the stack name" in invalid.stderr
    assert not leftovers(swarm, stack)


def test_a_changed_secret_rolls_out_start_first_after_the_healthcheck(
        swarm: Any, stack: str, tmp_path: Path) -> None:
    (tmp_path / "token.txt").write_text("one")
    (tmp_path / "compose.yaml").write_text(f"""
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "{SLEEPER}"]
    secrets: [token]
    healthcheck: {{test: ["CMD", "test", "-s", "/run/secrets/token"], interval: 1s, retries: 5}}
    deploy: {{update_config: {{order: start-first, monitor: 1s}}}}
secrets:
  token: {{file: ./token.txt}}
""")
    cl(None, tmp_path, "stack", "deploy", "--wait", stack)
    [old] = running_tasks(swarm, f"{stack}_app")
    (tmp_path / "token.txt").write_text("two")
    done = cl(None, tmp_path, "stack", "deploy", "--wait", stack)
    assert f"{stack}_app: converged" in done.stderr

    [new] = running_tasks(swarm, f"{stack}_app")
    container = new["Status"]["ContainerStatus"]["ContainerID"]
    assert swarm.containers.get(container).exec_run(["cat", "/run/secrets/token"]).output == b"two"
    [shut] = [t for t in swarm.api.tasks(filters={"service": f"{stack}_app"}) if t["ID"] == old["ID"]]
    started, stopped = unix_time(new["Status"]["Timestamp"]), unix_time(shut["Status"]["Timestamp"])
    assert started is not None and stopped is not None and started <= stopped  # start-first
    assert [s["Spec"]["Name"] for s in swarm.api.secrets(filters={"label": f"{NAMESPACE}={stack}"})] == [
        new["Spec"]["ContainerSpec"]["Secrets"][0]["SecretName"]]  # the old version was removed


def test_a_failing_update_is_rolled_back_and_wait_says_so(swarm: Any, stack: str, tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(f"""
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "test -z \\"$$BREAK\\" || exit 3; {SLEEPER}"]
    environment: {{BREAK: "${{BREAK:-}}"}}
    deploy: {{update_config: {{failure_action: rollback, monitor: 2s}}}}
""")
    cl(None, tmp_path, "stack", "deploy", "--wait", stack)
    failed = cl(None, tmp_path, "stack", "deploy", "--wait", "--wait-timeout", "120", stack,
                env={"BREAK": "1"}, check=False)
    assert failed.returncode != 0
    assert f"{stack}_app: failed: the update failed and was rolled back" in failed.stderr
    assert re.search(rf"{stack}_app\.1 on \S+: task: non-zero exit \(3\)", failed.stderr)
    # the rollback's task may still be starting when Swarm reports the rollback completed
    wait_until(lambda: len(running_tasks(swarm, f"{stack}_app")) == 1, "the rolled-back task running")
    [task] = running_tasks(swarm, f"{stack}_app")
    assert "BREAK=" in task["Spec"]["ContainerSpec"]["Env"]  # the previous spec again


def test_what_docker_stack_deployed_cl_lists_updates_and_removes(swarm: Any, stack: str,
                                                                  tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(f"""
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "{SLEEPER}"]
""")
    subprocess.run(["docker", "stack", "deploy", "-c", "compose.yaml", stack], cwd=tmp_path, check=True,
                   capture_output=True)
    listed = cl(None, tmp_path, "stack", "services", stack).stdout
    assert re.search(rf"\s{stack}_app\s+replicated\s+\d/1\s", listed)
    planned = cl(None, tmp_path, "stack", "deploy", "--dry-run", stack).stdout
    assert planned.strip() == f"update    {stack}_app  (deployed by another tool)"
    # docker's spelling of --wait
    quiet = cl(None, tmp_path, "stack", "deploy", "--detach=false", "-q", stack)
    assert quiet.stderr == "" and len(running_tasks(swarm, f"{stack}_app")) == 1
    again = cl(None, tmp_path, "stack", "deploy", "--dry-run", stack).stdout
    assert again.strip() == f"unchanged {stack}_app"
    cl(None, tmp_path, "stack", "rm", stack)
    assert swarm.api.services(filters={"label": f"{NAMESPACE}={stack}"}) == []
    wait_until(lambda: not leftovers(swarm, stack), f"nothing of {stack} left", timeout=60)
