"""Running `cl` as a subprocess in a temp project directory (shared by the command tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

CL = [sys.executable, "-m", "compose_lite"]


def cl(project: str, workdir: Path, *args: str, check: bool = True, timeout: float = 60,
       input: str | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*CL, "-p", project, "--progress", "plain", *args], cwd=workdir,
                          env=dict(os.environ), capture_output=True, text=True, timeout=timeout,
                          input=input if input is not None else "", check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"cl {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def spawn(project: str, workdir: Path, *args: str) -> subprocess.Popen[str]:
    """`cl` in its own process group (so a test can signal the group as a terminal would)."""
    return subprocess.Popen([*CL, "-p", project, "--progress", "plain", *args], cwd=workdir,
                            env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "compose.yaml").write_text(text)
    return tmp_path


def containers(client: Any, project: str) -> dict[str, Any]:
    found = client.api.containers(all=True, filters={"label": f"com.docker.compose.project={project}"})
    return {c["Names"][0].lstrip("/"): c for c in found}
