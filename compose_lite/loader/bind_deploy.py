"""The ``deploy:`` policies a service carries on one engine: its restart policy (as a container
restart policy) and the update and rollback policies that `up` rolls replicas out by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compose_lite.loader.units import duration_ns
from compose_lite.model import UpdatePolicy


def restart_from_deploy(policy: Any) -> str | None:
    if not policy:
        return None
    condition = policy.get("condition") or "any"
    if condition == "none":
        return "no"
    if condition == "on-failure":
        attempts = policy.get("max_attempts")
        return f"on-failure:{attempts}" if attempts else "on-failure"
    return "always"


def update_policy(raw: Mapping[str, Any] | None, path: str) -> UpdatePolicy:
    """``update_config`` / ``rollback_config``: what is given, Swarm's defaults for the rest."""
    raw = raw or {}
    ratio, parallelism = raw.get("max_failure_ratio"), raw.get("parallelism")
    given = {"order": raw.get("order"), "failure_action": raw.get("failure_action"),
             "parallelism": None if parallelism is None else int(parallelism),
             "delay_ns": duration_ns(raw.get("delay"), f"{path}.delay"),
             "monitor_ns": duration_ns(raw.get("monitor"), f"{path}.monitor"),
             "max_failure_ratio": None if ratio is None else float(ratio)}
    return UpdatePolicy(**{k: v for k, v in given.items() if v is not None})  # type: ignore[arg-type]
