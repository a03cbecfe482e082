"""A snapshot of what exists for a project: one list call per resource kind, by the project label.

Networks and volumes the project uses without owning them (external, or created by someone
else under the same name) are looked up by name, which is usually zero extra calls.
"""

from __future__ import annotations

from compose_lite.engine.base import Engine
from compose_lite.model import Project
from compose_lite.state import ObservedState


def snapshot(engine: Engine, project: Project) -> ObservedState:
    containers = tuple(engine.list_containers(project.name))
    networks = {n.name: n for n in engine.list_networks(project.name)}
    volumes = {v.name: v for v in engine.list_volumes(project.name)}
    foreign_networks = frozenset(n.name for n in project.networks.values()
                                 if n.name not in networks and engine.network_exists(n.name))
    foreign_volumes = frozenset(v.name for v in project.volumes.values()
                                if v.name not in volumes and engine.volume_exists(v.name))
    return ObservedState(containers, networks, volumes, foreign_networks, foreign_volumes)
