"""Orphans and scaling on the real engine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def cl(project: str, workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "compose_lite", "-p", project, "--progress", "plain", *args],
                          cwd=workdir, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def names(client: Any, project: str) -> dict[str, str]:
    found = client.api.containers(all=True, filters={"label": f"com.docker.compose.project={project}"})
    return {c["Names"][0].lstrip("/"): c["Id"] for c in found}


def test_orphans_are_warned_about_then_removed(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    p = project_name
    (tmp_path / "compose.yaml").write_text(TWO)
    cl(p, tmp_path, "up", "-d")
    keep_id = names(docker_client, p)[f"{p}-keep-1"]
    (tmp_path / "compose.yaml").write_text(ONE)
    warned = cl(p, tmp_path, "up", "-d")
    assert f"warning: Found orphan containers ({p}-gone-1) for this project." in warned.stderr
    assert set(names(docker_client, p)) == {f"{p}-keep-1", f"{p}-gone-1"}
    cl(p, tmp_path, "up", "-d", "--remove-orphans")
    assert names(docker_client, p) == {f"{p}-keep-1": keep_id}


def test_scale_up_and_down_keeps_the_lowest_numbers(docker_client: Any, project_name: str,
                                                    tmp_path: Path) -> None:
    p = project_name
    (tmp_path / "compose.yaml").write_text(ONE)
    cl(p, tmp_path, "up", "-d", "--scale", "keep=3")
    three = names(docker_client, p)
    assert set(three) == {f"{p}-keep-{n}" for n in (1, 2, 3)}
    cl(p, tmp_path, "up", "-d", "--scale", "keep=1")
    assert names(docker_client, p) == {f"{p}-keep-1": three[f"{p}-keep-1"]}
