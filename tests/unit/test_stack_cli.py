"""`cl stack deploy` as a command, on the fake swarm: what it prints and what it leaves alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from compose_lite.cli import cli, stack_cmd
from tests.unit.fake_swarm import FakeSwarm


def test_a_dry_run_prints_the_plan_and_builds_pushes_and_creates_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    build: .\n    image: reg/web:1\n"
                                           "    depends_on: [db]\n  db: {image: pg}\n")
    swarm = FakeSwarm()
    built: list[Any] = []
    monkeypatch.setattr(stack_cmd, "_swarm", lambda opts: swarm)
    monkeypatch.setattr(stack_cmd, "_build_and_push", lambda *args: built.append(args))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["stack", "deploy", "--build", "--push", "--dry-run", "shop"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["create    shop_db  (not deployed)",
                                          "create    shop_web  (not deployed)"]
    assert "services.web.depends_on (Swarm starts services in no order" in result.stderr
    assert built == [] and swarm.calls == []
