"""`cl config`: print the canonical model of the project (or a slice of it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

import click

from compose_lite.cli.context import GlobalOptions


@click.command("config")
@click.argument("selected", nargs=-1, metavar="[SERVICE]...")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]),
              help="Output format (default: yaml; --variables: a table).")
@click.option("-q", "--quiet", is_flag=True, help="Only validate the configuration, print nothing.")
@click.option("--services", is_flag=True, help="Print the service names, one per line.")
@click.option("--volumes", is_flag=True, help="Print the volume names, one per line.")
@click.option("--networks", is_flag=True, help="Print the network names, one per line.")
@click.option("--profiles", is_flag=True, help="Print the profile names, one per line.")
@click.option("--images", is_flag=True, help="Print the image names, one per line.")
@click.option("--no-interpolate", is_flag=True, help="Don't interpolate environment variables.")
@click.option("--no-normalize", is_flag=True, help="Don't normalize the compose model.")
@click.option("--no-path-resolution", is_flag=True, help="Don't resolve file paths.")
@click.option("--hash", "hash_of", metavar="SERVICES",
              help="Print these services' config hash ('*' for all, else comma-separated), one per line.")
@click.option("--environment", is_flag=True, help="Print the environment used for interpolation.")
@click.option("--models", is_flag=True, help="Print the model names, one per line.")
@click.option("--no-consistency", is_flag=True, help="Don't check model consistency.")
@click.option("--no-env-resolution", is_flag=True,
              help="Don't resolve service env files (as in Compose, the loader has already folded them).")
@click.option("--resolve-image-digests", is_flag=True,
              help="Pin image tags to digests (from the engine's images).")
@click.option("--lock-image-digests", is_flag=True,
              help="Print an override file pinning the images to digests.")
@click.option("--variables", is_flag=True, help="Print the variables the files use, with their defaults.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Save to file (default: stdout).")
@click.pass_obj
def config(opts: GlobalOptions, selected: tuple[str, ...], fmt: str | None, quiet: bool, services: bool,
           volumes: bool, networks: bool, profiles: bool, images: bool, no_interpolate: bool,
           no_normalize: bool, no_path_resolution: bool, hash_of: str | None, environment: bool, models: bool,
           no_consistency: bool, no_env_resolution: bool, resolve_image_digests: bool,
           lock_image_digests: bool, variables: bool, output: str | None) -> None:
    """Parse, resolve and render the Compose files in canonical format (only the named services and
    what they depend on, when services are named)."""
    from compose_lite.cli.project import load_request
    from compose_lite.loader import all_profiles, load, select_services

    if variables:  # from the files as written: the templates, not their values
        if not (quiet and fmt == "yaml"):  # -q silences what Compose writes to os.Stdout, not the rest
            click.echo(_variables_text(opts, fmt), nl=False)
        return
    # As Compose: the name lists and hashes are of the whole project, and print even with -q; the
    # rest is of the named services (a service its profiles disable is enabled by naming it).
    whole = services or volumes or networks or models or bool(hash_of)
    named = () if whole or no_interpolate else selected
    # The listings load without env_file (a missing one is no error); the model folds it, whatever
    # --no-env-resolution says (compose-go's loader folds and discards env_file before that flag
    # is seen); the uninterpolated model is compose-go's raw one, env_file as written.  (--hash
    # too loads without env_file in Compose, but bare `KEY` entries resolved: cl's loader does both
    # or neither, and the hash needs the second.)
    listing = services or volumes or networks or models or profiles or images
    # (compose-go checks no consistency on the uninterpolated model)
    result = load(load_request(opts, interpolate=not no_interpolate, normalize=not no_normalize,
                                 resolve_paths=not no_path_resolution,
                                 consistency=not (no_consistency or no_interpolate),
                                 resolve_env_files=not (listing or no_interpolate), services=named))
    project = result.loaded
    for warning in project.warnings:
        click.echo(f"warning: {warning}", err=True)
    model = project.model
    if named:
        model = select_services(model, named, all_resources=opts.all_resources)
    if quiet and not (listing or hash_of):
        return
    fmt = fmt or "yaml"
    if services:
        text = _lines(_dependencies_first(model.get("services") or {}))
    elif volumes:
        text = _lines(model.get("volumes") or {})
    elif networks:
        text = _lines(model.get("networks") or {})
    elif models:  # the models' names for the runner (ai/smollm2), not their keys
        text = _lines(m["model"] for m in (model.get("models") or {}).values() if (m or {}).get("model"))
    elif hash_of:
        _print_hashes(model, hash_of)
        return
    elif profiles:
        every = {**(model.get("services") or {}), **project.disabled_services}
        text = _lines(all_profiles(every))
    elif images:
        text = _lines(_image(name, svc, project.name) for name, svc in (model.get("services") or {}).items())
    elif environment:
        text = "".join(f"{k}={v}\n" for k, v in sorted(project.environment.items()))
    elif resolve_image_digests or lock_image_digests:
        pinned = {**model, "services": _pinned_services(opts, model.get("services") or {})}
        if lock_image_digests:  # an override file: each service, with its image if it has one
            pinned = {"services": {name: {k: v for k, v in svc.items() if k == "image"}
                                   for name, svc in pinned["services"].items()}}
        text = render(pinned, fmt, escape=not no_interpolate, typed=not no_interpolate)
    elif named:
        text = render(model, fmt, escape=not no_interpolate, typed=not no_interpolate)
    else:
        # Rendering YAML means importing PyYAML: the memo keeps the text for the next identical run.
        text = result.rendered(fmt, lambda loaded: render(loaded.model, fmt, escape=not no_interpolate,
                                                          typed=not no_interpolate))
    if output and not (listing or environment):  # -o is for the model alone, as in Compose
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)


def _dependencies_first(services: dict[str, Any]) -> list[str]:
    """The service names, each after those it depends on (Compose's ForEachService order; among
    services independent of each other Compose has no order, this keeps the files')."""
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in services:
            return
        seen.add(name)
        for dependency in services[name].get("depends_on") or {}:
            visit(dependency)
        ordered.append(name)

    for name in services:
        visit(name)
    return ordered


def _print_hashes(model: dict[str, Any], hash_of: str) -> None:
    """One line per service, by name; as Compose, those before a name no service has are printed."""
    from compose_lite.compose_hash import service_hash
    from compose_lite.errors import ConfigError

    every = model.get("services") or {}
    for name in sorted(every) if hash_of == "*" else sorted(hash_of.split(",")):
        if name not in every:
            raise ConfigError(f"no such service: {name}")
        click.echo(f"{name} {service_hash(every[name])}")


def _pinned_services(opts: GlobalOptions, services: dict[str, Any]) -> dict[str, Any]:
    """Each service's image as ``host/repository[:tag]@sha256:…`` (compose-go's form), the digest
    from the engine's copy of the image (no registry is asked); a service without image as is."""
    from compose_lite.cli.project import open_engine

    engine = open_engine(opts)
    return {name: {**svc, "image": _pinned(str(svc["image"]), name, engine)} if svc.get("image") else svc
            for name, svc in services.items()}


def _pinned(image: str, service: str, engine: Any) -> str:
    from compose_lite.errors import NotFoundError
    from compose_lite.oci import DOCKER_HUB, Reference

    named, _, digest = image.partition("@")
    reference = Reference.parse(named)
    if not digest:
        info = engine.image_info(image)
        same_repository = (d for d in (info.repo_digests if info else [])
                           if Reference.parse(d.split("@")[0]).repository == reference.repository)
        digest = next((d.split("@")[1] for d in same_repository), "")
    if not digest:
        raise NotFoundError(f"no digest for {image} (service {service}): it was never pulled from or pushed "
                            "to a registry", hint="pull or push it once, or leave the flag out")
    host = "docker.io" if reference.host == DOCKER_HUB else reference.host
    tagged = named == image or ":" in named.rsplit("/", 1)[-1]  # a digested image keeps the tag it has
    return f"{host}/{reference.repository}{':' + reference.tag if tagged else ''}@{digest}"


def _variables_text(opts: GlobalOptions, fmt: str | None) -> str:
    """The variables of the files as written, as Compose prints them: a table, or with --format its
    Variable structs (yaml.Marshal's and Go json's defaults).  Compose reads them from its raw merged
    model, which cl's loader does not build: the files' extends and include are not followed."""
    from compose_lite.cli.gotemplate import table
    from compose_lite.cli.project import load_request
    from compose_lite.loader import discover_files, parse_yaml_all, variables_used

    source = discover_files(load_request(opts))
    trees = [doc.data for f in source.config_files for doc in parse_yaml_all(f.content, f.path)]
    found = variables_used(trees)
    if fmt is None:
        rows = [("NAME", "REQUIRED", "DEFAULT VALUE", "ALTERNATE VALUE")]
        return table(rows + [(v.name, str(v.required).lower(), v.default, v.alternate) for v in found])
    fields = {v.name: {"Name": v.name, "DefaultValue": v.default, "PresenceValue": v.alternate,
                       "Required": v.required} for v in found}
    if fmt == "json":  # formatter.Print: 4 spaces, and a blank line after
        return json.dumps(fields, indent=4, ensure_ascii=False) + "\n\n"
    return yaml_text({name: {k.lower(): v for k, v in f.items()} for name, f in fields.items()}, indent=4)


def _lines(names: Any) -> str:
    return "".join(f"{n}\n" for n in names)


def _image(name: str, service: dict[str, Any], project: str) -> str:
    return str(service.get("image") or f"{project}-{name}")


def render(model: dict[str, Any], fmt: str, *, escape: bool = True, typed: bool = True) -> str:
    """The model as Compose prints it: ``$`` written as ``$$`` so the output loads back the same.
    ``typed=False``: as Compose prints the model it did not interpolate, a plain map."""
    from compose_lite.cli.config_layout import arrange

    tree = _apply_at(_escape(model) if escape else model, ("services", "*", "build"), _ssh_as_printed)
    if fmt == "json":
        return json_text(arrange(tree, fmt, typed=typed))
    return yaml_text(arrange(_yaml_shapes(tree) if typed else tree, fmt, typed=typed))


def _ssh_as_printed(build: dict[str, Any]) -> dict[str, Any]:
    """compose-go prints build.ssh as a list (``default``, ``id=path``), whichever way it was written."""
    ssh = build.get("ssh")
    if not isinstance(ssh, dict):
        return build
    return {**build, "ssh": [key if path is None else f"{key}={path}" for key, path in ssh.items()]}


def _yaml_shapes(tree: dict[str, Any]) -> dict[str, Any]:
    """Where compose-go's YAML writer prints the model differently from its JSON one (the model
    here follows the JSON): a ulimit given as soft/hard is always printed with both, and blkio
    device entries have yaml tags but no json ones.  (Unset fields: see config_layout.)"""
    def lowercase_devices(blkio: dict[str, Any]) -> dict[str, Any]:  # yaml tags, where JSON has none
        return {k: [{f.lower(): x for f, x in e.items()} if isinstance(e, dict) else e for e in v]
                if isinstance(v, list) else v for k, v in blkio.items()}

    def both_limits(ulimits: dict[str, Any]) -> dict[str, Any]:
        return {name: {"soft": v.get("soft", 0), "hard": v.get("hard", 0)} if isinstance(v, dict) else v
                for name, v in ulimits.items()}

    tree = _apply_at(tree, ("services", "*", "ulimits"), both_limits)
    return _apply_at(tree, ("services", "*", "blkio_config"), lowercase_devices)


def _apply_at(node: Any, path: tuple[str, ...], rule: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """``rule`` applied to each mapping at ``path`` ("*": every entry), the rest left as is."""
    if not isinstance(node, dict):
        return node
    if not path:
        return rule(node)
    head, rest = path[0], path[1:]
    if head == "*":
        return {k: _apply_at(v, rest, rule) for k, v in node.items()}
    return {**node, head: _apply_at(node[head], rest, rule)} if head in node else node


def yaml_text(tree: Any, indent: int = 2) -> str:
    """``tree`` as yaml.v3 writes it (Compose's encoder, indent 2; yaml.Marshal's is 4): keys in the
    tree's order."""
    import yaml

    return str(yaml.dump(tree, Dumper=_compose_dumper(), sort_keys=False, default_flow_style=False,
                         allow_unicode=True, width=1 << 30, indent=indent))


@cache
def _compose_dumper() -> type:
    """A PyYAML dumper writing as yaml.v3 does: a sequence indented under its key, a string quoted
    (double) only where it would read back as another type, a multi-line one as a literal block."""
    import yaml

    from compose_lite.cli.config_layout import go_yaml_float, yaml_quotes

    class ComposeDumper(yaml.SafeDumper):
        # Every scalar is tagged str and reads back as str: the style chosen below alone decides
        # the quoting (PyYAML's YAML 1.1 resolver would quote some strings yaml.v3 leaves plain).
        yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012  (PyYAML's class-level table)

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

        def analyze_scalar(self, scalar: str) -> Any:
            if "\t" not in scalar:
                return super().analyze_scalar(scalar)
            # yaml.v3 lets a tab into a literal block (PyYAML does not): bar only the other styles.
            analysis = super().analyze_scalar(scalar.replace("\t", "x"))
            analysis.scalar = scalar
            analysis.allow_flow_plain = analysis.allow_block_plain = analysis.allow_single_quoted = False
            return analysis

    def string(dumper: Any, value: str) -> Any:
        style = '"' if yaml_quotes(value) else "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def plain(text: Callable[[Any], str]) -> Callable[[Any, Any], Any]:
        return lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", text(value))

    ComposeDumper.add_representer(str, string)
    ComposeDumper.add_representer(bool, plain(lambda value: "true" if value else "false"))
    ComposeDumper.add_representer(int, plain(str))
    ComposeDumper.add_representer(float, plain(go_yaml_float))
    ComposeDumper.add_representer(type(None), plain(lambda _: "null"))
    return ComposeDumper


def json_text(tree: Any) -> str:
    """``tree`` as Go's json.MarshalIndent writes it (2 spaces, no final newline): HTML's special
    characters and the JavaScript line separators escaped, an integral float without a fraction."""
    text = json.dumps(_go_numbers(tree), indent=2, ensure_ascii=False)
    return text.translate(_GO_JSON_ESCAPES)


_GO_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def _go_numbers(node: Any) -> Any:
    if isinstance(node, float):  # Go writes a float below 1e21 in decimal: 2.0 as 2
        return int(node) if node.is_integer() and abs(node) < 1e21 else node
    if isinstance(node, dict):
        return {k: _go_numbers(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_go_numbers(v) for v in node]
    return node


def _escape(node: Any) -> Any:
    if isinstance(node, str):
        return node.replace("$", "$$")
    if isinstance(node, dict):  # keys too: Compose doubles every `$` of its output text
        return {_escape(k): _escape(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_escape(v) for v in node]
    return node
