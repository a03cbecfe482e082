"""`cl down`: stop and remove the project's containers and networks (volumes with -v)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from compose_lite.cli.context import GlobalOptions
from compose_lite.cli.project import remove_orphans_option

if TYPE_CHECKING:
    from compose_lite.app import DoomedVolume


@click.command("down")
@click.option("-v", "--volumes", is_flag=True, help="Remove named volumes declared in the volumes section "
              "and anonymous volumes attached to containers.")
@click.option("--rmi", type=click.Choice(["local", "all"]), help="Remove images used by services: 'local' "
              "only images without a custom tag, 'all' every image.")
@remove_orphans_option
@click.option("-t", "--timeout", type=int, help="Shutdown timeout in seconds.")
@click.option("-y", "--yes", is_flag=True, help="Delete volumes (-v) without asking, even on a terminal.")
@click.pass_obj
def down(opts: GlobalOptions, volumes: bool, rmi: str | None, remove_orphans: bool,
         timeout: int | None, yes: bool) -> None:
    """Stop and remove containers, networks."""
    from compose_lite import app
    from compose_lite.cli.project import load_project, locked, open_engine, reporter

    engine = open_engine(opts)
    project = load_project(opts, engine=engine)
    report = reporter(opts)
    try:
        request = app.DownRequest(remove_orphans, volumes, rmi, timeout, dry_run=opts.dry_run)
        if opts.dry_run:  # the plan only: nothing to lock
            click.echo(app.down(project, engine, request, report, environ=opts.environ).text())
            return
        with locked(opts, engine, project.name, "down"):
            app.down(project, engine, request, report, environ=opts.environ,
                     confirm=None if yes or not _interactive() else _confirm_volumes)
    finally:
        report.close()


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _confirm_volumes(volumes: list[DoomedVolume]) -> bool:
    """On a terminal, `down -v` lists the volumes it would delete and asks (data is at stake)."""
    from compose_lite.cli.info_cmds import human_size

    click.echo("These volumes and their data will be deleted:", err=True)
    width = max(len(v.name) for v in volumes)
    for v in volumes:
        size = human_size(v.size) if v.size >= 0 else "size unknown"
        users = f"used by {', '.join(v.used_by)}" if v.used_by else "used by no container"
        click.echo(f"  {v.name:<{width}}  {size:>9}  {users}", err=True)
    return click.confirm("Delete them?", default=False, err=True)
