"""`cl volumes`, `cl scale`, `cl export`, `cl commit` and `cl attach`: Compose's smaller subcommands."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from compose_lite.cli.context import GlobalOptions
from compose_lite.cli.gotemplate import format_choice, go_json, is_template, render
from compose_lite.errors import ConfigError, OperationFailedError
from compose_lite.state import Status

if TYPE_CHECKING:
    from compose_lite.engine.base import Engine
    from compose_lite.model import Project
    from compose_lite.state import ObservedContainer


@click.command("volumes")
@click.argument("services", nargs=-1)
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    callback=format_choice,
    help="Format the output: table, json, or a template ('{{.Name}}').",
)
@click.option("-q", "--quiet", is_flag=True, help="Only display volume names.")
@click.pass_obj
def volumes(opts: GlobalOptions, services: tuple[str, ...], fmt: str, quiet: bool) -> None:
    """List volumes (the project's, or those the named services mount)."""

    from compose_lite.cli.project import load_project, open_engine

    engine = open_engine(opts)
    project = load_project(opts, engine=engine, services=services)
    wanted = None
    if services:
        wanted = {
            project.volumes[m.source].name
            for s in services
            for m in project.services[s].mounts
            if m.type == "volume" and m.source is not None and m.source in project.volumes
        }
    found = sorted(engine.list_volumes(project.name), key=lambda v: v.name)
    # the docker CLI's volume fields, in its order; what a plain list call cannot know is N/A
    records = [
        {"Availability": "N/A", "Driver": v.driver, "Group": "N/A",
         "Labels": ",".join(f"{k}={x}" for k, x in v.labels.items()), "Links": "N/A",
         "Mountpoint": v.mountpoint, "Name": v.name, "Scope": v.scope, "Size": "N/A", "Status": "N/A"}
        for v in found
        if wanted is None or v.name in wanted
    ]
    if quiet:
        click.echo("".join(f"{r['Name']}\n" for r in records), nl=False)
    elif fmt == "json":
        click.echo("".join(go_json(r) + "\n" for r in records), nl=False)
    elif is_template(fmt):
        click.echo(render(fmt, records), nl=False)
    else:
        text = render("table {{.Driver}}\t{{.Name}}", records)
        click.echo(text.replace("NAME", "VOLUME NAME", 1), nl=False)


@click.command("scale")
@click.argument("scales", nargs=-1, required=True, metavar="SERVICE=REPLICAS...")
@click.option("--no-deps", is_flag=True, help="Don't start linked services.")
@click.pass_obj
def scale(opts: GlobalOptions, scales: tuple[str, ...], no_deps: bool) -> None:
    """Scale services."""
    from compose_lite import app
    from compose_lite.cli.project import load_project, locked, open_engine, reporter

    wanted: dict[str, int] = {}
    for item in scales:
        name, _, count = item.partition("=")
        if not count.isdigit():
            raise ConfigError(f"invalid scale {item!r}", hint="write SERVICE=REPLICAS, e.g. web=3")
        wanted[name] = int(count)
    project = load_project(opts, services=tuple(wanted))
    engine = open_engine(opts)
    report = reporter(opts)
    try:
        app.up(
            project,
            engine,
            app.UpRequest(services=tuple(wanted), scale=wanted, no_deps=no_deps),
            report,
            environ=opts.environ,
            lock=lambda: locked(opts, engine, project.name, "scale"),
        )
    finally:
        report.close()


@click.command("export")
@click.argument("service")
@click.option("--index", type=int, default=1, show_default=True, help="Index of the container (replica).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file, instead of STDOUT.")
@click.pass_obj
def export(opts: GlobalOptions, service: str, index: int, output: str | None) -> None:
    """Export a service container's filesystem as a tar archive."""
    _project, engine, container = _one(opts, service, index)
    if output is None and sys.stdout.isatty():
        raise OperationFailedError(
            "refusing to write a tar archive to a terminal", hint="use -o FILE or a pipe"
        )
    chunks = engine.export_container(container.id)
    with open(output, "wb") if output else open(sys.stdout.fileno(), "wb", closefd=False) as sink:
        for chunk in chunks:
            sink.write(chunk)


@click.command("commit")
@click.argument("service")
@click.argument("reference", required=False, metavar="[REPOSITORY[:TAG]]")
@click.option("-a", "--author", help='Author (e.g. "Jane Doe <jane@example.com>").')
@click.option("-c", "--change", "changes", multiple=True, help="Apply a Dockerfile instruction to the image.")
@click.option("-m", "--message", help="Commit message.")
@click.option(
    "-p/--no-pause",
    "--pause",
    "pause",
    default=True,
    show_default=True,
    help="Pause the container during commit.",
)
@click.option("--index", type=int, default=1, show_default=True, help="Index of the container (replica).")
@click.pass_obj
def commit(
    opts: GlobalOptions,
    service: str,
    reference: str | None,
    author: str | None,
    changes: tuple[str, ...],
    message: str | None,
    pause: bool,
    index: int,
) -> None:
    """Create a new image from a service container's changes."""
    from compose_lite.cli.project import reporter

    _project, engine, container = _one(opts, service, index)
    report = reporter(opts)
    what = f"Commit {container.name}"
    try:  # progress only, on stderr, as Compose reports it: nothing on stdout
        report.event(container.name, what, "Committing")
        image_id = engine.commit_container(
            container.id, reference, message=message, author=author, changes=changes, pause=pause
        )
        report.event(container.name, what, f"Committed as {image_id}", done=True)
    finally:
        report.close()


def _one(opts: GlobalOptions, service: str, index: int) -> tuple[Project, Engine, ObservedContainer]:
    """Replica ``index`` of ``service``, running or not."""
    from compose_lite import observe
    from compose_lite.cli.project import load_project, open_engine

    engine = open_engine(opts)
    project = load_project(opts, engine=engine, services=(service,))
    found = observe.containers(engine, project.name, services=(service,), number=index)
    if not found:
        raise OperationFailedError(
            f"service {service!r} has no container number {index}",
            hint=f"create it with `cl up -d {service}`",
        )
    return project, engine, found[0]


@click.command("attach")
@click.argument("service")
@click.option("--index", type=int, default=1, show_default=True, help="Index of the container (replica).")
@click.option("--no-stdin", is_flag=True, help="Do not attach STDIN.")
@click.option("--sig-proxy/--no-sig-proxy", default=True, show_default=True,
              help="Proxy received signals to the process (Ctrl-C detaches when off).")
@click.option("--detach-keys", help="Key sequence for detaching (the engine's default when not given).")
@click.pass_obj
def attach(opts: GlobalOptions, service: str, index: int, no_stdin: bool, sig_proxy: bool,
           detach_keys: str | None) -> None:
    """Attach local standard input, output, and error streams to a service's running container."""
    from compose_lite.cli.exec_cmd import _session, _tty

    _project, engine, container = _one(opts, service, index)
    if container.state != Status.RUNNING:
        raise OperationFailedError(f"container {container.name} is not running",
                                   hint=f"start it with `cl start {service}`")
    session = _session(tty=_tty(False) and not no_stdin, detach=False, stdin=not no_stdin)
    try:
        code = engine.attach_container(container.id, session, detach_keys=detach_keys)
    except KeyboardInterrupt:
        if sig_proxy:
            engine.kill_container(container.id, "SIGINT")
        raise
    raise click.exceptions.Exit(code)
