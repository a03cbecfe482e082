"""`cl stack deploy|rm|ps|services|ls`: the project on a Docker Swarm cluster (compose_lite.swarm)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from compose_lite.cli.context import GlobalOptions

if TYPE_CHECKING:
    from compose_lite.loader import LoadResult
    from compose_lite.output import Reporter
    from compose_lite.swarm.docker_swarm import DockerSwarm

stack_argument = click.argument("stack")


@click.group("stack")
def stack() -> None:
    """Deploy the project to a Docker Swarm cluster, and manage the stacks there."""


@stack.command("deploy")
@click.option("-c", "--compose-file", "files", multiple=True, metavar="FILE",
              help="Compose file(s) of the stack (default: the global -f, or the project's files).")
@click.option("--wait", is_flag=True, help="Wait until every changed service has converged (tasks running "
              "and healthy) or failed; exit non-zero on failure or rollback.")
@click.option("-d", "--detach", type=click.BOOL, default=True, is_flag=False, flag_value=True, metavar="BOOL",
              help="As docker stack deploy: --detach=false waits, as --wait does.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and warnings.")
@click.option("--wait-timeout", type=click.FloatRange(min=1), default=300.0, show_default=True,
              metavar="SECONDS", help="How long --wait waits.")
@click.option("--prune", is_flag=True, help="Remove services that are no longer in the file.")
@click.option("--build", "build_images", is_flag=True, help="Build the services' images before deploying.")
@click.option("--push", "push_images", is_flag=True, help="Push the images of the services with build: to "
              "the registry their image: names, so that every node can pull them.")
@click.option("--with-registry-auth", is_flag=True, help="Send registry credentials to the nodes. The docker "
              "SDK always sends those of the image's registry found in the docker config.")
@click.option("--dry-run", "dry_run_flag", is_flag=True, help="Show what would change; change nothing.")
@stack_argument
@click.pass_obj
def deploy(opts: GlobalOptions, files: tuple[str, ...], wait: bool, detach: bool, quiet: bool,
           wait_timeout: float, prune: bool,
           build_images: bool, push_images: bool, with_registry_auth: bool, dry_run_flag: bool,
           stack: str) -> None:
    """Deploy a new stack or update an existing one."""
    from compose_lite.cli.project import reporter
    from compose_lite.clock import SystemClock
    from compose_lite.errors import EngineError
    from compose_lite.swarm.converge import wait_converged
    from compose_lite.swarm.deploy import deploy as deploy_stack
    from compose_lite.swarm.ignored import ignored_keys
    from compose_lite.swarm.plan import Change

    loaded = _load(opts, files, stack)
    ignored = ignored_keys(loaded.model, building=build_images)
    if ignored:
        click.echo("warning: Swarm ignores these keys:\n  " + "\n  ".join(ignored), err=True)
    report = reporter(opts, quiet=quiet)
    swarm = _swarm(opts)
    wait = wait or not detach
    dry_run = dry_run_flag or opts.dry_run
    try:
        if (build_images or push_images) and not dry_run:
            _build_and_push(swarm, loaded, build_images, push_images, report)
        done = deploy_stack(swarm, loaded.project, loaded.model, stack, report, prune=prune, dry_run=dry_run)
    finally:
        report.close()
    if dry_run:
        for change in done.changes:
            click.echo(f"{change.change.value:<9} {change.name}" + (
                f"  ({', '.join(change.causes)})" if change.change is not Change.UNCHANGED else ""))
        return
    changed = [c.name for c in done.changes if c.change in (Change.CREATE, Change.UPDATE)]
    if not wait or not changed:
        return
    outcomes = wait_converged(swarm, stack, changed, earlier_tasks=done.earlier_tasks, clock=SystemClock(),
                              timeout_s=wait_timeout,
                              on_task_error=lambda line: click.echo(f"  {line}", err=True))
    for outcome in outcomes:
        if not (quiet and outcome.converged):
            said = "converged" if outcome.converged else f"failed: {outcome.reason}"
            click.echo(f"{outcome.service}: {said}", err=True)
    failed = [o.service for o in outcomes if not o.converged]
    if failed:
        raise EngineError(f"stack {stack}: {', '.join(failed)} did not converge",
                          hint=f"see the tasks with `cl stack ps {stack}`")


@stack.command("rm")
@click.argument("stacks", nargs=-1, required=True)
@click.pass_obj
def rm(opts: GlobalOptions, stacks: tuple[str, ...]) -> None:
    """Remove one or more stacks: their services, networks, secrets and configs."""
    from compose_lite.cli.project import reporter
    from compose_lite.clock import SystemClock
    from compose_lite.swarm.deploy import remove

    swarm = _swarm(opts)
    report = reporter(opts)
    try:
        for name in stacks:
            if not remove(swarm, name, report, SystemClock()):
                click.echo(f"Nothing found in stack: {name}", err=True)
    finally:
        report.close()


@stack.command("services")
@click.option("-q", "--quiet", is_flag=True, help="Only display IDs.")
@stack_argument
@click.pass_obj
def services(opts: GlobalOptions, quiet: bool, stack: str) -> None:
    """List the services in the stack."""
    from compose_lite.swarm.listing import service_rows

    swarm = _manager(opts)
    found = swarm.services(stack)
    rows = service_rows(found, swarm.tasks(stack)) if found else []
    _print(rows, ("ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"), quiet,
           empty=f"Nothing found in stack: {stack}")


@stack.command("ps")
@click.option("-q", "--quiet", is_flag=True, help="Only display task IDs.")
@click.option("--no-trunc", is_flag=True, help="Do not truncate output.")
@stack_argument
@click.pass_obj
def ps(opts: GlobalOptions, quiet: bool, no_trunc: bool, stack: str) -> None:
    """List the tasks in the stack."""
    from compose_lite.swarm.listing import task_rows

    swarm = _manager(opts)
    tasks = swarm.tasks(stack)
    rows = task_rows(tasks, swarm.services(stack), swarm.nodes(), time.time(), truncate=not no_trunc) \
        if tasks else []
    _print(rows, ("ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS"), quiet,
           empty=f"nothing found in stack: {stack}")  # docker's wording, in lower case here


@stack.command("ls")
@click.pass_obj
def ls(opts: GlobalOptions) -> None:
    """List the stacks."""
    from compose_lite.swarm.listing import stacks

    _print(stacks(_manager(opts).services()), ("NAME", "SERVICES"), False)


def _print(rows: Sequence[tuple[str, ...]], header: tuple[str, ...], quiet: bool, *, empty: str = "") -> None:
    from compose_lite.cli.gotemplate import table

    if not rows and empty:
        click.echo(empty, err=True)
    elif quiet:
        for row in rows:
            click.echo(row[0])
    else:
        click.echo(table([header, *rows], min_width=0), nl=False)


def _load(opts: GlobalOptions, files: tuple[str, ...], stack: str) -> LoadResult:
    """The same load as `cl up` (.env, --env-file, interpolation, profiles, extends, include), with the
    stack's name as the project's."""
    from dataclasses import replace

    from compose_lite.cli.project import load_request
    from compose_lite.loader import load, validate_project_name

    validate_project_name(stack, "the stack name, which is the project's name")
    result = load(replace(load_request(opts), files=files or opts.files, project_name=stack))
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    return result


def _manager(opts: GlobalOptions) -> DockerSwarm:
    """The engine of the options, once it said it is a swarm manager."""
    swarm = _swarm(opts)
    swarm.require_manager()
    return swarm


def _swarm(opts: GlobalOptions) -> DockerSwarm:
    from compose_lite.cli.project import open_engine
    from compose_lite.swarm.docker_swarm import DockerSwarm

    return DockerSwarm(open_engine(opts))


def _build_and_push(swarm: DockerSwarm, loaded: LoadResult, build: bool, push: bool,
                    report: Reporter) -> None:
    from compose_lite import images

    project = loaded.project
    buildable = tuple(name for name, svc in project.services.items() if svc.build is not None)
    if build:
        images.build(project, swarm.engine, images.BuildRequest(services=buildable),
                     lambda text: click.echo(text, nl=False, err=True), report)
    if push:  # what was built: the other images are the registries' already
        images.push(project, swarm.engine, buildable, report)
