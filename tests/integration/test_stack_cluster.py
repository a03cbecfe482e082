"""`cl stack` on a three-node swarm (tests/integration/cluster.py): placement over nodes, images built
and pushed to the cluster's registry, a node drained mid-deploy, rollouts and rollback across
nodes, and `stack rm` leaving nothing on any node."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.cl_helpers import cl, spawned, wait_until
from tests.integration.cluster import Cluster, Node, swarm_cluster

pytestmark = pytest.mark.integration

SLEEPER = "trap 'exit 0' TERM; while true; do sleep 1; done"
# ready (healthy) two seconds after it starts: a deploy takes long enough to drain a node meanwhile
SLOW_START = "trap 'exit 0' TERM; sleep 2; touch /ready; while true; do sleep 1; done"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with swarm_cluster(tmp_path_factory.mktemp("cluster")) as made:
        for i, node in enumerate(made.nodes):
            made.manager.docker("node", "update", "--label-add", f"zone=z{i}", node.hostname)
        yield made


def tasks_by_node(manager: Node, service: str) -> Counter[str]:
    """Running tasks of ``service`` per node hostname."""
    lines = manager.out("service", "ps", service, "--filter", "desired-state=running",
                        "--format", "{{.Node}} {{.CurrentState}}").splitlines()
    return Counter(line.split()[0] for line in lines if " Running " in f" {line} ")


def placed_on(manager: Node, service: str) -> list[str]:
    """The nodes the service's tasks were given, whatever their state (none when it does not exist)."""
    done = manager.docker("service", "ps", service, "--format", "{{.Node}}", check=False)
    return done.stdout.decode().split() if done.returncode == 0 else []


def on_manager(cluster: Cluster) -> dict[str, str]:
    return {"DOCKER_HOST": cluster.manager.host}


def test_built_pushed_image_spreads_over_nodes_and_a_constraint_pins(cluster: Cluster,
                                                                     tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM cl-busybox\nCOPY version /version\n")
    (tmp_path / "app" / "version").write_text("1\n")
    (tmp_path / "compose.yaml").write_text(f"""
services:
  app:
    build: ./app
    image: {cluster.registry}/app:1
    command: ["sh", "-c", "{SLEEPER}"]
    deploy:
      replicas: 3
      placement: {{preferences: [{{spread: node.labels.zone}}]}}
  pinned:
    image: cl-busybox
    command: ["sh", "-c", "{SLEEPER}"]
    deploy: {{replicas: 2, placement: {{constraints: [node.hostname == n2]}}}}
""")
    done = cl(None, tmp_path, "stack", "deploy", "--build", "--push", "--wait", "shop",
              env=on_manager(cluster))
    assert "shop_app: converged" in done.stderr and "shop_pinned: converged" in done.stderr
    assert tasks_by_node(cluster.manager, "shop_app") == Counter({"n0": 1, "n1": 1, "n2": 1})
    assert tasks_by_node(cluster.manager, "shop_pinned") == Counter({"n2": 2})
    # the workers had no such image: they pulled it from the registry
    assert cluster.nodes[1].out("image", "ls", "-q", f"{cluster.registry}/app:1")
    cl(None, tmp_path, "stack", "rm", "shop", env=on_manager(cluster))
    assert_nothing_left(cluster, "shop")


def test_drain_mid_deploy_then_secret_rollout_then_rollback_then_rm(cluster: Cluster, tmp_path: Path) -> None:
    (tmp_path / "token.txt").write_text("one")
    (tmp_path / "compose.yaml").write_text(f"""
services:
  api:
    image: cl-busybox
    command: ["sh", "-c", "test -z \\"$$BREAK\\" || exit 3; {SLOW_START}"]
    environment: {{BREAK: "${{BREAK:-}}"}}
    secrets: [token]
    healthcheck: {{test: ["CMD", "test", "-f", "/ready"], interval: 1s, retries: 30}}
    deploy:
      replicas: 3
      update_config: {{order: start-first, parallelism: 3, monitor: 2s, failure_action: rollback}}
secrets:
  token: {{file: ./token.txt}}
""")
    env = on_manager(cluster)
    with spawned(None, tmp_path, "stack", "deploy", "--wait", "--wait-timeout", "120", "api",
                 env=env) as deploy:
        # drained once Swarm has given n1 a task, and before the deploy has converged
        wait_until(lambda: deploy.poll() is not None or "n1" in placed_on(cluster.manager, "api_api"),
                   "a task placed on n1", timeout=60)
        cluster.manager.docker("node", "update", "--availability", "drain", "n1")
        _, err = deploy.communicate(timeout=150)
    try:
        assert deploy.returncode == 0, err
        assert "api_api: converged" in err
        placed = tasks_by_node(cluster.manager, "api_api")
        assert sum(placed.values()) == 3 and "n1" not in placed
        history = cluster.manager.out("service", "ps", "api_api", "--format", "{{.Node}} {{.DesiredState}}")
        assert "n1 Shutdown" in history.splitlines()  # a task had been placed there, and was moved

        (tmp_path / "token.txt").write_text("two")
        planned = cl(None, tmp_path, "stack", "deploy", "--dry-run", "api", env=env).stdout
        assert planned.strip() == "update    api_api  (secrets changed)"
        rolled = cl(None, tmp_path, "stack", "deploy", "--wait", "api", env=env, timeout=180)
        assert "api_api: converged" in rolled.stderr
        assert read_secret_everywhere(cluster, "api_api") == {"two"}

        broken = cl(None, tmp_path, "stack", "deploy", "--wait", "api", env={**env, "BREAK": "1"},
                    check=False, timeout=180)
        assert broken.returncode != 0
        assert "api_api: failed: the update failed and was rolled back" in broken.stderr
        spec = json.loads(cluster.manager.out("service", "inspect", "api_api", "--format", "{{json .Spec}}"))
        assert "BREAK=" in spec["TaskTemplate"]["ContainerSpec"]["Env"]
    finally:
        cluster.manager.docker("node", "update", "--availability", "active", "n1")
    cl(None, tmp_path, "stack", "rm", "api", env=env)
    assert_nothing_left(cluster, "api")


def read_secret_everywhere(cluster: Cluster, service: str) -> set[str]:
    """The secret as each task of ``service`` meant to run reads it, on whichever node it runs (the
    tasks it replaced may still be stopping)."""
    wanted = cluster.manager.out("service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running",
                                 service).split()
    seen = set()
    for node in cluster.nodes:
        for task in wanted:
            label = f"label=com.docker.swarm.task.id={task}"
            for container in node.out("ps", "-q", "--filter", label).split():
                seen.add(node.out("exec", container, "cat", "/run/secrets/token"))
    return seen


def assert_nothing_left(cluster: Cluster, stack: str) -> None:
    label = f"label=com.docker.stack.namespace={stack}"

    def left() -> list[str]:
        found = [cluster.manager.out(kind, "ls", "-q", "--filter", label)
                 for kind in ("service", "secret", "config")]
        for node in cluster.nodes:
            found += [node.out("ps", "-aq", "--filter", label),
                      node.out("network", "ls", "-q", "--filter", label)]
        return [f for f in found if f]

    wait_until(lambda: not left(), lambda: f"{stack} gone from the cluster; left: {left()}", timeout=60)
