"""docs/deploy.md, run as written: every `$` command of its console blocks, in order, in one shell,
against a loopback sshd standing in for `my-server`. A command that fails fails the test, so the
page cannot drift from what `cl` does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.integration.cl_helpers import free_port
from tests.integration.samples import copy_sample
from tests.integration.sshd import running_sshd

DOC = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def doc_commands() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(), flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_the_deploy_page_has_commands_for_every_step() -> None:
    commands = "\n".join(doc_commands())
    steps = ("DOCKER_HOST=ssh://", "cl up -d --wait", "--dry-run", "APP_VERSION=broken", "tar czf",
             "tar xzf", "cl down")
    for step in steps:
        assert step in commands


def test_every_command_of_the_deploy_page_runs(tmp_path: Path, project_name: str) -> None:
    copy_sample("single-server", tmp_path / "samples")
    with running_sshd(tmp_path / "ssh") as endpoint:
        script = "\n".join(["set -euo pipefail", *doc_commands()])
        script = script.replace("ssh://deploy@my-server", endpoint.host_url)
        env = {**endpoint.env, "COMPOSE_PROJECT_NAME": project_name, "APP_PORT": str(free_port()),
               "PATH": f"{Path(sys.executable).parent}:{endpoint.env['PATH']}"}
        env.pop("DOCKER_HOST", None)
        done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=600)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert "kept the previous version" in done.stdout
    assert "rollout of service app failed" in done.stderr
    assert '"version": "1"' in done.stdout  # the app answered through the proxy
    assert "./heartbeat.log" in done.stdout  # the backup holds the volume's files
    assert os.path.exists(tmp_path / "samples" / "single-server" / "appdata-backup.tgz")
