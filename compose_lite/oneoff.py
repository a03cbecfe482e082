"""`cl run` and `cl exec`: one-off containers and commands in running ones.

A one-off container is the service's container with the command line's overrides, named
``<project>-<service>-run-<12 hex>`` and labelled ``oneoff=True`` like Compose's, so `ps`, `down`
and `up` never mistake it for a replica.  Its dependencies are brought up first (``up`` of them),
unless ``no_deps``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace

from compose_lite import app, engine_support, graph, hashing, observe, planner
from compose_lite import labels as L
from compose_lite.engine.base import Engine, Session
from compose_lite.errors import ConfigError, NotFoundError, OperationFailedError
from compose_lite.model import Mount, Port, Project, Service
from compose_lite.output import Reporter
from compose_lite.state import ObservedContainer, Status


@dataclass(frozen=True)
class RunRequest:
    service: str
    command: tuple[str, ...] = ()  # empty = the service's command
    entrypoint: tuple[str, ...] | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    volumes: tuple[str, ...] = ()  # short syntax, "src:dst[:ro]"
    publish: tuple[str, ...] = ()  # short syntax, "[ip:]host:container"
    service_ports: bool = False
    no_deps: bool = False
    remove: bool = False
    name: str | None = None
    workdir: str | None = None
    user: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    cap_add: tuple[str, ...] = ()
    cap_drop: tuple[str, ...] = ()
    build: bool | None = None  # --build: build the image first (None: only when missing)
    pull: str | None = None  # --pull always|missing|never
    remove_orphans: bool = False
    ignore_orphans: bool = False  # COMPOSE_IGNORE_ORPHANS: no warning about them
    use_aliases: bool = False  # keep the service's network aliases (off: a one-off is no service)


def parse_env(values: tuple[str, ...], environ: Mapping[str, str]) -> dict[str, str]:
    """``-e KEY=VALUE`` or ``-e KEY`` (taken from our environment; skipped when unset), as docker does."""
    out: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not key:
            raise ConfigError(f"invalid environment variable {value!r}", hint="use -e KEY=VALUE or -e KEY")
        if sep:
            out[key] = rest
        elif key in environ:
            out[key] = environ[key]
    return out


def _ports(specs: tuple[str, ...]) -> tuple[Port, ...]:
    from compose_lite.loader import parse_port

    out: list[Port] = []
    for spec in specs:
        try:
            entries = parse_port(spec)
        except ValueError as err:
            raise ConfigError(f"invalid --publish value: {err}") from None
        out += [Port(int(e["target"]), None if e.get("published") in (None, "") else str(e["published"]),
                     e.get("host_ip") or None, str(e.get("protocol") or "tcp")) for e in entries]
    return tuple(out)


def _mounts(specs: tuple[str, ...], working_dir: str) -> tuple[Mount, ...]:
    """``-v`` entries; a named source is an engine volume name as given (docker run's behaviour)."""
    from compose_lite.loader import parse_volume

    out: list[Mount] = []
    for spec in specs:
        try:
            raw = parse_volume(spec)
        except ValueError as err:
            raise ConfigError(f"invalid --volume value: {err}") from None
        source = raw.get("source")
        if raw["type"] == "bind" and source:
            source = os.path.normpath(os.path.join(working_dir, os.path.expanduser(source)))
        out.append(Mount(type=raw["type"], target=raw["target"], source=source,
                         read_only=bool(raw.get("read_only", False))))
    return tuple(out)


def oneoff_service(svc: Service, request: RunRequest, session: Session) -> Service:
    """The service as the one-off container runs it: overrides applied, no restart policy."""
    return replace(
        svc,
        command=request.command or svc.command,
        entrypoint=request.entrypoint if request.entrypoint is not None else svc.entrypoint,
        environment={**svc.environment, **request.environment},
        ports=(svc.ports if request.service_ports else ()) + _ports(request.publish),
        working_dir=request.workdir or svc.working_dir, user=request.user or svc.user,
        labels={**svc.labels, **request.labels}, tty=session.tty, stdin_open=session.stdin,
        cap_add=tuple(dict.fromkeys((*svc.cap_add, *request.cap_add))),
        cap_drop=tuple(dict.fromkeys((*svc.cap_drop, *request.cap_drop))),
        networks=svc.networks if request.use_aliases else tuple(replace(n, aliases=()) for n in svc.networks),
        restart=None, container_name=None)


def run(project: Project, engine: Engine, request: RunRequest, session: Session, reporter: Reporter, *,
        environ: Mapping[str, str], created: Callable[[str], None] | None = None,
        lock: Callable[[], AbstractContextManager[None]] | None = None) -> int:
    """Create and run the one-off container; its exit code (0 when detached).

    ``created(container_id)`` is told the container's id once it exists (detached runs print it);
    ``lock`` is the project lock, held while the dependencies are brought up.
    """
    if request.service not in project.services:
        app.select_services(project, (request.service,))  # raises the "no such service" error
    svc = project.services[request.service]
    for message in app.unsupported_warnings(replace(project, services={svc.name: svc})):
        reporter.warning(message)  # as `up` and `create` do (the dependencies' own come from their up)
    engine_support.check(project, frozenset({svc.name}), engine.api_version())
    deps = graph.dependencies(project)[svc.name]
    if deps and not request.no_deps:
        deps_request = app.UpRequest(services=tuple(sorted(deps)), remove_orphans=request.remove_orphans,
                                     ignore_orphans=request.ignore_orphans)
        app.up(project, engine, deps_request, reporter, environ=environ,
               lock=lock)
    _ensure_resources(project, svc, engine)
    images = app.UpRequest(build=request.build, pull=request.pull)
    refs, ids = app.ensure_images(project, frozenset({svc.name}), engine, images, reporter)
    one = oneoff_service(svc, request, session)
    fields = hashing.service_fields(one)
    slug = secrets.token_hex(32)
    name = request.name or f"{project.name}-{svc.name}-run-{slug[:12]}"
    desired = app.desired(project, refs, ids, environ)
    spec = planner.container_spec(desired, one, 1, name, hashing.digest(fields),
                                  hashing.canonical_json(hashing.field_digests(fields)))
    if not request.use_aliases:  # not the service: its name must not resolve to the one-off
        spec = replace(spec, networks=tuple(replace(n, aliases=(name,)) for n in spec.networks))
    spec = replace(spec, labels={**spec.labels, L.ONEOFF: "True", L.SLUG: slug},
                   mounts=spec.mounts + _mounts(request.volumes, project.working_dir),
                   stdin_once=session.stdin and not session.detach)
    cid = engine.create_container(spec)
    if created is not None:
        created(cid)
    if session.detach:
        engine.start_container(cid)
        return 0
    try:
        return engine.run_attached(cid, session)
    finally:
        if request.remove:
            engine.remove_container(cid, volumes=True)


def _ensure_resources(project: Project, svc: Service, engine: Engine) -> None:
    """The networks and volumes the service uses, created when missing (as `up` would)."""
    for attachment in svc.networks:
        net = project.networks[attachment.key]
        if not engine.network_exists(net.name):
            if net.external:
                raise NotFoundError(f"network {net.name} declared as external, but could not be found")
            engine.create_network(net, L.network_labels(project.name, net.key, hashing.network_hash(net),
                                                        net.labels))
    for mount in svc.mounts:
        if mount.type == "volume" and mount.source:
            vol = project.volumes[mount.source]
            if not engine.volume_exists(vol.name):
                if vol.external:
                    raise NotFoundError(f'external volume "{vol.name}" not found')
                engine.create_volume(vol, L.volume_labels(project.name, vol.key, hashing.volume_hash(vol),
                                                          vol.labels))


def not_running(service: str, index: int) -> str:
    """As Compose says it; a replica other than the first is named (``container #2``)."""
    return f'service "{service}" is not running' + (f" container #{index}" if index != 1 else "")


def exec_target(engine: Engine, project: Project, service: str, index: int) -> ObservedContainer:
    """The running replica ``index`` of ``service`` (what `cl exec` runs in)."""
    app.select_services(project, (service,), with_deps=False)
    found = observe.containers(engine, project.name, services=(service,), number=index)
    running = [c for c in found if c.state == Status.RUNNING]
    if not running:
        raise OperationFailedError(not_running(service, index) if not found else
                                   f"container {found[0].name} is not running",
                                   hint=f"start it with `cl up -d {service}`")
    return running[0]
