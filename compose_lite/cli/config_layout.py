"""How Docker Compose lays out the text of `config`: which keys it prints, in what order, and which
strings yaml.v3 quotes.

Compose prints the project through compose-go's Go structs (types package, v2.9.1): encoding/json
and yaml.v3 both write a struct's fields in declaration order, and a map's keys sorted (bytewise in
JSON, in yaml.v3's "natural" order in YAML).  A struct's ``x-`` extensions come after its fields in
YAML; the JSON writer drops them (their field is tagged ``json:"-"``), and drops top-level models.
The canonical model (one dict tree) has none of this order; ``arrange`` gives it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cmp_to_key
from typing import Any


@dataclass(frozen=True)
class Struct:
    """A Go struct: its fields in declaration order, the shape of those holding structs, and the
    fields the JSON writer prints even when unset (no omitempty, a struct value, or the project's
    name), with the value it prints; yaml.v3 leaves those out when null or empty."""

    fields: tuple[str, ...]
    children: dict[str, str] = field(default_factory=dict)
    unset: dict[str, Any] = field(default_factory=dict)


def _struct(fields: str, unset: dict[str, Any] | None = None, **children: str) -> Struct:
    """``children`` values name a struct: ``port``, a list of them ``[port]``, a map of them ``{port}``."""
    return Struct(tuple(fields.split()), children, unset or {})


_COMMAND_UNSET = {"command": None}
STRUCTS: dict[str, Struct] = {
    "project": _struct(
        "name services networks volumes secrets configs models", {"name": ""}, services="{service}",
        networks="{network}", volumes="{volume}", secrets="{file_object}", configs="{file_object}",
        models="{model}"),
    "service": _struct(
        "profiles annotations attach build develop blkio_config cap_add cap_drop cgroup_parent cgroup"
        " cpu_count cpu_percent cpu_period cpu_quota cpu_rt_period cpu_rt_runtime cpus cpuset cpu_shares"
        " command configs container_name credential_spec depends_on deploy device_cgroup_rules devices dns"
        " dns_opt dns_search dockerfile domainname entrypoint provider environment env_file expose extends"
        " external_links extra_hosts group_add gpus hostname healthcheck image init ipc isolation labels"
        " label_file links logging log_driver log_opt mem_limit mem_reservation memswap_limit"
        " mem_swappiness mac_address models net network_mode networks oom_kill_disable oom_score_adj pid"
        " pids_limit platform ports privileged pull_policy read_only restart runtime scale secrets"
        " security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt sysctls tmpfs tty"
        " ulimits use_api_socket user userns_mode uts volume_driver volumes volumes_from working_dir"
        " post_start pre_stop",
        {"command": None, "entrypoint": None},
        build="build", develop="develop", blkio_config="blkio", configs="[file_ref]",
        credential_spec="credential_spec", depends_on="{dependency}", deploy="deploy", devices="[device]",
        env_file="[env_file]", extends="extends", gpus="[device_request]", healthcheck="healthcheck",
        logging="logging", models="{service_model}", networks="{service_network}", ports="[port]",
        provider="provider", secrets="[file_ref]", ulimits="{ulimit}", volumes="[mount]",
        post_start="[hook]", pre_stop="[hook]"),
    "provider": _struct("type options"),
    "build": _struct(
        "context dockerfile dockerfile_inline entitlements args provenance sbom ssh labels cache_from"
        " cache_to no_cache additional_contexts pull extra_hosts isolation network target secrets shm_size"
        " tags ulimits platforms privileged", secrets="[file_ref]", ulimits="{ulimit}"),
    # Device entries have no tags: JSON names them as the Go fields, YAML lowercases them.
    "blkio": _struct("weight weight_device device_read_bps device_read_iops device_write_bps"
                     " device_write_iops", weight_device="[blkio_device]", device_read_bps="[blkio_device]",
                     device_read_iops="[blkio_device]", device_write_bps="[blkio_device]",
                     device_write_iops="[blkio_device]"),
    "blkio_device": _struct("Path path Weight weight Rate rate"),
    "device": _struct("source target permissions"),
    "logging": _struct("driver options"),
    "deploy": _struct("mode replicas labels update_config rollback_config resources restart_policy placement"
                      " endpoint_mode", {"resources": {}, "placement": {}},
                      update_config="update", rollback_config="update", resources="resources",
                      restart_policy="restart_policy", placement="placement"),
    "update": _struct("parallelism delay failure_action monitor max_failure_ratio order"),
    "resources": _struct("limits reservations", limits="resource", reservations="resource"),
    "resource": _struct("cpus memory pids devices generic_resources", devices="[device_request]",
                        generic_resources="[generic_resource]"),
    "generic_resource": _struct("discrete_resource_spec", discrete_resource_spec="discrete_resource"),
    "discrete_resource": _struct("kind value"),
    "restart_policy": _struct("condition delay max_attempts window"),
    "placement": _struct("constraints preferences max_replicas_per_node", preferences="[preference]"),
    "preference": _struct("spread"),
    "service_network": _struct("aliases driver_opts gw_priority interface_name ipv4_address ipv6_address"
                               " link_local_ips mac_address priority"),
    "port": _struct("name mode host_ip target published protocol app_protocol"),
    "mount": _struct("type source target read_only consistency bind volume tmpfs image", bind="mount_bind",
                     volume="mount_volume", tmpfs="mount_tmpfs", image="mount_image"),
    "mount_bind": _struct("selinux propagation create_host_path recursive"),
    "mount_volume": _struct("labels nocopy subpath"),
    "mount_tmpfs": _struct("size mode"),
    "mount_image": _struct("subpath"),
    "file_ref": _struct("source target uid gid mode"),
    "ulimit": _struct("single soft hard"),
    "network": _struct("name driver driver_opts ipam external internal attachable labels enable_ipv4"
                       " enable_ipv6", {"ipam": {}}, ipam="ipam"),
    "ipam": _struct("driver config", config="[ipam_pool]"),
    "ipam_pool": _struct("subnet gateway ip_range aux_addresses"),
    "volume": _struct("name driver driver_opts external labels"),
    "credential_spec": _struct("config file registry"),
    "file_object": _struct("name file environment content external labels driver driver_opts"
                           " template_driver"),
    "dependency": _struct("condition restart required"),
    "extends": _struct("file service"),
    "develop": _struct("watch", watch="[trigger]"),
    "trigger": _struct("path action target exec include ignore initial_sync", {"exec": _COMMAND_UNSET},
                       exec="hook"),
    "healthcheck": _struct("test timeout interval retries start_period start_interval disable"),
    "model": _struct("name model context_size runtime_flags"),
    "service_model": _struct("endpoint_var model_var"),
    "hook": _struct("command user privileged working_dir environment", _COMMAND_UNSET),
    "device_request": _struct("capabilities driver count device_ids options"),
    "env_file": _struct("path required format"),
}
# The JSON writer prints the project as a map of these (models is not among them).
_JSON_TOP = ("name", "services", "networks", "volumes", "secrets", "configs")


def arrange(model: dict[str, Any], fmt: str, *, typed: bool = True) -> dict[str, Any]:
    """``model`` with its keys in Compose's order for ``fmt`` ("json" or "yaml"), and its unset fields
    as Compose's writer for that format prints them.  ``typed=False``: the model as a plain map, as
    Compose prints it without interpolation (every mapping sorted)."""
    if not typed:
        return dict(_generic(model, fmt))
    if fmt == "yaml":
        return dict(_arranged(model, "project", fmt))
    top = {k: v for k, v in {"name": "", **model}.items() if k in _JSON_TOP or k.startswith("x-")}
    return {k: _arranged(top[k], STRUCTS["project"].children.get(k), fmt) for k in _sorted(top, fmt)}


def _arranged(node: Any, shape: str | None, fmt: str) -> Any:
    if shape is None:
        return _generic(node, fmt)
    if shape.startswith("[") and isinstance(node, list):
        return [_arranged(item, shape[1:-1], fmt) for item in node]
    if shape.startswith("{") and isinstance(node, dict):
        return {k: _arranged(node[k], shape[1:-1], fmt) for k in _sorted(node, fmt)}
    if shape[0] not in "[{" and isinstance(node, dict):
        return _struct_fields(node, STRUCTS[shape], fmt)
    return _generic(node, fmt)  # a short form (a ulimit's number, an env_file's path, a null)


def _struct_fields(node: dict[str, Any], struct: Struct, fmt: str) -> dict[str, Any]:
    if fmt == "json":
        node = {**struct.unset, **node}
    out = {k: _arranged(node[k], struct.children.get(k), fmt) for k in struct.fields if k in node}
    if fmt == "yaml":
        out = {k: v for k, v in out.items() if not (k in struct.unset and v in (None, {}, ""))}
    extensions = [k for k in node if k not in struct.fields]
    if fmt == "json":
        extensions = [k for k in extensions if not str(k).startswith("x-")]
    out.update((k, _generic(node[k], fmt)) for k in _sorted(extensions, fmt))
    return out


def _generic(node: Any, fmt: str) -> Any:
    """A value of a Go map or interface: mappings sorted, recursively."""
    if isinstance(node, dict):
        return {k: _generic(node[k], fmt) for k in _sorted(node, fmt)}
    if isinstance(node, list):
        return [_generic(item, fmt) for item in node]
    return node


def _sorted(keys: Any, fmt: str) -> list[Any]:
    if fmt == "json":
        return sorted(keys, key=str)
    return sorted(keys, key=cmp_to_key(lambda a, b: _yaml_key_cmp(str(a), str(b))))


def _yaml_key_cmp(a: str, b: str) -> int:
    """yaml.v3's order of map keys: by character, except that runs of digits compare as numbers and,
    after a differing character, a letter sorts after a non-letter (unless digits precede it)."""
    digits = False
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x == y:
            digits = x.isdecimal()
            continue
        if x.isalpha() and y.isalpha():
            return -1 if x < y else 1
        if x.isalpha() or y.isalpha():
            return (-1 if x.isalpha() else 1) if digits else (-1 if y.isalpha() else 1)
        return _digit_run_cmp(a, b, i, x, y)
    return (len(a) > len(b)) - (len(a) < len(b))


def _digit_run_cmp(a: str, b: str, i: int, x: str, y: str) -> int:
    start = 0
    if "0" in (x, y) and any(c != "0" for c in _digits_before(a, i)):
        start = 1  # a zero inside a number is a digit like any other, not a leading one
    run_a, run_b = _digit_run(a, i), _digit_run(b, i)
    num_a, num_b = _run_value(run_a, start), _run_value(run_b, start)
    if num_a != num_b:
        return -1 if num_a < num_b else 1
    if len(run_a) != len(run_b):
        return -1 if len(run_a) < len(run_b) else 1
    return -1 if x < y else 1


def _digits_before(s: str, i: int) -> str:
    j = i
    while j > 0 and s[j - 1].isdecimal():
        j -= 1
    return s[j:i][::-1]


def _digit_run(s: str, i: int) -> str:
    j = i
    while j < len(s) and s[j].isdecimal():
        j += 1
    return s[i:j]


def _run_value(run: str, start: int) -> int:
    value = start
    for c in run:
        value = value * 10 + ord(c) - ord("0")
    return value


# What a plain scalar reads back as, by yaml.v3's rules (resolve.go): a string it would read back as
# another type is written double-quoted, as are YAML 1.1's booleans and sexagesimal numbers.
_SPECIAL = {**dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), "bool"),
            **dict.fromkeys(("", "~", "null", "Null", "NULL"), "null"),
            **dict.fromkeys((f"{sign}.{word}" for sign in ("", "+", "-") for word in ("inf", "Inf", "INF")),
                            "float"),
            **dict.fromkeys((".nan", ".NaN", ".NAN"), "float")}
_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?")
_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_CLOCK = r"\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?"
_TIMESTAMP = re.compile(rf"{_DATE}([Tt]{_CLOCK}(Z|[-+]\d\d:\d\d)| {_CLOCK})?")  # yaml.v3's four layouts
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")
_OLD_BOOLS = frozenset(("y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
                        "n", "N", "no", "No", "NO", "off", "Off", "OFF"))


def yaml_resolves_to(text: str) -> str:
    """The type yaml.v3 reads ``text`` as when it is written plain: str, bool, null, int, float or
    timestamp."""
    if text in _SPECIAL:
        return _SPECIAL[text]
    if text[0] == ".":
        return "float" if _DOT_FLOAT.fullmatch(text) else "str"
    if text[0] not in "+-0123456789":
        return "str"
    if _is_timestamp(text):
        return "timestamp"
    plain = text.replace("_", "")
    if _INT.fullmatch(plain):
        return "int"
    if _FLOAT.fullmatch(plain) and float(plain) not in (float("inf"), float("-inf")):
        return "float"
    return "str"


def yaml_quotes(text: str) -> bool:
    """Whether yaml.v3 writes the string ``text`` double-quoted: so that it reads back as a string,
    or because it holds a character its emitter only writes escaped (U+0085, beyond U+FFFD)."""
    if any(c == "\x85" or ord(c) > 0xFFFD for c in text):
        return True
    return "\n" not in text and (yaml_resolves_to(text) != "str" or text in _OLD_BOOLS
                                 or bool(_BASE60.fullmatch(text)))


def _is_timestamp(text: str) -> bool:
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def go_yaml_float(value: float) -> str:
    """A float as yaml.v3 writes it: in Go's shortest %g form ("2", "0.5", "1e+06")."""
    if not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    shortest = Decimal(repr(value)).normalize()
    digits, exponent = shortest.as_tuple().digits, shortest.adjusted()
    if -4 <= exponent < 6:
        return format(shortest, "f")
    mantissa = "".join(map(str, digits))
    body = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    return f"{'-' if value < 0 else ''}{body}e{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"
