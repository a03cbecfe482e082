"""Whether a service can be replaced start-first, its new container beside the old one: two
containers of one service cannot hold one host port, one name, one fixed address, or one network
namespace. Pure: the planner asks, before it plans a rollout."""

from __future__ import annotations

from compose_lite.model import Service

FALLBACK_HINT = ("publish it through a reverse proxy on the project network instead of a host port "
                 "(docs/deploy.md)")


def start_first_obstacle(svc: Service) -> str | None:
    """Why ``svc`` cannot run two containers side by side, or None when it can."""
    if svc.container_name:
        return f"its container_name {svc.container_name!r} can be held by one container only"
    fixed = [p for p in svc.ports if p.published]
    if fixed:
        return f"it publishes host port {fixed[0].published}, which only one container can bind"
    mode = svc.network_mode or ""
    if mode == "host" or mode.startswith(("service:", "container:")):
        return f"its network_mode {mode} would put both containers in one network namespace"
    if svc.mac_address:
        return f"its mac_address {svc.mac_address} can be held by one container only"
    for net in svc.networks:
        for what, value in (("ipv4_address", net.ipv4_address), ("ipv6_address", net.ipv6_address),
                            ("mac_address", net.mac_address)):
            if value:
                return f"its {what} {value} on network {net.key} can be held by one container only"
    return None


def fallback_warning(svc: Service, obstacle: str) -> str:
    return (f"service {svc.name}: update_config.order is start-first, but {obstacle}; it is replaced "
            f"stop-first (unreachable while it restarts). To roll it out without downtime, {FALLBACK_HINT}")
