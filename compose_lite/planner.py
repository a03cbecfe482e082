"""The pure planner: desired project + observed snapshot → a DAG of operations, each with its cause.

No I/O here.  Every decision (create, recreate and why, start, keep, remove orphan, scale down,
wait for a dependency) is an ``Operation`` whose ``deps`` name the operations that must hold
first; the executor runs them as soon as those hold.  ``Plan.text()`` is what ``--dry-run``
prints and what the golden tests assert.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from compose_lite import graph
from compose_lite import labels as L
from compose_lite.api_socket import credentials_file, with_api_socket
from compose_lite.errors import ConfigError, NotFoundError
from compose_lite.hashing import (
    canonical_json,
    changed_paths,
    field_digests,
    network_hash,
    service_fields,
    service_hash,
    volume_hash,
)
from compose_lite.model import Condition, FileObject, FileRef, Mount, Network, Project, Service, Volume
from compose_lite.operations import (
    AwaitCondition,
    AwaitExit,
    AwaitReady,
    CreateContainer,
    CreateNetwork,
    CreateVolume,
    KeepContainer,
    Operation,
    Plan,
    RecreateContainer,
    RemoveContainer,
    RemoveImage,
    RemoveNetwork,
    RemoveVolume,
    RestartContainer,
    RollOut,
    StartContainer,
    StopContainer,
)
from compose_lite.rollout_plan import fallback_warning, start_first_obstacle
from compose_lite.state import (
    ContainerSpec,
    FileCopy,
    NetworkAttachment,
    ObservedContainer,
    ObservedState,
    RolloutStep,
    Status,
)


class Recreate(StrEnum):
    DIVERGED = "diverged"
    FORCE = "force"
    NEVER = "never"


@dataclass(frozen=True)
class UpOptions:
    """The `up` flags that shape the plan."""

    services: frozenset[str]  # the selection, dependencies included
    requested: frozenset[str] = frozenset()  # named on the command line (empty = all)
    recreate: Recreate = Recreate.DIVERGED
    recreate_deps: Recreate = Recreate.DIVERGED
    start: bool = True
    scale: Mapping[str, int] = field(default_factory=dict)
    remove_orphans: bool = False
    ignore_orphans: bool = False  # COMPOSE_IGNORE_ORPHANS: no warning about them
    renew_anon_volumes: bool = False
    wait: bool = False
    timeout: int | None = None


@dataclass(frozen=True)
class Desired:
    """What `up` converges to: the project, the image each service runs, the project's real directory."""

    project: Project
    images: Mapping[str, str]  # service → image reference to create from
    image_ids: Mapping[str, str]  # service → current image id ("" when unknown)
    real_dir: str
    api_socket_config: str = ""  # the credentials a `use_api_socket` service gets (api_socket.py)


def plan_up(desired: Desired, observed: ObservedState, options: UpOptions) -> Plan:
    project = desired.project
    deps = graph.dependencies(project)
    order = graph.order(deps)
    ops: dict[str, Operation] = {}
    warnings: list[str] = []
    selected = [s for s in order if s in options.services]
    for key in sorted({n.key for s in selected for n in project.services[s].networks}):
        _plan_network(project.networks[key], project.name, observed, ops)
    for key in sorted({m.source for s in selected for m in project.services[s].mounts
                       if m.type == "volume" and m.source}):
        _plan_volume(project.volumes[key], project.name, observed, ops)
    recreated: set[str] = set()
    service_ops: dict[str, list[str]] = {}
    for name in selected:
        svc = project.services[name]
        explicit = not options.requested or name in options.requested
        policy = options.recreate if explicit else options.recreate_deps
        svc_ops = _plan_service(desired, svc, observed, options, policy, recreated, ops)
        if any(isinstance(ops[i], RecreateContainer) for i in svc_ops):
            recreated.add(name)
        service_ops[name] = _start_first(svc, svc_ops, ops, warnings)
    _wire_dependencies(project, selected, service_ops, options, ops)
    orphans = [c for c in observed.containers if not c.oneoff and c.service not in project.services
               and c.service not in project.disabled_services]
    if orphans and options.remove_orphans:
        for c in orphans:
            ops[f"remove:{c.name}"] = RemoveContainer(id=f"remove:{c.name}", target=c.name, cause="orphan",
                                                      container=c, stop_timeout=options.timeout)
    elif orphans and not options.ignore_orphans:
        names = ", ".join(sorted(c.name for c in orphans))
        warnings.append(f"Found orphan containers ({names}) for this project. If you removed or renamed this "
                        "service in your compose file, you can run this command with the --remove-orphans "
                        "flag to clean it up.")
    if options.wait and options.start:
        _plan_ready(project, selected, service_ops, ops)
    return Plan(_ordered(ops), tuple(warnings))


def _plan_network(net: Network, project: str, observed: ObservedState, ops: dict[str, Operation]) -> None:
    if observed.network_exists(net.name):
        return
    if net.external:
        raise NotFoundError(f"network {net.name} declared as external, but could not be found",
                            hint=f"create it first: docker network create {net.name}")
    labels = L.network_labels(project, net.key, network_hash(net), net.labels)
    ops[f"network:{net.key}"] = CreateNetwork(id=f"network:{net.key}", target=net.name, network=net,
                                              labels=labels)


def _plan_volume(vol: Volume, project: str, observed: ObservedState, ops: dict[str, Operation]) -> None:
    if observed.volume_exists(vol.name):
        return
    if vol.external:
        raise NotFoundError(f'external volume "{vol.name}" not found',
                            hint=f"create it first: docker volume create {vol.name}")
    labels = L.volume_labels(project, vol.key, volume_hash(vol), vol.labels)
    ops[f"volume:{vol.key}"] = CreateVolume(id=f"volume:{vol.key}", target=vol.name, volume=vol,
                                            labels=labels)


def _plan_service(desired: Desired, svc: Service, observed: ObservedState, options: UpOptions,
                  policy: Recreate, recreated: set[str], ops: dict[str, Operation]) -> list[str]:
    project = desired.project
    replicas = options.scale.get(svc.name, svc.replicas)
    if svc.container_name and replicas > 1:
        raise ConfigError(f"service {svc.name!r} has container_name {svc.container_name!r} and cannot be "
                          f"scaled to {replicas}", path=f"services.{svc.name}.container_name")
    digests = field_digests(service_fields(svc))
    config_hash = service_hash(svc)
    existing = observed.of_service(svc.name)
    out: list[str] = []
    for number in range(1, replicas + 1):
        name = svc.container_name or L.container_name(project.name, svc.name, number)
        candidates = [c for c in existing if c.number == number]
        spec = container_spec(desired, svc, number, name, config_hash, canonical_json(digests))
        primary = _choose(candidates, config_hash, name, svc.update_config.start_first)
        op_id = f"container:{name}"
        for dup in candidates:
            if dup is not primary:
                ops[f"remove:{dup.name}"] = RemoveContainer(
                    id=f"remove:{dup.name}", target=dup.name, cause="duplicate left by an interrupted run",
                    container=dup, stop_timeout=options.timeout)
        dup_deps = frozenset(f"remove:{d.name}" for d in candidates if d is not primary)
        if primary is None:
            ops[op_id] = CreateContainer(id=op_id, target=name, deps=dup_deps, service=svc.name, spec=spec,
                                         start=options.start, post_start=svc.post_start)
        else:
            ops[op_id] = _converge(primary, spec, svc, digests, config_hash, desired, options, policy,
                                   recreated, dup_deps)
        out.append(op_id)
    for extra in existing:
        if extra.number > replicas or extra.number < 1:
            op_id = f"remove:{extra.name}"
            ops[op_id] = RemoveContainer(id=op_id, target=extra.name, cause="scale down", container=extra,
                                         stop_timeout=options.timeout, pre_stop=svc.pre_stop)
    return out


def _start_first(svc: Service, op_ids: list[str], ops: dict[str, Operation],
                 warnings: list[str]) -> list[str]:
    """A start-first service's recreates become one rollout (its batches, health gates and rollback
    span the replicas); where two containers cannot run side by side, they stay stop-first."""
    replaced = [op for op in (ops[i] for i in op_ids) if isinstance(op, RecreateContainer) and op.start]
    if not svc.update_config.start_first or not replaced:
        return op_ids
    obstacle = start_first_obstacle(svc)
    if obstacle:
        warnings.append(fallback_warning(svc, obstacle))
        return op_ids
    for op in replaced:
        del ops[op.id]
    policy = svc.update_config
    at_once = "all at once" if policy.parallelism == 0 else f"{policy.parallelism} at a time"
    rollout = RollOut(
        id=f"rollout:{svc.name}", target=svc.name,
        cause=f"start-first, {at_once}, each replacement ready before the old container stops",
        deps=frozenset().union(*(op.deps for op in replaced)), service=svc.name,
        stop_timeout=replaced[0].stop_timeout, remove_volumes=replaced[0].remove_volumes,
        steps=tuple(RolloutStep(op.container, op.spec, op.rename_to, op.cause) for op in replaced))
    ops[rollout.id] = rollout
    return [i for i in op_ids if i in ops] + [rollout.id]


def _choose(candidates: list[ObservedContainer], config_hash: str, name: str,
            start_first: bool = False) -> ObservedContainer | None:
    """The container to keep for one replica: up to date first, then running, then canonically named.
    For a start-first service the running, canonically named one comes first: a replacement left
    by an interrupted rollout has not taken over (and lacks the service's aliases)."""
    if not candidates:
        return None
    if start_first:
        return max(candidates, key=lambda c: (c.state == Status.RUNNING and c.name == name,
                                              c.labels.get(L.CONFIG_HASH) == config_hash, c.created))
    return max(candidates, key=lambda c: (c.labels.get(L.CONFIG_HASH) == config_hash,
                                          c.state == Status.RUNNING, c.name == name, c.created))


def _converge(c: ObservedContainer, spec: ContainerSpec, svc: Service, digests: dict[str, str],
              config_hash: str, desired: Desired, options: UpOptions, policy: Recreate, recreated: set[str],
              dup_deps: frozenset[str]) -> Operation:
    op_id = f"container:{spec.name}"
    rename = spec.name if c.name != spec.name else None
    head: dict[str, Any] = {"id": op_id, "target": spec.name, "deps": dup_deps, "service": svc.name,
                            "container": c}
    cause = _divergence(c, digests, config_hash, desired.image_ids.get(svc.name, ""))
    refs = [r for r in svc.service_refs() if r in recreated]
    if policy == Recreate.FORCE:
        cause = "forced"
    elif rename and svc.update_config.start_first and policy != Recreate.NEVER:
        cause = "an interrupted rollout left it without the service's aliases"
    elif refs and policy != Recreate.NEVER:
        cause = f"{refs[0]} was recreated and this container shares its namespace or volumes"
    elif policy == Recreate.NEVER:
        cause = ""
    if cause:
        replacement = replace(spec, name=f"{c.id[:12]}_{spec.name}",
                              mounts=_carry_anonymous_volumes(spec.mounts, c, options.renew_anon_volumes))
        return RecreateContainer(**head, cause=cause, spec=replacement, rename_to=spec.name,
                                 start=options.start, stop_timeout=options.timeout,
                                 remove_volumes=options.renew_anon_volumes, post_start=svc.post_start)
    restart_for = [d.service for d in svc.depends_on if d.restart and d.service in recreated]
    if restart_for and c.state == Status.RUNNING:
        return RestartContainer(**head, cause=f"dependency {restart_for[0]} was recreated",
                                stop_timeout=options.timeout, pre_stop=svc.pre_stop,
                                post_start=svc.post_start)
    if c.state not in (Status.RUNNING, Status.RESTARTING) and options.start:
        return StartContainer(**head, cause=f"was {c.state}", rename_to=rename, post_start=svc.post_start)
    return KeepContainer(**head, cause="renamed from an interrupted recreate" if rename else "",
                         rename_to=rename)


def _divergence(c: ObservedContainer, digests: dict[str, str], config_hash: str, image_id: str) -> str:
    if c.labels.get(L.CONFIG_HASH) != config_hash:
        stored = c.labels.get(L.CONFIG_DIGESTS)
        if stored:
            try:
                paths = changed_paths(json.loads(stored), digests)
            except ValueError:
                paths = []
            if paths:
                more = f" (+{len(paths) - 3} more)" if len(paths) > 3 else ""
                return ", ".join(paths[:3]) + more + " changed"
        return "configuration changed"
    if image_id and c.labels.get(L.IMAGE) not in (None, "", image_id):
        return "image changed"
    return ""


def _carry_anonymous_volumes(mounts: tuple[Mount, ...], old: ObservedContainer,
                             renew: bool) -> tuple[Mount, ...]:
    """Anonymous volumes keep their data across a recreate (unless -V): reuse the old volume by name."""
    if renew:
        return mounts
    old_by_target = {m.destination: m.name for m in old.mounts if m.type == "volume" and m.name}
    return tuple(replace(m, source=old_by_target.get(m.target))
                 if m.type == "volume" and m.source is None and old_by_target.get(m.target) else m
                 for m in mounts)


def _wire_dependencies(project: Project, selected: list[str], service_ops: dict[str, list[str]],
                       options: UpOptions, ops: dict[str, Operation]) -> None:
    """Each container op waits for its networks, volumes and dependencies' conditions.

    A new container whose dependencies have conditions to wait for is created at once and only
    its *start* waits: creating takes the engine ~100 ms a container, time that then overlaps
    with the dependencies' health checks instead of adding to the critical path.
    """
    creates = {name: list(ids) for name, ids in service_ops.items()}  # before any start is split off
    for name in selected:
        svc = project.services[name]
        resources: set[str] = set()
        resources |= {f"network:{n.key}" for n in svc.networks if f"network:{n.key}" in ops}
        resources |= {f"volume:{m.source}" for m in svc.mounts if f"volume:{m.source}" in ops}
        waits: set[str] = set()
        conditions = [(d.service, d.condition, d.required) for d in svc.depends_on]
        conditions += [(r, Condition.STARTED, True) for r in svc.service_refs()]
        for dep, condition, required in conditions:
            if dep not in service_ops:
                continue
            if not options.start:
                waits |= set(service_ops[dep])
                continue
            if all(_holds(ops[i], condition) for i in service_ops[dep]):
                continue  # observed just now: nothing to wait for
            wait = AwaitCondition.on(dep, condition, required=required, deps=frozenset(service_ops[dep]))
            ops[wait.id] = wait
            waits.add(wait.id)
        split = bool(waits) and options.start and not svc.service_refs()
        for index, op_id in enumerate(service_ops[name]):
            op = ops[op_id]
            if split and isinstance(op, CreateContainer) and op.start:
                # Still created after its dependencies' containers (a shared empty volume is filled
                # from the first container's image), only no longer after their conditions.
                dep_creates = {i for d in svc.depends_on for i in creates.get(d.service, [])}
                ops[op_id] = replace(op, deps=op.deps | resources | dep_creates, start=False)
                start_id = f"start:{op.target}"
                ops[start_id] = StartContainer(id=start_id, target=op.target, deps=frozenset({op_id}) | waits,
                                               service=name, post_start=op.post_start)
                service_ops[name][index] = start_id
            else:
                ops[op_id] = replace(op, deps=op.deps | resources | waits)


def _holds(op: Operation, condition: Condition) -> bool:
    """A kept container whose snapshot already satisfies the condition (no engine call needed)."""
    if not isinstance(op, KeepContainer) or op.container.state != Status.RUNNING \
            or condition == Condition.COMPLETED:
        return False
    return condition == Condition.STARTED or op.container.health == "healthy"


def _plan_ready(project: Project, selected: list[str], service_ops: dict[str, list[str]],
                ops: dict[str, Operation]) -> None:
    jobs = {d.service for s in project.services.values() for d in s.depends_on
            if d.condition == Condition.COMPLETED}
    for name in selected:
        for op_id in service_ops[name]:
            op = ops[op_id]
            if isinstance(op, RollOut):
                continue  # a rollout is done once its replacements are ready
            # As Compose's --wait: healthy where the engine runs a healthcheck (the file's or the
            # image's), else running; a job (what a dependent waits to complete) exited 0.
            settled = isinstance(op, KeepContainer) and op.container.state == Status.RUNNING \
                and op.container.health in (None, "healthy")
            if name not in jobs and settled:
                continue
            ops[f"ready:{op.target}"] = AwaitReady(
                id=f"ready:{op.target}", target=op.target, deps=frozenset({op_id}), service=name,
                healthcheck=name not in jobs, expect_exit=name in jobs)


@dataclass(frozen=True)
class DownOptions:
    """The `down` flags that shape the plan."""

    remove_orphans: bool = False
    volumes: bool = False
    images: Mapping[str, str] = field(default_factory=dict)  # service → image to remove (--rmi)
    timeout: int | None = None
    # Volumes another project's containers mount (engine name → one of them): kept with a warning.
    volumes_in_use: Mapping[str, str] = field(default_factory=dict)


def plan_down(project: Project, observed: ObservedState, options: DownOptions) -> Plan:
    """Stop and remove dependents before their dependencies, then networks, volumes (-v), images."""
    known = set(project.services) | set(project.disabled_services)
    deps = graph.dependencies(project)
    ops: dict[str, Operation] = {}
    warnings: list[str] = []
    by_service: dict[str, list[str]] = {}
    orphans: list[ObservedContainer] = []
    for c in sorted(observed.containers, key=lambda c: c.name):
        if c.service not in known and not c.oneoff:
            orphans.append(c)
            if not options.remove_orphans:
                continue
        op_id = f"remove:{c.name}"
        ops[op_id] = RemoveContainer(id=op_id, target=c.name, cause="orphan" if c in orphans else "",
                                     service=c.service, container=c, remove_volumes=options.volumes,
                                     stop_timeout=options.timeout)
        by_service.setdefault(c.service, []).append(op_id)
    # A dependency is signalled once all its dependents have exited (their die events, ahead of
    # the engine's answers to their stops); each removal runs once its own stop call has ended.
    stops: dict[str, Operation] = {}
    for name, op_ids in by_service.items():
        users = graph.dependents(deps, name) if name in deps else set()
        after = frozenset(f"exited:{i}" for other in users for i in by_service.get(other, []))
        for op_id in op_ids:
            removal = ops[op_id]
            assert isinstance(removal, RemoveContainer)
            victim = removal.container
            owner = project.services.get(victim.service)  # an orphan's hooks are not known
            stops[f"stop:{op_id}"] = StopContainer(id=f"stop:{op_id}", target=victim.name, deps=after,
                                                   container=victim, stop_timeout=options.timeout,
                                                   pre_stop=owner.pre_stop if owner else ())
            stops[f"exited:{op_id}"] = AwaitExit(id=f"exited:{op_id}", target=victim.name, deps=after,
                                                 container=victim)
            # The removal runs after its stop op: it sees the container as already stopped.
            ops[op_id] = replace(removal, deps=frozenset({f"stop:{op_id}"}),
                                 container=replace(victim, state=Status.EXITED))
    ops = {**stops, **ops}
    if orphans and not options.remove_orphans:
        names = ", ".join(c.name for c in orphans)
        warnings.append(f"Found orphan containers ({names}) for this project. If you removed or renamed this "
                        "service in your compose file, you can run this command with the --remove-orphans "
                        "flag to clean it up.")
    # After the removals, not the stops: the engine can answer a stop before it has released the
    # container's endpoints, and a network with endpoints cannot be removed.
    all_containers = frozenset(ops)
    for net in project.networks.values():
        if not net.external and net.name in observed.networks:
            ops[f"rmnet:{net.key}"] = RemoveNetwork(id=f"rmnet:{net.key}", target=net.name,
                                                    deps=all_containers)
    if options.volumes:
        for vol in project.volumes.values():
            user = options.volumes_in_use.get(vol.name)
            if user is not None and vol.name in observed.volumes:
                warnings.append(f"kept volume {vol.name}: container {user} of another project uses it")
            elif not vol.external and vol.name in observed.volumes:
                ops[f"rmvol:{vol.key}"] = RemoveVolume(id=f"rmvol:{vol.key}", target=vol.name,
                                                       deps=all_containers)
    for ref in sorted(set(options.images.values())):
        ops[f"rmi:{ref}"] = RemoveImage(id=f"rmi:{ref}", target=ref, deps=all_containers)
    return Plan(_ordered(ops), tuple(warnings))


def _ordered(ops: dict[str, Operation]) -> dict[str, Operation]:
    """Dependencies first; otherwise the order operations were planned in."""
    import graphlib

    sorter = graphlib.TopologicalSorter({k: [d for d in op.deps if d in ops] for k, op in ops.items()})
    sorter.prepare()
    position = {k: i for i, k in enumerate(ops)}
    out: dict[str, Operation] = {}
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=position.__getitem__)
        for k in ready:
            out[k] = ops[k]
        sorter.done(*ready)
    return out


def container_spec(desired: Desired, svc: Service, number: int, name: str, config_hash: str,
                   digests_json: str) -> ContainerSpec:
    """The fully resolved creation request for one replica of a service."""
    project = desired.project
    svc = with_api_socket(svc)
    labels = L.container_labels(
        project=project.name, service=svc.name, number=number, working_dir=project.working_dir,
        real_dir=desired.real_dir, config_files=project.config_files, config_hash=config_hash,
        digests_json=digests_json, image_id=desired.image_ids.get(svc.name, ""), depends_on=svc.depends_on,
        user_labels=svc.labels)
    networks = tuple(NetworkAttachment(
        name=project.networks[n.key].name, aliases=(name, svc.name, *n.aliases), ipv4_address=n.ipv4_address,
        ipv6_address=n.ipv6_address, mac_address=n.mac_address, link_local_ips=n.link_local_ips,
        driver_opts=n.driver_opts, gw_priority=n.gw_priority, interface_name=n.interface_name)
        for n in svc.networks)
    if networks and (svc.links or svc.external_links):  # legacy links: on the primary network's endpoint
        networks = (replace(networks[0], links=_links(svc, project.name, number)), *networks[1:])
    mounts = tuple(replace(m, source=project.volumes[m.source].name)
                   if m.type == "volume" and m.source else m for m in svc.mounts)
    files: list[FileCopy] = []
    uses = (("secret", svc.secrets, project.secrets), ("config", svc.configs, project.configs))
    for kind, refs, table in uses:
        for ref in refs:
            mount, copy = _file_ref(kind, ref, table[ref.source], project.environment, svc.name)
            mounts += (mount,) if mount else ()
            files += [copy] if copy else []
    if svc.use_api_socket:
        files.append(credentials_file(desired.api_socket_config))
    return ContainerSpec(
        name=name, service=svc, number=number, image=desired.images[svc.name], labels=labels,
        networks=networks, network_mode=_resolve_mode(svc.network_mode, project.name),
        ipc=_resolve_mode(svc.ipc, project.name), pid=_resolve_mode(svc.pid, project.name),
        volumes_from=tuple(_volumes_from(v, project.name) for v in svc.volumes_from),
        mounts=mounts, files=tuple(files))


def _links(svc: Service, project: str, number: int) -> tuple[str, ...]:
    """As Compose writes them: ``db:database`` → the linked container under the alias, and under
    ``db-<n>`` and ``<project>-db-<n>`` where n is the *linking* replica's number; an external link
    ``other[:alias]`` → ``other:alias``."""
    out: list[str] = []
    for link in svc.links:
        service, _, alias = link.partition(":")
        container = L.container_name(project, service, 1)
        out += [f"{container}:{alias or service}", f"{container}:{service}-{number}",
                f"{container}:{L.container_name(project, service, number)}"]
    for link in svc.external_links:
        container, _, alias = link.partition(":")
        out.append(f"{container}:{alias or container}")
    return tuple(dict.fromkeys(out))


def _resolve_mode(mode: str | None, project: str) -> str | None:
    """``service:db`` → ``container:<project>-db-1`` (the engine resolves the name at start)."""
    if mode and mode.startswith("service:"):
        return f"container:{L.container_name(project, mode.split(':', 1)[1], 1)}"
    return mode


def _volumes_from(source: str, project: str) -> str:
    if source.startswith("container:"):
        return source.split(":", 1)[1]
    service, _, mode = source.partition(":")
    return L.container_name(project, service, 1) + (f":{mode}" if mode else "")


def _file_ref(kind: str, ref: FileRef, obj: FileObject, environment: Mapping[str, str],
              service: str) -> tuple[Mount | None, FileCopy | None]:
    if obj.external:
        raise ConfigError(f"service {service!r} uses external {kind} {obj.key!r}: external {kind}s need "
                          "Swarm, which compose-lite does not drive", path=f"{kind}s.{obj.key}",
                          hint=f"use 'file:', 'environment:' or 'content:' for the {kind}")
    if obj.file is not None:
        # through Mounts, as Compose does: a missing file is an error, not an empty directory
        return Mount(type="bind", source=obj.file, target=ref.target, read_only=True,
                     bind_create_host_path=False), None
    content = obj.inline_text(kind, environment) or ""
    return None, FileCopy(target=ref.target, content=content.encode(), mode=ref.mode or 0o444,
                          uid=int(ref.uid or 0), gid=int(ref.gid or 0))
