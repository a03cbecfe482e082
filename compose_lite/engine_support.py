"""What a project asks of the engine's API, checked before anything is created: a refusal at
container creation would leave behind the networks and volumes made before it."""

from __future__ import annotations

from compose_lite.errors import ConfigError
from compose_lite.model import Project

# (what, the first Engine API version that has it, the Docker release that brought it)
SUBPATH = ("a volume subpath", "1.45", "26")
IMAGE_MOUNT = ("an image mount", "1.48", "28")
INTERFACE_NAME = ("interface_name", "1.49", "28.1")
MACS_PER_NETWORK = ("a MAC address on more than one network", "1.44", "25")


def check(project: Project, services: frozenset[str], api_version: str) -> None:
    """Raise, naming the key and the engine it needs, for the first thing ``api_version`` lacks."""
    for name in sorted(services):
        svc = project.services[name]
        base = f"services.{name}"
        for i, mount in enumerate(svc.mounts):
            if mount.type in ("npipe", "cluster"):
                raise ConfigError(f"{mount.type} mounts are not supported by compose-lite",
                                  path=f"{base}.volumes[{i}]",
                                  hint="npipe is for Windows engines, cluster volumes are Swarm's")
            if mount.volume_subpath:
                _need(SUBPATH, api_version, f"{base}.volumes[{i}]")
            if mount.type == "image":
                _need(IMAGE_MOUNT, api_version, f"{base}.volumes[{i}]")
        for net in svc.networks:
            if net.interface_name:
                _need(INTERFACE_NAME, api_version, f"{base}.networks.{net.key}.interface_name")
        if sum(1 for net in svc.networks if net.mac_address) > 1:
            _need(MACS_PER_NETWORK, api_version, f"{base}.networks")


def _need(feature: tuple[str, str, str], api_version: str, path: str) -> None:
    what, minimum, release = feature
    if _tuple(api_version) < _tuple(minimum):
        raise ConfigError(f"{what} needs Docker Engine {release} or later (Engine API {minimum}); "
                          f"this engine speaks API {api_version}", path=path,
                          hint="upgrade the engine, or leave this out")


def _tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())
