"""Which services (and resources) a model keeps: compose-go's ``WithSelectedServices`` and
``WithoutUnnecessaryResources``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def select_services(model: dict[str, Any], names: Iterable[str], *,
                    all_resources: bool = False) -> dict[str, Any]:
    """The model with only the named services and (transitively) those they depend on, and, unless
    ``all_resources``, only the resources those use (`docker compose config web`)."""
    from compose_lite import graph  # imports this package: only once it is loaded

    services = model.get("services") or {}
    deps = {name: frozenset(svc.get("depends_on") or {}) & services.keys() for name, svc in services.items()}
    chosen = graph.select(deps, names)  # "no such service" with a did-you-mean, as everywhere
    selected = {**model, "services": {k: v for k, v in services.items() if k in chosen}}
    return selected if all_resources else without_unused_resources(selected)


def without_unused_resources(model: dict[str, Any]) -> dict[str, Any]:
    """Drop networks, volumes, secrets, configs and models no enabled service uses (as Compose does)."""
    used: dict[str, set[str]] = {"networks": set(), "volumes": set(), "secrets": set(), "configs": set(),
                                 "models": set()}
    for svc in (model.get("services") or {}).values():
        used["networks"].update(svc.get("networks") or {})
        used["models"].update(svc.get("models") or {})
        used["volumes"].update(
            str(m.get("source")) for m in svc.get("volumes") or []
            if isinstance(m, dict) and m.get("type") == "volume"
        )
        for kind in ("secrets", "configs"):
            used[kind].update(str(r.get("source")) for r in svc.get(kind) or [] if isinstance(r, dict))
        build = svc.get("build")
        if isinstance(build, dict):
            used["secrets"].update(
                str(r.get("source")) for r in build.get("secrets") or [] if isinstance(r, dict)
            )
    out = dict(model)
    for kind, names in used.items():
        if kind in model:
            kept = {k: v for k, v in (model[kind] or {}).items() if k in names}
            if kept:
                out[kind] = kept
            else:
                del out[kind]
    return out
