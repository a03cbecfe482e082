"""The service dependency graph: cycle check with the path in the message, order, selection."""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping

from compose_lite.errors import ConfigError, NotFoundError
from compose_lite.loader import did_you_mean, find_cycle
from compose_lite.model import Project

Deps = Mapping[str, frozenset[str]]


def dependencies(project: Project) -> dict[str, frozenset[str]]:
    """service → services it needs first: depends_on plus ``service:x`` / volumes_from references.

    Edges to services outside the project (disabled by a profile, ``required: false``) are dropped.
    """
    out: dict[str, frozenset[str]] = {}
    for name, svc in project.services.items():
        needed = [d.service for d in svc.depends_on] + list(svc.service_refs())
        out[name] = frozenset(n for n in needed if n in project.services)
    return out


def check_acyclic(deps: Deps) -> None:
    """Raise ConfigError naming the cycle as ``a -> b -> a`` (read: a depends on b …), from its
    alphabetically first service."""
    cycle = find_cycle({name: sorted(deps[name]) for name in sorted(deps)})[:-1]
    if cycle:
        start = cycle.index(min(cycle))
        cycle = cycle[start:] + cycle[:start]
        raise ConfigError(f"dependency cycle between services: {' -> '.join([*cycle, cycle[0]])}",
                          hint="remove one of these depends_on links")


def order(deps: Deps) -> list[str]:
    """Dependencies before dependents; ties broken by name so the order is stable."""
    check_acyclic(deps)
    sorter = graphlib.TopologicalSorter(deps)
    sorter.prepare()
    out: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        out += ready
        sorter.done(*ready)
    return out


def select(deps: Deps, names: Iterable[str], *, with_deps: bool = True) -> set[str]:
    """The named services, plus (transitively) what they depend on unless ``with_deps`` is False."""
    chosen: set[str] = set()
    todo = list(names)
    for name in todo:
        if name not in deps:
            raise NotFoundError(f"no such service: {name}", hint=did_you_mean(name, deps))
    while todo:
        name = todo.pop()
        if name in chosen:
            continue
        chosen.add(name)
        if with_deps:
            todo += deps[name]
    return chosen


def dependents(deps: Deps, name: str) -> set[str]:
    """Services that (transitively) depend on ``name``."""
    out: set[str] = set()
    frontier = {name}
    while frontier:
        nxt = {svc for svc, needed in deps.items() if needed & frontier} - out
        out |= nxt
        frontier = nxt
    return out
