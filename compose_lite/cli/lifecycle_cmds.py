"""`cl start|stop|restart|kill|rm|pause|unpause|create`: thin wrappers over compose_lite.control."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from compose_lite.cli.completion import complete_services
from compose_lite.cli.context import GlobalOptions
from compose_lite.cli.project import remove_orphans_option

if TYPE_CHECKING:
    from compose_lite.engine.base import Engine
    from compose_lite.model import Project
    from compose_lite.output import Reporter



services_argument = click.argument("services", nargs=-1, shell_complete=complete_services)
timeout_option = click.option("-t", "--timeout", type=int, help="Specify a shutdown timeout in seconds.")


def _with_project(opts: GlobalOptions, action: Callable[[Project, Engine, Reporter], None], *,
                  services: tuple[str, ...] = (), from_labels: bool = True) -> None:
    """Load the project (or, for commands on existing containers, rebuild it from labels) and act,
    holding the project's lock. ``services``: those the command names."""
    from compose_lite.cli.project import load_project, locked, open_engine, reporter

    engine = open_engine(opts)
    project = load_project(opts, engine=engine if from_labels else None, services=services)
    report = reporter(opts)
    try:
        with locked(opts, engine, project.name, click.get_current_context().info_name or "?"):
            action(project, engine, report)
    finally:
        report.close()


@click.command("start")
@services_argument
@click.pass_obj
def start(opts: GlobalOptions, services: tuple[str, ...]) -> None:
    """Start services."""
    from compose_lite import control

    _with_project(opts, lambda p, e, r: control.start(p, e, services, r), services=services)


@click.command("stop")
@services_argument
@timeout_option
@click.pass_obj
def stop(opts: GlobalOptions, services: tuple[str, ...], timeout: int | None) -> None:
    """Stop services (dependents before their dependencies)."""
    from compose_lite import control

    _with_project(opts, lambda p, e, r: control.stop(p, e, services, timeout, r), services=services)


@click.command("restart")
@services_argument
@timeout_option
@click.option("--no-deps", is_flag=True, help="Don't restart dependent services.")
@click.pass_obj
def restart(opts: GlobalOptions, services: tuple[str, ...], timeout: int | None, no_deps: bool) -> None:
    """Restart service containers."""
    from compose_lite import control

    _with_project(opts, lambda p, e, r: control.restart(p, e, services, timeout, r,
                                                        with_dependents=not no_deps), services=services)


@click.command("kill")
@services_argument
@remove_orphans_option
@click.option("-s", "--signal", default="SIGKILL", show_default=True, help="SIGNAL to send to the container.")
@click.pass_obj
def kill(opts: GlobalOptions, services: tuple[str, ...], signal: str, remove_orphans: bool) -> None:
    """Force stop service containers."""
    from compose_lite import control

    def act(project: Project, engine: Engine, report: Reporter) -> None:
        if not control.kill(project, engine, services, signal, report):
            click.echo("no container to kill", err=True)  # as Compose says it
        if remove_orphans:
            control.remove_orphans(project, engine, report)

    _with_project(opts, act, services=services)


@click.command("pause")
@services_argument
@click.pass_obj
def pause(opts: GlobalOptions, services: tuple[str, ...]) -> None:
    """Pause services."""
    from compose_lite import control

    _with_project(opts, lambda p, e, r: control.pause(p, e, services, r), services=services)


@click.command("unpause")
@services_argument
@click.pass_obj
def unpause(opts: GlobalOptions, services: tuple[str, ...]) -> None:
    """Unpause services."""
    from compose_lite import control

    _with_project(opts, lambda p, e, r: control.unpause(p, e, services, r), services=services)


@click.command("rm")
@services_argument
@click.option("-f", "--force", is_flag=True, help="Don't ask to confirm removal.")
@click.option("-s", "--stop", "stop_first", is_flag=True, help="Stop the containers, if required, before "
              "removing.")
@click.option("-v", "--volumes", is_flag=True, help="Remove any anonymous volumes attached to containers.")
@click.pass_obj
def rm(opts: GlobalOptions, services: tuple[str, ...], force: bool, stop_first: bool, volumes: bool) -> None:
    """Removes stopped service containers."""
    from compose_lite import control

    def action(project: Project, engine: Engine, report: Reporter) -> None:
        targets = control.removable(project, engine, services, stopped_too=stop_first)
        if not targets:
            click.echo("No stopped containers", err=True)
            return
        # newest first, as the engine lists them and Compose names them; with -f on stdout, as Compose
        newest_first = sorted(targets, key=lambda c: (c.created, c.name), reverse=True)
        click.echo("Going to remove " + ", ".join(c.name for c in newest_first), err=not force)
        if not force and not click.confirm("Are you sure?", default=False, err=True):
            return
        control.remove(project, engine, targets, stop_first=stop_first, volumes=volumes, timeout=None,
                       reporter=report)

    _with_project(opts, action, services=services)


@click.command("create")
@services_argument
@click.option("--build", is_flag=True, help="Build images before starting containers.")
@click.option("--no-build", is_flag=True, help="Don't build an image, even if it's missing.")
@click.option("--force-recreate", is_flag=True, help="Recreate containers even if nothing changed.")
@click.option("--no-recreate", is_flag=True, help="Don't recreate containers that already exist.")
@click.option("--pull", type=click.Choice(["always", "missing", "never", "build"]),
              help="Pull image before running.")
@click.option("--remove-orphans", is_flag=True, help="Remove containers for services not defined in the "
              "Compose file.")
@click.option("--scale", "scale", multiple=True, metavar="SERVICE=NUM",
              help="Scale SERVICE to NUM instances.")
@click.option("--quiet-pull", is_flag=True, help="Pull without printing progress information.")
@click.option("-y", "--yes", is_flag=True, help="Assume yes to prompts (create asks none).")
@click.pass_obj
def create(opts: GlobalOptions, services: tuple[str, ...], build: bool, no_build: bool, force_recreate: bool,
           no_recreate: bool, pull: str | None, remove_orphans: bool, scale: tuple[str, ...],
           quiet_pull: bool, yes: bool) -> None:
    """Creates containers for a service (without starting them)."""
    from compose_lite import app
    from compose_lite.cli.up_cmd import build_choice, parse_scale
    from compose_lite.errors import ConfigError

    if force_recreate and no_recreate:
        raise ConfigError("--force-recreate and --no-recreate are incompatible")
    request = app.UpRequest(services=services, no_start=True, build=build_choice(build, no_build),
                            force_recreate=force_recreate, dry_run=opts.dry_run, no_recreate=no_recreate,
                            pull=pull, remove_orphans=remove_orphans, scale=parse_scale(scale),
                            quiet_pull=quiet_pull)
    _with_project(opts, lambda p, e, r: _create(p, e, r, request, opts), services=services, from_labels=False)


def _create(project: Project, engine: Engine, report: Reporter, request: object, opts: GlobalOptions) -> None:
    from compose_lite import app
    from compose_lite.cli.project import env_flag

    assert isinstance(request, app.UpRequest)
    request = replace(request, ignore_orphans=env_flag(project.environment, "COMPOSE_IGNORE_ORPHANS"))
    outcome = app.up(project, engine, request, report, environ=opts.environ)
    if request.dry_run:
        click.echo(outcome.plan.text())
COMMANDS = (create, kill, pause, restart, rm, start, stop, unpause)
