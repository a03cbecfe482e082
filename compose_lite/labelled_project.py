"""A project rebuilt from the engine's labels alone, for `cl -p NAME down|ps|logs|stop…` without files.

Docker Compose v2 lets a project be managed by name from any directory; the labels it (and we)
put on every resource carry enough to do that: services and their images, the dependency order
(``com.docker.compose.depends_on``), and which networks and volumes belong to the project.
"""

from __future__ import annotations

from dataclasses import replace

from compose_lite import labels as L
from compose_lite import observe
from compose_lite.engine.base import Engine
from compose_lite.model import Network, Project, Service, Volume


def project_from_labels(name: str, engine: Engine) -> Project | None:
    """The project as the engine's labels describe it; None when nothing carries its label."""
    containers = observe.containers(engine, name)
    networks = engine.list_networks(name)
    volumes = engine.list_volumes(name)
    if not (containers or networks or volumes):
        return None
    services: dict[str, Service] = {}
    for c in sorted(containers, key=lambda c: c.number):
        # The list call's image is the name the container was created from; a built image is named
        # <project>-<service> and stands for `build:` (so `down --rmi local` removes it).
        built = c.image == f"{name}-{c.service}" or c.image.startswith(f"{name}-{c.service}:")
        services.setdefault(c.service, Service(
            c.service, image=None if built else c.image,
            depends_on=L.parse_depends_on(c.labels.get(L.DEPENDS_ON, ""))))
    working_dir = next((c.labels[L.WORKING_DIR] for c in containers if L.WORKING_DIR in c.labels), "")
    return Project(
        name=name, working_dir=working_dir,
        # Dependencies on services that no longer have containers are dropped: nothing to order.
        services={k: _known_deps(s, services) for k, s in services.items()},
        networks={n.labels.get(L.NETWORK, n.name): Network(n.labels.get(L.NETWORK, n.name), n.name)
                  for n in networks},
        volumes={v.labels.get(L.VOLUME, v.name): Volume(v.labels.get(L.VOLUME, v.name), v.name)
                 for v in volumes},
    )


def _known_deps(service: Service, services: dict[str, Service]) -> Service:
    return replace(service, depends_on=tuple(d for d in service.depends_on if d.service in services))
