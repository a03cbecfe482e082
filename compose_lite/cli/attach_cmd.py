"""The attached part of `cl up`: its flags and the call into compose_lite.attach (used by up_cmd)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import click

from compose_lite.cli.context import GlobalOptions

if TYPE_CHECKING:
    from compose_lite.app import UpOutcome
    from compose_lite.engine.base import Engine
    from compose_lite.model import Project

_OPTIONS = (
    click.option("--abort-on-container-exit", is_flag=True,
                 help="Stops all containers if any container was stopped. Incompatible with -d."),
    click.option("--abort-on-container-failure", is_flag=True,
                 help="Stops all containers if any container exited with failure. Incompatible with -d."),
    click.option("--exit-code-from", metavar="SERVICE",
                 help="Return the exit code of the selected service container. Implies "
                      "--abort-on-container-exit."),
    click.option("--attach", "attach_services", multiple=True, metavar="SERVICE",
                 help="Restrict attaching to the specified services."),
    click.option("--no-attach", "no_attach_services", multiple=True, metavar="SERVICE",
                 help="Do not attach (stream logs) to the specified services."),
    click.option("--attach-dependencies", is_flag=True,
                 help="Automatically attach to log output of dependent services."),
    click.option("--no-log-prefix", is_flag=True, help="Don't print prefix in logs."),
    click.option("--timestamps", is_flag=True, help="Show timestamps."),
    click.option("--no-color", is_flag=True, help="Produce monochrome output."),
)
FLAGS = ("abort_on_container_exit", "abort_on_container_failure", "exit_code_from", "attach_services",
         "no_attach_services", "attach_dependencies", "no_log_prefix", "timestamps", "no_color")


def attach_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the attached-mode flags to `up`; they reach it as keyword arguments named in FLAGS."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def run_attached(opts: GlobalOptions, project: Project, engine: Engine, outcome: UpOutcome,
                 timeout: int | None, since: float, flags: Mapping[str, Any]) -> None:
    """Run the attached session for the services `up` started; exits with the session's code."""
    from compose_lite import attach, observe
    from compose_lite.cli.logs_cmd import LogPrinter, use_colour
    from compose_lite.logs import display_name
    from compose_lite.output import make_reporter

    containers = outcome.containers
    services = sorted(containers)
    shown = tuple(flags.get("attach_services") or ())
    ctx = click.get_current_context(silent=True)
    requested = tuple(ctx.params.get("services") or ()) if ctx is not None else ()
    if not shown and requested and not flags.get("attach_dependencies"):
        shown = requested  # as Compose: `up web` shows web's output, not its dependencies'
    options = attach.AttachOptions(
        abort_on_exit=bool(flags.get("abort_on_container_exit")),
        abort_on_failure=bool(flags.get("abort_on_container_failure")),
        exit_code_from=flags.get("exit_code_from"), attach=shown,
        no_attach=tuple(flags.get("no_attach_services") or ()), timestamps=bool(flags.get("timestamps")),
        timeout=timeout, since=since)
    names = [display_name(c) for c in observe.containers(engine, project.name, services=containers)]
    printer = LogPrinter(project.services, colour=use_colour(opts, bool(flags.get("no_color")), sys.stdout),
                         prefix=not flags.get("no_log_prefix"), timestamps=options.timestamps, names=names)
    # Stop progress as plain lines (or JSON, or none): a live display would fight with the log lines.
    reporter = make_reporter("plain" if opts.progress in ("auto", "tty") else opts.progress)
    code = attach.run(project, engine, services, options, printer, reporter, hook_output=outcome.hook_output)
    raise click.exceptions.Exit(code)
