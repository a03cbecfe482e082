"""`cl build`, `cl pull`, `cl push` (compose_lite.images) — build output streamed to stderr."""

from __future__ import annotations

import click

from compose_lite.cli.completion import complete_services
from compose_lite.cli.context import GlobalOptions

services_argument = click.argument("services", nargs=-1, shell_complete=complete_services)


@click.command("build")
@services_argument
@click.option("--no-cache", is_flag=True, help="Do not use cache when building the image.")
@click.option("--pull", is_flag=True, help="Always attempt to pull a newer version of the image.")
@click.option("--build-arg", "build_args", multiple=True, metavar="KEY[=VALUE]",
              help="Set build-time variables.")
@click.option("-q", "--quiet", is_flag=True, help="Don't print anything to stdout/stderr but errors.")
@click.option("--with-dependencies", is_flag=True, help="Also build the services they depend on.")
@click.option("--push", "push_after", is_flag=True, help="Push the service images after building them.")
@click.option("--print", "print_only", is_flag=True,
              help="Print the equivalent build definition (JSON), build nothing.")
@click.option("--ssh", "ssh", multiple=True, metavar="default|ID=PATH",
              help="SSH agent socket or keys for the builds (BuildKit).")
@click.option("-m", "--memory", help="Memory limit for the build containers (e.g. 1g).")
@click.option("--builder", help="The buildx builder to use (needs the buildx plugin).")
@click.option("--check", is_flag=True, help="Check the build configuration (needs the buildx plugin).")
@click.option("--provenance", help="Provenance attestation (needs the buildx plugin).")
@click.option("--sbom", help="SBOM attestation (needs the buildx plugin).")
@click.pass_obj
def build(opts: GlobalOptions, services: tuple[str, ...], no_cache: bool, pull: bool,
          build_args: tuple[str, ...], quiet: bool, with_dependencies: bool, push_after: bool,
          print_only: bool, ssh: tuple[str, ...], memory: str | None, builder: str | None, check: bool,
          provenance: str | None, sbom: str | None) -> None:
    """Build or rebuild services."""
    from compose_lite import images
    from compose_lite.cli.config_cmd import json_text
    from compose_lite.cli.project import load_project, open_engine, reporter
    from compose_lite.loader import parse_bytes

    project = load_project(opts)
    request = images.BuildRequest(services=services, no_cache=no_cache, pull=pull,
                                  build_args=images.parse_build_args(build_args, project.environment),
                                  with_dependencies=with_dependencies, ssh=ssh,
                                  memory=parse_bytes(memory) if memory else None,
                                  buildx_flags=(*([f"--builder={builder}"] if builder else []),
                                                *(["--check"] if check else []),
                                                *([f"--provenance={provenance}"] if provenance else []),
                                                *([f"--sbom={sbom}"] if sbom else [])), push=push_after)
    if print_only:
        definitions = images.build_definitions(project, request)
        if definitions is not None:
            click.echo(json_text(definitions))
        return
    report = reporter(opts, quiet=quiet)

    def output(text: str) -> None:
        if not quiet:
            click.echo(text, nl=False, err=True)

    try:
        engine = open_engine(opts)
        built = images.build(project, engine, request, output, report)
        if push_after and built:
            names = tuple(n for n in project.services if project.services[n].build is not None)
            images.push(project, engine, names, report)
    finally:
        report.close()


@click.command("pull")
@services_argument
@click.option("--ignore-pull-failures", is_flag=True, help="Pull what it can and ignores images with pull "
              "failures.")
@click.option("--ignore-buildable", is_flag=True, help="Ignore images that can be built.")
@click.option("--include-deps", is_flag=True, help="Also pull services declared as dependencies.")
@click.option("--policy", type=click.Choice(["missing", "always"]),
              help="Apply pull policy (default: each service's pull_policy).")
@click.option("-q", "--quiet", is_flag=True, help="Pull without printing progress information.")
@click.pass_obj
def pull(opts: GlobalOptions, services: tuple[str, ...], ignore_pull_failures: bool, ignore_buildable: bool,
         include_deps: bool, policy: str | None, quiet: bool) -> None:
    """Pull service images."""
    from compose_lite import images
    from compose_lite.cli.project import load_project, open_engine, reporter

    project = load_project(opts, services=services)
    report = reporter(opts, quiet=quiet)
    try:
        images.pull(project, open_engine(opts), services, report, ignore_failures=ignore_pull_failures,
                    ignore_buildable=ignore_buildable, include_deps=include_deps,
                    policy=policy)
    finally:
        report.close()


@click.command("push")
@services_argument
@click.option("--ignore-push-failures", is_flag=True, help="Push what it can and ignores images with push "
              "failures.")
@click.option("-q", "--quiet", is_flag=True, help="Push without printing progress information.")
@click.option("--include-deps", is_flag=True, help="Also push the images of the services they depend on.")
@click.pass_obj
def push(opts: GlobalOptions, services: tuple[str, ...], ignore_push_failures: bool, quiet: bool,
         include_deps: bool) -> None:
    """Push service images."""
    from compose_lite import app, images
    from compose_lite.cli.project import load_project, open_engine, reporter

    project = load_project(opts, services=services)
    if include_deps and services:
        services = tuple(sorted(app.select_services(project, services, with_deps=True)))
    report = reporter(opts, quiet=quiet)
    try:
        images.push(project, open_engine(opts), services, report, ignore_failures=ignore_push_failures)
    finally:
        report.close()


COMMANDS = (build, pull, push)
