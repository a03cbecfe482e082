"""`cl ps`: list the project's containers (table, or JSON Lines like Compose v2)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from compose_lite.cli.context import GlobalOptions
from compose_lite.cli.gotemplate import format_choice, go_json, go_quote, is_template, render, table
from compose_lite.clock import ago

if TYPE_CHECKING:
    from compose_lite.state import ObservedContainer

STATES = ("paused", "restarting", "removing", "running", "dead", "created", "exited")


@click.command("ps")
@click.argument("services", nargs=-1)
@click.option("-a", "--all", "all_states", is_flag=True, help="Show all stopped containers too.")
@click.option("--services", "only_services", is_flag=True, help="Display services.")
@click.option("--status", multiple=True, type=click.Choice(STATES), help="Filter services by status.")
@click.option("--filter", "filters", multiple=True, metavar="status=STATE",
              help="Filter services by a property (supported: status).")
@click.option("--orphans/--no-orphans", default=True, show_default=True,
              help="Include orphaned services (not declared by the project).")
@click.option("--no-trunc", is_flag=True, help="Don't truncate output.")
@click.option("-q", "--quiet", is_flag=True, help="Only display IDs.")
@click.option("--format", "fmt", default="table", show_default=True, callback=format_choice,
              help="Format the output: table, json, or a template ('table {{.Name}}\\t{{.Status}}').")
@click.pass_obj
def ps(opts: GlobalOptions, services: tuple[str, ...], all_states: bool, only_services: bool,
       status: tuple[str, ...], filters: tuple[str, ...], orphans: bool, no_trunc: bool, quiet: bool,
       fmt: str) -> None:
    """List containers."""
    from compose_lite import app
    from compose_lite.cli.project import load_project, open_engine

    for flt in filters:
        key, _, value = flt.partition("=")
        if key != "status" or value not in STATES:
            raise click.BadParameter(f"unsupported filter {flt!r}: use status=<{'|'.join(STATES)}>")
        status = (*status, value)
    engine = open_engine(opts)
    project = load_project(opts, engine=engine, services=services)
    found = app.ps(project, engine, all_states=all_states, services=services, status=status)
    if not orphans:
        found = [c for c in found if c.service in project.services]
    if quiet:
        click.echo("".join(f"{c.id}\n" for c in found), nl=False)
    elif only_services:
        click.echo("".join(f"{s}\n" for s in dict.fromkeys(c.service for c in found)), nl=False)
    elif fmt == "json":
        click.echo("".join(go_json(_record(c, truncate=not no_trunc)) + "\n" for c in found), nl=False)
    elif is_template(fmt):
        click.echo(render(fmt, [_record(c, truncate=not no_trunc) for c in found]), nl=False)
    else:
        click.echo(_table(found, truncate=not no_trunc), nl=False)


def ports_text(ports: tuple[Mapping[str, Any], ...]) -> str:
    """``127.0.0.1:8080->80/tcp, 9000/tcp`` as ``docker ps`` prints them."""
    out = []
    for p in sorted(ports, key=lambda p: (int(p.get("PrivatePort", 0)), str(p.get("IP", "")))):
        target = f"{p.get('PrivatePort')}/{p.get('Type', 'tcp')}"
        if p.get("PublicPort"):
            out.append(f"{p.get('IP', '')}:{p['PublicPort']}->{target}")
        else:
            out.append(target)
    return ", ".join(dict.fromkeys(out))


def _record(c: ObservedContainer, *, truncate: bool) -> dict[str, Any]:
    health = c.health or ""
    return {
        "Command": go_quote(_ellipsis(c.command) if truncate else c.command),
        "CreatedAt": time.strftime("%Y-%m-%d %H:%M:%S +0000 UTC", time.gmtime(c.created)),
        "ExitCode": c.exit_code or 0, "Health": health, "ID": c.id[:12], "Image": c.image,
        "Labels": ",".join(f"{k}={v}" for k, v in c.labels.items()),
        "LocalVolumes": str(sum(1 for m in c.mounts if m.type == "volume")),
        "Mounts": ",".join(m.name or m.source for m in c.mounts), "Name": c.name, "Names": c.name,
        "Networks": ",".join(c.networks), "Ports": ports_text(c.ports), "Project": c.project,
        "Publishers": [{"URL": p.get("IP", ""), "TargetPort": p.get("PrivatePort"),
                        "PublishedPort": p.get("PublicPort", 0), "Protocol": p.get("Type", "tcp")}
                       for p in c.ports],
        "RunningFor": ago(c.created), "Service": c.service, "Size": "0B", "State": c.state,
        "Status": c.status,
    }



def _ellipsis(command: str) -> str:
    """The docker CLI's Ellipsis: 20 characters at most, the last one the ellipsis."""
    return command if len(command) <= 20 else command[:19] + "…"


def _table(found: list[ObservedContainer], *, truncate: bool = True) -> str:
    rows = [("NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS")]
    rows += [(c.name, c.image, go_quote(_ellipsis(c.command) if truncate else c.command), c.service,
              ago(c.created), c.status, ports_text(c.ports)) for c in found]
    return table(rows, min_width=10)  # the docker CLI's tabwriter
