"""Real-engine fixtures: one unique project per test, everything it made removed by label afterwards.

The engine is never optional here: if it cannot be reached the tests fail (run scripts/engine.sh),
so CI can never turn green by skipping them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

PROJECT_LABEL = "com.docker.compose.project"
BUSYBOX = "cl-busybox:latest"
PYTHON = "cl-python:latest"


@pytest.fixture
def project_name(request: pytest.FixtureRequest, docker_client: Any) -> Iterator[str]:
    """A project name no other test uses; its resources are removed at teardown, pass or fail."""
    name = unique_name(request, "clt")
    yield name
    remove_project_resources(docker_client, name)


def unique_name(request: pytest.FixtureRequest, prefix: str) -> str:
    """``<prefix>-<the test's name, cut>-<6 random hex>``: no other test, nor a re-run, uses it."""
    slug = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:24]
    return f"{prefix}-{slug}-{uuid.uuid4().hex[:6]}"


def remove_project_resources(client: Any, project: str) -> None:
    flt = {"label": f"{PROJECT_LABEL}={project}"}
    for container in client.containers.list(all=True, filters=flt):
        container.remove(force=True, v=True)
    # the project lock (compose_lite.lock), left behind by a cl a test killed mid-command
    for container in client.containers.list(all=True, filters={"name": f"^{project}-cl-lock$"}):
        container.remove(force=True)
    for network in client.networks.list(filters=flt):
        network.remove()
    for volume in client.volumes.list(filters=flt):
        volume.remove(force=True)
    for image in client.images.list(filters=flt):
        client.images.remove(image.id, force=True)
