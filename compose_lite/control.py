"""Lifecycle of existing containers: start, stop, restart, kill, rm, pause, unpause.

Each acts on the project's (non one-off) containers of the selected services, level by level
in dependency order — dependencies first when starting, dependents first when stopping — and in
parallel within a level.  Progress goes to the reporter as one event per container.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from compose_lite import app, executor, graph, observe
from compose_lite.engine.base import Engine
from compose_lite.errors import NotFoundError
from compose_lite.model import Project
from compose_lite.output import Reporter
from compose_lite.state import LIVE, ObservedContainer, Status


def levels(project: Project, services: Iterable[str], *, reverse: bool = False) -> list[list[str]]:
    """The services grouped so each group only needs earlier groups (``reverse``: only later ones)."""
    deps = graph.dependencies(project)
    depth: dict[str, int] = {}
    for name in graph.order(deps):
        depth[name] = 1 + max((depth[d] for d in deps[name]), default=-1)
    chosen = sorted(set(services), key=lambda s: (depth[s], s))
    out: dict[int, list[str]] = {}
    for name in chosen:
        out.setdefault(depth[name], []).append(name)
    groups = [out[k] for k in sorted(out)]
    return groups[::-1] if reverse else groups


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
    """One action on a container: the progress words and the engine call."""

    doing: str
    done: str
    applies: Callable[[ObservedContainer], bool]
    act: Callable[[ObservedContainer], None]


def _run(project: Project, engine: Engine, services: list[str], step: Step, reporter: Reporter, *,
         reverse: bool = False) -> None:
    found = containers(engine, project, services)
    by_id = {c.id: c for group in found.values() for c in group}

    def one(cid: str) -> None:
        c = by_id[cid]
        reporter.event("Container", c.name, step.doing)
        step.act(c)
        reporter.event("Container", c.name, step.done, done=True)

    for group in levels(project, services, reverse=reverse):
        executor.each(one, [c.id for s in group for c in found.get(s, []) if step.applies(c)])


def start(project: Project, engine: Engine, services: tuple[str, ...], reporter: Reporter) -> None:
    names = selected(project, services)
    found = containers(engine, project, names)
    if not any(found.values()):
        raise NotFoundError("no container found for project " + repr(project.name) +
                            (f" (services {', '.join(names)})" if services else ""),
                            hint="create them first with `cl up` or `cl create`")
    startable = (Status.CREATED, Status.EXITED)
    _run(project, engine, names, Step("Starting", "Started", lambda c: c.state in startable,
                                      lambda c: engine.start_container(c.id)), reporter)


def stop(project: Project, engine: Engine, services: tuple[str, ...], timeout: int | None,
         reporter: Reporter) -> None:
    _run(project, engine, selected(project, services),
         Step("Stopping", "Stopped", lambda c: c.state in LIVE,
              lambda c: engine.stop_container(c.id, timeout)), reporter, reverse=True)


def restart(project: Project, engine: Engine, services: tuple[str, ...], timeout: int | None,
            reporter: Reporter, *, with_dependents: bool = True) -> None:
    """Named services and (``with_dependents``) the services depending on them, dependencies first."""
    names = set(selected(project, services))
    if services and with_dependents:
        deps = graph.dependencies(project)
        names |= {d for name in list(names) for d in graph.dependents(deps, name)}
    _run(project, engine, sorted(names),
         Step("Restarting", "Started", lambda c: c.state != Status.REMOVING,
              lambda c: engine.restart_container(c.id, timeout)), reporter)


def kill(project: Project, engine: Engine, services: tuple[str, ...], signal: str | None,
         reporter: Reporter) -> None:
    _run(project, engine, selected(project, services),
         Step("Killing", "Killed", lambda c: c.state in LIVE,
              lambda c: engine.kill_container(c.id, signal)), reporter, reverse=True)


def remove_orphans(project: Project, engine: Engine, reporter: Reporter) -> None:
    """Remove (forcibly) the project's containers of services the files no longer declare."""
    for c in observe.containers(engine, project.name):
        if c.service not in project.services and c.service not in project.disabled_services:
            reporter.event("Container", c.name, "Removing")
            engine.remove_container(c.id)
            reporter.event("Container", c.name, "Removed", done=True)


def pause(project: Project, engine: Engine, services: tuple[str, ...], reporter: Reporter) -> None:
    _run(project, engine, selected(project, services),
         Step("Pausing", "Paused", lambda c: c.state == Status.RUNNING,
              lambda c: engine.pause_container(c.id)), reporter)


def unpause(project: Project, engine: Engine, services: tuple[str, ...], reporter: Reporter) -> None:
    _run(project, engine, selected(project, services),
         Step("Unpausing", "Unpaused", lambda c: c.state == Status.PAUSED,
              lambda c: engine.unpause_container(c.id)), reporter)


def removable(project: Project, engine: Engine, services: tuple[str, ...], *,
              stopped_too: bool) -> list[ObservedContainer]:
    """What `rm` would remove: stopped containers (and running ones when they are stopped first)."""
    found = containers(engine, project, selected(project, services))
    return [c for group in found.values() for c in group
            if stopped_too or c.state not in LIVE]


def remove(project: Project, engine: Engine, targets: list[ObservedContainer], *, stop_first: bool,
           volumes: bool, timeout: int | None, reporter: Reporter) -> None:
    ids = {c.id for c in targets}
    services = sorted({c.service for c in targets})
    if stop_first:
        _run(project, engine, services,
             Step("Stopping", "Stopped", lambda c: c.id in ids and c.state in LIVE,
                  lambda c: engine.stop_container(c.id, timeout)), reporter, reverse=True)
    _run(project, engine, services, Step("Removing", "Removed", lambda c: c.id in ids,
                                         lambda c: engine.remove_container(c.id, volumes=volumes)),
         reporter, reverse=True)
