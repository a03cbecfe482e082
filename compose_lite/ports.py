"""Where a service's private port is published on the host (`cl port`, ``Stack.port``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compose_lite.errors import NotFoundError

if TYPE_CHECKING:
    from compose_lite.engine.base import Engine
    from compose_lite.model import Project


def published_port(project: Project, engine: Engine, service: str, private_port: int, *,
                   protocol: str = "tcp", index: int = 1) -> tuple[str, int]:
    """(host address, host port) of replica ``index``'s ``private_port``; IPv4 first, as Compose prints it."""
    from compose_lite import app, oneoff

    found = [c for c in app.ps(project, engine, services=(service,)) if c.number == index]
    if not found:
        raise NotFoundError(oneoff.not_running(service, index))
    c = found[0]
    bound = [p for p in c.ports if p.get("PrivatePort") == private_port and p.get("Type", "tcp") == protocol
             and p.get("PublicPort")]
    bound.sort(key=lambda p: ":" in str(p.get("IP", "")))
    if not bound:
        published = ", ".join(f"{p.get('PublicPort', 0)}/{p.get('Type', 'tcp')}" for p in c.ports)
        raise NotFoundError(f"no port {private_port}/{protocol} for container {c.name}: {published}")
    return str(bound[0].get("IP", "")), int(str(bound[0]["PublicPort"]))
