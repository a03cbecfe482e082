"""`cl bridge`: convert the project with transformation images, and manage those images."""

from __future__ import annotations

import sys

import click

from compose_lite.cli.context import GlobalOptions


@click.group("bridge")
def bridge() -> None:
    """Convert compose files into another model."""


@bridge.command("convert")
@click.option("-o", "--output", default="out", show_default=True,
              help="The output directory for the Kubernetes resources.")
@click.option("-t", "--transformation", "transformations", multiple=True,
              help="Transformation to apply to compose model (default: docker/compose-bridge-kubernetes).")
@click.option("--templates", type=click.Path(file_okay=False),
              help="Directory containing transformation templates.")
@click.pass_obj
def convert(opts: GlobalOptions, output: str, transformations: tuple[str, ...],
            templates: str | None) -> None:
    """Convert compose files to Kubernetes manifests, Helm charts, or another model."""
    from compose_lite import bridge as lib
    from compose_lite.cli.config_cmd import render
    from compose_lite.cli.project import load_request, open_engine
    from compose_lite.loader import load

    loaded = load(load_request(opts)).loaded
    for warning in loaded.warnings:
        click.echo(f"warning: {warning}", err=True)
    engine = open_engine(opts)
    warn = lambda message: click.echo(f"warning: {message}", err=True)  # noqa: E731
    model = lib.complete_model(loaded.model, engine, opts.environ, warn)
    out = sys.stdout.buffer

    def show(chunk: bytes) -> None:
        out.write(chunk)
        out.flush()

    lib.convert(render(model, "yaml", escape=False), engine, output=output, transformations=transformations,
                templates=templates, show=show)


@bridge.group("transformations")
def transformations() -> None:
    """Manage transformation images."""


@transformations.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Format the output.")
@click.option("-q", "--quiet", is_flag=True, help="Only display transformer names.")
@click.pass_obj
def list_(opts: GlobalOptions, fmt: str, quiet: bool) -> None:
    """List available transformations."""
    from compose_lite import bridge as lib
    from compose_lite.cli.gotemplate import go_json, table
    from compose_lite.cli.info_cmds import human_size
    from compose_lite.cli.project import open_engine

    found = lib.transformations(open_engine(opts))
    if quiet:
        click.echo("".join(f"{(t.repo_tags or (t.id,))[0]}\n" for t in found), nl=False)
    elif fmt == "json":
        summaries = ({"Id": t.id, "RepoTags": list(t.repo_tags), "RepoDigests": list(t.repo_digests),
                      "Size": t.size, "Created": t.created} for t in found)
        click.echo("".join(go_json(s) + "\n" for s in summaries), nl=False)
    else:
        rows = [("IMAGE ID", "REPO", "TAGS", "SIZE")]
        for t in found:
            repo, tag = _repo_and_tag(t.repo_tags[0]) if t.repo_tags else ("<none>", "<none>")
            rows.append((t.id.split(":")[-1][:12], repo, tag, human_size(float(t.size))))
        click.echo(table(rows), nl=False)


transformations.add_command(list_, "ls")


@transformations.command("create")
@click.argument("path")
@click.option("-f", "--from", "source", help="Existing transformation to copy "
                                              "(default: docker/compose-bridge-kubernetes).")
@click.pass_obj
def create(opts: GlobalOptions, path: str, source: str | None) -> None:
    """Create a new transformation."""
    from compose_lite import bridge as lib
    from compose_lite.cli.project import open_engine

    out = lib.create_transformation(open_engine(opts), path, source)
    click.echo(f'Transformer created in "{out}"')


def _repo_and_tag(ref: str) -> tuple[str, str]:
    """Docker's familiar name and tag of a reference (``docker.io/library/`` left out)."""
    name, _, tag = ref.rpartition(":") if ":" in ref.rsplit("/", 1)[-1] else (ref, "", "")
    for prefix in ("docker.io/library/", "docker.io/"):
        name = name.removeprefix(prefix)
    return name, tag or "<none>"
