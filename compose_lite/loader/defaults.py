"""The defaults compose-go sets after the merge: depends_on entries completed, implicit
dependencies (links, volumes_from, network_mode: service:), device counts, mounts' false flags
dropped and targets cleaned, the project name on every resource."""

from __future__ import annotations

from typing import Any

from compose_lite.loader.canonical import STARTED
from compose_lite.loader.short_syntax import clean_posix


def _drop_false_mount_flags(mount: Any) -> Any:
    """Go omits false booleans of mounts (``read_only: false``, ``create_host_path: false``)."""
    if not isinstance(mount, dict):
        return mount
    out = {k: v for k, v in mount.items() if not (k == "read_only" and v is False)}
    if isinstance(out.get("bind"), dict):
        out["bind"] = {k: v for k, v in out["bind"].items() if not (k == "create_host_path" and v is False)}
    return out


def _clean_target(mount: Any) -> Any:
    if isinstance(mount, dict) and isinstance(mount.get("target"), str):
        return {**mount, "target": clean_posix(mount["target"])}
    return mount


def _default_device_counts(key: str, value: Any, every: int | str = -1) -> Any:
    """A device request with neither ``count`` nor ``device_ids`` asks for all devices (``every``:
    -1 in the typed project, "all" in the raw model)."""
    def fill(devices: Any) -> Any:
        if not isinstance(devices, list):
            return devices
        return [{**d, "count": every} if isinstance(d, dict) and "count" not in d and "device_ids" not in d
                else d for d in devices]

    if key == "gpus":
        return fill(value)
    resources: Any = value.get("resources") if isinstance(value, dict) else None
    reservations = resources.get("reservations") if isinstance(resources, dict) else None
    if not isinstance(reservations, dict) or "devices" not in reservations:
        return value
    devices = fill(reservations["devices"])
    return {**value, "resources": {**resources, "reservations": {**reservations, "devices": devices}}}


def _add_implicit_dependencies(service: dict[str, Any]) -> None:
    """Services named by links, network_mode/ipc/pid ("service:x") and volumes_from are dependencies;
    in that order the first to name a service decides (links and namespaces restart with it)."""
    implied: dict[str, dict[str, Any]] = {}
    for link in service.get("links") or []:
        implied.setdefault(
            str(link).split(":")[0], {"condition": "service_started", "required": True, "restart": True}
        )
    for key in ("network_mode", "ipc", "pid"):
        value = service.get(key)
        if isinstance(value, str) and value.startswith("service:"):
            implied.setdefault(value[8:], {"condition": "service_started", "required": True, "restart": True})
    for ref in service.get("volumes_from") or []:
        name = str(ref).split(":")[0]
        if name != "container":
            implied.setdefault(name, {"condition": "service_started", "required": True})
    if not implied:
        return
    depends_on = dict(service.get("depends_on") or {})
    for name, dep in implied.items():
        depends_on.setdefault(name, dep)
    service["depends_on"] = depends_on


def set_defaults(model: dict[str, Any], *, project_name: str, working_dir: str = ".") -> dict[str, Any]:
    """Fill what Compose fills: resource names, the default network, build and port defaults
    (a build without a context builds the working directory)."""
    out = dict(model)
    services = {}
    uses_default = False
    for name, service in (model.get("services") or {}).items():
        svc = dict(service)
        build = svc.get("build")
        if isinstance(build, dict):
            build = {"context": working_dir, **build}
            if "dockerfile" not in build and "dockerfile_inline" not in build:
                build["dockerfile"] = "Dockerfile"
            svc["build"] = {k: v for k, v in build.items() if v != ""}
        if "network_mode" not in svc and "provider" not in svc and not svc.get("networks"):
            svc["networks"] = {"default": None}
        if "default" in (svc.get("networks") or {}):
            uses_default = True
        if isinstance(svc.get("ports"), list):
            svc["ports"] = [{"mode": "ingress", "protocol": "tcp", **p} for p in svc["ports"]]
        if isinstance(svc.get("secrets"), list):
            svc["secrets"] = [
                {**s, "target": s.get("target") or f"/run/secrets/{s.get('source')}"} for s in svc["secrets"]
            ]
        if isinstance(svc.get("volumes"), list):
            svc["volumes"] = [_clean_target(_drop_false_mount_flags(v)) for v in svc["volumes"]]
        for key in ("deploy", "gpus"):
            if svc.get(key):
                svc[key] = _default_device_counts(key, svc[key])
        # compose-go copies scale into an existing deploy section's replicas
        if isinstance(svc.get("deploy"), dict) and svc.get("scale") is not None:
            svc["deploy"] = {**svc["deploy"], "replicas": svc["deploy"].get("replicas", svc["scale"])}
        # Compose keeps extra hosts as a host → addresses map and prints it sorted
        if isinstance(svc.get("extra_hosts"), list):
            svc["extra_hosts"] = sorted(svc["extra_hosts"])
        if isinstance(build, dict) and isinstance(build.get("extra_hosts"), list):
            svc["build"] = {**svc["build"], "extra_hosts": sorted(build["extra_hosts"])}
        if isinstance(svc.get("depends_on"), dict):
            svc["depends_on"] = {name: {**STARTED, **(dep or {})} for name, dep in svc["depends_on"].items()}
        _add_implicit_dependencies(svc)
        services[name] = {k: v for k, v in svc.items() if v != ""}
    out["services"] = services
    networks = dict(model.get("networks") or {})
    if uses_default and "default" not in networks:
        networks["default"] = {"ipam": {}}
    if networks:
        out["networks"] = networks
    return _named_resources(out, project_name)


def _named_resources(model: dict[str, Any], project_name: str) -> dict[str, Any]:
    """A resource without a name is named by its key: as is when external, else after the project."""
    out = dict(model)
    for kind in ("networks", "volumes", "secrets", "configs"):
        table = model.get(kind)
        if not table:
            continue
        named = {}
        for key, resource in table.items():
            res = dict(resource or {})
            if "name" not in res:
                res["name"] = key if res.get("external") else f"{project_name}_{key}"
            named[key] = res
        out[kind] = named
    return out


def _without_bare_args(args: Any) -> Any:
    """Build args without a value are dropped: compose-go resolves them against an environment that
    is empty on this path."""
    if isinstance(args, list):
        return [a for a in args if not isinstance(a, str) or "=" in a]
    if isinstance(args, dict):
        return {k: v for k, v in args.items() if v is not None}
    return args


# compose-go's Normalize: the services a service names are its dependencies, restarted with it
# except for volumes_from; the first to name one decides.
_IMPLIED_BY_NAMESPACE = ("network_mode", "ipc", "pid", "uts", "cgroup")


def _raw_implicit_dependencies(service: dict[str, Any]) -> dict[str, Any]:
    implied: dict[str, dict[str, Any]] = {}
    for link in service.get("links") or []:
        implied.setdefault(str(link).split(":")[0] if str(link).count(":") == 1 else str(link),
                           {**STARTED, "restart": True})
    for key in _IMPLIED_BY_NAMESPACE:
        value = service.get(key)
        if isinstance(value, str) and value.startswith("service:"):
            implied.setdefault(value[8:], {**STARTED, "restart": True})
    for ref in service.get("volumes_from") or []:
        if not str(ref).startswith("container:"):
            implied.setdefault(str(ref).split(":")[0], {**STARTED, "restart": False})
    declared = service.get("depends_on") or {}
    return {**implied, **{name: {**STARTED, **(dep or {})} for name, dep in declared.items()}}


def _raw_service(svc: dict[str, Any], working_dir: str) -> dict[str, Any]:
    """One service as compose-go's SetDefaultValues and Normalize leave the uninterpolated model."""
    out = dict(svc)
    build = out.get("build")
    if isinstance(build, dict):
        build = {**build, "context": build.get("context") or working_dir}
        if build.get("dockerfile") is None and build.get("dockerfile_inline") is None:
            build["dockerfile"] = "Dockerfile"
        if "args" in build:
            build["args"] = _without_bare_args(build["args"])
        out["build"] = build
    if out.get("pull_policy") == "if_not_present":
        out["pull_policy"] = "missing"
    if isinstance(out.get("ports"), list):
        out["ports"] = [{"mode": "ingress", "protocol": "tcp", **p} if isinstance(p, dict) else p
                        for p in out["ports"]]
    if isinstance(out.get("secrets"), list):
        out["secrets"] = [{"target": f"/run/secrets/{s.get('source')}", **s} if isinstance(s, dict) else s
                          for s in out["secrets"]]
    if isinstance(out.get("volumes"), list):
        out["volumes"] = [_clean_target(v) for v in out["volumes"]]
    for key in ("deploy", "gpus"):
        if out.get(key):
            out[key] = _default_device_counts(key, out[key], "all")
    depends_on = _raw_implicit_dependencies(out)
    if depends_on:
        out["depends_on"] = depends_on
    if "provider" not in out and "network_mode" not in out and not out.get("networks"):
        out["networks"] = {"default": None}
    return out


def set_raw_defaults(model: dict[str, Any], *, project_name: str, working_dir: str = ".") -> dict[str, Any]:
    """What compose-go fills in the model it does not interpolate (``config --no-interpolate``):
    its SetDefaultValues, then Normalize; resources named after their key."""
    services = {name: _raw_service(svc, working_dir)
                for name, svc in (model.get("services") or {}).items()}
    out = {**model, "services": services}
    networks = dict(model.get("networks") or {})
    if "default" not in networks and any("default" in (s.get("networks") or {}) for s in services.values()):
        networks["default"] = None
    if networks:
        out["networks"] = networks
    return _named_resources(out, project_name)
