"""One world per engine: the same contract tests run against the fake and the Docker adapter.

The Docker half is an integration test (it needs the real engine, and fails when it is missing, as
every integration test does); the fake half runs with the unit tests.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from compose_lite import labels as L
from compose_lite.engine.base import Engine
from compose_lite.model import Healthcheck, Mount, Service
from compose_lite.state import ContainerSpec

BUSYBOX = "cl-busybox:latest"
# PID 1 that ends at once on SIGTERM (busybox's sh ignores it otherwise), and idles otherwise.
IDLE = ("sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait")


@dataclass
class World:
    """An engine, a project no other test uses, and specs built the way the planner builds them."""

    engine: Engine
    project: str

    def spec(self, service: str = "app", number: int = 1, *, command: tuple[str, ...] = IDLE,
             healthcheck: Healthcheck | None = None, mounts: tuple[Mount, ...] = (),
             oneoff: bool = False) -> ContainerSpec:
        svc = Service(service, image=BUSYBOX, command=command, healthcheck=healthcheck, mounts=mounts)
        labels = {L.PROJECT: self.project, L.SERVICE: service, L.NUMBER: str(number),
                  L.ONEOFF: str(oneoff)}
        return ContainerSpec(L.container_name(self.project, service, number), svc, number, BUSYBOX, labels,
                             mounts=mounts)


def _project(request: pytest.FixtureRequest) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:20]
    return f"clc-{slug}-{uuid.uuid4().hex[:6]}"


@pytest.fixture(params=["fake", pytest.param("docker", marks=pytest.mark.integration)])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    project = _project(request)
    if request.param == "fake":
        from compose_lite.engine.fake import FakeEngine

        yield World(FakeEngine(images={BUSYBOX: "sha256:" + "b" * 64}), project)
        return
    client = request.getfixturevalue("docker_client")
    from compose_lite.engine.docker_engine import DockerEngine
    from tests.integration.conftest import remove_project_resources

    try:
        yield World(DockerEngine(host=os.environ["DOCKER_HOST"]), project)
    finally:
        remove_project_resources(client, project)

