"""`cl logs`: the services' output, multiplexed with aligned, coloured ``web-1  | `` prefixes."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

import click

from compose_lite.cli.completion import complete_services
from compose_lite.cli.context import GlobalOptions
from compose_lite.errors import OutputClosed

if TYPE_CHECKING:
    from compose_lite.logfmt import LogLine
    from compose_lite.state import ObservedContainer


def use_colour(opts: GlobalOptions, no_color: bool, stream: TextIO) -> bool:
    """Colours on a terminal unless --no-color / --ansi never / NO_COLOR; --ansi always forces them."""
    if no_color or opts.ansi == "never":
        return False
    if opts.ansi == "always":
        return True
    return stream.isatty() and not opts.environ.get("NO_COLOR")


class LogPrinter:
    """Writes formatted log lines and lifecycle lines from many threads, one whole line at a time."""

    def __init__(self, services: Iterable[str], *, colour: bool, prefix: bool = True,
                 timestamps: bool = False, names: Iterable[str] = (), stream: TextIO | None = None) -> None:
        from compose_lite.logfmt import LogFormatter

        self._fmt = LogFormatter(services, colour=colour, prefix=prefix, timestamps=timestamps, names=names)
        self._stream = stream or sys.stdout
        self._lock = threading.Lock()

    def line(self, entry: LogLine) -> None:
        self._write(self._fmt.line(entry))

    def event(self, name: str, service: str, message: str) -> None:
        self._write(self._fmt.event(name, service, message))

    def notice(self, message: str) -> None:
        self._write(message)

    def _write(self, text: str) -> None:
        with self._lock:
            try:
                self._stream.write(text + "\n")
                self._stream.flush()
            except BrokenPipeError:
                raise OutputClosed("output closed") from None


@click.command("logs")
@click.argument("services", nargs=-1, shell_complete=complete_services)
@click.option("-f", "--follow", is_flag=True, help="Follow log output.")
@click.option("-n", "--tail", default="all", show_default=True,
              help="Number of lines to show from the end of the logs for each container.")
@click.option("-t", "--timestamps", is_flag=True, help="Show timestamps.")
@click.option("--since", help="Show logs since a timestamp (2013-01-02T13:23:37Z) or relative (42m).")
@click.option("--until", help="Show logs before a timestamp (2013-01-02T13:23:37Z) or relative (42m).")
@click.option("--no-color", is_flag=True, help="Produce monochrome output.")
@click.option("--no-log-prefix", is_flag=True, help="Don't print prefix in logs.")
@click.option("--index", type=int, help="Index of the container if the service has multiple replicas.")
@click.pass_obj
def logs(opts: GlobalOptions, services: tuple[str, ...], follow: bool, tail: str, timestamps: bool,
         since: str | None, until: str | None, no_color: bool, no_log_prefix: bool,
         index: int | None) -> None:
    """View output from containers."""
    from compose_lite import app, observe
    from compose_lite import logs as logs_
    from compose_lite.cli.project import load_project, open_engine
    from compose_lite.errors import ConfigError, OperationFailedError

    if tail != "all" and not (tail.isdigit() or tail == "-1"):
        raise ConfigError(f"invalid --tail value {tail!r}", hint="use a number of lines or 'all'")
    now = time.time()
    options = logs_.LogOptions(
        follow=follow, tail=None if tail in ("all", "-1") else int(tail), timestamps=timestamps,
        since=logs_.parse_time(since, now=now, option="--since") if since else None,
        until=logs_.parse_time(until, now=now, option="--until") if until else None)
    engine = open_engine(opts)
    project = load_project(opts, engine=engine, services=services)
    if services:
        app.select_services(project, services, with_deps=False)  # unknown names are errors
    shown = observe.containers(engine, project.name, services=services or None)
    names = [logs_.display_name(c) for c in shown]
    printer = LogPrinter(project.services, colour=use_colour(opts, no_color, sys.stdout),
                         prefix=not no_log_prefix, timestamps=timestamps, names=names)

    def exited(c: ObservedContainer, code: int) -> None:
        printer.event(logs_.display_name(c), c.service, f"exited with code {code}")

    errors = logs_.show(engine, project.name, services, options, printer.line, exited, index=index)
    if errors:
        raise OperationFailedError(str(errors[0]))
