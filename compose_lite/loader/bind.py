"""Canonical Compose tree (``docker compose config --format json`` shape) → typed ``model.Project``.

The loader has already interpolated, validated, canonicalised and merged; this last stage
converts units (durations → ns, sizes → bytes), resolves relative paths against the project
directory, fills defaults (network/volume names, secret targets) and checks references
(networks, volumes, secrets, configs, depends_on) with the dotted path of the offending key.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from compose_lite import compose_hash
from compose_lite.errors import ConfigError
from compose_lite.loader import coverage, inputs
from compose_lite.loader.bind_deploy import restart_from_deploy, update_policy
from compose_lite.loader.units import duration_ns, parse_bytes, size_bytes
from compose_lite.model import (
    Build,
    Condition,
    DependsOn,
    Device,
    FileObject,
    FileRef,
    Healthcheck,
    Hook,
    IpamPool,
    Logging,
    Mount,
    Network,
    Port,
    Project,
    Resources,
    Service,
    ServiceNetwork,
    Ulimit,
    Volume,
    WatchRule,
    is_remote_context,
)

# Keys that take effect (coverage.SERVICE_KEYS); any other present key is reported back as
# ``Service.unsupported`` so that every command creating containers can warn about it.
_HANDLED_KEYS = frozenset(k for k in coverage.SERVICE_KEYS if coverage.reason(k) is None) | {"x-cl-watch"}
_DEPLOY_HANDLED = frozenset(
    k for k in coverage.DEPLOY_KEYS if coverage.reason(k, coverage.DEPLOY_KEYS) is None)


def bind(model: Mapping[str, Any], *, working_dir: str, config_files: Sequence[str] = (),
         environment: Mapping[str, str] | None = None, disabled_services: Sequence[str] = ()) -> Project:
    """Build the typed project from the canonical tree; raises ConfigError on a broken reference."""
    name = str(model.get("name") or "")
    if not name:
        raise ConfigError("project name is empty", hint="pass -p NAME or set a top-level 'name:'")
    networks = {key: _network(name, key, raw or {}) for key, raw in (model.get("networks") or {}).items()}
    volumes = {key: _volume(name, key, raw or {}) for key, raw in (model.get("volumes") or {}).items()}
    secrets = {key: _file_object(name, key, raw or {}, working_dir)
               for key, raw in (model.get("secrets") or {}).items()}
    configs = {key: _file_object(name, key, raw or {}, working_dir)
               for key, raw in (model.get("configs") or {}).items()}
    services: dict[str, Service] = {}
    raw_services = model.get("services") or {}
    for svc_name, raw in raw_services.items():
        service = _service(svc_name, raw or {}, working_dir, secrets)
        if not service.networks and service.network_mode is None:
            service = replace(service, networks=(ServiceNetwork("default"),))
        services[svc_name] = service
    uses_default = any(n.key == "default" for s in services.values() for n in s.networks)
    if uses_default and "default" not in networks:
        networks["default"] = Network("default", f"{name}_default")
    project = Project(
        name=name, working_dir=working_dir, config_files=tuple(config_files), services=services,
        networks=networks, volumes=volumes, secrets=secrets, configs=configs,
        environment=dict(environment or {}), disabled_services=tuple(disabled_services),
        unsupported=tuple(coverage.resource_key_warnings(model)),
    )
    return project


def _service(name: str, raw: Mapping[str, Any], wd: str, secrets: Mapping[str, FileObject]) -> Service:
    path = f"services.{name}"
    deploy = raw.get("deploy") or {}
    unsupported = [k for k in raw if k not in _HANDLED_KEYS and not k.startswith("x-")]
    unsupported += [f"deploy.{k}" for k in deploy if k not in _DEPLOY_HANDLED]
    if (raw.get("healthcheck") or {}).get("start_interval") is not None:
        unsupported.append("healthcheck.start_interval")  # Engine API 1.44+; the SDK can't send it
    scale = deploy.get("replicas", raw.get("scale"))
    return Service(
        name=name,
        image=_opt_str(raw.get("image")),
        build=_build(raw["build"], wd, secrets) if raw.get("build") else None,
        pull_policy=_opt_str(raw.get("pull_policy")),
        command=_argv(raw.get("command")),
        entrypoint=_argv(raw.get("entrypoint")),
        environment={str(k): None if v is None else str(v)
                     for k, v in (raw.get("environment") or {}).items()},
        ports=tuple(_port(p, f"{path}.ports[{i}]") for i, p in enumerate(raw.get("ports") or ())),
        expose=tuple(str(e) for e in raw.get("expose") or ()),
        mounts=tuple(_mount(m, wd, f"{path}.volumes[{i}]") for i, m in enumerate(raw.get("volumes") or ()))
        + tuple(_tmpfs(t) for t in _str_list(raw.get("tmpfs"))),
        volumes_from=tuple(_str_list(raw.get("volumes_from"))),
        networks=_service_networks(raw.get("networks")),
        network_mode=_opt_str(raw.get("network_mode")),
        depends_on=tuple(_depends_on(k, v or {}) for k, v in (raw.get("depends_on") or {}).items()),
        healthcheck=_healthcheck(raw.get("healthcheck"), f"{path}.healthcheck"),
        restart=_opt_str(raw.get("restart")) or restart_from_deploy(deploy.get("restart_policy")),
        labels=_str_map(raw.get("labels")),
        container_name=_opt_str(raw.get("container_name")),
        user=_opt_str(raw.get("user")),
        working_dir=_opt_str(raw.get("working_dir")),
        hostname=_opt_str(raw.get("hostname")),
        domainname=_opt_str(raw.get("domainname")),
        mac_address=_opt_str(raw.get("mac_address")),
        init=raw.get("init"),
        stop_signal=_opt_str(raw.get("stop_signal")),
        stop_grace_period_ns=duration_ns(raw.get("stop_grace_period"), f"{path}.stop_grace_period"),
        cap_add=tuple(_str_list(raw.get("cap_add"))),
        cap_drop=tuple(_str_list(raw.get("cap_drop"))),
        privileged=bool(raw.get("privileged", False)),
        read_only=bool(raw.get("read_only", False)),
        security_opt=tuple(_security_opts(raw.get("security_opt"), wd, path)),
        unconfined_paths="systempaths=unconfined" in _str_list(raw.get("security_opt")),
        extra_hosts=_extra_hosts(raw.get("extra_hosts")),
        dns=tuple(_str_list(raw.get("dns"))),
        dns_search=tuple(_str_list(raw.get("dns_search"))),
        dns_opt=tuple(_str_list(raw.get("dns_opt"))),
        tty=bool(raw.get("tty", False)),
        stdin_open=bool(raw.get("stdin_open", False)),
        shm_size=size_bytes(raw.get("shm_size"), f"{path}.shm_size"),
        sysctls=_str_map(raw.get("sysctls")),
        ulimits=tuple(_ulimit(k, v) for k, v in (raw.get("ulimits") or {}).items()),
        devices=tuple(_device(d) for d in raw.get("devices") or () if not _is_cdi(d)),
        group_add=tuple(str(g) for g in raw.get("group_add") or ()),
        resources=_resources(raw, deploy.get("resources") or {}, path),
        logging=_logging(raw.get("logging")),
        pid=_opt_str(raw.get("pid")),
        ipc=_opt_str(raw.get("ipc")),
        uts=_opt_str(raw.get("uts")),
        userns_mode=_opt_str(raw.get("userns_mode")),
        cgroup_parent=_opt_str(raw.get("cgroup_parent")),
        cgroup=_opt_str(raw.get("cgroup")),
        device_cgroup_rules=tuple(_str_list(raw.get("device_cgroup_rules"))),
        storage_opt=_str_map(raw.get("storage_opt")),
        links=tuple(_str_list(raw.get("links"))),
        external_links=tuple(_str_list(raw.get("external_links"))),
        runtime=_opt_str(raw.get("runtime")),
        platform=_opt_str(raw.get("platform")),
        secrets=tuple(_file_ref(r, "/run/secrets/") for r in raw.get("secrets") or ()),
        configs=tuple(_file_ref(r, "/") for r in raw.get("configs") or ()),
        scale=None if scale is None else int(scale),
        update_config=update_policy(deploy.get("update_config"), f"{path}.deploy.update_config"),
        rollback_config=update_policy(deploy.get("rollback_config"), f"{path}.deploy.rollback_config"),
        profiles=tuple(_str_list(raw.get("profiles"))),
        post_start=tuple(_hook(h) for h in raw.get("post_start") or ()),
        pre_stop=tuple(_hook(h) for h in raw.get("pre_stop") or ()),
        use_api_socket=raw.get("use_api_socket") is True,
        watch=tuple(_watch(w, wd) for w in (raw.get("develop") or {}).get("watch") or ()),
        watch_bind_mounts=raw.get("x-cl-watch") is not False,
        unsupported=tuple(unsupported),
        compose_hash=compose_hash.service_hash(raw),
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _str_map(value: Any) -> dict[str, str]:
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {str(k): "" if v is None else str(v) for k, v in value.items()}
    out: dict[str, str] = {}
    for item in value:
        key, _, val = str(item).partition("=")
        out[key] = val
    return out


def _argv(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        import shlex

        return tuple(shlex.split(value))
    return tuple(str(v) for v in value)


def _abs(path: str, wd: str) -> str:
    path = os.path.expanduser(path)
    return os.path.normpath(path if os.path.isabs(path) else os.path.join(wd, path))


def _port(raw: Any, path: str) -> Port:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"expected a long-form port mapping, got {raw!r}", path=path)
    published = raw.get("published")
    return Port(target=int(raw["target"]), published=None if published in (None, "") else str(published),
                host_ip=_opt_str(raw.get("host_ip")) or None, protocol=str(raw.get("protocol") or "tcp"))


def _mount(raw: Any, wd: str, path: str) -> Mount:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"expected a long-form volume mapping, got {raw!r}", path=path)
    kind = str(raw.get("type") or "volume")
    source = _opt_str(raw.get("source")) or None
    if kind == "bind" and source is not None:
        source = _abs(source, wd)
    bind_opts = raw.get("bind") or {}
    vol_opts = raw.get("volume") or {}
    tmpfs_opts = raw.get("tmpfs") or {}
    mode = tmpfs_opts.get("mode")
    return Mount(
        type=kind, target=str(raw["target"]), source=source, read_only=bool(raw.get("read_only", False)),
        consistency=_opt_str(raw.get("consistency")),
        bind_propagation=_opt_str(bind_opts.get("propagation")),
        bind_create_host_path=bool(bind_opts.get("create_host_path", True)),
        bind_recursive=_opt_str(bind_opts.get("recursive")),
        bind_selinux=_opt_str(bind_opts.get("selinux")),
        volume_nocopy=bool(vol_opts.get("nocopy", False)),
        volume_subpath=_opt_str(vol_opts.get("subpath")),
        tmpfs_size=size_bytes(tmpfs_opts.get("size"), f"{path}.tmpfs.size"),
        tmpfs_mode=None if mode is None else _octal(mode),
    )


def _tmpfs(entry: str) -> Mount:
    target, _, opts = entry.partition(":")
    size: int | None = None
    mode: int | None = None
    for opt in filter(None, opts.split(",")):
        key, _, val = opt.partition("=")
        if key == "size":
            size = parse_bytes(val)
        elif key == "mode":
            mode = int(val, 8)
    return Mount(type="tmpfs", target=target, tmpfs_size=size, tmpfs_mode=mode, tmpfs_options=opts)


def _octal(value: Any) -> int:
    return int(value, 8) if isinstance(value, str) else int(value)


def _security_opts(raw: Any, wd: str, path: str) -> list[str]:
    """As Compose sends them: a seccomp profile given as a file is sent as its (compacted) JSON,
    and ``systempaths=unconfined`` is no option for the engine but empty masked/read-only paths."""
    out = []
    for opt in _str_list(raw):
        if opt == "systempaths=unconfined":
            continue
        key, sep, value = opt.partition("=")
        if not sep and key != "no-new-privileges":
            key, sep, value = opt.partition(":")
            if not sep:
                raise ConfigError(f"invalid security-opt: {opt!r}", path=f"{path}.security_opt",
                                  hint="use key=value, e.g. no-new-privileges:true or seccomp=./profile.json")
        if key == "seccomp" and value not in ("unconfined", "builtin"):
            profile = _abs(value, wd)
            try:
                compact = json.dumps(json.loads(inputs.read_bytes(profile)), separators=(",", ":"))
            except (OSError, ValueError) as err:
                raise ConfigError(f"opening seccomp profile ({value}) failed: {err}",
                                  path=f"{path}.security_opt") from None
            out.append(f"seccomp={compact}")
        else:
            out.append(opt)
    return out


def _service_networks(raw: Any) -> tuple[ServiceNetwork, ...]:
    if not raw:
        return ()
    if not isinstance(raw, Mapping):
        return tuple(ServiceNetwork(str(k)) for k in raw)
    out = []
    for key, opts in raw.items():
        opts = opts or {}
        out.append(ServiceNetwork(
            key=str(key), aliases=tuple(_str_list(opts.get("aliases"))),
            ipv4_address=_opt_str(opts.get("ipv4_address")), ipv6_address=_opt_str(opts.get("ipv6_address")),
            priority=int(opts.get("priority") or 0), mac_address=_opt_str(opts.get("mac_address")),
            link_local_ips=tuple(_str_list(opts.get("link_local_ips"))),
            driver_opts=_str_map(opts.get("driver_opts")), gw_priority=int(opts.get("gw_priority") or 0),
            interface_name=_opt_str(opts.get("interface_name"))))
    # Compose connects the highest-priority network first (it becomes the container's primary one),
    # the first by name among equals.
    return tuple(sorted(out, key=lambda n: (-n.priority, n.key)))


def _depends_on(service: str, raw: Mapping[str, Any]) -> DependsOn:
    return DependsOn(service=str(service), condition=Condition(raw.get("condition") or "service_started"),
                     restart=bool(raw.get("restart", False)), required=bool(raw.get("required", True)))


def _healthcheck(raw: Any, path: str) -> Healthcheck | None:
    if not raw:
        return None
    if raw.get("disable"):
        return Healthcheck(test=("NONE",))
    test = raw.get("test")
    if isinstance(test, str):
        test_argv: tuple[str, ...] = ("CMD-SHELL", test)
    elif test:
        test_argv = tuple(str(t) for t in test)
    else:
        test_argv = ()  # inherit the image's test, override timings only
    return Healthcheck(
        test=test_argv, interval_ns=duration_ns(raw.get("interval"), f"{path}.interval"),
        timeout_ns=duration_ns(raw.get("timeout"), f"{path}.timeout"),
        retries=None if raw.get("retries") is None else int(raw["retries"]),
        start_period_ns=duration_ns(raw.get("start_period"), f"{path}.start_period"),
        start_interval_ns=duration_ns(raw.get("start_interval"), f"{path}.start_interval"))


def _extra_hosts(raw: Any) -> tuple[str, ...]:
    if not raw:
        return ()
    if isinstance(raw, Mapping):
        items = []
        for host, ips in raw.items():
            items += [f"{host}:{ip}" for ip in _str_list(ips)]
        return tuple(items)
    # Compose prints "host=ip" (IPv6-safe); the engine wants "host:ip" and splits at the first colon.
    return tuple(h.replace("=", ":", 1) if "=" in h else h for h in _str_list(raw))


def _ulimit(name: str, raw: Any) -> Ulimit:
    if isinstance(raw, Mapping):  # the model leaves out a 0 soft or hard limit, as Compose prints it
        return Ulimit(str(name), int(raw.get("soft", 0)), int(raw.get("hard", 0)))
    return Ulimit(str(name), int(raw), int(raw))


def _device(raw: Any) -> Device:
    if isinstance(raw, Mapping):
        return Device(str(raw["source"]), str(raw.get("target") or raw["source"]),
                      str(raw.get("permissions") or "rwm"))
    parts = str(raw).split(":")
    return Device(parts[0], parts[1] if len(parts) > 1 else parts[0], parts[2] if len(parts) > 2 else "rwm")


def _resources(raw: Mapping[str, Any], deploy_res: Mapping[str, Any], path: str) -> Resources:
    limits = deploy_res.get("limits") or {}
    reservations = deploy_res.get("reservations") or {}
    cpus = limits.get("cpus", raw.get("cpus"))
    pids = limits.get("pids", raw.get("pids_limit"))
    weight = (raw.get("blkio_config") or {}).get("weight")
    return Resources(
        cpus=None if cpus in (None, "") else float(cpus),
        memory=size_bytes(limits.get("memory", raw.get("mem_limit")),
                          f"{path}.deploy.resources.limits.memory"),
        memory_reservation=size_bytes(reservations.get("memory", raw.get("mem_reservation")),
                                  f"{path}.deploy.resources.reservations.memory"),
        memswap_limit=size_bytes(raw.get("memswap_limit"), f"{path}.memswap_limit"),
        pids=None if pids is None else int(pids),
        cpu_shares=None if raw.get("cpu_shares") is None else int(raw["cpu_shares"]),
        cpu_quota=None if raw.get("cpu_quota") is None else int(raw["cpu_quota"]),
        cpu_period=None if raw.get("cpu_period") is None else int(raw["cpu_period"]),
        cpuset=_opt_str(raw.get("cpuset")),
        oom_kill_disable=bool(raw.get("oom_kill_disable", False)),
        oom_score_adj=None if raw.get("oom_score_adj") is None else int(raw["oom_score_adj"]),
        mem_swappiness=None if raw.get("mem_swappiness") is None else int(raw["mem_swappiness"]),
        blkio_weight=None if weight is None else int(weight),
        blkio_devices=_blkio_devices(raw.get("blkio_config") or {}, path),
        cpu_rt_period=None if raw.get("cpu_rt_period") is None else int(raw["cpu_rt_period"]),
        cpu_rt_runtime=None if raw.get("cpu_rt_runtime") is None else int(raw["cpu_rt_runtime"]),
        # Compose's order: reserved devices, CDI devices, GPUs
        device_requests=(*(_device_request(d) for d in reservations.get("devices") or ()),
                         *_cdi_request(raw.get("devices") or ()),
                         *(_device_request(d) for d in raw.get("gpus") or ())),
    )


# A CDI device name, "vendor.com/class=name" (the container-device-interface parser's rule)
_CDI_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)*"
                       r"/[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?=[A-Za-z0-9](?:[A-Za-z0-9_.:-]*[A-Za-z0-9])?")


def _is_cdi(device: Any) -> bool:
    return (isinstance(device, Mapping) and device.get("source") == device.get("target")
            and bool(_CDI_NAME.fullmatch(str(device.get("source")))))


def _cdi_request(devices: Sequence[Any]) -> tuple[Mapping[str, Any], ...]:
    """``devices`` naming CDI devices, sent as one device request to the ``cdi`` driver, as Compose does."""
    names = [str(d["source"]) for d in devices if _is_cdi(d)]
    return ({"Driver": "cdi", "DeviceIDs": names},) if names else ()


def _device_request(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """A ``gpus`` or reservations ``devices`` entry as the engine's DeviceRequest (count -1: all)."""
    count = raw.get("count")
    ids = [str(i) for i in raw.get("device_ids") or ()]
    return {"Driver": str(raw.get("driver") or ""),
            "Count": int(count) if count is not None and not ids else 0,
            "DeviceIDs": ids or None, "Capabilities": [[str(c) for c in raw.get("capabilities") or ("gpu",)]],
            "Options": _str_map(raw.get("options")) or None}


_BLKIO_KINDS = ("weight_device", "device_read_bps", "device_write_bps", "device_read_iops",
                "device_write_iops")


def _blkio_devices(blkio: Mapping[str, Any], path: str) -> tuple[tuple[str, str, int], ...]:
    """Per-device block IO limits, as the canonical model holds them (Go's field names; a rate
    is a byte count in a string)."""
    out: list[tuple[str, str, int]] = []
    for kind in _BLKIO_KINDS:
        for entry in blkio.get(kind) or ():
            value = entry.get("Weight") if kind == "weight_device" else entry.get("Rate")
            out.append((kind, str(entry.get("Path")), int(value or 0)))
    return tuple(out)


def _logging(raw: Any) -> Logging | None:
    if not raw:
        return None
    return Logging(driver=_opt_str(raw.get("driver")), options=_str_map(raw.get("options")))


def _file_ref(raw: Any, default_dir: str) -> FileRef:
    if isinstance(raw, str):
        raw = {"source": raw}
    source = str(raw["source"])
    target = _opt_str(raw.get("target")) or source
    if not target.startswith("/"):
        target = default_dir + target
    mode = raw.get("mode")
    return FileRef(source=source, target=target, uid=_opt_str(raw.get("uid")), gid=_opt_str(raw.get("gid")),
                   mode=None if mode is None else _octal(mode))


def _build(raw: Any, wd: str, secrets: Mapping[str, FileObject]) -> Build:
    if isinstance(raw, str):
        raw = {"context": raw}
    ssh = raw.get("ssh") or {}
    return Build(
        secrets=tuple(_build_secret(ref, secrets) for ref in raw.get("secrets") or ()),
        ssh=tuple(k if v is None else f"{k}={v}" for k, v in ssh.items()) if isinstance(ssh, Mapping) else (),
        cache_from=tuple(_str_list(raw.get("cache_from"))), cache_to=tuple(_str_list(raw.get("cache_to"))),
        platforms=tuple(_str_list(raw.get("platforms"))),
        context=_context(str(raw.get("context") or "."), wd), dockerfile=_opt_str(raw.get("dockerfile")),
        dockerfile_inline=_opt_str(raw.get("dockerfile_inline")), args=_str_map(raw.get("args")),
        target=_opt_str(raw.get("target")), labels=_str_map(raw.get("labels")),
        network=_opt_str(raw.get("network")), shm_size=size_bytes(raw.get("shm_size"), "build.shm_size"),
        extra_hosts=_extra_hosts(raw.get("extra_hosts")), no_cache=bool(raw.get("no_cache", False)),
        pull=bool(raw.get("pull", False)), tags=tuple(_str_list(raw.get("tags"))),
        ulimits=tuple(_build_ulimit(k, v) for k, v in (raw.get("ulimits") or {}).items()),
        isolation=_opt_str(raw.get("isolation")),
        additional_contexts=_str_map(raw.get("additional_contexts")),
        entitlements=(*_str_list(raw.get("entitlements")),
                      *(["security.insecure"] if raw.get("privileged") else [])),
        provenance=_attestation(raw.get("provenance")), sbom=_attestation(raw.get("sbom")))


def _context(path: str, wd: str) -> str:
    """A directory made absolute; a git or http URL as it is, for the engine to fetch."""
    return path if is_remote_context(path) else _abs(path, wd)


def _build_ulimit(name: str, value: Any) -> str:
    """``nofile=1024:2048`` (or ``nproc=65535``), as `docker build --ulimit` takes it."""
    if isinstance(value, Mapping):
        return f"{name}={value.get('soft', 0)}:{value.get('hard', 0)}"
    return f"{name}={value}"


def _attestation(value: Any) -> str | None:
    """``provenance``/``sbom``: a boolean, or buildx's attestation options, as `--provenance=` takes them."""
    if value is None:
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def _build_secret(ref: Any, secrets: Mapping[str, FileObject]) -> tuple[str, str, str]:
    """A build secret as BuildKit takes it: its id (the target, else the source) and where it is."""
    source = str(ref.get("source") if isinstance(ref, Mapping) else ref)
    target = str(ref.get("target") or source) if isinstance(ref, Mapping) else source
    obj = secrets.get(source)
    if obj is None or (obj.file is None and obj.environment is None):
        raise ConfigError(f"build secret {source!r} needs `file:` or `environment:` in the top-level secrets",
                          path=f"secrets.{source}")
    return (target, "file", obj.file) if obj.file is not None else (target, "env", str(obj.environment))


def _watch(raw: Mapping[str, Any], wd: str) -> WatchRule:
    hook = raw.get("exec")
    return WatchRule(path=_abs(str(raw["path"]), wd), action=str(raw["action"]),
                     target=_opt_str(raw.get("target")), ignore=tuple(_str_list(raw.get("ignore"))),
                     include=tuple(_str_list(raw.get("include"))),
                     initial_sync=bool(raw.get("initial_sync", False)),
                     exec=_hook(hook) if isinstance(hook, Mapping) else None)


def _hook(raw: Mapping[str, Any]) -> Hook:
    return Hook(command=_argv(raw.get("command")) or (), user=_opt_str(raw.get("user")),
                     privileged=bool(raw.get("privileged", False)),
                     working_dir=_opt_str(raw.get("working_dir")),
                     environment=_str_map(raw.get("environment")))


def _network(project: str, key: str, raw: Mapping[str, Any]) -> Network:
    external = bool(raw.get("external", False))
    ipam = raw.get("ipam") or {}
    return Network(
        key=key, name=str(raw.get("name") or (key if external else f"{project}_{key}")), external=external,
        driver=_opt_str(raw.get("driver")), driver_opts=_str_map(raw.get("driver_opts")),
        internal=bool(raw.get("internal", False)), attachable=bool(raw.get("attachable", False)),
        enable_ipv6=bool(raw.get("enable_ipv6", False)), ipam_driver=_opt_str(ipam.get("driver")),
        ipam_config=tuple(IpamPool(_opt_str(c.get("subnet")), _opt_str(c.get("ip_range")),
                                   _opt_str(c.get("gateway")), _str_map(c.get("aux_addresses")))
                          for c in ipam.get("config") or ()),
        ipam_options=_str_map(ipam.get("options")), labels=_str_map(raw.get("labels")),
        compose_hash=compose_hash.network_hash(raw))


def _volume(project: str, key: str, raw: Mapping[str, Any]) -> Volume:
    external = bool(raw.get("external", False))
    return Volume(key=key, name=str(raw.get("name") or (key if external else f"{project}_{key}")),
                  external=external, driver=_opt_str(raw.get("driver")),
                  driver_opts=_str_map(raw.get("driver_opts")), labels=_str_map(raw.get("labels")),
                  compose_hash=compose_hash.volume_hash(raw))


def _file_object(project: str, key: str, raw: Mapping[str, Any], wd: str) -> FileObject:
    external = bool(raw.get("external", False))
    file = _opt_str(raw.get("file"))
    return FileObject(key=key, name=str(raw.get("name") or (key if external else f"{project}_{key}")),
                      file=None if file is None else _abs(file, wd), content=_opt_str(raw.get("content")),
                      environment=_opt_str(raw.get("environment")), external=external)
