"""The loaded project as Swarm specs: one Engine API ServiceSpec per service, the stack's networks.

Mostly read from the typed model, as `cl up` reads it; the Swarm-only keys of ``deploy:`` (mode,
placement, reservations, restart policy, endpoint mode, labels) and the ports' publish mode come
from the canonical model, which keeps them as Compose's ``config`` prints them. Names and labels
are `docker stack deploy`'s, so `docker stack ps/services/rm` work on what `cl` deployed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compose_lite.app import image_ref
from compose_lite.loader import parse_duration
from compose_lite.model import Mount, Network, Project, Service, UpdatePolicy
from compose_lite.swarm import labels as SL
from compose_lite.swarm.files import CONFIG, SECRET, StackFile

_RESTART_CONDITIONS = {"no": "none", "always": "any", "unless-stopped": "any", "on-failure": "on-failure"}
_MODES: dict[str, dict[str, Any]] = {"global": {"Global": {}}, "global-job": {"GlobalJob": {}}}


@dataclass(frozen=True)
class ServiceSpec:
    key: str  # the service's name in the file
    name: str  # <stack>_<key>
    spec: dict[str, Any]  # Engine API ServiceSpec: Name, Labels, TaskTemplate, Mode, …
    digests: Mapping[str, str] = field(default_factory=dict)  # section → digest, what changed is said by


@dataclass(frozen=True)
class NetworkSpec:
    key: str
    name: str
    external: bool
    options: dict[str, Any]  # the docker SDK's create_network keyword arguments


def service_specs(project: Project, canonical: Mapping[str, Any], stack: str,
                  files: Mapping[tuple[str, str], StackFile]) -> list[ServiceSpec]:
    return [_service_spec(svc, canonical["services"][key], project, stack, files)
            for key, svc in sorted(project.services.items())]


def network_specs(project: Project, stack: str) -> list[NetworkSpec]:
    """The networks some service is attached to, overlay unless the file names another driver."""
    used = {n.key for s in project.services.values() for n in s.networks}
    return [NetworkSpec(key, net.name, net.external, {} if net.external else _network_options(net, stack))
            for key, net in sorted(project.networks.items()) if key in used]


def _network_options(net: Network, stack: str) -> dict[str, Any]:
    options: dict[str, Any] = {"driver": net.driver or "overlay", "options": dict(net.driver_opts),
                               "labels": {**net.labels, SL.NAMESPACE: stack}, "internal": net.internal,
                               "attachable": net.attachable, "enable_ipv6": net.enable_ipv6, "scope": "swarm"}
    if net.ipam_config or net.ipam_driver:
        options["ipam"] = {"Driver": net.ipam_driver or "default", "Options": dict(net.ipam_options),
                           "Config": [{"Subnet": p.subnet, "IPRange": p.ip_range, "Gateway": p.gateway,
                                       "AuxiliaryAddresses": dict(p.aux_addresses)} for p in net.ipam_config]}
    return options


def _service_spec(svc: Service, raw: Mapping[str, Any], project: Project, stack: str,
                  files: Mapping[tuple[str, str], StackFile]) -> ServiceSpec:
    deploy = raw.get("deploy") or {}
    container = _container_spec(svc, project, stack, files)
    task: dict[str, Any] = {"ContainerSpec": container, "Resources": _resources(svc, deploy),
                            "RestartPolicy": _restart_policy(svc, deploy), "Placement": _placement(deploy),
                            "Networks": [{"Target": project.networks[n.key].name,
                                          "Aliases": list(dict.fromkeys((svc.name, *n.aliases)))}
                                         for n in svc.networks if n.key in project.networks]}
    if svc.logging is not None and svc.logging.driver:
        task["LogDriver"] = {"Name": svc.logging.driver, "Options": dict(svc.logging.options)}
    mode = _MODES.get(deploy.get("mode", "replicated"), {"Replicated": {"Replicas": svc.replicas}})
    if deploy.get("mode") == "replicated-job":
        mode = {"ReplicatedJob": {"MaxConcurrent": svc.replicas, "TotalCompletions": svc.replicas}}
    spec: dict[str, Any] = {"Name": SL.scoped(stack, svc.name), "TaskTemplate": task, "Mode": mode,
                            "EndpointSpec": {"Mode": deploy.get("endpoint_mode") or "vip",
                                             "Ports": _ports(raw.get("ports") or ())}}
    if "Replicated" in mode or "Global" in mode:  # jobs have no updates to pace
        spec["UpdateConfig"] = _update_config(svc.update_config)
        spec["RollbackConfig"] = _update_config(svc.rollback_config)
    digests = _digests(spec)
    spec["Labels"] = {**(deploy.get("labels") or {}), SL.NAMESPACE: stack, SL.IMAGE: image_ref(project, svc),
                      SL.DIGESTS: json.dumps(digests, sort_keys=True)}
    return ServiceSpec(svc.name, spec["Name"], spec, digests)


def _digests(spec: Mapping[str, Any]) -> dict[str, str]:
    """A digest per part of the spec a user thinks in, so a re-deploy can say what changed."""
    task, container = spec["TaskTemplate"], spec["TaskTemplate"]["ContainerSpec"]
    sections = {
        "image": container.get("Image"), "command": [container.get("Command"), container.get("Args")],
        "environment": container.get("Env"), "mounts": container.get("Mounts"),
        "secrets": container.get("Secrets"), "configs": container.get("Configs"),
        "healthcheck": container.get("Healthcheck"), "labels": container.get("Labels"),
        "container options": {k: v for k, v in container.items() if k not in {
            "Image", "Command", "Args", "Env", "Mounts", "Secrets", "Configs", "Healthcheck", "Labels"}},
        "resources": task.get("Resources"), "restart_policy": task.get("RestartPolicy"),
        "placement": task.get("Placement"), "networks": task.get("Networks"),
        "logging": task.get("LogDriver"), "mode": spec.get("Mode"), "ports": spec.get("EndpointSpec"),
        "update_config": spec.get("UpdateConfig"), "rollback_config": spec.get("RollbackConfig"),
    }
    return {name: hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:12]
            for name, value in sections.items()}


def _container_spec(svc: Service, project: Project, stack: str,
                    files: Mapping[tuple[str, str], StackFile]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "Image": image_ref(project, svc), "Labels": {**svc.labels, SL.NAMESPACE: stack},
        "Env": [f"{k}={v}" for k, v in sorted(svc.environment.items()) if v is not None],
        "Mounts": [m for m in (_mount(m, project, stack) for m in svc.mounts) if m is not None],
        "Secrets": [_file_ref(SECRET, ref.source, _secret_target(ref.target), ref, files)
                    for ref in svc.secrets],
        "Configs": [_file_ref(CONFIG, ref.source, ref.target, ref, files) for ref in svc.configs],
    }
    optional = {
        "Command": None if svc.entrypoint is None else list(svc.entrypoint),
        "Args": None if svc.command is None else list(svc.command),
        "Hostname": svc.hostname, "Dir": svc.working_dir, "User": svc.user,
        "Groups": list(svc.group_add) or None, "StopGracePeriod": svc.stop_grace_period_ns,
        "StopSignal": svc.stop_signal, "TTY": svc.tty or None, "OpenStdin": svc.stdin_open or None,
        "ReadOnly": svc.read_only or None, "Init": svc.init,
        "CapabilityAdd": list(svc.cap_add) or None, "CapabilityDrop": list(svc.cap_drop) or None,
        "Sysctls": dict(svc.sysctls) or None,
        "Ulimits": [{"Name": u.name, "Soft": u.soft, "Hard": u.hard} for u in svc.ulimits] or None,
        "Hosts": [" ".join(reversed(h.split(":", 1))) for h in svc.extra_hosts] or None,
        "DNSConfig": {"Nameservers": list(svc.dns), "Search": list(svc.dns_search),
                      "Options": list(svc.dns_opt)} if svc.dns or svc.dns_search or svc.dns_opt else None,
        "Healthcheck": _healthcheck(svc),
    }
    spec.update({k: v for k, v in optional.items() if v is not None})
    return spec


def _secret_target(target: str) -> str:
    """Swarm mounts a secret under /run/secrets/ by its relative name, as `docker stack` passes it."""
    return target.removeprefix("/run/secrets/")


def _file_ref(kind: str, key: str, target: str, ref: Any, files: Mapping[tuple[str, str], StackFile]) -> dict:
    obj = files[(kind, key)]
    return {f"{kind.capitalize()}Name": obj.name,
            "File": {"Name": target, "UID": ref.uid or "0", "GID": ref.gid or "0",
                     "Mode": 0o444 if ref.mode is None else ref.mode}}


def _healthcheck(svc: Service) -> dict[str, Any] | None:
    check = svc.healthcheck
    if check is None:
        return None
    given = {"Test": list(check.test), "Interval": check.interval_ns, "Timeout": check.timeout_ns,
             "Retries": check.retries, "StartPeriod": check.start_period_ns}
    return {k: v for k, v in given.items() if v is not None}


def _mount(m: Mount, project: Project, stack: str) -> dict[str, Any] | None:
    spec: dict[str, Any] = {"Type": m.type, "Target": m.target, "ReadOnly": m.read_only}
    if m.type == "volume":
        volume = project.volumes.get(m.source or "")
        spec["Source"] = volume.name if volume else m.source
        options: dict[str, Any] = {"NoCopy": m.volume_nocopy}
        if volume is not None and not volume.external:
            options["Labels"] = {**volume.labels, SL.NAMESPACE: stack}
            if volume.driver or volume.driver_opts:
                options["DriverConfig"] = {"Name": volume.driver or "local",
                                           "Options": dict(volume.driver_opts)}
        spec["VolumeOptions"] = options
    elif m.type == "bind":
        spec["Source"] = m.source
        if m.bind_propagation:
            spec["BindOptions"] = {"Propagation": m.bind_propagation}
    elif m.type == "tmpfs":
        spec["TmpfsOptions"] = {k: v for k, v in (("SizeBytes", m.tmpfs_size), ("Mode", m.tmpfs_mode))
                                if v is not None}
    else:
        return None  # listed by ``ignored``
    return spec


def _resources(svc: Service, deploy: Mapping[str, Any]) -> dict[str, Any]:
    limits = {"NanoCPUs": None if svc.resources.cpus is None else round(svc.resources.cpus * 1e9),
              "MemoryBytes": svc.resources.memory, "Pids": svc.resources.pids}
    wanted = (deploy.get("resources") or {}).get("reservations") or {}
    reservations = {"NanoCPUs": None if wanted.get("cpus") is None else round(float(wanted["cpus"]) * 1e9),
                    "MemoryBytes": svc.resources.memory_reservation}  # or mem_reservation
    return {name: {k: v for k, v in part.items() if v is not None}
            for name, part in (("Limits", limits), ("Reservations", reservations))}


def _restart_policy(svc: Service, deploy: Mapping[str, Any]) -> dict[str, Any] | None:
    policy = deploy.get("restart_policy")
    if policy is None:  # `restart:` as `docker stack deploy` reads it
        if svc.restart is None:
            return None
        name, _, attempts = svc.restart.partition(":")
        converted: dict[str, Any] = {"Condition": _RESTART_CONDITIONS.get(name, "any")}
        if attempts:
            converted["MaxAttempts"] = int(attempts)
        return converted
    given = {"Condition": policy.get("condition") or "any", "MaxAttempts": policy.get("max_attempts"),
             "Delay": _ns(policy.get("delay")), "Window": _ns(policy.get("window"))}
    return {k: v for k, v in given.items() if v is not None}


def _ns(duration: str | None) -> int | None:
    return None if duration is None else parse_duration(str(duration))


def _placement(deploy: Mapping[str, Any]) -> dict[str, Any]:
    placement = deploy.get("placement") or {}
    spec: dict[str, Any] = {"Constraints": list(placement.get("constraints") or ()),
                            "Preferences": [{"Spread": {"SpreadDescriptor": p["spread"]}}
                                            for p in placement.get("preferences") or () if p.get("spread")]}
    if placement.get("max_replicas_per_node"):
        spec["MaxReplicas"] = int(placement["max_replicas_per_node"])
    return spec


def _ports(ports: Any) -> list[dict[str, Any]]:
    out = []
    for port in ports:
        published = str(port.get("published") or "")
        entry = {"Protocol": port.get("protocol") or "tcp", "TargetPort": int(port["target"]),
                 "PublishMode": port.get("mode") or "ingress"}
        if published.isdigit():
            entry["PublishedPort"] = int(published)
        out.append(entry)
    return out


def _update_config(policy: UpdatePolicy) -> dict[str, Any]:
    return {"Parallelism": policy.parallelism, "Delay": policy.delay_ns,
            "FailureAction": policy.failure_action, "Monitor": policy.monitor_ns,
            "MaxFailureRatio": policy.max_failure_ratio, "Order": policy.order}
