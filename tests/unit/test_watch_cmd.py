from __future__ import annotations

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
