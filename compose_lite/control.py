"""Lifecycle of existing containers: start, stop, restart, kill, rm, pause, unpause.

Each acts on the project's (non one-off) containers of the selected services as a plan of one
operation per container, run by the executor like `up`'s: a container's operation waits only for
those of the services it depends on (starting) or that depend on it (stopping), not for a whole
level. Progress goes to the reporter as one event per container.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from compose_lite import app, executor, graph, observe
from compose_lite.engine.base import Engine
from compose_lite.errors import NotFoundError
from compose_lite.model import Condition, DependsOn, Project
from compose_lite.operations import (
    AwaitCondition,
    ContainerOperation,
    KillContainer,
    Operation,
    PauseContainer,
    Plan,
    RemoveContainer,
    RestartContainer,
    StartContainer,
    StopContainer,
    UnpauseContainer,
)
from compose_lite.output import Reporter
from compose_lite.state import LIVE, ObservedContainer, Status


def selected(project: Project, services: tuple[str, ...]) -> list[str]:
    """The named services (all when none), unknown names being errors as in Compose."""
    return sorted(app.select_services(project, services, with_deps=False))


def containers(engine: Engine, project: Project,
               services: Iterable[str]) -> dict[str, list[ObservedContainer]]:
    """service → its containers (not one-offs), by replica number."""
    wanted = set(services)
    out: dict[str, list[ObservedContainer]] = {}
    for c in observe.containers(engine, project.name, services=wanted):
        out.setdefault(c.service, []).append(c)
    return out


@dataclass(frozen=True)
class Step:
    """One kind of operation, the containers it applies to, and how it is run."""

    kind: type[ContainerOperation] | type[StartContainer]
    applies: Callable[[ObservedContainer], bool]
    reverse: bool = False  # dependents first (stopping), else dependencies first
    settings: Mapping[str, Any] = field(default_factory=dict)  # the kind's own fields (stop_timeout, …)


def plan(project: Project, found: Mapping[str, list[ObservedContainer]], step: Step) -> Plan:
    """One operation per container ``step`` applies to, each after those of the services it must
    follow (pure: the containers are given)."""
    deps = graph.dependencies(project)
    chosen = {service: [c for c in group if step.applies(c)] for service, group in found.items()}
    # the service's lifecycle hooks the kind runs (a stop its pre_stop, a restart both), as Compose
    hook_fields = {f.name for f in fields(step.kind)} & {"pre_stop", "post_start"}
    ops: dict[str, ContainerOperation | StartContainer] = {}
    for service, group in chosen.items():
        before = (graph.dependents(deps, service) if step.reverse
                  else graph.select(deps, [service]) - {service})
        after = frozenset(_op_id(step, c) for other in before for c in chosen.get(other, ()))
        svc = project.services.get(service)
        hooks = {name: getattr(svc, name) for name in hook_fields} if svc is not None else {}
        for c in group:
            ops[_op_id(step, c)] = step.kind(id=_op_id(step, c), target=c.name, deps=after, service=service,
                                             container=c, **step.settings, **hooks)
    return Plan(dict(ops))


def _op_id(step: Step, c: ObservedContainer) -> str:
    return f"{step.kind.kind.value}:{c.name}"


def _run(project: Project, engine: Engine, services: Iterable[str], step: Step, reporter: Reporter) -> int:
    """Plan ``step`` for the services' containers and run it; how many containers it acted on."""
    steps = plan(project, containers(engine, project, services), step)
    executor.run(steps, engine, reporter)
    return len(steps.operations)


def _with_conditions(project: Project, found: Mapping[str, list[ObservedContainer]], steps: Plan,
                    edges: Callable[[DependsOn], bool] = lambda d: True) -> Plan:
    """``steps`` where each service's operations first wait for its dependencies' conditions (the
    ``depends_on`` entries ``edges`` keeps), as `up` waits for them."""
    by_service: dict[str, list[str]] = {}
    for op_id, op in steps.operations.items():
        by_service.setdefault(str(op.service), []).append(op_id)
    ops: dict[str, Operation] = dict(steps.operations)
    for name, op_ids in by_service.items():
        waits: set[str] = set()
        for dep in project.services[name].depends_on:
            if not edges(dep):
                continue
            if not found.get(dep.service):
                if dep.required:  # as Compose refuses it
                    raise NotFoundError(f"{name} is missing dependency {dep.service}",
                                        hint=f"create it with `cl up --no-start {dep.service}`")
                continue
            if dep.condition == Condition.STARTED:
                continue
            acted_on = {steps.operations[i].target for i in by_service.get(dep.service, ())}
            wait = AwaitCondition.on(dep.service, dep.condition, required=dep.required,
                                     deps=frozenset(by_service.get(dep.service, ())),
                                     present=tuple(c for c in found[dep.service] if c.name not in acted_on))
            ops[wait.id] = wait
            waits.add(wait.id)
        for op_id in op_ids:
            ops[op_id] = replace(ops[op_id], deps=ops[op_id].deps | waits)
    return Plan(ops)


def start(project: Project, engine: Engine, services: tuple[str, ...], reporter: Reporter) -> None:
    """The services' stopped containers and those of what they depend on, each service once its
    dependencies' conditions hold, as Compose starts them."""
    names = sorted(app.select_services(project, services, with_deps=True))
    found = containers(engine, project, names)
    if not any(found.values()):
        raise NotFoundError("no container found for project " + repr(project.name) +
                            (f" (services {', '.join(sorted(services))})" if services else ""),
                            hint="create them first with `cl up` or `cl create`")
    startable = (Status.CREATED, Status.EXITED)
    steps = plan(project, found, Step(StartContainer, lambda c: c.state in startable))
    executor.run(_with_conditions(project, found, steps), engine, reporter)


def stop(project: Project, engine: Engine, services: tuple[str, ...], timeout: int | None,
         reporter: Reporter) -> None:
    _run(project, engine, selected(project, services),
         Step(StopContainer, lambda c: c.state in LIVE, reverse=True, settings={"stop_timeout": timeout}),
         reporter)


def restart(project: Project, engine: Engine, services: tuple[str, ...], timeout: int | None,
            reporter: Reporter, *, with_dependents: bool = True) -> None:
    """Named services and (``with_dependents``) those depending on them with ``restart: true``,
    each once the conditions of such dependencies hold: as Compose, only those links count."""
    names = set(selected(project, services))
    if services and with_dependents:
        restart_links = {name: frozenset(d.service for d in svc.depends_on
                                         if d.restart and d.service in project.services)
                         for name, svc in project.services.items()}
        names |= {d for name in list(names) for d in graph.dependents(restart_links, name)}
    found = containers(engine, project, names)
    steps = plan(project, found, Step(RestartContainer, lambda c: c.state != Status.REMOVING,
                                      settings={"stop_timeout": timeout}))
    executor.run(_with_conditions(project, found, steps, edges=lambda d: d.restart), engine, reporter)


def kill(project: Project, engine: Engine, services: tuple[str, ...], signal: str | None,
         reporter: Reporter) -> int:
    """Signal the services' running containers; how many there were."""
    return _run(project, engine, selected(project, services),
                Step(KillContainer, lambda c: c.state in LIVE, reverse=True, settings={"signal": signal}),
                reporter)


def remove_orphans(project: Project, engine: Engine, reporter: Reporter) -> None:
    """Remove (forcibly) the project's containers of services the files no longer declare."""
    for c in observe.containers(engine, project.name):
        if c.service not in project.services and c.service not in project.disabled_services:
            reporter.event("Container", c.name, "Removing")
            engine.remove_container(c.id)
            reporter.event("Container", c.name, "Removed", done=True)


def pause(project: Project, engine: Engine, services: tuple[str, ...], reporter: Reporter) -> None:
    _run(project, engine, selected(project, services),
         Step(PauseContainer, lambda c: c.state == Status.RUNNING), reporter)


def unpause(project: Project, engine: Engine, services: tuple[str, ...], reporter: Reporter) -> None:
    _run(project, engine, selected(project, services),
         Step(UnpauseContainer, lambda c: c.state == Status.PAUSED), reporter)


def removable(project: Project, engine: Engine, services: tuple[str, ...], *,
              stopped_too: bool) -> list[ObservedContainer]:
    """What `rm` would remove: stopped containers (and running ones when they are stopped first)."""
    found = containers(engine, project, selected(project, services))
    return [c for group in found.values() for c in group
            if stopped_too or c.state not in LIVE]


def remove(project: Project, engine: Engine, targets: list[ObservedContainer], *, stop_first: bool,
           volumes: bool, timeout: int | None, reporter: Reporter) -> None:
    """Remove ``targets`` (stopping running ones first when ``stop_first``), dependents first."""
    ids = {c.id for c in targets}
    live_ok = stop_first
    _run(project, engine, sorted({c.service for c in targets}),
         Step(RemoveContainer, lambda c: c.id in ids and (live_ok or c.state not in LIVE), reverse=True,
              settings={"stop_timeout": timeout, "remove_volumes": volumes}), reporter)
