"""`cl volumes`, `cl scale`, `cl export`, `cl commit` on the real engine."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, write

STACK = """
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; echo hi > /marker; sleep 3600 & wait"]
    volumes: [data:/data]
  other:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
volumes:
  data: {}
"""


def test_volumes_scale_export_commit(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    p = project_name
    write(tmp_path, STACK)
    cl(p, tmp_path, "up", "-d")
    assert cl(p, tmp_path, "volumes", "-q", "app", progress="quiet").stdout == f"{p}_data\n"
    assert cl(p, tmp_path, "volumes", "-q", "other", progress="quiet").stdout == ""
    table = cl(p, tmp_path, "volumes", progress="quiet").stdout.splitlines()
    assert table[0].split() == ["DRIVER", "VOLUME", "NAME"] and table[1].split() == ["local", f"{p}_data"]
    record = json.loads(cl(p, tmp_path, "volumes", "--format", "json", progress="quiet").stdout)
    assert list(record) == ["Availability", "Driver", "Group", "Labels", "Links", "Mountpoint", "Name",
                            "Scope", "Size", "Status"]  # the docker CLI's fields, as Compose prints them
    assert (record["Mountpoint"], record["Scope"]) == (f"/var/lib/docker/volumes/{p}_data/_data", "local")
    cl(p, tmp_path, "scale", "other=3")
    names = cl(p, tmp_path, "ps", "--format", "{{.Name}}", progress="quiet").stdout.split()
    assert names == [f"{p}-app-1", f"{p}-other-1", f"{p}-other-2", f"{p}-other-3"]
    archive = tmp_path / "app.tar"
    cl(p, tmp_path, "export", "app", "-o", str(archive), progress="quiet")
    with tarfile.open(archive) as tar:
        marker = tar.extractfile("marker")
        assert marker is not None and marker.read() == b"hi\n"
    committed = cl(p, tmp_path, "commit", "app", f"{p}-snap:1", "-m", "snapshot")
    image = docker_client.images.get(f"{p}-snap:1")
    try:
        assert committed.stdout == ""  # as Compose: the progress says it, on stderr
        assert f" {p}-app-1 Commit {p}-app-1  Committed as {image.id}" in committed.stderr, committed.stderr
        assert image.attrs["Comment"] == "snapshot"
    finally:
        docker_client.images.remove(image.id, force=True)


def test_attach_follows_the_running_container_and_returns_its_exit_code(
    project_name: str, tmp_path: Path
) -> None:
    write(
        tmp_path,
        "services:\n  job:\n    image: cl-busybox\n"
        '    command: ["sh", "-c", "sleep 1.5; echo done; exit 3"]\n',
    )
    cl(project_name, tmp_path, "up", "-d")
    attached = cl(project_name, tmp_path, "attach", "--no-stdin", "job", progress="quiet", check=False)
    assert (attached.returncode, attached.stdout) == (3, "done\n")


def test_global_dry_run_shows_the_plan_and_changes_nothing(
    docker_client: Any, project_name: str, tmp_path: Path
) -> None:
    write(tmp_path, STACK)
    cl(project_name, tmp_path, "up", "-d")
    planned = cl(project_name, tmp_path, "--dry-run", "down", "-v", progress="quiet").stdout.splitlines()
    assert f"remove {project_name}-app-1" in planned and f"remove volume {project_name}_data" in planned
    names = cl(project_name, tmp_path, "ps", "--format", "{{.Name}}", progress="quiet").stdout.split()
    assert names == [f"{project_name}-app-1", f"{project_name}-other-1"]
    refused = cl(project_name, tmp_path, "--dry-run", "stop", check=False)
    assert refused.returncode == 2 and "--dry-run is supported by" in refused.stderr


def test_image_digests_need_an_image_that_went_through_a_registry(project_name: str, tmp_path: Path) -> None:
    write(tmp_path, STACK)
    pinned = cl(project_name, tmp_path, "config", "--resolve-image-digests", check=False, progress="quiet")
    assert pinned.returncode != 0
    assert "no digest for cl-busybox (service app): it was never pulled from or pushed" in pinned.stderr
