"""What a deploy changes: the services to create, to update (and why) and to remove, from the specs
and what the cluster runs. Pure; `stack deploy --dry-run` prints it, ``deploy`` applies it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from compose_lite.swarm import labels as SL
from compose_lite.swarm.spec import ServiceSpec


class Change(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REMOVE = "remove"


@dataclass(frozen=True)
class ServiceChange:
    change: Change
    name: str  # <stack>_<service>
    causes: tuple[str, ...] = ()
    spec: ServiceSpec | None = None  # None for REMOVE
    current: Mapping[str, Any] | None = None  # the running service, None for CREATE


def plan(specs: Sequence[ServiceSpec], running: Sequence[Mapping[str, Any]], *,
         prune: bool) -> list[ServiceChange]:
    by_name = {s["Spec"]["Name"]: s for s in running}
    changes = []
    for spec in specs:
        current = by_name.get(spec.name)
        if current is None:
            changes.append(ServiceChange(Change.CREATE, spec.name, ("not deployed",), spec))
            continue
        causes = _causes(spec, current)
        changes.append(ServiceChange(Change.UPDATE if causes else Change.UNCHANGED, spec.name, causes, spec,
                                     current))
    if prune:
        wanted = {s.name for s in specs}
        changes += [ServiceChange(Change.REMOVE, name, ("not in the file (--prune)",), current=s)
                    for name, s in sorted(by_name.items()) if name not in wanted]
    return changes


def _causes(spec: ServiceSpec, current: Mapping[str, Any]) -> tuple[str, ...]:
    deployed = (current["Spec"].get("Labels") or {}).get(SL.DIGESTS)
    if deployed is None:
        return ("deployed by another tool",)
    try:
        before = json.loads(deployed)
    except ValueError:
        return ("deployed by another tool",)
    changed = [f"{section} changed" for section, digest in spec.digests.items()
               if before.get(section) != digest]
    if not changed and _labels(spec.spec) != _labels(current["Spec"]):
        changed.append("deploy.labels changed")
    return tuple(changed)


def _labels(spec: Mapping[str, Any]) -> dict[str, str]:
    return {k: v for k, v in (spec.get("Labels") or {}).items() if k != SL.DIGESTS}
