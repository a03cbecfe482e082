"""`cl run` in scripts: every stdin/stdout combination a script or CI job meets gives the output,
the exit code and the clean-up `docker compose run` gives (compared with it when installed)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.differential.reference import reference_command
from tests.integration.cl_helpers import cl_argv, write
from tests.integration.conftest import PROJECT_LABEL, remove_project_resources

COMPOSE = """
services:
  api:
    image: cl-busybox
"""

# (id, run arguments after the service, stdin: None = /dev/null, str = piped text, "file" = a file)
CASES = [
    (
        "devnull-late-output",
        ["--rm", "api", "sh", "-c", "sleep 0.05; echo printed; echo oops >&2; exit 3"],
        None,
    ),
    ("devnull-no-T", ["--rm", "-T", "api", "sh", "-c", "sleep 0.2; echo printed"], None),
    ("pipe-read-all", ["--rm", "-T", "api", "sh", "-c", "sleep 0.3; cat; echo after"], "x\ny\n"),
    ("pipe-not-read", ["--rm", "api", "sh", "-c", "echo ignored-input"], "unread\n"),
    (
        "pipe-early-eof",
        ["--rm", "-T", "api", "sh", "-c", "read line; echo got:$line; sleep 0.2; echo end"],
        "one",
    ),
    ("file", ["--rm", "-T", "api", "wc", "-l"], "file"),
    ("kept", ["api", "sh", "-c", "echo kept"], None),
]


def _run(argv: list[str], cwd: Path, stdin: str | None, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if stdin == "file":
        source = tmp_path / "input.txt"
        source.write_text("a\nb\nc\n")
        with open(source) as handle:
            return subprocess.run(argv, cwd=cwd, stdin=handle, capture_output=True, text=True, timeout=60)
    if stdin is None:
        return subprocess.run(
            argv, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60
        )
    return subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=60)


def _oneoffs(client: Any, project: str) -> int:
    flt = {"label": [f"{PROJECT_LABEL}={project}", "com.docker.compose.oneoff=True"]}
    return len(client.containers.list(all=True, filters=flt))


@pytest.mark.parametrize(("args", "stdin"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_run_streams_like_compose(
    docker_client: Any, project_name: str, tmp_path: Path, args: list[str], stdin: str | None
) -> None:
    write(tmp_path, COMPOSE)
    ours = _run(cl_argv(project_name, "run", *args, progress="quiet"), tmp_path, stdin, tmp_path)
    left = _oneoffs(docker_client, project_name)
    expected_left = 0 if "--rm" in args else 1
    assert left == expected_left, ours.stderr
    reference = reference_command()
    if reference is None:
        return
    theirs_project = f"{project_name}-ref"
    try:
        theirs = _run(
            [*reference, "-p", theirs_project, "--progress", "quiet", "run", *args], tmp_path, stdin, tmp_path
        )
        assert (ours.returncode, ours.stdout) == (theirs.returncode, theirs.stdout)
        assert ours.stderr.strip().splitlines()[-1:] == theirs.stderr.strip().splitlines()[-1:]
        assert _oneoffs(docker_client, theirs_project) == left
    finally:
        remove_project_resources(docker_client, theirs_project)


def test_sigterm_removes_the_rm_container(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    write(tmp_path, COMPOSE)
    proc = subprocess.Popen(
        cl_argv(project_name, "run", "--rm", "-T", "api", "sleep", "30"),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        for _ in range(100):  # until the container runs (bounded: 10 s)
            flt = {"label": f"{PROJECT_LABEL}={project_name}", "status": "running"}
            if docker_client.containers.list(filters=flt):
                break
            subprocess.run(["sleep", "0.1"], check=True)
        proc.terminate()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert _oneoffs(docker_client, project_name) == 0
