"""The Engine API requests: a ContainerSpec as Docker Compose sends it, the archives the adapter
uploads (inline files, an inline Dockerfile's context), and a build with the legacy builder."""

from __future__ import annotations

import io
import tarfile
import time
from collections.abc import Callable, Mapping
from typing import Any

from compose_lite.errors import ConfigError, EngineError
from compose_lite.model import Build, Mount, Service
from compose_lite.state import ContainerSpec, NetworkAttachment


def create_config(spec: ContainerSpec, api: Any) -> dict[str, Any]:
    """The Engine API body that creates a spec's container, as Docker Compose sends it.

    The SDK formats exposed ports itself ("3000" becomes "3000/tcp", a range "4000-4001/tcp") and
    ties the attach flags to ``detach``; Compose sends ``expose`` entries as written (the engine
    expands ranges) and attaches stdout and stderr, stdin only for an attached one-off.
    """
    args = create_arguments(spec, api)
    exposed = args.pop("ports")
    for key in ("name", "platform", "use_config_proxy"):  # create_container's, not the body's
        args.pop(key)
    if spec.volumes_from:  # by container id, as Compose writes it (the containers exist by now)
        args["host_config"]["VolumesFrom"] = [_container_id(api, entry) for entry in spec.volumes_from]
    config: dict[str, Any] = api.create_container_config(**args)
    config["ExposedPorts"] = {port: {} for port in exposed} or None
    config.update(AttachStdout=True, AttachStderr=True, AttachStdin=spec.stdin_once,
                  StdinOnce=spec.stdin_once)
    return config


def create_arguments(spec: ContainerSpec, api: Any) -> dict[str, Any]:
    """The ``APIClient.create_container`` keyword arguments for a spec (host config included);
    ``ports`` holds the exposed ports as Compose writes them (``80/tcp``, ``3000``, ``4000-4001``)."""
    from docker.types import LogConfig, Ulimit

    svc = spec.service
    res = svc.resources
    binds, mounts, tmpfs = _mounts(spec.mounts)
    port_bindings: dict[str, list[tuple[str, str] | str | None]] = {}
    for port in svc.ports:
        key = f"{port.target}/{port.protocol}"
        host: tuple[str, str] | str | None = (
            (port.host_ip or "", port.published or "") if port.host_ip else port.published)
        port_bindings.setdefault(key, []).append(host)
    exposed = [f"{p.target}/{p.protocol}" for p in svc.ports] + list(svc.expose)
    network_mode = spec.network_mode or (spec.networks[0].name if spec.networks else None)
    host_config = api.create_host_config(
        binds=binds or None, mounts=mounts or None, port_bindings=port_bindings, tmpfs=tmpfs or None,
        network_mode=network_mode, restart_policy=_restart_policy(svc.restart),
        privileged=svc.privileged, read_only=svc.read_only, cap_add=_capabilities(svc.cap_add),
        cap_drop=_capabilities(svc.cap_drop), security_opt=list(svc.security_opt) or None,
        extra_hosts=list(svc.extra_hosts), dns=list(svc.dns) or None,
        dns_search=list(svc.dns_search) or None, dns_opt=list(svc.dns_opt) or None,
        shm_size=svc.shm_size, sysctls=dict(svc.sysctls) or None,
        ulimits=[Ulimit(name=u.name, soft=u.soft, hard=u.hard) for u in svc.ulimits] or None,
        devices=[f"{d.source}:{d.target}:{d.permissions}" for d in svc.devices] or None,
        group_add=list(svc.group_add) or None, init=svc.init, pid_mode=spec.pid, ipc_mode=spec.ipc,
        uts_mode=svc.uts, userns_mode=svc.userns_mode, cgroup_parent=svc.cgroup_parent, runtime=svc.runtime,
        volumes_from=list(spec.volumes_from) or None,
        log_config=LogConfig(type=svc.logging.driver or "json-file", config=dict(svc.logging.options))
        if svc.logging else None,
        nano_cpus=int(res.cpus * 1e9) if res.cpus else None, mem_limit=res.memory,
        mem_reservation=res.memory_reservation, memswap_limit=res.memswap_limit, pids_limit=res.pids,
        cpu_shares=res.cpu_shares, cpu_quota=res.cpu_quota, cpu_period=res.cpu_period,
        cpuset_cpus=res.cpuset, oom_kill_disable=res.oom_kill_disable, oom_score_adj=res.oom_score_adj,
        mem_swappiness=res.mem_swappiness, blkio_weight=res.blkio_weight,
        cgroupns=svc.cgroup, device_cgroup_rules=list(svc.device_cgroup_rules) or None,
        cpu_rt_period=res.cpu_rt_period, cpu_rt_runtime=res.cpu_rt_runtime,
        storage_opt=dict(svc.storage_opt) or None,
        device_requests=[dict(d) for d in res.device_requests] or None,
        **_blkio(res.blkio_devices),
    )
    for request in host_config.get("DeviceRequests") or ():
        if request.get("Driver") == "cdi":  # the SDK fills in [] and {}; Compose leaves them null
            request["Capabilities"], request["Options"] = None, None
    if svc.unconfined_paths:  # security_opt systempaths=unconfined, as Compose sends it
        host_config["MaskedPaths"], host_config["ReadonlyPaths"] = [], []
    networking_config = None
    mac_address = container_mac_address(spec, api.api_version)
    if spec.networks and spec.network_mode is None:
        first = spec.networks[0]
        networking_config = api.create_networking_config({first.name: endpoint_config(
            api, first, links=[tuple(link.split(":", 1)) for link in first.links] or None,
            mac_address=None if mac_address is not None else first.mac_address or svc.mac_address)})
    return {
        "image": spec.image, "name": spec.name,
        "command": list(svc.command) if svc.command is not None else None,
        "entrypoint": list(svc.entrypoint) if svc.entrypoint is not None else None,
        "environment": [f"{k}={v}" for k, v in svc.environment.items() if v is not None],
        "labels": dict(spec.labels), "hostname": svc.hostname, "domainname": svc.domainname, "user": svc.user,
        "working_dir": svc.working_dir, "tty": svc.tty, "stdin_open": svc.stdin_open,
        "stop_signal": svc.stop_signal, "stop_timeout": svc.stop_timeout_s,
        "mac_address": mac_address, "ports": list(dict.fromkeys(exposed)),
        "healthcheck": _healthcheck(svc), "host_config": host_config, "networking_config": networking_config,
        "platform": svc.platform, "use_config_proxy": False, "detach": True,
    }



_IFNAME = "com.docker.network.endpoint.ifname"


def endpoint_config(api: Any, attachment: NetworkAttachment, **extra: Any) -> Any:
    """A network endpoint as Compose sets it: aliases, addresses, link-local IPs, driver options
    (``interface_name`` among them), and the gateway priority newer engines honour."""
    driver_opts = dict(attachment.driver_opts)
    if attachment.interface_name:  # Engine API 1.49+: engine_support refuses it before on older ones
        driver_opts.setdefault(_IFNAME, attachment.interface_name)
    config = api.create_endpoint_config(
        aliases=list(attachment.aliases) or None, ipv4_address=attachment.ipv4_address,
        ipv6_address=attachment.ipv6_address, link_local_ips=list(attachment.link_local_ips) or None,
        driver_opt=driver_opts or None, **extra)
    if attachment.gw_priority:
        config["GwPriority"] = attachment.gw_priority
    return config


def container_mac_address(spec: ContainerSpec, api_version: str) -> str | None:
    """The container-wide MAC address, by Compose's rule: before Engine API 1.44 a MAC address is
    the container's (the primary network's, else the service's, and only one network may have
    one); from 1.44 it belongs to the endpoint and this is None."""
    from docker.utils import version_gte

    svc, primary = spec.service, spec.networks[0] if spec.networks else None
    if svc.mac_address and primary and primary.mac_address and primary.mac_address != svc.mac_address:
        raise ConfigError("the service-level mac_address should have the same value as network "
                          f"{primary.name}", path=f"services.{svc.name}.mac_address")
    if version_gte(api_version, "1.44"):
        return None
    with_mac = [n.name for n in spec.networks if n.mac_address]
    if len(with_mac) > 1:
        raise ConfigError(f"a MAC address is specified for multiple networks ({', '.join(with_mac)}), but "
                          "this feature requires Docker Engine v25 or later",
                          path=f"services.{svc.name}.networks")
    return (primary.mac_address if primary and primary.mac_address else None) or svc.mac_address


def _container_id(api: Any, entry: str) -> str:
    """``name[:ro]`` → ``<id>[:ro]``; a name the engine does not know is left for it to refuse."""
    import docker.errors
    import requests.exceptions

    name, sep, mode = entry.partition(":")
    try:
        return str(api.inspect_container(name)["Id"]) + sep + mode
    except (docker.errors.DockerException, requests.exceptions.RequestException):
        return entry  # the engine will say what is wrong when the container is created


def _blkio(devices: tuple[tuple[str, str, int], ...]) -> dict[str, Any]:
    """blkio_config device entries as create_host_config's keyword arguments."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, path, value in devices:
        key = "blkio_weight_device" if kind == "weight_device" else kind
        out.setdefault(key, []).append({"Path": path, "Weight" if kind == "weight_device" else "Rate": value})
    return out


def _capabilities(names: tuple[str, ...]) -> list[str] | None:
    """Capabilities as Compose sends them: ``CAP_NET_ADMIN`` (``ALL`` as is)."""
    out = [n.upper() if n.upper() in ("ALL",) or n.upper().startswith("CAP_") else f"CAP_{n.upper()}"
           for n in names]
    return out or None


def _restart_policy(value: str | None) -> dict[str, Any] | None:
    if not value or value == "no":
        return None
    name, _, count = value.partition(":")
    return {"Name": name, "MaximumRetryCount": int(count or 0)}


def _healthcheck(svc: Service) -> dict[str, Any] | None:
    hc = svc.healthcheck
    if hc is None:
        return None
    out: dict[str, Any] = {}
    if hc.test:
        out["test"] = list(hc.test)
    for key, value in (("interval", hc.interval_ns), ("timeout", hc.timeout_ns),
                       ("start_period", hc.start_period_ns), ("retries", hc.retries)):
        if value is not None:
            out[key] = value
    return out


def _mounts(mounts: tuple[Mount, ...]) -> tuple[list[str], list[Any], dict[str, str]]:
    """Plain binds and volumes go through ``Binds`` (the engine creates missing host dirs, as Compose
    relies on); everything with options the short syntax can't carry through ``Mounts``; a ``tmpfs:``
    entry through ``Tmpfs`` with its options as written (noexec, uid...), as Compose does."""
    from docker.types import Mount as DockerMount

    binds: list[str] = []
    out: list[Any] = []
    tmpfs: dict[str, str] = {}
    for m in mounts:
        mode = "ro" if m.read_only else "rw"
        if m.type == "tmpfs" and m.tmpfs_options is not None:
            tmpfs[m.target] = m.tmpfs_options
            continue
        if m.type == "bind" and m.source and m.bind_create_host_path and not m.bind_propagation \
                and not m.bind_recursive:
            binds.append(f"{m.source}:{m.target}:{mode}" + (f",{m.bind_selinux}" if m.bind_selinux else ""))
        elif m.type == "volume" and m.source and not m.volume_nocopy and not m.volume_subpath:
            binds.append(f"{m.source}:{m.target}:{mode}")
        elif m.type in ("bind", "volume", "tmpfs"):
            options: dict[str, Any] = {
                "target": m.target, "source": m.source or "", "type": m.type, "read_only": m.read_only,
                "consistency": m.consistency, "propagation": m.bind_propagation, "no_copy": m.volume_nocopy,
                "tmpfs_size": m.tmpfs_size, "tmpfs_mode": m.tmpfs_mode}
            mount = DockerMount(**options)
            if m.bind_recursive in _RECURSIVE:  # sent as Compose sends it; engines before API 1.44
                mount.setdefault("BindOptions", {})[_RECURSIVE[m.bind_recursive]] = True  # ignore two
            if m.volume_subpath:  # Engine API 1.45+ (engine_support checks it before anything is made)
                mount.setdefault("VolumeOptions", {})["Subpath"] = m.volume_subpath
            out.append(mount)
        else:
            raise EngineError(f"mount type {m.type!r} at {m.target} is not supported by compose-lite")
    return binds, out, tmpfs


# bind.recursive → the BindOptions flag Compose sets for it ("enabled" is the engine's default)
_RECURSIVE = {"disabled": "NonRecursive", "writable": "ReadOnlyNonRecursive",
              "readonly": "ReadOnlyForceRecursive"}


def split_ref(ref: str) -> tuple[str, str | None]:
    if "@" in ref:
        return ref, None
    name, _, tag = ref.rpartition(":")
    if name and "/" not in tag:
        return name, tag
    return ref, "latest"


def inline_context(build: Build) -> io.BytesIO:
    data = (build.dockerfile_inline or "").encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    return buf


def tar_files(files: tuple[Any, ...]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for f in files:
            info = tarfile.TarInfo(f.target.lstrip("/"))
            info.size, info.mode, info.uid, info.gid = len(f.content), f.mode, f.uid, f.gid
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(f.content))
    return buf.getvalue()


def legacy_build(api: Any, tag: str, build: Build, labels: Mapping[str, str],
                 output: Callable[[str], None] | None) -> str:
    """Build with the engine's own (legacy) builder, streaming its lines; the image id."""
    kwargs: dict[str, Any] = {
        "path": build.context, "tag": tag, "rm": True, "decode": True, "buildargs": dict(build.args),
        "target": build.target, "labels": {**build.labels, **labels}, "network_mode": build.network,
        "shmsize": build.shm_size, "nocache": build.no_cache, "pull": build.pull,
        "extra_hosts": dict(h.split(":", 1) for h in build.extra_hosts) or None,
        "container_limits": {"memory": build.memory} if build.memory else None,
        "isolation": build.isolation, "platform": build.platform,
    }
    if build.dockerfile_inline is not None:
        kwargs["fileobj"], kwargs["custom_context"] = inline_context(build), True
        del kwargs["path"]
    elif build.dockerfile:
        kwargs["dockerfile"] = build.dockerfile
    image = ""
    recent: list[str] = []  # the last lines, shown with an error
    for event in api.build(**kwargs):
        if "error" in event:
            tail = "".join(recent[-5:]).strip()
            detail = f"\n{tail}" if tail and output is None else ""
            raise EngineError(f"build {tag}: {str(event['error']).strip()}{detail}")
        line = str(event.get("stream") or "")
        if line:
            recent.append(line)
            if output is not None:
                output(line)
        image = str((event.get("aux") or {}).get("ID") or image)
    image = image or str(api.inspect_image(tag)["Id"])
    for extra in build.tags:
        repo, extra_tag = split_ref(extra)
        api.tag(image, repo, extra_tag)
    return image
