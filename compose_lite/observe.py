"""Reading what exists: the one place containers are listed. ``snapshot`` takes a project's
containers, networks and volumes (one list call per kind, by the project label); ``containers``
narrows a project's containers the ways the commands need; ``every_projects_containers`` is the
engine-wide view (`ls`, volumes used by other projects).

Networks and volumes the project uses without owning them (external, or created by someone
else under the same name) are looked up by name, which is usually zero extra calls.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from compose_lite.engine.base import Engine
from compose_lite.model import Project
from compose_lite.state import ObservedContainer, ObservedState


def snapshot(engine: Engine, project: Project) -> ObservedState:
    containers = tuple(engine.list_containers(project.name))
    networks = {n.name: n for n in engine.list_networks(project.name)}
    volumes = {v.name: v for v in engine.list_volumes(project.name)}
    foreign_networks = frozenset(n.name for n in project.networks.values()
                                 if n.name not in networks and engine.network_exists(n.name))
    foreign_volumes = frozenset(v.name for v in project.volumes.values()
                                if v.name not in volumes and engine.volume_exists(v.name))
    return ObservedState(containers, networks, volumes, foreign_networks, foreign_volumes)


def containers(engine: Engine, project: str, *, services: Iterable[str] | None = None,
               number: int | None = None, states: Collection[str] | None = None,
               oneoff: bool | None = False) -> list[ObservedContainer]:
    """A project's containers by service, number and name: its service containers by default,
    ``oneoff=True`` its `run` containers instead, None both; narrowed to ``services``, one replica
    ``number``, and ``states`` when given."""
    wanted = None if services is None else set(services)
    found = [c for c in engine.list_containers(project)
             if (oneoff is None or c.oneoff == oneoff) and (wanted is None or c.service in wanted)
             and (number is None or c.number == number) and (states is None or c.state in states)]
    return sorted(found, key=lambda c: (c.service, c.number, c.name))


def every_projects_containers(engine: Engine) -> list[ObservedContainer]:
    """The containers of every Compose project on the engine (anything with a project label)."""
    return engine.list_all_containers()
