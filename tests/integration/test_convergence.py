"""Orphans and scaling on the real engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, containers, write

SLEEP = '["sh", "-c", "trap \'exit 0\' TERM; sleep 3600 & wait"]'
TWO = f"""
services:
  keep:
    image: cl-busybox
    command: {SLEEP}
  gone:
    image: cl-busybox
    command: {SLEEP}
"""
ONE = f"""
services:
  keep:
    image: cl-busybox
    command: {SLEEP}
"""


def names(client: Any, project: str) -> dict[str, str]:
    return {name: c["Id"] for name, c in containers(client, project).items()}


def test_orphans_are_warned_about_then_removed(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    p = project_name
    write(tmp_path, TWO)
    cl(p, tmp_path, "up", "-d")
    keep_id = names(docker_client, p)[f"{p}-keep-1"]
    write(tmp_path, ONE)
    warned = cl(p, tmp_path, "up", "-d")
    assert f"warning: Found orphan containers ({p}-gone-1) for this project." in warned.stderr
    assert set(names(docker_client, p)) == {f"{p}-keep-1", f"{p}-gone-1"}
    cl(p, tmp_path, "up", "-d", "--remove-orphans")
    assert names(docker_client, p) == {f"{p}-keep-1": keep_id}


def test_scale_up_and_down_keeps_the_lowest_numbers(docker_client: Any, project_name: str,
                                                    tmp_path: Path) -> None:
    p = project_name
    write(tmp_path, ONE)
    cl(p, tmp_path, "up", "-d", "--scale", "keep=3")
    three = names(docker_client, p)
    assert set(three) == {f"{p}-keep-{n}" for n in (1, 2, 3)}
    cl(p, tmp_path, "up", "-d", "--scale", "keep=1")
    assert names(docker_client, p) == {f"{p}-keep-1": three[f"{p}-keep-1"]}


def test_a_recreate_keeps_anonymous_volumes_and_renew_anon_volumes_replaces_them(
        docker_client: Any, project_name: str, tmp_path: Path) -> None:
    write(tmp_path, f"""
services:
  db:
    image: cl-busybox
    command: {SLEEP}
    volumes: ["/anon"]
""")
    cl(project_name, tmp_path, "up", "-d")
    cl(project_name, tmp_path, "exec", "-T", "db", "sh", "-c", "echo kept > /anon/file")
    cl(project_name, tmp_path, "up", "-d", "--force-recreate")
    assert cl(project_name, tmp_path, "exec", "-T", "db", "cat", "/anon/file").stdout == "kept\n"
    renewed = cl(project_name, tmp_path, "up", "-d", "-V")
    assert "Recreate" in renewed.stderr, renewed.stderr
    gone = cl(project_name, tmp_path, "exec", "-T", "db", "cat", "/anon/file", check=False)
    assert gone.returncode == 1 and "No such file" in gone.stderr
