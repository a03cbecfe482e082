"""The CLI shell: fast help, version, the error boundary."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from compose_lite import __version__
from compose_lite.cli import cli, render_error
from compose_lite.errors import ConfigError, ConfigErrors, Position
from tests.unit.cl_process import run_cl

HEAVY = frozenset({"docker", "jsonschema", "watchdog", "rich", "yaml"})


def test_help_imports_no_heavy_library() -> None:
    run = run_cl(["--help"])
    assert "Usage: cl" in run.stdout
    assert sorted(HEAVY & run.modules) == []


def test_the_cl_process_collects_young_garbage_less_often_than_python_does() -> None:
    # Start-up allocates long-lived objects only; young collections would be wasted work.
    assert run_cl(["version"]).gc_threshold[0] > 700 * 10


def test_version_command_and_flag() -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["version"]).output == f"compose-lite version {__version__}\n"
    assert runner.invoke(cli, ["version", "--short"]).output == f"{__version__}\n"
    assert json.loads(runner.invoke(cli, ["version", "--format", "json"]).output) == {"version": __version__}
    assert runner.invoke(cli, ["--version"]).output == f"compose-lite version {__version__}\n"


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.output


def test_dry_run_may_follow_the_command_as_in_compose(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: x\n")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["-p", "p", "config", "--services", "--dry-run"]).output == "web\n"
    refused = runner.invoke(cli, ["-p", "p", "stop", "--dry-run"])
    assert refused.exit_code == 2 and "--dry-run is supported by config, create, down" in refused.output
    assert "not by stop" in runner.invoke(cli, ["--dry-run", "stop"]).output


def test_render_error_prints_location_and_hint(capsys: object) -> None:
    err = ConfigError(
        "additional property 'enviroment' is not allowed",
        position=Position("compose.yaml", 4, 5),
        path="services.web",
        hint="did you mean 'environment'?",
    )
    runner = CliRunner()

    @click.command()
    def boom() -> None:
        raise ConfigErrors([err, ConfigError("second problem", path="services.db")])

    cli.add_command(boom)
    try:
        result = runner.invoke(cli, ["boom"])
    finally:
        cli.commands.pop("boom")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: compose.yaml:4:5: services.web: additional property 'enviroment' is not allowed\n"
        "hint: did you mean 'environment'?\n"
        "error: services.db: second problem\n"
    )
    assert "Traceback" not in result.output
    assert render_error(ConfigError("x")) == 1



def test_error_positions_under_the_working_directory_are_shown_relative(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: x\n    enviroment: {}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["config", "-q"], env={"HOME": str(tmp_path)})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "error: compose.yaml:4:5: services.web: additional property 'enviroment' is not allowed")


def test_every_registered_command_loads_under_its_name() -> None:
    from compose_lite.cli import commands

    for name in commands.COMMANDS:
        command = commands.load(name)
        assert command is not None and command.name == name
    assert commands.load("frobnicate") is None


def test_a_command_run_imports_only_its_own_module(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: x\n")
    run = run_cl(["config", "-q"], cwd=tmp_path, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert run.code == 0
    assert sorted(m for m in run.modules if m.startswith("compose_lite.cli.") and m.endswith("_cmd")) \
        == ["compose_lite.cli.config_cmd"]
