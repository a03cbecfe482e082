"""Use cases: up, down, ps — wiring graph, images, observe, planner and executor.

No click and no docker here: the CLI passes a bound project, an Engine and a Reporter.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace

from compose_lite import __version__, api_socket, engine_support, executor, graph, observe
from compose_lite import labels as L
from compose_lite.clock import Clock, SystemClock, unix_time
from compose_lite.engine.base import Engine
from compose_lite.engine.docker_credentials import cli_auths
from compose_lite.errors import ConfigError, EngineError, NotFoundError, OperationFailedError
from compose_lite.model import Build, Project, Service
from compose_lite.observe import snapshot
from compose_lite.operations import Plan, RemoveVolume
from compose_lite.output import Reporter, WarningsOnly
from compose_lite.planner import Desired, DownOptions, Recreate, UpOptions, plan_down, plan_up
from compose_lite.registry import registry_error
from compose_lite.state import ObservedContainer, ObservedState, Status


@dataclass(frozen=True)
class UpRequest:
    """The options of `cl up` (and of the commands built on it)."""

    services: tuple[str, ...] = ()
    no_deps: bool = False
    force_recreate: bool = False
    no_recreate: bool = False
    always_recreate_deps: bool = False
    no_start: bool = False
    scale: Mapping[str, int] = field(default_factory=dict)
    remove_orphans: bool = False
    ignore_orphans: bool = False  # COMPOSE_IGNORE_ORPHANS: no warning about them
    renew_anon_volumes: bool = False
    wait: bool = False
    wait_timeout: float | None = None
    build: bool | None = None  # True: --build, False: --no-build, None: build when missing
    pull: str | None = None  # always | missing | never | build; None = each service's pull_policy
    dry_run: bool = False
    timeout: int | None = None
    quiet_pull: bool = False  # pulls are not shown (their failures still are)
    quiet_build: bool = False  # nor builds


@dataclass(frozen=True)
class UpOutcome:
    """The plan `up` ran and the containers it left in place."""

    plan: Plan
    containers: dict[str, list[str]]  # service → container ids (empty on a dry run)
    hook_output: tuple[executor.HookOutput, ...] = ()


def unsupported_warnings(project: Project) -> list[str]:
    """One line per key that takes no effect here, with why (loader.coverage)."""
    from compose_lite.loader import why_unsupported

    return [*(f"service {svc.name!r}: {key!r} is ignored ({why_unsupported(key)})"
              for svc in project.services.values() for key in svc.unsupported), *project.unsupported]


def select_services(project: Project, names: tuple[str, ...], *, with_deps: bool = True) -> frozenset[str]:
    deps = graph.dependencies(project)
    graph.check_acyclic(deps)
    if not names:
        return frozenset(project.services)
    return frozenset(graph.select(deps, names, with_deps=with_deps))


def image_ref(project: Project, service: Service) -> str:
    return service.image or f"{project.name}-{service.name}"


def image_labels(project: Project, svc: Service) -> dict[str, str]:
    """A built image's labels, as Compose sets them: the build's own, then the project's, which win."""
    assert svc.build is not None
    return {**svc.build.labels, L.VERSION: __version__, L.PROJECT: project.name, L.SERVICE: svc.name}


def familiar_tagged(ref: str) -> str:
    """An image reference as Compose names the images `down --rmi` removes: Docker Hub's prefixes
    dropped, ``:latest`` added when it has neither tag nor digest (``proj-web`` → ``proj-web:latest``)."""
    for hub in ("docker.io/library/", "docker.io/"):
        if ref.startswith(hub):
            ref = ref[len(hub):]
            break
    return ref if "@" in ref or ":" in ref.rsplit("/", 1)[-1] else f"{ref}:latest"


def ensure_images(project: Project, services: frozenset[str], engine: Engine, request: UpRequest,
                  reporter: Reporter) -> tuple[dict[str, str], dict[str, str]]:
    """Build or pull what is needed; return (service → image ref, service → image id)."""
    refs: dict[str, str] = {}
    ids: dict[str, str] = {}
    looked_up: dict[str, str | None] = {}  # services often share an image: one inspect each
    now = time.time()
    for name in sorted(services):
        svc = project.services[name]
        ref = refs[name] = image_ref(project, svc)
        policy = request.pull or svc.pull_policy or "missing"
        if ref not in looked_up:
            looked_up[ref] = engine.image_id(ref)
        current = looked_up[ref]
        if svc.build is not None and (request.build or policy == "build" or
                                      (current is None and request.build is not False)):
            if request.dry_run:
                ids[name] = current or ""
                continue
            shown = WarningsOnly(reporter.warning) if request.quiet_build else reporter
            shown.event("Image", ref, "Building")
            current = engine.build_image(ref, for_platform(svc.build, svc.platform),
                                         image_labels(project, svc))
            shown.event("Image", ref, "Built", done=True)
        elif policy == "always" or current is None or _refresh_due(engine, ref, policy, now):
            if policy == "never" or (current is None and svc.build is not None):
                blocker = "--pull never" if policy == "never" else "--no-build"
                raise NotFoundError(f"image {ref} for service {name!r} is not present locally and "
                                    f"{blocker} forbids getting it",
                                    hint="build or load it first (docker build / docker load)")
            if request.dry_run:
                ids[name] = current or ""
                continue
            shown = WarningsOnly(reporter.warning) if request.quiet_pull else reporter
            current = _pull(engine, ref, name, shown, have_local=current is not None, platform=svc.platform)
        ids[name] = current or ""
    return refs, ids


def for_platform(build: Build, platform: str | None) -> Build:
    """The build for the service's ``platform:`` when the build names no platforms of its own."""
    return replace(build, platform=platform) if platform and not build.platforms else build


def _refresh_due(engine: Engine, ref: str, policy: str, now: float) -> bool:
    """``pull_policy: daily | weekly | every_<duration>``: pull when the local image was last tagged
    (pulled) longer ago than that, as Compose decides."""
    interval = refresh_interval(policy)
    if interval is None:
        return False
    info = engine.image_info(ref)
    tagged = unix_time(info.last_tag_time) if info is not None else None
    return tagged is None or now > tagged + interval


def refresh_interval(policy: str) -> float | None:
    """Seconds between pulls for a refresh policy; None for the others."""
    if policy in ("daily", "weekly"):
        return 86400.0 * (1 if policy == "daily" else 7)
    if policy.startswith("every_"):
        from compose_lite.loader import parse_duration

        try:
            return parse_duration(policy.removeprefix("every_")) / 1e9
        except ValueError:
            raise ConfigError(f"invalid pull_policy {policy!r}",
                              hint="use always, missing, never, build, daily, weekly or every_<duration> "
                                   "(every_12h, every_2d)") from None
    return None


def _pull(engine: Engine, ref: str, service: str, reporter: Reporter, *, have_local: bool,
          platform: str | None) -> str:
    reporter.event("Image", ref, "Pulling")
    try:
        image = engine.pull_image(ref, platform)
    except EngineError as err:
        failure = registry_error("pull", ref, service, err, local=have_local)
        if not have_local:
            raise failure from None
        reporter.warning(failure.message)  # --pull always with no registry: the local copy still works
        return engine.image_id(ref) or ""
    reporter.event("Image", ref, "Pulled", done=True)
    return image


def _owner_dir(c: ObservedContainer) -> str | None:
    """The project directory a container was created from, as its labels say."""
    return c.labels.get(L.PROJECT_DIR) or _realpath(c.labels.get(L.WORKING_DIR))


def _foreign(observed: ObservedState, real_dir: str) -> list[ObservedContainer]:
    """Containers of the same project name made from another directory: not ours to change."""
    return [c for c in observed.containers if (_owner_dir(c) or real_dir) != real_dir]


def check_ownership(project: Project, observed: ObservedState, real_dir: str) -> None:
    """Refuse to take over a same-named project that belongs to another directory."""
    for c in observed.containers:
        other = _owner_dir(c)
        if other and other != real_dir:
            raise OperationFailedError(
                f"project {project.name!r} already exists for directory {other} (container {c.name}); "
                "refusing to take over its containers",
                hint=f"pick another project name with -p, or run from {other}")


def _realpath(path: str | None) -> str | None:
    return os.path.realpath(path) if path else None


def up(project: Project, engine: Engine, request: UpRequest, reporter: Reporter, *,
       environ: Mapping[str, str], clock: Clock | None = None,
       lock: Callable[[], AbstractContextManager[None]] | None = None) -> UpOutcome:
    """Converge the project. A plan that changes something runs under ``lock()`` (the project
    lock), planned again once it is held; a no-op one needs no lock and costs none."""
    clock = clock or SystemClock()
    started = clock.monotonic()
    for message in unsupported_warnings(project):
        reporter.warning(message)
    selected = select_services(project, request.services, with_deps=not request.no_deps)
    engine_support.check(project, selected, engine.api_version())
    refs, ids = ensure_images(project, selected, engine, request, reporter)
    target = desired(project, refs, ids, environ)
    plan = _plan_up(project, engine, request, selected, target)
    for message in plan.warnings:
        reporter.warning(message)
    if request.dry_run:
        return UpOutcome(plan, {})
    deadline = None if request.wait_timeout is None else started + request.wait_timeout
    if lock is not None and plan.changes():
        with lock():  # someone may have changed the project while we waited
            plan = _plan_up(project, engine, request, selected, target)
            result = executor.run(plan, engine, reporter, limit=executor.parallel_limit(environ),
                                  clock=clock, deadline=deadline)
    else:
        result = executor.run(plan, engine, reporter, limit=executor.parallel_limit(environ), clock=clock,
                              deadline=deadline)
    return UpOutcome(plan, result.container_ids, tuple(result.hook_output))


def desired(project: Project, refs: Mapping[str, str], ids: Mapping[str, str],
            environ: Mapping[str, str]) -> Desired:
    """What the planner converges to; the user's registry credentials are read only when a service
    asks for the engine's socket."""
    wanted = any(svc.use_api_socket for svc in project.services.values())
    return Desired(project, refs, ids, os.path.realpath(project.working_dir),
                   api_socket_config=api_socket.config_json(cli_auths(environ)) if wanted else "")


def _plan_up(project: Project, engine: Engine, request: UpRequest, selected: frozenset[str],
             target: Desired) -> Plan:
    observed = snapshot(engine, project)
    check_ownership(project, observed, target.real_dir)
    never = Recreate.NEVER if request.no_recreate else None
    options = UpOptions(
        services=selected, requested=frozenset(request.services),
        # As Compose: --force-recreate and -V (new anonymous volumes need new containers) apply to the
        # services asked for; their dependencies are recreated only with --always-recreate-deps.
        recreate=never or (Recreate.FORCE if request.force_recreate or request.renew_anon_volumes
                           else Recreate.DIVERGED),
        recreate_deps=never or (Recreate.FORCE if request.always_recreate_deps else Recreate.DIVERGED),
        start=not request.no_start, scale=dict(request.scale), remove_orphans=request.remove_orphans,
        ignore_orphans=request.ignore_orphans,
        renew_anon_volumes=request.renew_anon_volumes, wait=request.wait, timeout=request.timeout)
    return plan_up(target, observed, options)


@dataclass(frozen=True)
class DownRequest:
    """The options of `cl down`."""

    remove_orphans: bool = False
    volumes: bool = False
    rmi: str | None = None  # local | all
    timeout: int | None = None
    dry_run: bool = False  # plan only


@dataclass(frozen=True)
class DoomedVolume:
    """A volume `down -v` is about to delete, as the question before it shows it."""

    name: str
    size: int  # bytes; -1 when the engine does not say
    used_by: tuple[str, ...]  # this project's containers that mount it


def down(project: Project, engine: Engine, request: DownRequest, reporter: Reporter, *,
         environ: Mapping[str, str], confirm: Callable[[list[DoomedVolume]], bool] | None = None) -> Plan:
    """Remove the project's containers and networks (and volumes, images on request). Containers of
    a same-named project made from another directory are left alone, and so then are the networks
    and volumes they share. A project rebuilt from labels (no files) has no directory to compare.
    ``confirm`` is asked before named volumes are deleted (False cancels: nothing is removed);
    a volume another project's container mounts is kept."""
    observed = snapshot(engine, project)
    foreign = _foreign(observed, os.path.realpath(project.working_dir)) if project.config_files else []
    if foreign:
        for c in foreign:
            reporter.warning(f"kept {c.name}: it belongs to the project in {_owner_dir(c)}, not this one")
        observed = ObservedState(tuple(c for c in observed.containers if c not in foreign))
    images: dict[str, str] = {}
    if request.rmi:
        for name, svc in project.services.items():
            if request.rmi == "all" or svc.image is None:
                images[name] = familiar_tagged(image_ref(project, svc))
        images = {k: v for k, v in images.items() if engine.image_id(v) is not None}
    in_use = _volumes_used_elsewhere(engine, project.name) if request.volumes else {}
    plan = plan_down(project, observed, DownOptions(request.remove_orphans, request.volumes, images,
                                                    request.timeout, in_use))
    for message in plan.warnings:
        reporter.warning(message)
    if request.dry_run:
        return plan
    doomed = [op.target for op in plan.operations.values() if isinstance(op, RemoveVolume)]
    if doomed and confirm is not None and not confirm(_describe_volumes(engine, observed, doomed)):
        raise OperationFailedError(
            "down cancelled: nothing was removed",
            hint="`down` without -v keeps the volumes; `-y` deletes them without asking")
    executor.run(plan, engine, reporter, limit=executor.parallel_limit(environ))
    return plan


def _describe_volumes(engine: Engine, observed: ObservedState, names: list[str]) -> list[DoomedVolume]:
    sizes = engine.volume_sizes()
    return [DoomedVolume(name, sizes.get(name, -1), tuple(sorted(
        c.name for c in observed.containers if any(m.type == "volume" and m.name == name for m in c.mounts))))
        for name in names]


def _volumes_used_elsewhere(engine: Engine, project: str) -> dict[str, str]:
    """Volume name → a container of another Compose project that mounts it."""
    used: dict[str, str] = {}
    for c in observe.every_projects_containers(engine):
        if c.project != project:
            for mount in c.mounts:
                if mount.type == "volume" and mount.name:
                    used.setdefault(mount.name, c.name)
    return used


def ps(project: Project, engine: Engine, *, all_states: bool = False, services: tuple[str, ...] = (),
       status: tuple[str, ...] = ()) -> list[ObservedContainer]:
    """The project's containers (running only unless ``all_states``), sorted by service and number."""
    if services:
        select_services(project, services, with_deps=False)  # unknown names are errors, as in Compose
    states = status or (None if all_states else (Status.RUNNING,))
    return observe.containers(engine, project.name, services=services or None, states=states)

