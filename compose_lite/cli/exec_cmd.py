"""`cl exec` and `cl run`: a command in a running container, or in a new one-off container."""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from compose_lite.cli.completion import complete_services
from compose_lite.cli.context import GlobalOptions

if TYPE_CHECKING:
    from compose_lite.engine.base import Session

PASS_THROUGH = {"ignore_unknown_options": True, "allow_interspersed_args": False}


def _tty(no_tty: bool) -> bool:
    """A TTY unless -T, and only when we have a terminal to connect it to."""
    return not no_tty and sys.stdin.isatty()


def _session(*, tty: bool, detach: bool, stdin: bool = True) -> Session:
    """This process's own streams, wired to the container's."""
    from compose_lite.engine.base import Session

    return Session(tty=tty, stdin=stdin, detach=detach, stdin_fd=sys.stdin.fileno(),
                   stdout=sys.stdout.buffer, stderr=sys.stderr.buffer)


@click.command("exec", context_settings=PASS_THROUGH)
@click.argument("service", shell_complete=complete_services)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@click.option("-d", "--detach", is_flag=True, help="Detached mode: run the command in the background.")
@click.option("-e", "--env", "env", multiple=True, help="Set environment variables.")
@click.option("--index", type=int, default=1, show_default=True,
              help="Index of the container if the service has multiple replicas.")
@click.option("--privileged", is_flag=True, help="Give extended privileges to the process.")
@click.option("-T", "--no-tty", "--no-TTY", "no_tty", is_flag=True,
              help="Disable pseudo-TTY allocation (default: a TTY when stdin is a terminal).")
@click.option("-u", "--user", help="Run the command as this user.")
@click.option("-w", "--workdir", help="Path to workdir directory for this command.")
@click.pass_obj
def exec_(opts: GlobalOptions, service: str, command: tuple[str, ...], detach: bool, env: tuple[str, ...],
          index: int, privileged: bool, no_tty: bool, user: str | None, workdir: str | None) -> None:
    """Execute a command in a running container.

    The command's exit code is cl's.
    """
    from compose_lite import oneoff
    from compose_lite.cli.project import load_project, open_engine

    project = load_project(opts, services=(service,))
    engine = open_engine(opts)
    target = oneoff.exec_target(engine, project, service, index)
    code = engine.exec_attached(target.id, command, _session(tty=_tty(no_tty), detach=detach), user=user,
                                workdir=workdir, environment=oneoff.parse_env(env, opts.environ),
                                privileged=privileged)
    raise click.exceptions.Exit(code)


@click.command("run", context_settings=PASS_THROUGH)
@click.argument("service", shell_complete=complete_services)
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@click.option("-d", "--detach", is_flag=True, help="Run container in background and print container ID.")
@click.option("--entrypoint", help="Override the entrypoint of the image.")
@click.option("-e", "--env", "env", multiple=True, help="Set environment variables.")
@click.option("-l", "--label", "labels", multiple=True, help="Add or override a label.")
@click.option("--name", help="Assign a name to the container.")
@click.option("--no-deps", is_flag=True, help="Don't start linked services.")
@click.option("-p", "--publish", multiple=True, help="Publish a container's port(s) to the host.")
@click.option("--rm", "remove", is_flag=True, help="Automatically remove the container when it exits.")
@click.option("-P", "--service-ports", is_flag=True,
              help="Run command with all service's ports enabled and mapped to the host.")
@click.option("-i", "--interactive", is_flag=True, default=True, hidden=True,
              help="Keep STDIN open (always: stdin is attached unless --detach).")
@click.option("--cap-add", multiple=True, help="Add Linux capabilities.")
@click.option("--cap-drop", multiple=True, help="Drop Linux capabilities.")
@click.option("--env-from-file", "env_files", multiple=True, help="Set environment variables from a file.")
@click.option("--build", is_flag=True, default=None, help="Build the image before starting the container.")
@click.option("--pull", type=click.Choice(["always", "missing", "never"]),
              help="Pull the image before running.")
@click.option("--remove-orphans", is_flag=True,
              help="Remove containers for services not in the Compose file.")
@click.option("--use-aliases", is_flag=True, help="Use the service's network aliases for the container.")
@click.option("-q", "--quiet", is_flag=True, help="Don't print anything to stdout.")
@click.option("--quiet-pull", is_flag=True, help="Pull without printing progress information.")
@click.option("--quiet-build", is_flag=True, help="Build without printing progress information.")
@click.option("-T", "--no-tty", "--no-TTY", "no_tty", is_flag=True,
              help="Disable pseudo-TTY allocation (default: a TTY when stdin is a terminal).")
@click.option("-u", "--user", help="Run as specified username or uid.")
@click.option("-v", "--volume", "volumes", multiple=True, help="Bind mount a volume.")
@click.option("-w", "--workdir", help="Working directory inside the container.")
@click.pass_obj
def run(opts: GlobalOptions, service: str, command: tuple[str, ...], detach: bool, entrypoint: str | None,
        env: tuple[str, ...], labels: tuple[str, ...], name: str | None, no_deps: bool,
        publish: tuple[str, ...], remove: bool, service_ports: bool, interactive: bool,
        cap_add: tuple[str, ...],
        cap_drop: tuple[str, ...], env_files: tuple[str, ...], build: bool | None, pull: str | None,
        remove_orphans: bool, use_aliases: bool, quiet: bool, quiet_pull: bool, quiet_build: bool,
        no_tty: bool, user: str | None, volumes: tuple[str, ...], workdir: str | None) -> None:
    """Run a one-off command on a service.

    The command's exit code is cl's.
    """
    from compose_lite import oneoff
    from compose_lite.cli.project import env_flag, load_project, locked, open_engine, reporter
    from compose_lite.interrupts import interruptible

    request = oneoff.RunRequest(
        service=service, command=command, entrypoint=tuple(shlex.split(entrypoint)) if entrypoint else None,
        environment={**_env_from_files(env_files), **oneoff.parse_env(env, opts.environ)},
        volumes=volumes, publish=publish, cap_add=cap_add, cap_drop=cap_drop, build=build or None,
        pull=pull, remove_orphans=remove_orphans, use_aliases=use_aliases,
        service_ports=service_ports, no_deps=no_deps, remove=remove and not detach, name=name,
        workdir=workdir, user=user, labels=dict(label.partition("=")[::2] for label in labels))
    # stdin kept open detached too (-i, on by default), as Compose: a detached shell does not see EOF
    session = _session(tty=_tty(no_tty) and not detach, stdin=interactive, detach=detach)
    project = load_project(opts, services=(service,))
    request = replace(request, ignore_orphans=env_flag(project.environment, "COMPOSE_IGNORE_ORPHANS"))
    report = reporter(opts, quiet=quiet or quiet_pull or quiet_build)

    def created(container_id: str) -> None:
        report.close()  # a live progress display must not draw over the container's terminal
        if detach:
            click.echo(container_id)  # the whole id, as Compose prints it

    try:
        with interruptible():  # SIGTERM too removes a --rm container on the way out
            engine = open_engine(opts)
            code = oneoff.run(project, engine, request, session, report, environ=opts.environ,
                              created=created, lock=lambda: locked(opts, engine, project.name, "run"))
    finally:
        report.close()
    raise click.exceptions.Exit(code)


def _env_from_files(paths: tuple[str, ...]) -> dict[str, str]:
    """--env-from-file: KEY=VALUE files in the .env dialect, later ones winning."""
    from compose_lite.loader import read_dotenv

    out: dict[str, str] = {}
    for path in paths:
        out.update(read_dotenv(os.path.abspath(path), os.environ.get))
    return out


COMMANDS = (exec_, run)
