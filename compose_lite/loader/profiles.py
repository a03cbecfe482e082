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
