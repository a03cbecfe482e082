"""`cl watch`: bring the stack up, then sync/restart/rebuild services as their files change."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from compose_lite.cli.context import GlobalOptions
from compose_lite.errors import ConfigError

if TYPE_CHECKING:
    from compose_lite.engine.base import Engine
    from compose_lite.model import Project
    from compose_lite.watch.loop import WatchLoop
    from compose_lite.watch.stats import LatencyStats


def parse_window(value: str, option: str) -> float:
    """``50ms``, ``0.5s`` or plain seconds → seconds."""
    from compose_lite.loader import parse_duration

    try:
        seconds = float(value) if value.replace(".", "", 1).isdigit() else parse_duration(value) / 1e9
    except ValueError:
        raise ConfigError(f"invalid {option} {value!r}", hint="use a duration such as 50ms or 0.5s") from None
    if seconds <= 0:
        raise ConfigError(f"invalid {option} {value!r}", hint="the duration must be above 0")
    return seconds


def make_loop(opts: GlobalOptions, project: Project, engine: Engine, services: tuple[str, ...], *,
              quiet: bool = False, poll: bool = False, debounce: str = "50ms",
              max_wait: str = "500ms", prune: bool = True) -> WatchLoop:
    """The watch loop as `cl watch` and `cl up --watch` run it (lines on stderr, or JSON lines with
    `--progress json`)."""
    from compose_lite.cli.project import load_project, locked
    from compose_lite.output import make_reporter
    from compose_lite.watch.loop import LoopOptions, WatchLoop

    quiet_s, max_wait_s = parse_window(debounce, "--debounce"), parse_window(max_wait, "--max-wait")
    options = LoopOptions(
        services=services, quiet=quiet_s, max_wait=max(max_wait_s, quiet_s),
        burst_quiet=max(quiet_s, 0.15), poll=True if poll else None,
        env_files=tuple(os.path.abspath(f) for f in opts.env_files) if opts.env_files else None,
        prune=prune)
    reporter = make_reporter("quiet" if quiet else "json" if opts.progress == "json" else "plain")
    return WatchLoop(project, engine, load=lambda: load_project(opts, services=services), reporter=reporter,
                     options=options, environ=opts.environ,
                     lock=lambda: locked(opts, engine, project.name, "watch"))


def watched_summary(loop: WatchLoop) -> str:
    roots = loop.watched_roots
    return f"Watching {len(roots)} path{'s' if len(roots) != 1 else ''} for changes (Ctrl-C to stop)"


def print_stats(stats: LatencyStats) -> None:
    click.echo(stats.render(), err=True)


def watch_alongside(opts: GlobalOptions, project: Project, engine: Engine, services: tuple[str, ...],
                    attach: Callable[[], None] | None) -> None:
    """`cl up --watch`: the loop in the foreground (detached), or next to the attached log view,
    which owns Ctrl-C (it stops the stack as `up` does) and after which the loop stops too."""
    loop = make_loop(opts, project, engine, services)

    def announce() -> None:
        click.echo(watched_summary(loop), err=True)

    if attach is None:
        try:
            loop.run(on_ready=announce)
        except KeyboardInterrupt:
            click.echo("watch stopped; the services keep running (`cl down` removes them)", err=True)
        return
    thread = threading.Thread(target=loop.run, kwargs={"on_ready": announce}, name="cl-watch-loop",
                              daemon=True)
    thread.start()
    try:
        attach()
    finally:
        loop.stop()
        thread.join(timeout=5)


@click.command("watch")
@click.argument("services", nargs=-1)
@click.option("--no-up", is_flag=True, help="Do not build and start the services before watching.")
@click.option("--poll", is_flag=True, help="Poll the file system instead of inotify (env CL_WATCH_POLL=1).")
@click.option("--quiet", is_flag=True, help="Print only problems (failed actions, warnings).")
@click.option("--stats", is_flag=True, help="Print latency percentiles (change → action done) on exit.")
@click.option("--debounce", default="50ms", show_default=True,
              help="Quiet window that closes a batch of changes.")
@click.option("--max-wait", default="500ms", show_default=True,
              help="Longest a batch stays open while changes keep coming.")
@click.option("--prune/--no-prune", default=True, show_default=True,
              help="Remove the image a rebuild replaced, once no container uses it.")
@click.pass_obj
def watch(opts: GlobalOptions, services: tuple[str, ...], no_up: bool, poll: bool, quiet: bool, stats: bool,
          debounce: str, max_wait: str, prune: bool) -> None:
    """Watch the build context and bind mounts; sync, restart or rebuild services on change."""
    from compose_lite import app
    from compose_lite.cli.project import load_project, open_engine, reporter
    from compose_lite.interrupts import interruptible

    project = load_project(opts, services=services)
    engine = open_engine(opts)
    loop = make_loop(opts, project, engine, services, quiet=quiet, poll=poll, debounce=debounce,
                     max_wait=max_wait, prune=prune)
    if not no_up:
        report = reporter(opts, quiet=quiet)
        try:
            app.up(project, engine, app.UpRequest(services=services), report, environ=opts.environ)
        finally:
            report.close()
    try:
        with interruptible():  # also when started as a background job, whose SIGINT the shell ignores
            loop.run(on_ready=None if quiet else lambda: click.echo(watched_summary(loop), err=True))
    except KeyboardInterrupt:
        click.echo("watch stopped; the services keep running (`cl down` removes them)", err=True)
    finally:
        if stats:
            print_stats(loop.stats)
