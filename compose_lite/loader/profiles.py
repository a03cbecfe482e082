"""Profiles: which services a run sees (compose-go's ``WithProfiles``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def is_enabled(service: dict[str, Any], active: Iterable[str]) -> bool:
    """A service without profiles is always on; otherwise one of its profiles must be active ("*": all)."""
    profiles = service.get("profiles") or []
    if not profiles:
        return True
    active_set = set(active)
    return "*" in active_set or any(p in active_set for p in profiles)


def with_named_enabled(services: dict[str, Any], active: Iterable[str], named: Iterable[str]) -> list[str]:
    """The active profiles plus those of each named service they leave disabled (compose-go's
    ``WithServicesEnabled``): naming a service turns its profiles on."""
    profiles = list(active)
    for name in named:
        service = services.get(name)
        if service is not None and not is_enabled(service, profiles):
            profiles += [p for p in service.get("profiles") or [] if p not in profiles]
    return profiles


def split_by_profiles(
    services: dict[str, Any], active: Iterable[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(enabled, disabled) services for the active profiles, each in declaration order."""
    active = list(active)
    enabled: dict[str, Any] = {}
    disabled: dict[str, Any] = {}
    for name, service in services.items():
        (enabled if is_enabled(service, active) else disabled)[name] = service
    return enabled, disabled


def all_profiles(services: dict[str, Any]) -> list[str]:
    """Every profile named by any service, sorted (what ``config --profiles`` lists)."""
    return sorted({p for s in services.values() for p in (s.get("profiles") or [])})
