"""`cl publish`: the project's Compose files as an OCI artifact (compose_lite.publish)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from compose_lite.cli.context import GlobalOptions

if TYPE_CHECKING:
    from compose_lite.engine.base import Engine
    from compose_lite.model import Project


@click.command("publish")
@click.argument("repository", metavar="REPOSITORY[:TAG]")
@click.option("--app", is_flag=True, help="Published compose application (includes referenced images).")
@click.option("--oci-version", type=click.Choice(["1.0", "1.1"]),
              help="OCI image/artifact specification version (automatically determined by default).")
@click.option("--resolve-image-digests", is_flag=True, help="Pin image tags to digests.")
@click.option("--with-env", is_flag=True, help="Include environment variables in the published OCI artifact.")
@click.option("-y", "--yes", is_flag=True, help='Assume "yes" as answer to all prompts.')
@click.pass_obj
def publish(opts: GlobalOptions, repository: str, app: bool, oci_version: str | None,
            resolve_image_digests: bool, with_env: bool, yes: bool) -> None:
    """Publish compose application."""
    from compose_lite import images
    from compose_lite import publish as lib
    from compose_lite.cli.project import load_project, load_request, open_engine, reporter
    from compose_lite.errors import ConfigError
    from compose_lite.loader import load
    from compose_lite.oci import Reference

    if app:
        raise ConfigError("--app is not supported by cl: it copies every service image into the "
                          "artifact's repository",
                          hint="publish without --app; the services' images are pushed to their own "
                               "repositories either way")
    reference = Reference.parse(repository)
    request = lib.PublishRequest(repository, oci_version, resolve_image_digests, with_env, yes)
    # env_file kept as declared: what the checks look at, and what the artifact carries
    loaded = load(load_request(opts, resolve_env_files=False)).loaded
    terminal = sys.stdin.isatty() and sys.stderr.isatty()
    ask = (lambda question: click.confirm(question, default=False, err=True)) if terminal else None
    if not lib.check(loaded.model, request, ask):
        click.echo("publish cancelled: nothing was pushed", err=True)
        return
    engine = open_engine(opts)
    project = load_project(opts, engine=engine)
    report = reporter(opts)
    try:
        images.push(project, engine, (), report, ignore_failures=True)
        digests = _digests(project, engine) if resolve_image_digests else None
        artifact = lib.layers(tuple(loaded.config_files), loaded.working_dir, with_env=with_env,
                              image_digests=digests)
        report.event("Artifact", str(reference), "Publishing")
        lib.push(reference, artifact, opts.environ, oci_version=oci_version)
        report.event("Artifact", str(reference), "Published", done=True)
    finally:
        report.close()


def _digests(project: Project, engine: Engine) -> dict[str, str]:
    """Service → ``repository@sha256:…``, from the digests the engine recorded when it pushed."""
    found: dict[str, str] = {}
    for name, svc in project.services.items():
        info = engine.image_info(svc.image) if svc.image else None
        if info is None or svc.image is None:
            continue
        tagged = ":" in svc.image.rsplit("/", 1)[-1]
        repository = svc.image.rsplit(":", 1)[0] if tagged else svc.image
        digest = next((d for d in info.repo_digests if d.split("@")[0] == repository), None)
        if digest:
            found[name] = digest
    return found
