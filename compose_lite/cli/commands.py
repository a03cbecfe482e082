"""The list of commands, one module each; imported by the group at start-up."""

from __future__ import annotations

import click

from compose_lite.cli import exec_cmd, image_cmds, info_cmds, lifecycle_cmds
from compose_lite.cli.completion import completion
from compose_lite.cli.config_cmd import config
from compose_lite.cli.down_cmd import down
from compose_lite.cli.logs_cmd import logs
from compose_lite.cli.ps_cmd import ps
from compose_lite.cli.up_cmd import up
from compose_lite.cli.version_cmd import version
from compose_lite.cli.watch_cmd import watch

ALL: list[click.Command] = [
    config, down, ps, up, version, watch, completion, logs, *lifecycle_cmds.COMMANDS, *exec_cmd.COMMANDS,
    *image_cmds.COMMANDS, *info_cmds.COMMANDS,
]
