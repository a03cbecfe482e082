"""Docker Compose's ``com.docker.compose.config-hash``, computed from our canonical model.

Compose hashes the SHA-256 of Go's ``json.Marshal`` of its typed model: struct fields in
declaration order with ``omitempty``, map keys sorted, ``<``, ``>`` and ``&`` escaped, no spaces.
For a service it first blanks build, pull_policy, scale, deploy.replicas, depends_on and profiles;
for a volume it defaults the driver to ``local``. Writing the same hash lets `cl` and
`docker compose` take turns on one project without either one seeing a change the other did not
make. The canonical model already holds Go's values (bytes as digit strings, durations as Go
prints them, zero values left out); what this module adds is Go's field order and spelling.
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
from collections.abc import Mapping
from typing import Any

# Go struct field order (compose-go v2.9 types), keyed by the struct's place in the model.
_SERVICE = (
    "profiles",
    "annotations",
    "attach",
    "build",
    "develop",
    "blkio_config",
    "cap_add",
    "cap_drop",
    "cgroup_parent",
    "cgroup",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpus",
    "cpuset",
    "cpu_shares",
    "command",
    "configs",
    "container_name",
    "credential_spec",
    "depends_on",
    "deploy",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "dockerfile",
    "domainname",
    "entrypoint",
    "provider",
    "environment",
    "env_file",
    "expose",
    "extends",
    "external_links",
    "extra_hosts",
    "group_add",
    "gpus",
    "hostname",
    "healthcheck",
    "image",
    "init",
    "ipc",
    "isolation",
    "labels",
    "label_file",
    "links",
    "logging",
    "log_driver",
    "log_opt",
    "mem_limit",
    "mem_reservation",
    "memswap_limit",
    "mem_swappiness",
    "mac_address",
    "models",
    "net",
    "network_mode",
    "networks",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "privileged",
    "pull_policy",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "use_api_socket",
    "user",
    "userns_mode",
    "uts",
    "volume_driver",
    "volumes",
    "volumes_from",
    "working_dir",
    "post_start",
    "pre_stop",
)
_FILE_REFERENCE = ("source", "target", "uid", "gid", "mode")
_DEVICE_REQUEST = ("capabilities", "driver", "count", "device_ids", "options")
_RESOURCE = ("cpus", "memory", "pids", "devices", "generic_resources")
_UPDATE = ("parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order")
_HOOK = ("command", "user", "privileged", "working_dir", "environment")
_ORDER: dict[tuple[str, ...], tuple[str, ...]] = {
    (): _SERVICE,
    ("ports", "[]"): ("name", "mode", "host_ip", "target", "published", "protocol", "app_protocol"),
    ("volumes", "[]"): (
        "type",
        "source",
        "target",
        "read_only",
        "consistency",
        "bind",
        "volume",
        "tmpfs",
        "image",
    ),
    ("volumes", "[]", "bind"): ("selinux", "propagation", "create_host_path", "recursive"),
    ("volumes", "[]", "volume"): ("labels", "nocopy", "subpath"),
    ("volumes", "[]", "tmpfs"): ("size", "mode"),
    ("volumes", "[]", "image"): ("subpath",),
    ("networks", "*"): (
        "aliases",
        "driver_opts",
        "gw_priority",
        "interface_name",
        "ipv4_address",
        "ipv6_address",
        "link_local_ips",
        "mac_address",
        "priority",
    ),
    ("healthcheck",): ("test", "timeout", "interval", "retries", "start_period", "start_interval", "disable"),
    ("deploy",): (
        "mode",
        "replicas",
        "labels",
        "update_config",
        "rollback_config",
        "resources",
        "restart_policy",
        "placement",
        "endpoint_mode",
    ),
    ("deploy", "update_config"): _UPDATE,
    ("deploy", "rollback_config"): _UPDATE,
    ("deploy", "resources"): ("limits", "reservations"),
    ("deploy", "resources", "limits"): _RESOURCE,
    ("deploy", "resources", "reservations"): _RESOURCE,
    ("deploy", "resources", "limits", "devices", "[]"): _DEVICE_REQUEST,
    ("deploy", "resources", "reservations", "devices", "[]"): _DEVICE_REQUEST,
    ("deploy", "restart_policy"): ("condition", "delay", "max_attempts", "window"),
    ("deploy", "placement"): ("constraints", "preferences", "max_replicas_per_node"),
    ("gpus", "[]"): _DEVICE_REQUEST,
    ("logging",): ("driver", "options"),
    ("ulimits", "*"): ("single", "soft", "hard"),
    ("secrets", "[]"): _FILE_REFERENCE,
    ("configs", "[]"): _FILE_REFERENCE,
    ("devices", "[]"): ("source", "target", "permissions"),
    ("env_file", "[]"): ("path", "required", "format"),
    ("extends",): ("file", "service"),
    ("develop",): ("watch",),
    ("develop", "watch", "[]"): ("path", "action", "target", "exec", "include", "ignore", "initial_sync"),
    ("develop", "watch", "[]", "exec"): _HOOK,
    ("post_start", "[]"): _HOOK,
    ("pre_stop", "[]"): _HOOK,
    ("credential_spec",): ("config", "file", "registry"),
    ("blkio_config",): (
        "weight",
        "weight_device",
        "device_read_bps",
        "device_read_iops",
        "device_write_bps",
        "device_write_iops",
    ),
}
_NETWORK: dict[tuple[str, ...], tuple[str, ...]] = {
    (): (
        "name",
        "driver",
        "driver_opts",
        "ipam",
        "external",
        "internal",
        "attachable",
        "labels",
        "enable_ipv4",
        "enable_ipv6",
    ),
    ("ipam",): ("driver", "config", "options"),
    ("ipam", "config", "[]"): ("subnet", "gateway", "ip_range", "aux_addresses"),
}
_VOLUME: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("name", "driver", "driver_opts", "external", "labels")
}
# Fields that are non-pointer structs in Go: printed as {} even when empty.
_ALWAYS_STRUCT = {("deploy", "resources"), ("deploy", "placement"), ("ipam",)}
# Fields Go prints as null when unset (no omitempty).
_NULL_WHEN_UNSET = {("command",), ("entrypoint",)}
_FLOAT32 = {
    ("cpus",),
    ("cpu_percent",),
    ("deploy", "resources", "limits", "cpus"),
    ("deploy", "resources", "reservations", "cpus"),
    ("deploy", "update_config", "max_failure_ratio"),
    ("deploy", "rollback_config", "max_failure_ratio"),
}
_SERVICE_BLANKED = ("build", "pull_policy", "scale", "depends_on", "profiles")


def service_hash(service: Mapping[str, Any]) -> str:
    """Compose's config hash of one service of the canonical model (``services.<name>``)."""
    blanked = {k: v for k, v in service.items() if k not in _SERVICE_BLANKED}
    if isinstance(blanked.get("deploy"), Mapping):
        blanked["deploy"] = {k: v for k, v in blanked["deploy"].items() if k != "replicas"}
    return _digest(_struct(blanked, (), _ORDER))


def network_hash(network: Mapping[str, Any]) -> str:
    return _digest(_struct(network, (), _NETWORK))


def volume_hash(volume: Mapping[str, Any]) -> str:
    return _digest(_struct({**volume, "driver": volume.get("driver") or "local"}, (), _VOLUME))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _struct(
    node: Mapping[str, Any], path: tuple[str, ...], orders: Mapping[tuple[str, ...], tuple[str, ...]]
) -> str:
    order = orders.get(path)
    if order is None:  # a struct we keep no order for: its keys as they come
        order = tuple(node)
    fields = []
    for key in order:
        here = (*path, key)
        value = node.get(key)
        # The model already leaves out what Go's omitempty would (loader.zero_values): an explicit
        # zero still there is a pointer field's, printed; only unset fields and empty maps go.
        if value is None or (value == {} and not _is_struct(here, orders)):
            if here in _NULL_WHEN_UNSET and value is None:
                fields.append(f"{_string(key)}:null")
            elif here in _ALWAYS_STRUCT:
                fields.append(f"{_string(key)}:{{}}")
            continue
        fields.append(f"{_string(key)}:{_value(value, here, orders)}")
    return "{" + ",".join(fields) + "}"


def _is_struct(path: tuple[str, ...], orders: Mapping[tuple[str, ...], tuple[str, ...]]) -> bool:
    """An empty mapping that is a (pointer to a) struct in Go is printed as {}; an empty map is not."""
    return _generic(path) in orders or path in _ALWAYS_STRUCT


def _value(value: Any, path: tuple[str, ...], orders: Mapping[tuple[str, ...], tuple[str, ...]]) -> str:
    if isinstance(value, Mapping):
        if _is_struct(path, orders):
            return _struct(value, _generic(path), orders)
        return (
            "{"
            + ",".join(
                f"{_string(str(k))}:{_value(v, (*path, '*'), orders)}"
                for k, v in sorted(value.items(), key=lambda kv: str(kv[0]).encode())
            )
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ",".join(_value(v, (*path, "[]"), orders) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value, float32=_generic(path) in _FLOAT32)
    return _string(str(value))


def _generic(path: tuple[str, ...]) -> tuple[str, ...]:
    """``networks.front`` → ``networks.*`` for the struct-order lookup (map values are structs)."""
    if len(path) >= 2 and path[0] in ("networks", "ulimits") and path[1] != "*":
        return (path[0], "*", *path[2:])
    return path


def _float(value: float, *, float32: bool) -> str:
    """Go's encoding/json float format: shortest repr, exponent below 1e-6 or from 1e21."""
    if math.isinf(value) or math.isnan(value):
        raise ValueError("unsupported float")
    if float32:
        value = struct.unpack("f", struct.pack("f", value))[0]
        text = _shortest32(value)
    else:
        text = repr(value)
    number = float(text)
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    if abs(number) < 1e-6 or abs(number) >= 1e21:
        mantissa, _, exponent = f"{number:e}".partition("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent):+03d}".replace("e+0", "e+").replace(
            "e-0", "e-"
        )
    return text if "e" not in text else f"{number:f}".rstrip("0").rstrip(".")


def _shortest32(value: float) -> str:
    """The shortest decimal that reads back as the same float32 (as Go's FormatFloat(f, 32))."""
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == value:
            return text
    return repr(value)


def _string(text: str) -> str:
    """Go's json string: HTML-sensitive characters and U+2028/U+2029 escaped."""
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
