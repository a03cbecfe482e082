"""What Swarm cannot honour in a Compose file: listed in one warning at deploy time, never dropped silently.

A key is listed unless ``spec`` maps it: the lists below are what it reads, so a key added to the
Compose Specification tomorrow is reported until someone maps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# service keys spec maps (env_file is already in environment, mem_limit/cpus/pids_limit in resources)
_MAPPED = frozenset({
    "image", "command", "entrypoint", "environment", "env_file", "ports", "volumes", "tmpfs", "networks",
    "healthcheck", "labels", "user", "working_dir", "hostname", "init", "stop_signal", "stop_grace_period",
    "cap_add", "cap_drop", "read_only", "extra_hosts", "dns", "dns_search", "dns_opt", "tty", "stdin_open",
    "sysctls", "ulimits", "group_add", "logging", "secrets", "configs", "deploy", "restart", "mem_limit",
    "cpus", "pids_limit", "scale", "mem_reservation",
})
# keys that only mean something to a local development loop: nothing to tell a Swarm user
_LOCAL_ONLY = frozenset({"develop", "profiles", "pull_policy", "expose", "attach"})
_DEPLOY_MAPPED = frozenset({"mode", "replicas", "labels", "placement", "resources", "restart_policy",
                            "update_config", "rollback_config", "endpoint_mode"})
_WHY = {
    "build": "Swarm runs images; build and push them with --build --push",
    "depends_on": "Swarm starts services in no order; make them retry their dependencies",
    "container_name": "Swarm names tasks <stack>_<service>.<slot>",
    "links": "services reach each other by name on the stack's networks",
    "network_mode": "Swarm services attach to networks only",
    "volumes_from": "Swarm tasks share no volumes by container",
}


def ignored_keys(canonical: Mapping[str, Any], *, building: bool) -> list[str]:
    """``services.<name>.<key> (why)`` for each key the deploy will not apply."""
    found: list[str] = []
    for name, raw in sorted(canonical.get("services", {}).items()):
        where = f"services.{name}"
        for key in raw:
            if key in _MAPPED or key in _LOCAL_ONLY or key.startswith("x-") or (key == "build" and building):
                continue
            found.append(f"{where}.{key} ({_WHY.get(key, 'Swarm services have no such option')})")
        found += _deploy_keys(raw.get("deploy") or {}, f"{where}.deploy")
        found += _port_keys(raw.get("ports") or (), f"{where}.ports")
        found += _mount_keys(raw.get("volumes") or (), f"{where}.volumes")
        found += _network_keys(raw.get("networks") or {}, f"{where}.networks")
        if "start_interval" in (raw.get("healthcheck") or {}):
            found.append(f"{where}.healthcheck.start_interval (needs Engine API 1.44)")
    return found


def _deploy_keys(deploy: Mapping[str, Any], where: str) -> list[str]:
    found = [f"{where}.{key} (Swarm has no such option)" for key in deploy if key not in _DEPLOY_MAPPED]
    resources = deploy.get("resources") or {}
    for part, allowed in (("limits", {"cpus", "memory", "pids"}), ("reservations", {"cpus", "memory"})):
        found += [f"{where}.resources.{part}.{key} (not mapped to Swarm resources)"
                  for key in resources.get(part) or {} if key not in allowed]
    return found


def _port_keys(ports: Any, where: str) -> list[str]:
    found = []
    for i, port in enumerate(ports):
        if port.get("host_ip"):
            found.append(f"{where}[{i}].host_ip (Swarm publishes on every address)")
        published = str(port.get("published") or "")
        if published and not published.isdigit():
            found.append(f"{where}[{i}].published {published} (Swarm publishes single ports: it assigns one)")
    return found


def _mount_keys(volumes: Any, where: str) -> list[str]:
    found = []
    for i, mount in enumerate(volumes):
        if mount.get("type") not in ("volume", "bind", "tmpfs"):
            found.append(f"{where}[{i}] type {mount.get('type')} (Swarm mounts volumes, binds and tmpfs)")
        if (mount.get("volume") or {}).get("subpath"):
            found.append(f"{where}[{i}].volume.subpath (needs Engine API 1.45)")
    return found


def _network_keys(networks: Mapping[str, Any], where: str) -> list[str]:
    return [f"{where}.{net}.{key} (Swarm assigns task addresses)"
            for net, attachment in networks.items() for key in (attachment or {})
            if key not in ("aliases",)]
