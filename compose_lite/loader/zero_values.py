"""Zero values Compose leaves out of its model: compose-go's types tag nearly every field
``omitempty``, so ``read_only: false``, ``cpus: 0``, ``memory: "0"``, ``external: false`` or a
network ``name: ""`` from an unset variable are simply not there.  The exceptions are the fields
typed as pointers (``init``, ``scale``, ``replicas``, healthcheck durations...), where an explicit
zero is kept, and the few fields tagged without ``omitempty`` (``command``, ``entrypoint``,
``depends_on.*.required``).

Only struct fields are dropped: entries of maps the user names (``environment``, ``labels``,
``driver_opts``...) and items of lists are values, never "unset".
"""

from __future__ import annotations

from typing import Any

from compose_lite.loader.tags import Timestamp

# Maps whose keys the user chooses; an entry there is data even when its value is "" or 0.
USER_KEYED = frozenset(
    {
        "services",
        "networks",
        "volumes",
        "secrets",
        "configs",
        "models",
        "environment",
        "labels",
        "annotations",
        "sysctls",
        "depends_on",
        "ulimits",
        "storage_opt",
        "driver_opts",
        "options",
        "aux_addresses",
        "args",
        "additional_contexts",
        "ssh",
        "build_args",
        "extensions",
    }
)

# Struct fields whose zero is printed: pointers in compose-go, or tagged without omitempty.
# "*" is any key, "[]" any list item.
KEEP_ZERO: frozenset[tuple[str, ...]] = frozenset(
    {
        ("services", "*", "command"),
        ("services", "*", "entrypoint"),
        ("services", "*", "attach"),
        ("services", "*", "init"),
        ("services", "*", "scale"),
        ("services", "*", "stop_grace_period"),
        ("services", "*", "depends_on", "*", "required"),
        ("services", "*", "env_file", "[]", "required"),
        ("services", "*", "healthcheck", "timeout"),
        ("services", "*", "healthcheck", "interval"),
        ("services", "*", "healthcheck", "retries"),
        ("services", "*", "healthcheck", "start_period"),
        ("services", "*", "healthcheck", "start_interval"),
        ("services", "*", "deploy", "replicas"),
        ("services", "*", "deploy", "update_config", "parallelism"),
        ("services", "*", "deploy", "rollback_config", "parallelism"),
        ("services", "*", "deploy", "restart_policy", "delay"),
        ("services", "*", "deploy", "restart_policy", "max_attempts"),
        ("services", "*", "deploy", "restart_policy", "window"),
        ("services", "*", "secrets", "[]", "mode"),
        ("services", "*", "configs", "[]", "mode"),
        ("services", "*", "volumes", "[]", "bind", "create_host_path"),
        ("services", "*", "post_start", "[]", "command"),
        ("services", "*", "pre_stop", "[]", "command"),
        ("services", "*", "develop", "watch", "[]", "path"),
        ("services", "*", "develop", "watch", "[]", "action"),
        ("networks", "*", "enable_ipv4"),
        ("networks", "*", "enable_ipv6"),
    }
)

# Fields our model prints as text whose Go value is a number (bytes, durations): "0" and "0s"
# are their zero. Anywhere else "0" is a string like any other (``user: "0"`` is root).
NUMERIC_TEXT: frozenset[tuple[str, ...]] = frozenset(
    {
        ("services", "*", "mem_limit"),
        ("services", "*", "mem_reservation"),
        ("services", "*", "memswap_limit"),
        ("services", "*", "shm_size"),
    ("services", "*", "mem_swappiness"),
        ("services", "*", "build", "shm_size"),
        ("services", "*", "deploy", "resources", "limits", "memory"),
        ("services", "*", "deploy", "resources", "reservations", "memory"),
        ("services", "*", "volumes", "[]", "tmpfs", "size"),
        ("services", "*", "deploy", "update_config", "delay"),
        ("services", "*", "deploy", "update_config", "monitor"),
        ("services", "*", "deploy", "rollback_config", "delay"),
        ("services", "*", "deploy", "rollback_config", "monitor"),
    }
)
_ZERO_TEXT = frozenset({"0", "0s"})


def drop_zero_values(model: dict[str, Any]) -> dict[str, Any]:
    """The model without the struct fields Go's omitempty would leave out."""
    out = _struct(model, ())
    assert isinstance(out, dict)
    return out


def _struct(node: Any, path: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_struct(item, (*path, "[]")) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        here = (*path, str(key))
        if key == "ulimits" and isinstance(value, dict):
            out[key] = {k: _ulimit(v) for k, v in value.items()}
            continue
        if key in USER_KEYED and isinstance(value, dict):
            out[key] = {k: _struct(v, (*here, "*")) for k, v in value.items()}
            continue
        if str(key).startswith("x-"):  # extensions are the user's data, kept as written...
            out[key] = _extension(value) if not path else value
        elif not _is_zero(value, here) or _matches_any(KEEP_ZERO, here):
            out[key] = _struct(value, here)
    return out


def _is_zero(value: Any, path: tuple[str, ...]) -> bool:
    if value is False or value == "" or value == [] or value is None:
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == 0
    return isinstance(value, str) and value in _ZERO_TEXT and _matches_any(NUMERIC_TEXT, path)


def _matches_any(patterns: frozenset[tuple[str, ...]], path: tuple[str, ...]) -> bool:
    for pattern in patterns:
        if len(pattern) == len(path) and all(
            p == part or (p == "*" and part != "[]") or (p == "[]" and part == "[]")
            for p, part in zip(pattern, path, strict=True)
        ):
            return True
    return False


def _extension(value: Any) -> Any:
    """...except that Compose prints an empty list inside a top-level extension as null, and an
    unquoted date in RFC 3339."""
    if value == []:
        return None
    if isinstance(value, Timestamp):
        return value.rfc3339()
    if isinstance(value, dict):
        return {k: _extension(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_extension(v) for v in value]
    return value


def _ulimit(value: Any) -> Any:
    """A ulimit is one number or soft/hard; Go prints a 0 number as an empty soft/hard pair."""
    if value == 0 and not isinstance(value, bool):
        return {}
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if v != 0}
    return value
