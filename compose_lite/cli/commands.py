"""Where each command lives: imported only when that command runs (or `--help` lists them).

Importing every command module costs ~5 ms that `cl config` or `cl ps` would pay for nothing.
"""

from __future__ import annotations

import importlib

import click

# command name → (module in compose_lite.cli, attribute)
COMMANDS: dict[str, tuple[str, str]] = {
    "attach": ("container_cmds", "attach"),
    "bridge": ("bridge_cmd", "bridge"),
    "build": ("image_cmds", "build"),
    "commit": ("container_cmds", "commit"),
    "completion": ("completion", "completion"),
    "config": ("config_cmd", "config"),
    "cp": ("info_cmds", "cp"),
    "create": ("lifecycle_cmds", "create"),
    "down": ("down_cmd", "down"),
    "events": ("info_cmds", "events"),
    "exec": ("exec_cmd", "exec_"),
    "export": ("container_cmds", "export"),
    "images": ("info_cmds", "images"),
    "kill": ("lifecycle_cmds", "kill"),
    "logs": ("logs_cmd", "logs"),
    "ls": ("info_cmds", "ls"),
    "pause": ("lifecycle_cmds", "pause"),
    "port": ("info_cmds", "port"),
    "ps": ("ps_cmd", "ps"),
    "publish": ("publish_cmd", "publish"),
    "pull": ("image_cmds", "pull"),
    "push": ("image_cmds", "push"),
    "restart": ("lifecycle_cmds", "restart"),
    "rm": ("lifecycle_cmds", "rm"),
    "run": ("exec_cmd", "run"),
    "scale": ("container_cmds", "scale"),
    "stack": ("stack_cmd", "stack"),
    "start": ("lifecycle_cmds", "start"),
    "stats": ("info_cmds", "stats"),
    "stop": ("lifecycle_cmds", "stop"),
    "top": ("info_cmds", "top"),
    "unpause": ("lifecycle_cmds", "unpause"),
    "up": ("up_cmd", "up"),
    "version": ("version_cmd", "version"),
    "volumes": ("container_cmds", "volumes"),
    "wait": ("info_cmds", "wait"),
    "watch": ("watch_cmd", "watch"),
}


def load(name: str) -> click.Command | None:
    if name not in COMMANDS:
        return None
    module, attribute = COMMANDS[name]
    command = getattr(importlib.import_module(f"compose_lite.cli.{module}"), attribute)
    assert isinstance(command, click.Command)
    return command
