"""The `cl` command line: a click group, global options and the single error boundary.

Command modules are small and import heavy libraries (docker, jsonschema, rich,
watchdog) only inside their functions, so `cl --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import Any

import click

from compose_lite import __version__
from compose_lite.cli.context import GlobalOptions
from compose_lite.errors import ComposeLiteError, ConfigErrors, InterruptedByUser, OutputClosed

# Commands whose plan can be shown without acting on it.
_DRY_RUN_COMMANDS = frozenset({"up", "create", "down", "config", "ps", "ls", "images", "version"})
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class ErrorBoundaryGroup(click.Group):
    """Renders library errors as ``error:``/``hint:`` lines; tracebacks only with --debug.

    Commands are loaded lazily from ``commands.COMMANDS``: a run imports only its own command.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        from compose_lite.cli import commands

        return sorted(set(self.commands) | set(commands.COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from compose_lite.cli import commands

        command = self.commands.get(cmd_name) or commands.load(cmd_name)
        if command is not None and not any("--dry-run" in p.opts for p in command.params):
            # Compose's --dry-run is a global flag that may follow the command too: `cl down --dry-run`
            command.params.append(click.Option(["--dry-run"], is_flag=True, expose_value=False,
                                               callback=_dry_run_after_command,
                                               help="Execute the command in dry-run mode."))
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ComposeLiteError as err:
            debug = bool(ctx.meta.get("cl.debug"))
            if debug:
                import traceback

                traceback.print_exc()
            raise click.exceptions.Exit(render_error(err)) from None
        except KeyboardInterrupt:
            raise click.exceptions.Exit(InterruptedByUser.exit_code) from None
        except BrokenPipeError:  # stdout's reader went away (`cl ps | head -1`)
            raise click.exceptions.Exit(render_error(OutputClosed("output closed"))) from None


def _dry_run_after_command(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        _check_dry_run(ctx.info_name)
        ctx.obj = replace(ctx.obj, dry_run=True)


def _check_dry_run(command: str | None) -> None:
    if command not in _DRY_RUN_COMMANDS:
        raise click.UsageError(f"--dry-run is supported by {', '.join(sorted(_DRY_RUN_COMMANDS))}, "
                               f"not by {command}")


def render_error(err: ComposeLiteError) -> int:
    """Write an error (or several) to stderr; return the exit code."""
    if isinstance(err, OutputClosed):
        # Nothing to say, and nothing more may reach stdout: the interpreter's last flush would fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return err.exit_code
    if isinstance(err, InterruptedByUser):
        click.echo(err.message, err=True)
        return err.exit_code
    errors = err.errors if isinstance(err, ConfigErrors) else [err]
    for one in errors:
        click.echo(f"error: {_relative_to_cwd(str(one))}", err=True)
        if one.hint:
            click.echo(f"hint: {one.hint}", err=True)
    return err.exit_code


def _relative_to_cwd(text: str) -> str:
    """Files under the working directory are shown as editors and terminals link them: relative."""
    cwd = os.getcwd().rstrip("/") + "/"
    return text[len(cwd):] if cwd != "/" and text.startswith(cwd) else text


@click.group(cls=ErrorBoundaryGroup, context_settings=CONTEXT_SETTINGS)
@click.option("-f", "--file", "files", multiple=True,
              help="Compose configuration file (repeatable, '-' reads stdin). Env: COMPOSE_FILE.")
@click.option("-p", "--project-name", help="Project name. Env: COMPOSE_PROJECT_NAME.")
@click.option("--project-directory", type=click.Path(file_okay=False),
              help="Alternate working directory (default: the first file's directory).")
@click.option("--env-file", "env_files", multiple=True, help="Alternate environment file (repeatable).")
@click.option("--profile", "profiles", multiple=True,
              help="Activate a profile (repeatable). Env: COMPOSE_PROFILES.")
@click.option("--ansi", type=click.Choice(["never", "always", "auto"]), default="auto", show_default=True,
              envvar="COMPOSE_ANSI", help="Control when to print ANSI control characters. Env: COMPOSE_ANSI.")
@click.option("--progress", type=click.Choice(["auto", "tty", "plain", "json", "quiet"]), default="auto",
              envvar="COMPOSE_PROGRESS", show_default=True,
              help="Type of progress output. Env: COMPOSE_PROGRESS.")
@click.option("-H", "--host", help="Daemon socket to connect to (unix://, tcp://, ssh://). Env: DOCKER_HOST.")
@click.option("--compatibility", is_flag=True,
              help="Docker Compose v1 names (project_service_1): refused, cl uses v2's.")
@click.option("--dry-run", is_flag=True,
              help="Show what up, create and down would do, and do nothing (other commands refuse it).")
@click.option("--parallel", type=int, default=None, metavar="N",
              help="Control max parallelism, -1 for unlimited. Env: COMPOSE_PARALLEL_LIMIT.")
@click.option("--all-resources", is_flag=True, help="Include all resources, even those not used by services.")
@click.option("--wait-lock", type=click.FloatRange(min=0), default=600, show_default=True, metavar="SECONDS",
              help="How long a command that changes the project waits for another one holding its lock.")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.option("-v", "--verbose", is_flag=True, help="Show what compose-lite is doing.")
@click.version_option(__version__, "--version", prog_name="compose-lite",
                      message="%(prog)s version %(version)s")
@click.pass_context
def cli(ctx: click.Context, files: tuple[str, ...], project_name: str | None, project_directory: str | None,
        env_files: tuple[str, ...], profiles: tuple[str, ...], ansi: str, progress: str, host: str | None,
        compatibility: bool, dry_run: bool, parallel: int | None, all_resources: bool, wait_lock: float,
        debug: bool, verbose: bool) -> None:
    """compose-lite: define and run multi-container applications (Compose files, one engine)."""
    ctx.meta["cl.debug"] = debug
    if debug or verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG if debug else logging.INFO,
                            format="%(levelname)s %(name)s: %(message)s")
    environ = dict(os.environ)
    if parallel is not None:  # the executor reads COMPOSE_PARALLEL_LIMIT, as Compose does
        environ["COMPOSE_PARALLEL_LIMIT"] = str(parallel if parallel > 0 else 1024)
    ctx.obj = GlobalOptions(
        files=files, project_name=project_name, project_directory=project_directory,
        env_files=env_files, profiles=profiles, ansi=ansi, progress=progress, host=host,
        wait_lock=wait_lock, all_resources=all_resources, debug=debug, verbose=verbose, environ=environ,
        dry_run=dry_run,
    )
    if compatibility:
        raise click.UsageError("--compatibility (Docker Compose v1's project_service_1 names) is not "
                               "supported: cl names containers as Docker Compose v2 does")
    if dry_run:
        _check_dry_run(ctx.invoked_subcommand)


def main() -> None:
    try:
        cli.main(prog_name="cl")
    except KeyboardInterrupt:  # Ctrl-C outside a command's own handling
        sys.exit(InterruptedByUser.exit_code)
