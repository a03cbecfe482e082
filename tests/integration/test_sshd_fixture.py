"""The loopback sshd fixture reaches this machine's engine the way `cl -H ssh://…` will."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.integration.sshd import running_sshd


def test_docker_cli_reaches_engine_over_loopback_ssh(tmp_path: Path) -> None:
    with running_sshd(tmp_path / "ssh") as endpoint:
        out = subprocess.run(
            ["docker", "-H", endpoint.host_url, "version", "--format", "{{.Server.Version}}"],
            env=endpoint.env, capture_output=True, text=True, timeout=60,
        )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() != ""
