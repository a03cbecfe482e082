"""The project lock on the real engine: two `cl up` at once leave one network and one set of
containers (without the lock both failed and left duplicate networks), the second one saying
whom it waited for; and the lock leaves nothing behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import spawn, write
from tests.integration.conftest import PROJECT_LABEL

STACK = """
services:
  a:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  b:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on: [a]
"""


def test_two_ups_at_once_take_turns(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    write(tmp_path, STACK)
    first = spawn(project_name, tmp_path, "up", "-d")
    second = spawn(project_name, tmp_path, "up", "-d")
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    # the later one waited for the first, or came after it and found nothing to do
    assert all(
        "waiting for `cl up`" in err or "Nothing to do" in err or "Created" in err for _, err in outputs
    )
    networks = docker_client.networks.list(names=[f"{project_name}_default"])
    assert len(networks) == 1
    running = docker_client.containers.list(filters={"label": f"{PROJECT_LABEL}={project_name}"})
    assert sorted(c.name for c in running) == [f"{project_name}-a-1", f"{project_name}-b-1"]
    assert docker_client.containers.list(all=True, filters={"name": f"{project_name}-cl-lock"}) == []
