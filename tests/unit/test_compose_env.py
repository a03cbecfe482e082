"""The COMPOSE_* variables Docker Compose reads besides the project's name, files and profiles."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from compose_lite.cli import cli
from compose_lite.cli.context import GlobalOptions
from compose_lite.cli.project import reporter
from compose_lite.output import PlainReporter


def _params(command: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    found = cli.get_command(click.Context(cli), command)
    assert found is not None
    return found.make_context(command, []).params


@pytest.mark.parametrize("command", ["up", "down", "kill"])
@pytest.mark.parametrize(("value", "on"), [("true", True), ("y", True), ("1", True), ("no", False)])
def test_compose_remove_orphans_is_the_default_of_remove_orphans(command: str, value: str, on: bool,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert _params(command, monkeypatch, COMPOSE_REMOVE_ORPHANS=value)["remove_orphans"] is on


def test_compose_progress_and_ansi_are_the_defaults_of_their_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPOSE_PROGRESS", "json")
    monkeypatch.setenv("COMPOSE_ANSI", "never")
    params = cli.make_context("cl", ["version"]).params
    assert (params["progress"], params["ansi"]) == ("json", "never")
    assert cli.make_context("cl", ["--progress", "quiet", "version"]).params["progress"] == "quiet"


def test_compose_status_stdout_sends_the_progress_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    shown = reporter(GlobalOptions(progress="plain", environ={"COMPOSE_STATUS_STDOUT": "1"}))
    assert isinstance(shown, PlainReporter)
    shown.event("Container", "p-web-1", "Started", done=True)
    assert out.getvalue().startswith(" Container p-web-1  Started")


def test_compose_ignore_orphans_from_the_env_file_refuses_remove_orphans(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: cl-busybox\n")
    (tmp_path / ".env").write_text("COMPOSE_IGNORE_ORPHANS=true\n")
    where = ["--project-directory", str(tmp_path), "-f", str(tmp_path / "compose.yaml")]
    done = CliRunner().invoke(cli, [*where, "up", "-d", "--remove-orphans"])
    assert (done.exit_code, done.output) == (
        1, "error: cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans\n")


def test_compose_ignore_orphans_silences_the_orphan_warning() -> None:
    from compose_lite import app
    from compose_lite.engine.fake import FakeEngine
    from compose_lite.model import Project, Service

    engine = FakeEngine(images={"img": "sha256:1"})
    web = Service("web", image="img")
    both = Project("p", "/w", services={"web": web, "old": Service("old", image="img")})
    app.up(both, engine, app.UpRequest(), PlainReporter(io.StringIO()), environ={})
    web_only = Project("p", "/w", services={"web": web})
    warned = app.up(web_only, engine, app.UpRequest(dry_run=True), PlainReporter(io.StringIO()), environ={})
    assert any("orphan containers (p-old-1)" in w for w in warned.plan.warnings)
    ignoring = app.UpRequest(dry_run=True, ignore_orphans=True)
    quiet = app.up(web_only, engine, ignoring, PlainReporter(io.StringIO()), environ={})
    assert not quiet.plan.warnings
