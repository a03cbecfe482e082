"""`cl up`: create and start the project's containers, changing only what changed."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import click

from compose_lite.cli.attach_cmd import attach_options, run_attached
from compose_lite.cli.context import GlobalOptions
from compose_lite.cli.project import remove_orphans_option
from compose_lite.errors import ConfigError


def build_choice(build: bool, no_build: bool) -> bool | None:
    """``--build`` / ``--no-build`` (of `up` and `create`): True, False, or None (build what is missing)."""
    if build and no_build:
        raise ConfigError("--build and --no-build are incompatible")
    return True if build else (False if no_build else None)


def parse_scale(values: tuple[str, ...]) -> dict[str, int]:
    """``--scale SERVICE=NUM`` (of `up` and `create`)."""
    out: dict[str, int] = {}
    for value in values:
        service, sep, count = value.partition("=")
        if not sep or not count.isdigit():
            raise ConfigError(f"invalid --scale {value!r}", hint="use --scale SERVICE=NUM")
        out[service] = int(count)
    return out


def _check_flags(*, detach: bool, wait: bool, watch: bool, build: bool, no_build: bool, force_recreate: bool,
                 no_recreate: bool, always_recreate_deps: bool, renew_anon_volumes: bool,
                 attached: Mapping[str, Any]) -> bool | None:
    """The flag combinations Compose refuses, in its order and words; what --build/--no-build ask."""
    abort_on_failure = bool(attached.get("abort_on_container_failure"))
    # --exit-code-from implies --abort-on-container-exit, unless it came with --abort-on-container-failure
    abort_on_exit = bool(attached.get("abort_on_container_exit")
                         or (attached.get("exit_code_from") and not abort_on_failure))
    attach_asked = bool(attached.get("attach_services") or attached.get("attach_dependencies"))
    if abort_on_exit and abort_on_failure:
        raise ConfigError("--abort-on-container-failure cannot be combined with --abort-on-container-exit")
    if wait and (abort_on_exit or attach_asked):
        raise ConfigError("--wait cannot be combined with --abort-on-container-exit, --attach or "
                          "--attach-dependencies")
    building = build_choice(build, no_build)
    if (detach or wait) and (abort_on_exit or abort_on_failure or attach_asked or watch):
        raise ConfigError(f"--{'wait' if wait else 'detach'} cannot be combined with "
                          "--abort-on-container-exit, --abort-on-container-failure, --attach, "
                          "--attach-dependencies or --watch")
    for given, pair in ((renew_anon_volumes, "--no-recreate and --renew-anon-volumes"),
                        (force_recreate, "--force-recreate and --no-recreate"),
                        (always_recreate_deps, "--always-recreate-deps and --no-recreate")):
        if given and no_recreate:
            raise ConfigError(f"{pair} are incompatible")
    if no_build and watch:
        raise ConfigError("--no-build and --watch are incompatible")
    return building


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
@remove_orphans_option
@click.option("--build", is_flag=True, help="Build images before starting containers.")
@click.option("--no-build", is_flag=True, help="Don't build an image, even if it's missing.")
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
       no_start: bool, scale: tuple[str, ...], remove_orphans: bool, build: bool, no_build: bool,
       pull: str | None, quiet_pull: bool, quiet_build: bool, yes: bool, menu: bool, renew_anon_volumes: bool,
       timeout: int | None, watch: bool,
       **attach_flags: Any) -> None:
    """Create and start containers."""
    from compose_lite import app
    from compose_lite.cli.project import env_flag, load_project, locked, open_engine, reporter

    dry_run = dry_run or opts.dry_run
    if menu:
        click.echo("warning: cl has no interactive menu; --menu changes nothing", err=True)
    building = _check_flags(detach=detach, wait=wait, watch=watch, build=build, no_build=no_build,
                            force_recreate=force_recreate, no_recreate=no_recreate,
                            always_recreate_deps=always_recreate_deps, renew_anon_volumes=renew_anon_volumes,
                            attached=attach_flags)
    request = app.UpRequest(
        services=services, no_deps=no_deps, force_recreate=force_recreate, no_recreate=no_recreate,
        always_recreate_deps=always_recreate_deps, no_start=no_start, scale=parse_scale(scale),
        remove_orphans=remove_orphans, renew_anon_volumes=renew_anon_volumes, wait=wait,
        wait_timeout=wait_timeout, build=building, pull=pull,
        dry_run=dry_run, timeout=timeout, quiet_pull=quiet_pull, quiet_build=quiet_build)
    project = load_project(opts, services=services)
    ignore_orphans = env_flag(project.environment, "COMPOSE_IGNORE_ORPHANS")  # the .env file may say so
    if ignore_orphans and remove_orphans:
        raise ConfigError("cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans")
    request = replace(request, ignore_orphans=ignore_orphans)
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

