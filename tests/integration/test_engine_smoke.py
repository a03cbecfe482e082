"""The test engine and its locally built images work, and the cleanup fixture removes by label."""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import BUSYBOX, PROJECT_LABEL, PYTHON, remove_project_resources


def test_busybox_container_runs_and_is_removed_by_label(docker_client: Any, project_name: str) -> None:
    labels = {PROJECT_LABEL: project_name}
    by_label = {"label": f"{PROJECT_LABEL}={project_name}"}
    out = docker_client.containers.run(BUSYBOX, ["echo", "hello from busybox"], labels=labels)
    assert out == b"hello from busybox\n"
    assert len(docker_client.containers.list(all=True, filters=by_label)) == 1

    remove_project_resources(docker_client, project_name)
    assert docker_client.containers.list(all=True, filters=by_label) == []


def test_python_image_runs_python(docker_client: Any, project_name: str) -> None:
    out = docker_client.containers.run(
        PYTHON, ["python3", "-c", "print(6 * 7)"], labels={PROJECT_LABEL: project_name}, remove=True
    )
    assert out == b"42\n"
