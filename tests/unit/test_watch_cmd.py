from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from compose_lite.cli import cli
from compose_lite.cli.watch_cmd import parse_window
from compose_lite.errors import ConfigError


def test_batching_windows() -> None:
    assert parse_window("50ms", "--debounce") == 0.05
    assert parse_window("1.5s", "--max-wait") == 1.5
    assert parse_window("0.2", "--debounce") == 0.2
    with pytest.raises(ConfigError) as info:
        parse_window("soon", "--debounce")
    assert str(info.value) == "invalid --debounce 'soon'"
    assert info.value.hint == "use a duration such as 50ms or 0.5s"
    with pytest.raises(ConfigError) as info:
        parse_window("0s", "--max-wait")
    assert info.value.hint == "the duration must be above 0"


def test_commands_are_registered() -> None:
    runner = CliRunner()
    watch = runner.invoke(cli, ["watch", "--help"])
    assert watch.exit_code == 0
    for option in ("--no-up", "--poll", "--quiet", "--stats", "--debounce", "--max-wait"):
        assert option in watch.output
    up = runner.invoke(cli, ["up", "--help"])
    assert "-w, --watch" in up.output


@pytest.mark.parametrize(("progress", "quiet", "shown"), [
    ("auto", False, ["web  1 file changed → synced 1 (9 ms)", "warning: careful", "web  failed"]),
    ("auto", True, ["warning: careful", "web  failed"]),
    ("json", False, ['{"level": "info", "message": "web  1 file changed \\u2192 synced 1 (9 ms)"}',
                     '{"level": "warning", "message": "careful"}',
                     '{"level": "error", "message": "web  failed"}']),
])
def test_the_watch_reports_through_the_reporter_its_flags_choose(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], progress: str, quiet: bool,
        shown: list[str]) -> None:
    from compose_lite.cli.context import GlobalOptions
    from compose_lite.cli.watch_cmd import make_loop
    from compose_lite.engine.fake import FakeEngine
    from compose_lite.model import Project

    opts = GlobalOptions(progress=progress, environ={})
    loop = make_loop(opts, Project("p", str(tmp_path)), FakeEngine(), (), quiet=quiet)
    loop.reporter.info("web  1 file changed → synced 1 (9 ms)")
    loop.reporter.warning("careful")
    loop.reporter.problem("web  failed")
    assert capsys.readouterr().err.splitlines() == shown
