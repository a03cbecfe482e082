"""`cl up`: create and start the project's containers, changing only what changed."""

from __future__ import annotations

import time
from typing import Any

import click

from compose_lite.cli.attach_cmd import attach_options, run_attached
from compose_lite.cli.context import GlobalOptions
from compose_lite.errors import ConfigError


def _scale(values: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for value in values:
        service, sep, count = value.partition("=")
        if not sep or not count.isdigit():
            raise ConfigError(f"invalid --scale {value!r}", hint="use --scale SERVICE=NUM")
        out[service] = int(count)
    return out


@click.command("up")
@click.argument("services", nargs=-1)
@click.option("-d", "--detach", is_flag=True, help="Run containers in the background.")
@click.option("--wait", is_flag=True, help="Wait for services to be running|healthy. Implies detached mode.")
@click.option("--wait-timeout", type=float, help="Maximum duration in seconds to wait for the project.")
@click.option("--dry-run", is_flag=True,
              help="Print the plan (with the cause of each step) and change nothing.")
@click.option("--force-recreate", is_flag=True, help="Recreate containers even if nothing changed.")
@click.option("--no-recreate", is_flag=True, help="Never recreate existing containers.")
@click.option("--always-recreate-deps", is_flag=True, help="Recreate dependent containers.")
@click.option("--no-deps", is_flag=True, help="Don't start linked services.")
@click.option("--no-start", is_flag=True, help="Don't start the services after creating them.")
@click.option("--scale", "scale", multiple=True, metavar="SERVICE=NUM",
              help="Scale SERVICE to NUM instances.")
@click.option("--remove-orphans", is_flag=True,
              help="Remove containers for services not in the Compose file.")
@click.option("--build", "build", flag_value=True, default=None,
              help="Build images before starting containers.")
@click.option("--no-build", "build", flag_value=False, help="Don't build an image, even if it's missing.")
@click.option("--pull", type=click.Choice(["always", "missing", "never", "build"]),
              help="Pull image before running.")
@click.option("--quiet-pull", is_flag=True, help="Pull without printing progress information.")
@click.option("--quiet-build", is_flag=True, help="Build without printing progress information.")
@click.option("-y", "--yes", is_flag=True, help="Assume yes to prompts (up asks none: accepted for scripts).")
@click.option("--menu/--no-menu", default=False,
              help="Interactive shortcuts while attached (cl has none: --menu says so).")
@click.option("-V", "--renew-anon-volumes", is_flag=True,
              help="Recreate anonymous volumes instead of retrieving data from the previous containers.")
@click.option("-t", "--timeout", type=int, help="Shutdown timeout in seconds for stopped containers.")
@click.option("-w", "--watch", "watch", is_flag=True,
              help="Watch source code and sync/restart/rebuild services when files are updated.")
@attach_options
@click.pass_obj
def up(opts: GlobalOptions, services: tuple[str, ...], detach: bool, wait: bool, wait_timeout: float | None,
       dry_run: bool, force_recreate: bool, no_recreate: bool, always_recreate_deps: bool, no_deps: bool,
       no_start: bool, scale: tuple[str, ...], remove_orphans: bool, build: bool | None, pull: str | None,
       quiet_pull: bool, quiet_build: bool, yes: bool, menu: bool, renew_anon_volumes: bool,
       timeout: int | None, watch: bool,
       **attach_flags: Any) -> None:
    """Create and start containers."""
    from compose_lite import app
    from compose_lite.cli.project import load_project, locked, open_engine, reporter

    dry_run = dry_run or opts.dry_run
    if menu:
        click.echo("warning: cl has no interactive menu; --menu changes nothing", err=True)
    if force_recreate and no_recreate:
        raise ConfigError("--force-recreate and --no-recreate are incompatible")
    if always_recreate_deps and no_recreate:
        raise ConfigError("--always-recreate-deps and --no-recreate are incompatible")
    request = app.UpRequest(
        services=services, no_deps=no_deps, force_recreate=force_recreate, no_recreate=no_recreate,
        always_recreate_deps=always_recreate_deps, no_start=no_start, scale=_scale(scale),
        remove_orphans=remove_orphans, renew_anon_volumes=renew_anon_volumes, wait=wait,
        wait_timeout=wait_timeout, build=build, pull=pull, dry_run=dry_run, timeout=timeout,
        quiet_pull=quiet_pull, quiet_build=quiet_build)
    project = load_project(opts, services=services)
    engine = open_engine(opts)
    report = reporter(opts)
    since = time.time()  # the attached view shows what the containers print from now on
    try:
        outcome = app.up(project, engine, request, report, environ=opts.environ,
                         lock=lambda: locked(opts, engine, project.name, "up"))
    finally:
        report.close()
    if dry_run:
        click.echo(outcome.plan.text())
        return
    if not outcome.plan.changes():
        click.echo("Nothing to do: every container is up to date.", err=True)
    if watch:
        from compose_lite.cli.watch_cmd import watch_alongside

        attached = not (detach or wait or no_start)
        watch_alongside(opts, project, engine, services,
                        (lambda: run_attached(opts, project, engine, outcome, timeout, since,
                                              attach_flags)) if attached else None)
        return
    if detach or wait or no_start:
        return
    run_attached(opts, project, engine, outcome, timeout, since, attach_flags)

