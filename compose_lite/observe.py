"""A snapshot of what exists for a project: one list call per resource kind, by the project label.

Networks and volumes the project uses without owning them (external, or created by someone
else under the same name) are looked up by name, which is usually zero extra calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from compose_lite.engine.base import Engine, ObservedContainer, ObservedNetwork, ObservedVolume
from compose_lite.model import Project


@dataclass(frozen=True)
class ObservedState:
    """What exists of the project in the engine, read from labels."""

    containers: tuple[ObservedContainer, ...] = ()
    networks: Mapping[str, ObservedNetwork] = field(default_factory=dict)  # by engine name
    volumes: Mapping[str, ObservedVolume] = field(default_factory=dict)
    # Engine names of networks/volumes that exist but carry no label of this project.
    foreign_networks: frozenset[str] = frozenset()
    foreign_volumes: frozenset[str] = frozenset()

    def of_service(self, service: str) -> list[ObservedContainer]:
        """The service's containers (one-off `run` containers excluded), by number then name."""
        return sorted((c for c in self.containers if c.service == service and not c.oneoff),
                      key=lambda c: (c.number, c.name))

    def network_exists(self, name: str) -> bool:
        return name in self.networks or name in self.foreign_networks

    def volume_exists(self, name: str) -> bool:
        return name in self.volumes or name in self.foreign_volumes


def snapshot(engine: Engine, project: Project) -> ObservedState:
    containers = tuple(engine.list_containers(project.name))
    networks = {n.name: n for n in engine.list_networks(project.name)}
    volumes = {v.name: v for v in engine.list_volumes(project.name)}
    foreign_networks = frozenset(n.name for n in project.networks.values()
                                 if n.name not in networks and engine.network_exists(n.name))
    foreign_volumes = frozenset(v.name for v in project.volumes.values()
                                if v.name not in volumes and engine.volume_exists(v.name))
    return ObservedState(containers, networks, volumes, foreign_networks, foreign_volumes)
