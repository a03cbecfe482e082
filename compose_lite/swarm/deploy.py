"""`cl stack deploy` and `cl stack rm`: apply a stack to the cluster, or remove everything it made.

A deploy creates what is missing (networks, then secrets and configs, then services), updates the
services whose spec changed, leaves the others untouched, and removes secret and config versions
no service refers to any more. Everything it creates carries the stack's namespace label, which
is all `stack rm` (ours or Docker's) needs to find it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compose_lite.clock import Clock
from compose_lite.errors import ConfigError, EngineError
from compose_lite.model import Project
from compose_lite.output import Reporter
from compose_lite.swarm import labels as SL
from compose_lite.swarm.cluster import Swarm
from compose_lite.swarm.files import CONFIG, SECRET, StackFile, stack_files
from compose_lite.swarm.plan import Change, ServiceChange, plan
from compose_lite.swarm.spec import NetworkSpec, network_specs, service_specs

_VERBS = {Change.CREATE: ("Creating", "Created"), Change.UPDATE: ("Updating", "Updated"),
          Change.REMOVE: ("Removing", "Removed")}


@dataclass(frozen=True)
class Deployment:
    """What a deploy decided, and the tasks that existed before it (``converge`` ignores them)."""

    changes: list[ServiceChange]
    earlier_tasks: frozenset[str]


def deploy(swarm: Swarm, project: Project, canonical: Mapping[str, Any], stack: str, reporter: Reporter, *,
           prune: bool = False, dry_run: bool = False) -> Deployment:
    swarm.require_manager()
    files = stack_files(project)
    specs = service_specs(project, canonical, stack, files)
    changes = plan(specs, swarm.services(stack), prune=prune)
    if dry_run:
        return Deployment(changes, frozenset())
    earlier = frozenset(t["ID"] for t in swarm.tasks(stack))
    _ensure_networks(swarm, network_specs(project, stack), reporter)
    ids = _ensure_files(swarm, stack, files.values(), reporter)
    for change in changes:
        _apply(swarm, change, ids, reporter)
    _remove_unused_files(swarm, stack, files.values())
    return Deployment(changes, earlier)


def _ensure_networks(swarm: Swarm, networks: Sequence[NetworkSpec], reporter: Reporter) -> None:
    for net in networks:
        if swarm.network_exists(net.name):
            continue
        if net.external:
            raise ConfigError(f"network {net.name} is declared as external, but could not be found",
                              path=f"networks.{net.key}",
                              hint=f"create it first: docker network create --driver overlay {net.name}")
        reporter.event("Network", net.name, "Creating")
        swarm.create_network(net.name, net.options)
        reporter.event("Network", net.name, "Created", done=True)


def _ensure_files(swarm: Swarm, stack: str, files: Iterable[StackFile], reporter: Reporter) -> dict[str, str]:
    """Create the secrets and configs missing; the ID of each by name (a service refers to both)."""
    ids = {}
    for obj in files:
        found = swarm.file_id(obj.kind, obj.name)
        if found is not None:
            ids[obj.name] = found
            continue
        if obj.external:
            raise ConfigError(f"{obj.kind} {obj.name} is declared as external, but could not be found",
                              path=f"{obj.kind}s.{obj.key}",
                              hint=f"create it first: docker {obj.kind} create {obj.name} FILE")
        kind = obj.kind.capitalize()
        reporter.event(kind, obj.name, "Creating")
        ids[obj.name] = swarm.create_file(obj.kind, obj.name, obj.data, {SL.NAMESPACE: stack})
        reporter.event(kind, obj.name, "Created", done=True)
    return ids


def _apply(swarm: Swarm, change: ServiceChange, file_ids: Mapping[str, str], reporter: Reporter) -> None:
    if change.change is Change.UNCHANGED:
        reporter.event("Service", change.name, "Unchanged", done=True)
        return
    doing, done = _VERBS[change.change]
    why = f" ({', '.join(change.causes)})" if change.causes else ""
    reporter.event("Service", change.name, doing + why)
    if change.change is Change.CREATE:
        assert change.spec is not None
        swarm.create_service(_with_file_ids(change.spec.spec, file_ids))
    elif change.change is Change.UPDATE:
        assert change.spec is not None and change.current is not None
        swarm.update_service(change.current, _with_file_ids(change.spec.spec, file_ids))
    else:
        assert change.current is not None
        swarm.remove_service(change.current["ID"])
    reporter.event("Service", change.name, done, done=True)


def _with_file_ids(spec: Mapping[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    """The spec with each secret and config reference's ID, known only once they exist."""
    container = dict(spec["TaskTemplate"]["ContainerSpec"])
    for field, name in (("Secrets", "SecretName"), ("Configs", "ConfigName")):
        container[field] = [{**ref, name.replace("Name", "ID"): ids[ref[name]]} for ref in container[field]]
    return {**spec, "TaskTemplate": {**spec["TaskTemplate"], "ContainerSpec": container}}


def _remove_unused_files(swarm: Swarm, stack: str, wanted: Iterable[StackFile]) -> None:
    """Earlier versions of the stack's secrets and configs; one a service still uses (an update
    the engine refused) stays until the next deploy."""
    keep = {(f.kind, f.name) for f in wanted}
    for kind in (SECRET, CONFIG):
        for found in swarm.files(kind, stack):
            if (kind, found["Spec"]["Name"]) not in keep:
                try:
                    swarm.remove_file(kind, found["ID"])
                except EngineError:
                    continue


def remove(swarm: Swarm, stack: str, reporter: Reporter, clock: Clock, *, timeout_s: float = 60.0) -> bool:
    """Remove the stack's services, then (once their tasks are gone, as networks in use cannot go)
    its secrets, configs and networks. False when nothing carried the stack's label."""
    swarm.require_manager()
    services = swarm.services(stack)
    for service in services:
        name = service["Spec"]["Name"]
        reporter.event("Service", name, "Removing")
        swarm.remove_service(service["ID"])
        reporter.event("Service", name, "Removed", done=True)
    deadline = clock.monotonic() + timeout_s
    while services and swarm.tasks(stack) and clock.monotonic() < deadline:
        clock.sleep(0.5)
    found = bool(services)
    for kind in (SECRET, CONFIG):
        for obj in swarm.files(kind, stack):
            found = True
            swarm.remove_file(kind, obj["ID"])
            reporter.event(kind.capitalize(), obj["Spec"]["Name"], "Removed", done=True)
    for net in swarm.networks(stack):
        found = True
        _remove_network(swarm, net, clock, deadline)
        reporter.event("Network", net["Name"], "Removed", done=True)
    return found


def _remove_network(swarm: Swarm, net: Mapping[str, Any], clock: Clock, deadline: float) -> None:
    """A network whose last endpoints are still being released is refused for a moment: retry."""
    while True:
        try:
            swarm.remove_network(net["Id"])
            return
        except EngineError:
            if clock.monotonic() >= deadline:
                raise
            clock.sleep(0.5)
