"""Shell completion: `cl completion bash|zsh|fish` prints click's script; services come from the project."""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem

SHELLS = ("bash", "zsh", "fish")


def complete_services(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Service names of the project the global options (-f, -p, --project-directory…) point at."""
    from compose_lite.cli.context import GlobalOptions
    from compose_lite.errors import ComposeLiteError

    root = ctx.find_root()
    opts = root.obj if isinstance(root.obj, GlobalOptions) else GlobalOptions(
        files=tuple(root.params.get("files") or ()), project_name=root.params.get("project_name"),
        project_directory=root.params.get("project_directory"),
        env_files=tuple(root.params.get("env_files") or ()),
        profiles=tuple(root.params.get("profiles") or ()))
    try:
        names = _service_names(opts)
    except (ComposeLiteError, OSError):
        return []  # completion must never fail loudly
    return [CompletionItem(n) for n in names if n.startswith(incomplete)]


def _service_names(opts: object) -> list[str]:
    from dataclasses import replace

    from compose_lite.cli.context import GlobalOptions
    from compose_lite.cli.project import load_request
    from compose_lite.loader import load

    assert isinstance(opts, GlobalOptions)
    # Completing must never block on stdin.
    loaded = load(replace(load_request(opts), stdin=lambda: "")).loaded
    return sorted((loaded.model.get("services") or {}).keys())


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Load it with `eval "$(cl completion bash)"` (or `_CL_COMPLETE=bash_source cl`).
    """
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # the three shells are click's own
    root = ctx.find_root()
    script = cls(root.command, {}, "cl", "_CL_COMPLETE").source()
    click.echo(script)
