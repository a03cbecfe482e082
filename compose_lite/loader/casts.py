"""Typed fields fed by interpolation: compose-go casts the string at these paths (its
``interpolateTypeCastMapping``), so ``privileged: ${PRIV:-no}`` is the boolean false, not the
truthy string "no", and ``replicas: ${N}`` is a number.  Any string at such a path is cast,
quoted literals included; values YAML already typed are left alone.

A pattern part ``*`` matches any mapping key, ``[]`` any list index.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from compose_lite.loader.paths import Path

Cast = Callable[[str], Any]

_GO_DECIMAL = re.compile(r"[-+]?[0-9]+")
_GO_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_GO_FLOAT_SPECIAL = {
    "inf": math.inf,
    "+inf": math.inf,
    "-inf": -math.inf,
    "infinity": math.inf,
    "+infinity": math.inf,
    "-infinity": -math.inf,
    "nan": math.nan,
}
_TRUE_WORDS = frozenset({"true", "y", "yes", "on"})
_FALSE_WORDS = frozenset({"false", "n", "no", "off"})


class CastError(ValueError):
    """The value cannot be read as the field's type; the text is compose-go's reason."""


def to_boolean(value: str) -> bool:
    """``true``/``false`` and the YAML 1.1 words (y, yes, on / n, no, off), in any case."""
    word = value.lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise CastError(f"invalid boolean: {value}")


def to_int(value: str) -> int:
    """Go's strconv.Atoi: an optional sign and decimal digits, nothing else."""
    if not _GO_DECIMAL.fullmatch(value):
        raise CastError(f'strconv.Atoi: parsing "{value}": invalid syntax')
    return int(value)


def to_float(value: str) -> float:
    """Go's strconv.ParseFloat (decimal forms and inf/nan; no ``_`` separators)."""
    special = _GO_FLOAT_SPECIAL.get(value.lower())
    if special is not None:
        return special
    if not _GO_FLOAT.fullmatch(value):
        raise CastError(f'strconv.ParseFloat: parsing "{value}": invalid syntax')
    return float(value)


def _service(*parts: str) -> tuple[str, ...]:
    return ("services", "*", *parts)


CASTS: dict[tuple[str, ...], Cast] = {
    _service("cpu_count"): to_int,
    _service("cpu_percent"): to_float,
    _service("cpu_period"): to_int,
    _service("cpu_quota"): to_int,
    _service("cpu_rt_period"): to_int,
    _service("cpu_rt_runtime"): to_int,
    _service("cpus"): to_float,
    _service("cpu_shares"): to_int,
    _service("init"): to_boolean,
    _service("deploy", "replicas"): to_int,
    _service("deploy", "update_config", "parallelism"): to_int,
    _service("deploy", "update_config", "max_failure_ratio"): to_float,
    _service("deploy", "rollback_config", "parallelism"): to_int,
    _service("deploy", "rollback_config", "max_failure_ratio"): to_float,
    _service("deploy", "restart_policy", "max_attempts"): to_int,
    _service("deploy", "placement", "max_replicas_per_node"): to_int,
    _service("healthcheck", "retries"): to_int,
    _service("healthcheck", "disable"): to_boolean,
    _service("oom_kill_disable"): to_boolean,
    _service("oom_score_adj"): to_int,
    _service("pids_limit"): to_int,
    _service("ports", "[]", "target"): to_int,
    _service("privileged"): to_boolean,
    _service("read_only"): to_boolean,
    _service("scale"): to_int,
    _service("stdin_open"): to_boolean,
    _service("tty"): to_boolean,
    _service("ulimits", "*"): to_int,
    _service("ulimits", "*", "hard"): to_int,
    _service("ulimits", "*", "soft"): to_int,
    _service("volumes", "[]", "read_only"): to_boolean,
    _service("volumes", "[]", "volume", "nocopy"): to_boolean,
    ("networks", "*", "external"): to_boolean,
    ("networks", "*", "internal"): to_boolean,
    ("networks", "*", "attachable"): to_boolean,
    ("networks", "*", "enable_ipv4"): to_boolean,
    ("networks", "*", "enable_ipv6"): to_boolean,
    ("volumes", "*", "external"): to_boolean,
    ("secrets", "*", "external"): to_boolean,
    ("configs", "*", "external"): to_boolean,
}

# Typed fields outside that table: compose-go's decoder (its mapstructure hook) converts a string
# left there with the same functions, so a quoted ``create_host_path: "TRUE"`` is true as well.
DECODED: dict[tuple[str, ...], Cast] = {
    _service("attach"): to_boolean,
    _service("build", "no_cache"): to_boolean,
    _service("build", "pull"): to_boolean,
    _service("build", "privileged"): to_boolean,
    _service("depends_on", "*", "restart"): to_boolean,
    _service("develop", "watch", "[]", "exec", "privileged"): to_boolean,
    _service("env_file", "[]", "required"): to_boolean,
    _service("post_start", "[]", "privileged"): to_boolean,
    _service("pre_stop", "[]", "privileged"): to_boolean,
    _service("volumes", "[]", "bind", "create_host_path"): to_boolean,
    _service("build", "ulimits", "*"): to_int,
    _service("build", "ulimits", "*", "hard"): to_int,
    _service("build", "ulimits", "*", "soft"): to_int,
    _service("deploy", "resources", "limits", "pids"): to_int,
    _service("volumes", "[]", "tmpfs", "mode"): to_int,
}

_BY_LENGTH: dict[int, list[tuple[tuple[str, ...], Cast]]] = {}
for _pattern, _cast in (CASTS | DECODED).items():
    _BY_LENGTH.setdefault(len(_pattern), []).append((_pattern, _cast))


def cast_for(path: Path) -> Cast | None:
    """The cast compose-go applies to a string at ``path`` (interpolation or decoding), if any."""
    for pattern, cast in _BY_LENGTH.get(len(path), ()):
        if all(_matches(p, part) for p, part in zip(pattern, path, strict=True)):
            return cast
    return None


def _matches(pattern: str, part: str | int) -> bool:
    if pattern == "[]":
        return isinstance(part, int)
    if isinstance(part, int):
        return False
    return pattern in ("*", part)
