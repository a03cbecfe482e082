"""`cl build`, `cl pull`, `cl push`: the services' images, named as Compose names them.

A service's image is its ``image:`` or, when it only has ``build:``, ``<project>-<service>``.
Registry failures become one line that says what happened (this engine may have no registry).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from compose_lite import app
from compose_lite.engine.base import Engine
from compose_lite.errors import ComposeLiteError
from compose_lite.model import Build, Project, Service
from compose_lite.output import Reporter
from compose_lite.registry import registry_error


@dataclass(frozen=True)
class BuildRequest:
    services: tuple[str, ...] = ()
    no_cache: bool = False
    pull: bool = False
    build_args: Mapping[str, str | None] = field(default_factory=dict)  # --build-arg (parse_build_args)
    with_dependencies: bool = False  # also the images of the services these depend on
    ssh: tuple[str, ...] = ()  # --ssh: added to every build's ssh (BuildKit)
    memory: int | None = None  # -m/--memory
    buildx_flags: tuple[str, ...] = ()  # --builder, --check, --provenance, --sbom
    push: bool = False  # --push: the images go to their registry (what `--print` shows)


def parse_build_args(values: tuple[str, ...], environ: Mapping[str, str]) -> dict[str, str | None]:
    """``--build-arg KEY=VALUE`` or ``--build-arg KEY`` (from the project's environment); the last
    one of a key wins. None: KEY is unset, and Compose then leaves the build's own KEY out too."""
    out: dict[str, str | None] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        out[key] = rest if sep else environ.get(key)
    return out


def build(project: Project, engine: Engine, request: BuildRequest, output: Callable[[str], None],
          reporter: Reporter) -> list[str]:
    """Build the selected services that have ``build:``; the image references built, in order."""
    built: list[str] = []
    for name in _to_build(project, request):
        svc = project.services[name]
        ref = app.image_ref(project, svc)
        reporter.event("Image", ref, "Building")
        spec = app.for_platform(_spec(svc, request), svc.platform)
        engine.build_image(ref, spec, app.image_labels(project, svc), output)
        reporter.event("Image", ref, "Built", done=True)
        built.append(ref)
    return built


def _spec(svc: Service, request: BuildRequest) -> Build:
    """The service's build with the command line's flags applied."""
    assert svc.build is not None
    b = svc.build
    args = {k: v for k, v in {**b.args, **request.build_args}.items() if v is not None}
    return replace(b, no_cache=b.no_cache or request.no_cache, pull=b.pull or request.pull, args=args,
                   ssh=tuple(dict.fromkeys((*b.ssh, *request.ssh))),
                   memory=request.memory or b.memory, buildx_flags=(*b.buildx_flags, *request.buildx_flags))


def _to_build(project: Project, request: BuildRequest) -> list[str]:
    """The buildable services asked for, sorted (see ``_asked``), and their dependencies with
    --with-dependencies."""
    chosen = app.select_services(project, _asked(project, request), with_deps=request.with_dependencies)
    return sorted(n for n in chosen if project.services[n].build is not None)


def _asked(project: Project, request: BuildRequest) -> tuple[str, ...]:
    """The services named, with those their ``additional_contexts`` name as ``service:x`` (whose
    image their build needs), transitively; none named: none added (all are built)."""
    names = set(request.services)
    todo = list(names)
    while todo:
        svc = project.services.get(todo.pop())
        for ref in _context_services(svc.build if svc is not None else None):
            if ref not in names:
                names.add(ref)
                todo.append(ref)
    return tuple(sorted(names))


def _context_services(build: Build | None) -> list[str]:
    contexts = build.additional_contexts.values() if build is not None else ()
    return [c.removeprefix(_SERVICE_CONTEXT) for c in contexts if c.startswith(_SERVICE_CONTEXT)]


_SERVICE_CONTEXT = "service:"


def build_definitions(project: Project, request: BuildRequest) -> dict[str, object] | None:
    """`build --print`: Compose's Bake definition of the build (key order and values as its JSON has
    them); None when there is nothing to build. Targets are named after their service, ``.`` as ``_``:
    Compose does not make these unique, so ``a.b`` and ``a_b`` share a target (the latter's settings).
    Every buildable service of the project the command selects gets a target; the group lists those
    built."""
    group = _to_build(project, request)
    if not group:
        return None
    everything = app.select_services(project, _asked(project, request), with_deps=True)
    targets = {_target_name(n): _bake_target(project, project.services[n], request)
               for n in sorted(everything) if project.services[n].build is not None}
    return {"group": {"default": {"targets": [_target_name(n) for n in group]}}, "target": targets}


def _target_name(service: str) -> str:
    return service.replace(".", "_")


def _bake_target(project: Project, svc: Service, request: BuildRequest) -> dict[str, object]:
    """One Bake target; Compose leaves out every empty or false field."""
    b = _spec(svc, request)
    platforms = b.platforms or ((svc.platform,) if svc.platform else ())
    fields: dict[str, object] = {
        "context": b.context, "contexts": _bake_contexts(b),
        "dockerfile": _dockerfile_path(b.context, _dockerfile(b)),
        "dockerfile-inline": _bake_escape(b.dockerfile_inline or ""),
        "args": _sorted({k: _bake_escape(v) for k, v in b.args.items()}),
        "labels": _sorted(app.image_labels(project, svc)), "tags": [*b.tags, app.image_ref(project, svc)],
        "cache-from": list(b.cache_from), "cache-to": list(b.cache_to), "target": b.target or "",
        "secret": [f"id={i},type=file,src={src}" if kind == "file" else f"id={i},type=env,env={src}"
                   for i, kind, src in b.secrets],
        "ssh": [s if "=" in s else f"{s}=" for s in b.ssh], "platforms": list(platforms), "pull": b.pull,
        "no-cache": b.no_cache, "network": b.network or "",
        "shm-size": str(b.shm_size or ""),  # Compose's byte sizes are JSON strings
        "ulimits": list(b.ulimits), "call": "lint" if "--check" in request.buildx_flags else "",
        "entitlements": list(b.entitlements), "extra-hosts": _bake_hosts(b.extra_hosts),
        "output": _bake_output(svc, platforms, request),
        "attest": [*_attest("provenance", b.provenance), *_attest("sbom", b.sbom)]}
    return {k: v for k, v in fields.items() if v}


def _bake_contexts(b: Build) -> dict[str, str]:
    """``additional_contexts``, a ``service:x`` as the Bake target that builds x."""
    return _sorted({k: "target:" + _target_name(v.removeprefix(_SERVICE_CONTEXT))
                    if v.startswith(_SERVICE_CONTEXT) else v for k, v in b.additional_contexts.items()})


def _dockerfile(b: Build) -> str:
    """The Dockerfile's name; none with ``dockerfile_inline``, which stands for it."""
    return b.dockerfile or ("" if b.dockerfile_inline else "Dockerfile")


def _bake_hosts(extra_hosts: tuple[str, ...]) -> dict[str, str]:
    """``host:ip`` entries as Bake takes them: host → its addresses, comma-separated."""
    hosts: dict[str, list[str]] = {}
    for entry in extra_hosts:
        host, _, ip = entry.partition(":")
        hosts.setdefault(host, []).append(ip)
    return {h: ",".join(ips) for h, ips in sorted(hosts.items())}


def _sorted(mapping: Mapping[str, str]) -> dict[str, str]:
    return dict(sorted(mapping.items()))  # Go's encoding/json writes a map's keys sorted


def _bake_escape(text: str) -> str:
    """Bake would interpolate ``${…}`` again: Compose doubles the ``$``."""
    return text.replace("${", "$${")


def _dockerfile_path(context: str, dockerfile: str) -> str:
    """The Dockerfile's path as Compose gives it to Bake: joined to a local context, its directory's
    symlinks resolved; a git context's as it is written."""
    if not dockerfile or _is_git_context(context):
        return dockerfile
    path = posixpath.normpath(posixpath.join(context, dockerfile))
    directory, base = posixpath.split(path)
    try:
        return posixpath.join(os.path.realpath(directory, strict=True), base)
    except OSError:  # no such directory (yet): the path as joined
        return path


def _is_git_context(context: str) -> bool:
    """The docker CLI's rule for a git build context, a local directory never being one."""
    if os.path.isdir(context):
        return False
    if context.startswith(("git://", "github.com/", "git@")):
        return True
    return context.startswith(("https://", "http://")) and re.search(r"\.git(?:#.+)?$", context) is not None


def _bake_output(svc: Service, platforms: tuple[str, ...], request: BuildRequest) -> list[str]:
    """Where Bake puts the image: the engine's store, or with several platforms (which the store
    cannot hold) an image pushed with --push only; none when --check only lints."""
    if "--check" in request.buildx_flags:
        return []
    push = request.push and svc.image is not None
    if len(platforms) > 1:
        return [f"type=image,push={str(push).lower()}"]
    return ["type=registry" if push else "type=docker"]


def _attest(kind: str, value: str | None) -> list[str]:
    if value in (None, "false"):
        return []
    return [f"type={kind}" if value == "true" else f"type={kind},{value}"]


def pull(project: Project, engine: Engine, services: tuple[str, ...], reporter: Reporter, *,
         ignore_failures: bool = False, ignore_buildable: bool = False, include_deps: bool = False,
         policy: str | None = None) -> list[str]:
    """Pull the selected services' images, skipping as Compose skips (see ``_why_skip``); the
    references pulled. ``policy`` (``--policy``) stands for every service's own pull_policy."""
    pulled: list[str] = []
    pulling: dict[str, str] = {}  # image → the service that pulls it
    must_build: list[str] = []  # their pull failed, but they can be built
    for name in sorted(app.select_services(project, services, with_deps=include_deps)):
        svc = project.services[name]
        skip = _why_skip(svc, engine, policy or svc.pull_policy, ignore_buildable, pulling)
        if skip is not None:
            reporter.event("Image", name, skip, done=True)
            continue
        assert svc.image is not None  # _why_skip skips a service without one
        pulling[svc.image] = name
        reporter.event("Image", name, "Pulling")  # the service named, as Compose names it
        try:
            engine.pull_image(svc.image, svc.platform)
        except ComposeLiteError as err:
            local = engine.image_id(svc.image) is not None
            failure = registry_error("pull", svc.image, name, err, local=local)
            if not ignore_failures and svc.build is None:
                raise failure from None
            reporter.warning(failure.message)
            if svc.build is not None:
                must_build.append(name)
            continue
        reporter.event("Image", name, "Pulled", done=True)
        pulled.append(svc.image)
    if must_build:
        reporter.warning("Some service image(s) must be built from source by running:\n"
                         f"    cl build {' '.join(must_build)}")
    return pulled


def _why_skip(svc: Service, engine: Engine, policy: str | None, ignore_buildable: bool,
              pulling: Mapping[str, str]) -> str | None:
    """Why `pull` leaves a service's image alone, in Compose's words and order; None: pull it."""
    if svc.image is None:
        return "Skipped - No image to be pulled"
    if policy in ("never", "build"):
        return "Skipped"
    # Compose pulls a :latest image whatever is here: it may have moved on
    if policy in ("missing", "if_not_present") and not _is_latest(svc.image) and engine.image_id(svc.image):
        return "Skipped - Image is already present locally"
    if svc.build is not None and ignore_buildable:
        return "Skipped - Image can be built"
    if svc.image in pulling:
        return f"Skipped - Image is already being pulled by {pulling[svc.image]}"
    return None


def _is_latest(ref: str) -> bool:
    return "@" not in ref and app.familiar_tagged(ref).endswith(":latest")


def push(project: Project, engine: Engine, services: tuple[str, ...], reporter: Reporter, *,
         ignore_failures: bool = False) -> list[str]:
    """Push the selected services' images (those with an ``image:`` name); the references pushed."""
    pushed: list[str] = []
    for name in sorted(app.select_services(project, services, with_deps=False)):
        svc = project.services[name]
        if svc.image is None:
            continue
        reporter.event("Image", svc.image, "Pushing")
        try:
            engine.push_image(svc.image)
        except ComposeLiteError as err:
            failure = registry_error("push", svc.image, name, err, local=False)
            if not ignore_failures:
                raise failure from None
            reporter.warning(failure.message)
            continue
        reporter.event("Image", svc.image, "Pushed", done=True)
        pushed.append(svc.image)
    return pushed
