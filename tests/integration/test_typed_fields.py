"""Typed fields fed by variables create the container the way Docker Compose does: the string
"no" in ``privileged: ${PRIV:-no}`` is the boolean false, never a truthy string."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.differential.reference import reference_command
from tests.integration.cl_helpers import cl, write
from tests.integration.conftest import remove_project_resources

COMPOSE = """
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    privileged: ${PRIV:-no}
    read_only: ${RO}
    init: "${INIT}"
    tty: ${TTY:-off}
    stdin_open: ${OPEN}
    pids_limit: ${PIDS:-64}
"""

CASES = [
    (
        {"RO": "false", "INIT": "false", "OPEN": "no"},
        {"Privileged": False, "ReadonlyRootfs": False, "Init": False, "Tty": False, "OpenStdin": False},
    ),
    (
        {"PRIV": "TRUE", "RO": "yes", "INIT": "true", "TTY": "on", "OPEN": "Y"},
        {"Privileged": True, "ReadonlyRootfs": True, "Init": True, "Tty": True, "OpenStdin": True},
    ),
]


@pytest.mark.parametrize(("env", "expected"), CASES, ids=["false-words", "true-words"])
def test_boolean_fields_from_variables(
    docker_client: Any, project_name: str, tmp_path: Path, env: dict[str, str], expected: dict[str, bool]
) -> None:
    write(tmp_path, COMPOSE)
    # created, not started: this sandbox's runtime may not grant a privileged container its caps
    cl(project_name, tmp_path, "create", env=env)
    assert _typed_fields(docker_client, f"{project_name}-app-1") == {**expected, "PidsLimit": 64}
    reference = reference_command()
    if reference is not None:  # and Docker Compose itself creates the same container
        theirs = f"{project_name}-ref"
        try:
            subprocess.run(
                [*reference, "-p", theirs, "create"],
                cwd=tmp_path,
                env={**os.environ, **env},
                check=True,
                capture_output=True,
                timeout=120,
            )
            assert _typed_fields(docker_client, f"{theirs}-app-1") == {**expected, "PidsLimit": 64}
        finally:
            remove_project_resources(docker_client, theirs)


def _typed_fields(client: Any, container: str) -> dict[str, Any]:
    attrs = client.containers.get(container).attrs
    host, config = attrs["HostConfig"], attrs["Config"]
    return {
        "Privileged": host["Privileged"],
        "ReadonlyRootfs": host["ReadonlyRootfs"],
        "Init": bool(host.get("Init")),
        "Tty": config["Tty"],
        "OpenStdin": config["OpenStdin"],
        "PidsLimit": host["PidsLimit"],
    }


def test_a_value_that_is_no_boolean_fails_before_anything_is_created(
    docker_client: Any, project_name: str, tmp_path: Path
) -> None:
    write(tmp_path, COMPOSE)
    env = {"PRIV": "yes please", "RO": "0", "INIT": "x", "OPEN": ""}
    done = cl(project_name, tmp_path, "up", "-d", env=env, check=False)
    assert done.returncode == 1
    reason = "services.app.privileged: failed to cast to expected type: invalid boolean: yes please"
    assert reason in done.stderr
    assert "hint: this field is a boolean: true or false" in done.stderr
    flt = {"label": f"com.docker.compose.project={project_name}"}
    assert docker_client.containers.list(all=True, filters=flt) == []
    assert docker_client.networks.list(filters=flt) == []
