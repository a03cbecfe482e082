"""The config hash: which fields shape a container, hashed deterministically; and what changed.

Excluded on purpose: depends_on (ordering only), scale (replica count), profiles (selection),
build (the resulting image id is compared instead), develop.watch, x-cl-watch and pull_policy (tooling).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from compose_lite.model import Network, Service, Volume

_EXCLUDED = frozenset({"depends_on", "scale", "profiles", "build", "watch", "pull_policy", "unsupported",
                       "watch_bind_mounts"})


def service_fields(service: Service) -> dict[str, Any]:
    """The container-shaping fields of a service as plain JSON-able data."""
    data = dataclasses.asdict(service)
    return {k: v for k, v in data.items() if k not in _EXCLUDED}


def canonical_json(data: Any) -> str:
    """Key-order independent, compact JSON (tuples become lists, enums their values)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)


def digest(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def service_hash(service: Service) -> str:
    return digest(service_fields(service))


def network_hash(network: Network) -> str:
    return digest(dataclasses.asdict(network))


def volume_hash(volume: Volume) -> str:
    return digest(dataclasses.asdict(volume))


def changed_paths(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted paths where two JSON trees differ, e.g. ``["environment.DEBUG", "ports"]``.

    Mappings are compared key by key; anything else (lists included) as a whole.
    """
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        out: list[str] = []
        for key in sorted(set(old) | set(new), key=str):
            if old.get(key) != new.get(key):
                out += changed_paths(old.get(key), new.get(key), f"{prefix}.{key}" if prefix else str(key))
        return out
    return [] if old == new else [prefix or "<root>"]
