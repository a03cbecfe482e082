"""Rules compose-go checks on the merged model (its ``checkConsistency`` and pre-decode
validation) that the JSON Schema cannot express: values set twice that disagree, counts below
zero, a fixed container name on several replicas, keys that exclude each other."""

from __future__ import annotations

import struct
from typing import Any

from compose_lite.errors import ConfigError
from compose_lite.loader.units import parse_bytes

# (service field, path under deploy.resources, how to compare): Compose refuses distinct values.
_SET_TWICE = (
    ("cpus", ("limits", "cpus"), float),
    ("mem_limit", ("limits", "memory"), parse_bytes),
    ("mem_reservation", ("reservations", "memory"), parse_bytes),
    ("pids_limit", ("limits", "pids"), int),
)
_EXTERNAL_VOLUME_KEYS = frozenset({"name", "external"})
# Lists the merge appends without removing repeats, which the schema wants unique: the merged
# project is checked again, as compose-go validates after each merge.
_UNIQUE_UNMERGED = ("group_add", "security_opt", "external_links", "device_cgroup_rules", "volumes_from")
# Fields compose-go keeps as unsigned integers: a negative value does not decode.
_UNSIGNED = (
    ("healthcheck", "retries"),
    ("deploy", "restart_policy", "max_attempts"),
    ("deploy", "update_config", "parallelism"),
    ("deploy", "rollback_config", "parallelism"),
)


def check_consistency(model: dict[str, Any], disabled: dict[str, Any] | None = None) -> list[ConfigError]:
    """The merged project's errors; services ``disabled`` by their profiles are decoded all the same."""
    errors: list[ConfigError] = []
    for name, svc in {**(disabled or {}), **(model.get("services") or {})}.items():
        errors.extend(_decode_errors(name, svc))
    for name, svc in (model.get("services") or {}).items():
        errors.extend(_service_errors(name, svc, model.get("services") or {}))
    for kind, sources in (
        ("secrets", ("file", "environment")),
        ("configs", ("file", "environment", "content")),
    ):
        for name, obj in (model.get(kind) or {}).items():
            if not isinstance(obj, dict) or obj.get("external") or obj.get("driver"):
                continue
            given = [s for s in sources if obj.get(s) is not None]
            if len(given) != 1:
                wording = "|".join(sources)
                errors.append(
                    ConfigError(
                        f"{wording} attributes are mutually exclusive"
                        if given
                        else f"one of {wording} must be set",
                        path=f"{kind}.{name}",
                        hint=f"give the {kind[:-1]} exactly one source: {', '.join(sources)}",
                    )
                )
    owners: dict[str, str] = {}
    for name, svc in (model.get("services") or {}).items():
        container = svc.get("container_name")
        if container and container in owners:
            errors.append(
                ConfigError(
                    f"container name {container!r} is already used by service {owners[container]!r}",
                    path=f"services.{name}.container_name",
                    hint="container names must be unique",
                )
            )
        elif container:
            owners[container] = name
    for name, volume in (model.get("volumes") or {}).items():
        if isinstance(volume, dict) and volume.get("external") is True:
            extra = sorted(k for k in volume if k not in _EXTERNAL_VOLUME_KEYS and not k.startswith("x-"))
            if extra:
                errors.append(
                    ConfigError(
                        f'conflicting parameters "external" and "{extra[0]}" specified',
                        path=f"volumes.{name}",
                        hint="an external volume is created outside Compose: only its name can be given",
                    )
                )
    return errors


def _service_errors(name: str, svc: dict[str, Any], model_services: dict[str, Any]) -> list[ConfigError]:
    errors: list[ConfigError] = []
    here = f"services.{name}"
    deploy: dict[str, Any] = svc["deploy"] if isinstance(svc.get("deploy"), dict) else {}
    replicas, scale = deploy.get("replicas"), svc.get("scale")
    for field, value in (("scale", scale), ("deploy.replicas", replicas)):
        if isinstance(value, int) and value < 0:
            errors.append(ConfigError("must be greater than or equal to 0", path=f"{here}.{field}"))
    if isinstance(scale, int) and isinstance(replicas, int) and scale != replicas:
        errors.append(
            ConfigError(
                "can't set distinct values on 'scale' and 'deploy.replicas'",
                path=here,
                hint="keep one of them (deploy.replicas is the Compose Specification's spelling)",
            )
        )
    resources: dict[str, Any] = deploy["resources"] if isinstance(deploy.get("resources"), dict) else {}
    for field, (section, key), read in _SET_TWICE:
        own, block = svc.get(field), resources.get(section)
        if not isinstance(block, dict) or _is_zero(own, read):
            continue
        # a block that leaves the key out holds 0 for compose-go, which then differs too
        if _differ(own, 0 if block.get(key) is None else block[key], read):
            errors.append(
                ConfigError(
                    f"can't set distinct values on '{field}' and 'deploy.resources.{section}.{key}'",
                    path=here,
                    hint="keep one of them, or give both the same value",
                )
            )
    count = scale if isinstance(scale, int) else replicas
    if svc.get("container_name") and isinstance(count, int) and count > 1:
        errors.append(
            ConfigError(
                f"can't set container_name and run {count} replicas: container names must be unique",
                path=f"{here}.container_name",
                hint="remove container_name, or run one replica",
            )
        )
    errors.extend(_mount_errors(here, svc))
    errors.extend(_build_errors(here, svc, model_services))
    for index, port in enumerate(svc.get("ports") or []):
        if isinstance(port, dict) and port.get("host_ip") and not _is_ip(str(port["host_ip"])):
            errors.append(
                ConfigError(
                    f"invalid ip address: {port['host_ip']}",
                    path=f"{here}.ports[{index}]",
                    hint="host_ip is an IPv4 or IPv6 address of this host",
                )
            )
    devices = _get(svc, ("deploy", "resources", "reservations", "devices")) or []
    for index, device in enumerate(devices if isinstance(devices, list) else []):
        if isinstance(device, dict) and "count" in device and "device_ids" in device:
            errors.append(
                ConfigError(
                    '"count" and "device_ids" attributes are exclusive',
                    path=f"{here}.deploy.resources.reservations.devices[{index}]",
                    hint="ask for a number of devices, or for these devices",
                )
            )
    for key in _UNIQUE_UNMERGED:
        values = [str(v) for v in svc.get(key) or []]
        for j, value in enumerate(values):
            if value in values[:j]:
                errors.append(
                    ConfigError(
                        f"items at {values.index(value)} and {j} are equal",
                        path=f"{here}.{key}",
                        hint="list each entry once (the files' lists were appended)",
                    )
                )
                break
    build = svc.get("build")
    if isinstance(build, dict) and build.get("dockerfile") and build.get("dockerfile_inline"):
        errors.append(
            ConfigError(
                "dockerfile and dockerfile_inline are mutually exclusive",
                path=f"{here}.build",
                hint="keep one of them",
            )
        )
    test = (svc.get("healthcheck") or {}).get("test") if isinstance(svc.get("healthcheck"), dict) else None
    if isinstance(test, list) and test and test[0] not in ("CMD", "CMD-SHELL", "NONE"):
        errors.append(
            ConfigError(
                'healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"',
                path=f"{here}.healthcheck.test",
                hint='e.g. ["CMD", "curl", "-f", "http://localhost"], or a string for a shell',
            )
        )
    watch = (svc.get("develop") or {}).get("watch") if isinstance(svc.get("develop"), dict) else None
    for index, rule in enumerate(watch or []):
        if isinstance(rule, dict) and not str(rule.get("path") or "").strip():
            errors.append(
                ConfigError(
                    "value can't be blank",
                    path=f"{here}.develop.watch[{index}].path",
                    hint="the host path to watch",
                )
            )
        elif (
            isinstance(rule, dict)
            and rule.get("action") not in ("rebuild", "restart")
            and not rule.get("target")
        ):
            errors.append(
                ConfigError(
                    "target is required for non-rebuild actions",
                    path=f"{here}.develop.watch[{index}]",
                    hint="add `target:`, the container path",
                )
            )
    if svc.get("network_mode") and svc.get("networks"):
        errors.append(
            ConfigError(
                "network_mode and networks are mutually exclusive",
                path=here,
                hint="network_mode shares another namespace; drop networks, or network_mode",
            )
        )
    return errors


def _decode_errors(name: str, svc: dict[str, Any]) -> list[ConfigError]:
    """Values Go cannot hold in the field's type."""
    errors: list[ConfigError] = []
    here = f"services.{name}"
    for path in _UNSIGNED:
        value = _get(svc, path)
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            errors.append(
                ConfigError(
                    f"{value} is negative: the field holds a count",
                    path=".".join((here, *path)),
                    hint="use 0 or more",
                )
            )
    for index, port in enumerate(svc.get("ports") or []):
        target = port.get("target") if isinstance(port, dict) else None
        if isinstance(target, int) and not 0 <= target <= 65535:
            errors.append(
                ConfigError(
                    f"port {target} is out of range",
                    path=f"{here}.ports[{index}].target",
                    hint="a port is a number from 0 to 65535",
                )
            )
    for key, value in (svc.get("storage_opt") or {}).items():
        if isinstance(value, float):  # Go's map[string]string takes no float
            errors.append(
                ConfigError(
                    f"{value} is a number: storage options are strings",
                    path=f"{here}.storage_opt.{key}",
                    hint=f"quote it: '{value}'",
                )
            )
    return errors


def _build_errors(here: str, svc: dict[str, Any], services: dict[str, Any]) -> list[ConfigError]:
    """``service:`` build contexts name buildable services; build platforms include the service's."""
    build = svc.get("build")
    if not isinstance(build, dict):
        return []
    errors: list[ConfigError] = []
    for key, value in (build.get("additional_contexts") or {}).items():
        if isinstance(value, str) and value.startswith("service:"):
            other = services.get(value[8:])
            if other is None or not other.get("build"):
                what = "unknown" if other is None else "non-buildable"
                errors.append(
                    ConfigError(
                        f"declares {what} service {value[8:]!r} as additional context {key}",
                        path=f"{here}.build.additional_contexts",
                        hint="name a service of this project that has a build section",
                    )
                )
    platforms = build.get("platforms")
    if platforms and svc.get("platform") and svc["platform"] not in platforms:
        errors.append(
            ConfigError(
                f"build.platforms must include the service's platform {svc['platform']!r}",
                path=f"{here}.build.platforms",
                hint="add it, or change platform",
            )
        )
    return errors


def _is_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _mount_errors(here: str, svc: dict[str, Any]) -> list[ConfigError]:
    """A bind needs a source; two mounts (tmpfs entries first, then volumes) cannot share a target."""
    errors: list[ConfigError] = []
    mounted: dict[str, str] = {}
    for index, entry in enumerate(svc.get("tmpfs") or []):
        target = str(entry).split(":")[0]
        if target in mounted:
            errors.append(
                ConfigError(
                    f"target {target} already mounted as {mounted[target]}",
                    path=f"{here}.tmpfs[{index}]",
                    hint="mount one thing per container path",
                )
            )
        mounted.setdefault(target, f"{here}.tmpfs[{index}]")
    for index, mount in enumerate(svc.get("volumes") or []):
        if not isinstance(mount, dict):
            continue
        where = f"{here}.volumes[{index}]"
        if mount.get("type") == "bind" and not mount.get("source"):
            errors.append(
                ConfigError(
                    'invalid mount config for type "bind": field Source must not be empty',
                    path=where,
                    hint="add `source:`, the host path to mount",
                )
            )
        target = str(mount.get("target") or "")
        if target in mounted:
            errors.append(
                ConfigError(
                    f"target {target} already mounted as {mounted[target]}",
                    path=where,
                    hint="mount one thing per container path",
                )
            )
        elif target:
            mounted[target] = where
    return errors


def _is_zero(value: Any, read: Any) -> bool:
    """Unset for compose-go: missing, or a value that reads as 0 (an unreadable one is the schema's)."""
    try:
        return value is None or read(value) == 0
    except (TypeError, ValueError):
        return True


def _differ(a: Any, b: Any, read: Any) -> bool:
    try:
        left, right = read(a), read(b)
    except (TypeError, ValueError):
        return False
    if read is float:  # Compose compares float32 values
        return struct.pack("f", left) != struct.pack("f", right)
    return bool(left != right)


def _get(tree: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = tree
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node
