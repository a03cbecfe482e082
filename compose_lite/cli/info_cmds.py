"""`cl images|top|port|ls|events|wait|stats|cp`: what is running, in Compose v2's output shapes.

Tables are aligned as Docker's tabwriter does it (minimum width 20, padding 3); ``--format json``
prints what `docker compose` prints (arrays for images/ls, one object per line for stats/events).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from compose_lite.cli.completion import complete_services
from compose_lite.cli.context import GlobalOptions
from compose_lite.cli.gotemplate import format_choice, go_json, is_template, render, table
from compose_lite.clock import ago
from compose_lite.state import Status

if TYPE_CHECKING:
    from compose_lite.engine.base import ContainerStats, Engine
    from compose_lite.model import Project
    from compose_lite.state import ObservedContainer

services_argument = click.argument("services", nargs=-1, shell_complete=complete_services)
format_option = click.option("--format", "fmt", default="table", show_default=True, callback=format_choice,
                             help="Format the output: table, json, or a template ('{{.Name}}').")


def human_size(size: float, *, binary: bool = False) -> str:
    """``1.99MB`` (decimal, 3 significant digits) or ``23.59GiB`` (binary, 4), like docker's units."""
    base, units = (1024.0, ("B", "KiB", "MiB", "GiB", "TiB")) if binary else (
        1000.0, ("B", "kB", "MB", "GB", "TB"))
    i = 0
    while size >= base and i < len(units) - 1:
        size /= base
        i += 1
    return f"{size:.{4 if binary else 3}g}{units[i]}"



def _engine_seconds(text: str) -> float:
    from compose_lite.clock import unix_time

    return unix_time(text) or 0.0


def _session(opts: GlobalOptions, services: tuple[str, ...] = ()) -> tuple[Project, Engine]:
    from compose_lite.cli.project import load_project, open_engine

    return load_project(opts, services=services), open_engine(opts)


def _containers(project: Project, engine: Engine, services: tuple[str, ...], *, running: bool = True,
                index: int | None = None) -> list[ObservedContainer]:
    from compose_lite import app

    return app.ps(project, engine, all_states=not running, services=services) if index is None else [
        c for c in app.ps(project, engine, all_states=not running, services=services) if c.number == index]


@click.command("images")
@services_argument
@format_option
@click.option("-q", "--quiet", is_flag=True, help="Only display IDs.")
@click.pass_obj
def images(opts: GlobalOptions, services: tuple[str, ...], fmt: str, quiet: bool) -> None:
    """List images used by the created containers."""
    project, engine = _session(opts, services)
    records: list[dict[str, Any]] = []
    for c in _containers(project, engine, services, running=False):
        info = engine.image_info(c.image_id or c.image)
        if info is None:
            continue
        ref = c.image if not c.image.startswith("sha256:") else (info.repo_tags or ("<none>:<none>",))[0]
        repo, _, tag = ref.rpartition(":") if ":" in ref.rsplit("/", 1)[-1] else (ref, "", "latest")
        records.append({"ID": info.id, "ContainerName": c.name, "Repository": repo, "Tag": tag,
                        "Platform": info.platform, "Size": info.size,
                        # Compose 2.40 says when the image was tagged here (built, pulled, loaded)
                        "LastTagTime": info.last_tag_time or info.created})
    if quiet:  # the whole id, as Compose prints it
        ids = dict.fromkeys(str(r["ID"]).split(":")[-1] for r in records)
        click.echo("".join(f"{i}\n" for i in ids), nl=False)
    elif fmt == "json":
        click.echo(go_json(records) + "\n")  # Compose's trailing empty line included
    elif is_template(fmt):
        click.echo(render(fmt, records), nl=False)
    else:
        rows = [("CONTAINER", "REPOSITORY", "TAG", "PLATFORM", "IMAGE ID", "SIZE", "CREATED")]
        rows += [(str(r["ContainerName"]), str(r["Repository"]), str(r["Tag"]), str(r["Platform"]),
                  str(r["ID"]).split(":")[-1][:12], human_size(float(r["Size"])),
                  ago(_engine_seconds(str(r["LastTagTime"])))) for r in records]
        click.echo(table(rows), nl=False)


@click.command("top")
@services_argument
@click.pass_obj
def top(opts: GlobalOptions, services: tuple[str, ...]) -> None:
    """Display the running processes."""
    project, engine = _session(opts, services)
    rows: list[tuple[str, ...]] = []
    for c in _containers(project, engine, services):
        procs = engine.top(c.id)
        if not rows:
            rows.append(("SERVICE", "#", *procs.titles))
        rows += [(c.service, str(c.number), *p) for p in procs.processes]
    if rows:
        click.echo(table(rows, min_width=4, padding=2), nl=False)


@click.command("port")
@click.argument("service", shell_complete=complete_services)
@click.argument("private_port", type=int)
@click.option("--protocol", type=click.Choice(["tcp", "udp"]), default="tcp", show_default=True,
              help="tcp or udp")
@click.option("--index", type=int, default=1, show_default=True,
              help="Index of the container if service has multiple replicas.")
@click.pass_obj
def port(opts: GlobalOptions, service: str, private_port: int, protocol: str, index: int) -> None:
    """Print the public port for a port binding."""
    from compose_lite.ports import published_port

    project, engine = _session(opts, (service,))
    host, number = published_port(project, engine, service, private_port, protocol=protocol, index=index)
    click.echo(f"{host}:{number}")


@click.command("ls")
@click.option("-a", "--all", "all_states", is_flag=True, help="Show all stopped Compose projects.")
@format_option
@click.option("-q", "--quiet", is_flag=True, help="Only display project names.")
@click.option("--filter", "filters", multiple=True, metavar="name=VALUE", help="Filter output (name=...).")
@click.pass_obj
def ls(opts: GlobalOptions, all_states: bool, fmt: str, quiet: bool, filters: tuple[str, ...]) -> None:
    """List running compose projects.

    Every project on the engine, found by its containers' labels.
    """
    from compose_lite import labels as L
    from compose_lite import observe
    from compose_lite.cli.project import open_engine

    names = [f.split("=", 1)[1] for f in filters if f.startswith("name=")]
    projects: dict[str, dict[str, Any]] = {}
    for c in observe.every_projects_containers(open_engine(opts)):
        if not all_states and c.state != Status.RUNNING:
            continue
        entry = projects.setdefault(c.project, {"states": {}, "files": c.labels.get(L.CONFIG_FILES, "")})
        entry["states"][c.state] = entry["states"].get(c.state, 0) + 1
    records = [{"Name": name, "Status": ", ".join(f"{s}({n})" for s, n in sorted(p["states"].items())),
                "ConfigFiles": p["files"]} for name, p in sorted(projects.items())
               if not names or any(n in name for n in names)]
    if quiet:
        click.echo("".join(f"{r['Name']}\n" for r in records), nl=False)
    elif fmt == "json":
        click.echo(go_json(records))  # no trailing empty line here, unlike `images`
    elif is_template(fmt):
        click.echo(render(fmt, records), nl=False)
    else:
        click.echo(table([("NAME", "STATUS", "CONFIG FILES")] +
                         [(r["Name"], r["Status"], r["ConfigFiles"]) for r in records]), nl=False)


@click.command("events")
@services_argument
@click.option("--json", "as_json", is_flag=True, help="Output events as a stream of json objects.")
@click.option("--since", help="Show all events created since timestamp.")
@click.option("--until", help="Stream events until this timestamp.")
@click.pass_obj
def events(opts: GlobalOptions, services: tuple[str, ...], as_json: bool, since: str | None,
           until: str | None) -> None:
    """Receive real time events from containers."""
    from compose_lite import app
    from compose_lite import labels as L
    from compose_lite.logs import parse_time

    project, engine = _session(opts, services)
    if services:
        app.select_services(project, services, with_deps=False)
    now = time.time()
    begin = parse_time(since, now=now, option="--since") if since else None
    end = parse_time(until, now=now, option="--until") if until else None
    for event in engine.events(project.name, since=begin, until=end):
        service = event.attributes.get(L.SERVICE, "")
        if services and service not in services:
            continue
        attrs = {k: v for k, v in event.attributes.items() if not k.startswith(_LABEL_PREFIXES)}
        stamp = datetime.fromtimestamp(event.time_nano / 1e9, tz=UTC)
        if as_json:
            click.echo(go_json({"action": event.action, "attributes": attrs, "id": event.id,
                                   "service": service, "time": _nano_text(event.time_nano),
                                   "type": event.type}))
        else:
            click.echo(f"{stamp.strftime('%Y-%m-%d %H:%M:%S.%f')} {event.type} {event.action} {event.id} ("
                       + ", ".join(f"{k}={v}" for k, v in sorted(attrs.items())) + ")")


# Labels ride along as event attributes; Compose shows only the engine's own (name, image, exitCode).
_LABEL_PREFIXES = ("com.docker.", "io.compose-lite", "org.opencontainers.")


def _nano_text(nanos: int) -> str:
    seconds, rest = divmod(nanos, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{rest:09d}Z"


@click.command("wait")
@click.argument("services", nargs=-1, required=True, shell_complete=complete_services)
@click.option("--down-project", is_flag=True, help="Drops project when the first container stops.")
@click.pass_obj
def wait(opts: GlobalOptions, services: tuple[str, ...], down_project: bool) -> None:
    """Block until containers of all (or specified) services stop.

    The exit code of the last one to stop is cl's.
    """
    import threading

    from compose_lite import app
    from compose_lite.cli.project import reporter

    project, engine = _session(opts, services)
    targets = _containers(project, engine, services, running=False)
    codes: dict[str, int] = {}
    done = threading.Event()
    lock = threading.Lock()

    def one(c: ObservedContainer) -> None:
        code = engine.wait_container(c.id)
        with lock:
            click.echo(f'container "{c.id}" exited with status code {code}')
            codes[c.id] = code
            if down_project or len(codes) == len(targets):
                done.set()

    for c in targets:
        threading.Thread(target=one, args=(c,), daemon=True, name=f"cl-wait-{c.name}").start()
    while targets and not done.wait(0.2):
        pass
    last = list(codes.values())[-1] if codes else 0
    if down_project:
        report = reporter(opts)
        try:
            app.down(project, engine, app.DownRequest(), report, environ=opts.environ)
        finally:
            report.close()
    raise click.exceptions.Exit(last)


@click.command("stats")
@click.argument("services", nargs=-1, shell_complete=complete_services)
@click.option("-a", "--all", "all_states", is_flag=True, help="Show all containers (default shows just "
              "running).")
@format_option
@click.option("--no-stream", is_flag=True, help="Disable streaming stats and only pull the first result.")
@click.option("--no-trunc", is_flag=True, help="Do not truncate output.")
@click.pass_obj
def stats(opts: GlobalOptions, services: tuple[str, ...], all_states: bool, fmt: str, no_stream: bool,
          no_trunc: bool) -> None:
    """Display a live stream of container(s) resource usage statistics."""
    from compose_lite.parallel import parallel_map

    project, engine = _session(opts, services)
    samples: dict[str, ContainerStats] = {}

    def sample(cid: str) -> None:
        samples[cid] = engine.container_stats(cid)

    while True:
        found = _containers(project, engine, services, running=not all_states)
        samples.clear()
        parallel_map(sample, [c.id for c in found if c.state == Status.RUNNING])
        records = [_stats_record(c, samples.get(c.id), no_trunc) for c in found]
        if not no_stream and fmt == "table" and sys.stdout.isatty():
            click.echo("\x1b[2J\x1b[H", nl=False)  # redraw in place, as `docker stats` does
        if fmt == "json":
            click.echo("".join(go_json(r) + "\n" for r in records), nl=False)
        else:
            keys = ("ID", "Name", "CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs")
            head = ("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O",
                    "PIDS")
            rows = [head] + [tuple(str(r[k]) for k in keys) for r in records]
            click.echo(table(rows, min_width=10), nl=False)  # the docker CLI's tabwriter
        if no_stream:
            return


def _stats_record(c: ObservedContainer, s: ContainerStats | None, no_trunc: bool) -> dict[str, str]:
    if s is None:
        return {"BlockIO": "0B / 0B", "CPUPerc": "0.00%", "Container": c.id, "ID": c.id if no_trunc else
                c.id[:12], "MemPerc": "0.00%", "MemUsage": "0B / 0B", "Name": c.name, "NetIO": "0B / 0B",
                "PIDs": "0"}
    mem_percent = s.mem_usage / s.mem_limit * 100 if s.mem_limit else 0.0
    return {"BlockIO": f"{human_size(s.block_read)} / {human_size(s.block_write)}",
            "CPUPerc": f"{s.cpu_percent:.2f}%", "Container": c.id, "ID": c.id if no_trunc else c.id[:12],
            "MemPerc": f"{mem_percent:.2f}%",
            "MemUsage": f"{human_size(s.mem_usage, binary=True)} / {human_size(s.mem_limit, binary=True)}",
            "Name": c.name, "NetIO": f"{human_size(s.net_rx)} / {human_size(s.net_tx)}", "PIDs": str(s.pids)}


@click.command("cp")
@click.argument("src")
@click.argument("dest")
@click.option("--index", type=int, help="Index of the container if service has multiple replicas.")
@click.option("-a", "--archive", is_flag=True, help="Archive mode (copy all uid/gid information).")
@click.option("-L", "--follow-link", is_flag=True, help="Always follow symbol link in SRC_PATH.")
@click.option("--all", "include_oneoffs", is_flag=True, help="Include containers created by the run command.")
@click.pass_obj
def cp(opts: GlobalOptions, src: str, dest: str, index: int | None, archive: bool, follow_link: bool,
       include_oneoffs: bool) -> None:
    """Copy files/folders between a service container and the local filesystem."""
    from compose_lite import copy
    from compose_lite.errors import NotFoundError

    source, target = copy.parse_endpoint(src), copy.parse_endpoint(dest)
    copy.check_pair(source, target)
    service = str(source.service or target.service)
    project, engine = _session(opts, (service,))
    found = _containers(project, engine, (service,), running=False, index=index)
    if include_oneoffs:
        from compose_lite import observe
        found += observe.containers(engine, project.name, services=(service,), oneoff=True)
    if not found:
        raise NotFoundError(f'no container found for service "{service}"'
                            + (f" with index {index}" if index is not None else ""))
    if source.service:
        copy.from_container(engine, found[0], source.path, target.path, follow_link=follow_link)
        return
    for c in found:  # into every replica unless --index picks one, as Compose does
        copy.to_container(engine, c, source.path, target.path, follow_links=follow_link, keep_ids=archive)


COMMANDS = (images, top, port, ls, events, wait, stats, cp)
