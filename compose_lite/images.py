"""`cl build`, `cl pull`, `cl push`: the services' images, named as Compose names them.

A service's image is its ``image:`` or, when it only has ``build:``, ``<project>-<service>``.
Registry failures become one line that says what happened (this engine may have no registry).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from compose_lite import app
from compose_lite import labels as L
from compose_lite.engine.base import Engine
from compose_lite.errors import ComposeLiteError
from compose_lite.model import Project, Service
from compose_lite.output import Reporter
from compose_lite.registry import registry_error


@dataclass(frozen=True)
class BuildRequest:
    services: tuple[str, ...] = ()
    no_cache: bool = False
    pull: bool = False
    build_args: Mapping[str, str] = field(default_factory=dict)  # --build-arg overrides
    with_dependencies: bool = False  # also the images of the services these depend on
    ssh: tuple[str, ...] = ()  # --ssh: added to every build's ssh (BuildKit)
    memory: int | None = None  # -m/--memory
    buildx_flags: tuple[str, ...] = ()  # --builder, --check, --provenance, --sbom


def parse_build_args(values: tuple[str, ...], environ: Mapping[str, str]) -> dict[str, str]:
    """``--build-arg KEY=VALUE`` or ``--build-arg KEY`` (from our environment; skipped when unset)."""
    out: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if sep:
            out[key] = rest
        elif key in environ:
            out[key] = environ[key]
    return out


def build(project: Project, engine: Engine, request: BuildRequest, output: Callable[[str], None],
          reporter: Reporter) -> list[str]:
    """Build the selected services that have ``build:``; the image references built, in order."""
    built: list[str] = []
    for name in sorted(app.select_services(project, request.services, with_deps=request.with_dependencies)):
        svc = project.services[name]
        if svc.build is None:
            continue
        spec = replace(svc.build, no_cache=svc.build.no_cache or request.no_cache,
                       pull=svc.build.pull or request.pull, args={**svc.build.args, **request.build_args},
                       ssh=tuple(dict.fromkeys((*svc.build.ssh, *request.ssh))),
                       memory=request.memory or svc.build.memory,
                       buildx_flags=(*svc.build.buildx_flags, *request.buildx_flags))
        ref = app.image_ref(project, svc)
        reporter.event("Image", ref, "Building")
        labels = {L.PROJECT: project.name, L.SERVICE: name}
        engine.build_image(ref, app.for_platform(spec, svc.platform), labels, output)
        reporter.event("Image", ref, "Built", done=True)
        built.append(ref)
    return built


def build_definitions(project: Project, request: BuildRequest) -> dict[str, object]:
    """What `cl build` would build, as `build --print` shows it (target name → settings)."""
    targets: dict[str, object] = {}
    for name in sorted(app.select_services(project, request.services, with_deps=request.with_dependencies)):
        svc = project.services[name]
        if svc.build is not None:
            b = svc.build
            targets[name] = {"context": b.context, "dockerfile": b.dockerfile or "Dockerfile",
                             "args": {**b.args, **request.build_args}, "tags": [app.image_ref(project, svc),
                                                                                 *b.tags],
                             "target": b.target, "no-cache": b.no_cache or request.no_cache}
    return {"group": {"default": {"targets": list(targets)}}, "target": targets}


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
        reporter.event("Image", svc.image, "Pulling")
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
        reporter.event("Image", svc.image, "Pulled", done=True)
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
