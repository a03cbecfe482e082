"""The config hash: Docker Compose's own when the service came from a Compose file (so either
tool sees the other's containers as up to date), else a digest of the container-shaping fields;
and per-field digests, so a recreate can say which field changed without storing any value.

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
                       "watch_bind_mounts", "compose_hash"})


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
    return service.compose_hash or digest(service_fields(service))


def network_hash(network: Network) -> str:
    return network.compose_hash or digest(dataclasses.asdict(network))


def volume_hash(volume: Volume) -> str:
    return volume.compose_hash or digest(dataclasses.asdict(volume))


def field_digests(fields: Mapping[str, Any]) -> dict[str, str]:
    """``{"environment.DEBUG": "3f2a9c1b", "image": "…"}``: a short digest per field (per key of
    a mapping field), enough to name what changed and too short to recover a secret's value."""
    out: dict[str, str] = {}
    for key, value in fields.items():
        if isinstance(value, Mapping) and value:
            for sub, item in value.items():
                out[f"{key}.{sub}"] = digest(item)[:8]
        elif value not in (None, (), [], {}, "", False):
            out[key] = digest(value)[:8]
    return out


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
