"""Shared test set-up: integration tests are marked by folder and always talk to an explicit engine;
the real-engine client is here so the contract suite's Docker half can use it too."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# CI runs the same examples every time (a failure there is reproducible, never a dice roll);
# locally hypothesis keeps exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The SDK would otherwise follow a Docker CLI context to some other engine.
os.environ.setdefault("DOCKER_HOST", "unix:///var/run/docker.sock")
# Caches compose-lite writes (the schema cache) go to a throwaway place, never the user's ~/.cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="cl-tests-cache-")

INTEGRATION_DIR = Path(__file__).parent / "integration"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if INTEGRATION_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def docker_client() -> Iterator[Any]:
    import docker

    host = os.environ["DOCKER_HOST"]
    try:
        client = docker.DockerClient(base_url=host, timeout=120)
        client.ping()
    except Exception as err:  # any failure to reach the engine fails every integration test
        pytest.fail(f"Docker Engine not reachable at {host} ({err}); run scripts/engine.sh first")
    yield client
    client.close()
