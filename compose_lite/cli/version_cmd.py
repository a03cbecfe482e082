"""`cl version`."""

from __future__ import annotations

import click

from compose_lite import __version__


@click.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["pretty", "json"]), default="pretty",
              help="Format the output.")
@click.option("--short", is_flag=True, help="Show only the version number.")
def version(fmt: str, short: bool) -> None:
    """Show the compose-lite version."""
    if short:
        click.echo(__version__)
    elif fmt == "json":
        from compose_lite.cli.gotemplate import go_json

        click.echo(go_json({"version": __version__}))
    else:
        click.echo(f"compose-lite version {__version__}")
