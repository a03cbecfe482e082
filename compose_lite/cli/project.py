"""Shared by the lifecycle commands: load + bind the project, open the engine, make the reporter."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from compose_lite.cli.context import GlobalOptions
from compose_lite.errors import NoConfigFileError

if TYPE_CHECKING:
    from compose_lite.engine.base import Engine
    from compose_lite.engine.docker_engine import DockerEngine
    from compose_lite.loader import LoadRequest
    from compose_lite.model import Project
    from compose_lite.output import Reporter


def load_request(opts: GlobalOptions, **flags: Any) -> LoadRequest:
    """The loader request the global options describe (``flags``: interpolate, normalize, …, and
    ``services``, those the command names)."""
    from compose_lite.loader import LoadRequest

    return LoadRequest(
        files=opts.files, project_name=opts.project_name, project_directory=opts.project_directory,
        env_files=opts.env_files, profiles=opts.profiles, environ=dict(opts.environ), cwd=os.getcwd(),
        stdin=_read_stdin, all_resources=opts.all_resources, **flags)


def load_project(opts: GlobalOptions, *, engine: Engine | None = None,
                 services: tuple[str, ...] = ()) -> Project:
    """The bound project; loader warnings are printed here (stderr), errors raised. ``services``:
    those the command names (naming one its profiles disable enables it, as in Compose).

    Given an ``engine``, a project named by -p / COMPOSE_PROJECT_NAME with no Compose file around
    is rebuilt from its labels, as Docker Compose does for down, ps, logs, stop and friends.
    """
    from compose_lite.loader import load

    try:
        result = load(load_request(opts, services=services))
    except NoConfigFileError:
        name = opts.project_name or opts.environ.get("COMPOSE_PROJECT_NAME")
        if engine is None or not name or opts.files:
            raise
        from compose_lite.labelled_project import project_from_labels

        found = project_from_labels(name, engine)
        if found is None:
            raise
        return found
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    return result.project


def open_engine(opts: GlobalOptions) -> DockerEngine:
    from compose_lite.engine.docker_engine import DockerEngine
    from compose_lite.executor import parallel_limit

    return DockerEngine(opts.docker_host(), environ=opts.environ, pool_size=parallel_limit(opts.environ))


def reporter(opts: GlobalOptions, *, quiet: bool = False) -> Reporter:
    from compose_lite.output import make_reporter

    mode = "quiet" if quiet else opts.progress
    if mode == "auto" and opts.ansi == "never":
        mode = "plain"
    # COMPOSE_STATUS_STDOUT: progress on stdout, as Compose writes it when asked
    to_stdout = env_flag(opts.environ, "COMPOSE_STATUS_STDOUT")
    return make_reporter(mode, sys.stdout if to_stdout else None)


def env_flag(environ: Mapping[str, str], name: str) -> bool:
    """A COMPOSE_* switch read as Compose reads it: y, 1, t, true (any case) are on; the rest off."""
    return environ.get(name, "").strip().lower() in ("y", "1", "t", "true")


@contextmanager
def locked(opts: GlobalOptions, engine: Engine, project: str, command: str) -> Iterator[None]:
    """Hold the project's lock for a command that changes it (compose_lite.lock); say whom it
    waits for, once per holder. SIGTERM, like Ctrl-C, stops the command through its clean-up:
    the lock is released, not left for the next command to take over."""
    from compose_lite.interrupts import interruptible
    from compose_lite.lock import DEFAULT_TTL_S, Holder, project_lock

    def waiting(holder: Holder) -> None:
        click.echo(f"waiting for {holder.describe()} to release project {project}", err=True)

    ttl = float(opts.environ.get("CL_LOCK_TTL") or DEFAULT_TTL_S)
    with interruptible(), project_lock(engine, project, command, wait=opts.wait_lock, on_wait=waiting,
                                       ttl=ttl):
        yield


def _read_stdin() -> bytes:
    """`-f -`: standard input, bounded like every file the loader reads (bytes: the loader checks
    the encoding and reports where it breaks)."""
    from compose_lite.errors import ConfigError
    from compose_lite.loader import read_capped

    try:
        return read_capped(sys.stdin.buffer)
    except OSError as err:
        raise ConfigError(f"cannot read the compose file from stdin: {err.strerror}") from None


# `up`, `down` and `kill`: when not given, COMPOSE_REMOVE_ORPHANS says, as in Compose
remove_orphans_option = click.option(
    "--remove-orphans", is_flag=True, default=lambda: env_flag(os.environ, "COMPOSE_REMOVE_ORPHANS"),
    help="Remove containers for services not in the Compose file. Env: COMPOSE_REMOVE_ORPHANS.")
