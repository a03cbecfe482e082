"""What compose-lite does with every service key of the Compose Specification: the contract.

Each key of the schema's service definition is here, with how it takes effect, or why it cannot
on one engine. ``tests/unit/test_coverage.py`` fails when the schema has a key this table does not
name (so no key is dropped silently again) and when a key marked applied reaches no container
setting. The loader warns about every key marked unsupported, from every command that creates
containers (`up`, `create`, `run`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

APPLIED = "applied"
USED = "used"  # consumed by compose-lite itself (ordering, selection, hot reload, ...)


def unsupported(reason: str) -> str:
    return f"unsupported: {reason}"


SERVICE_KEYS: dict[str, str] = {
    "annotations": unsupported("container annotations need Engine API 1.43"),
    "attach": USED,
    "blkio_config": APPLIED,
    "build": USED,
    "cap_add": APPLIED,
    "cap_drop": APPLIED,
    "cgroup": APPLIED,
    "cgroup_parent": APPLIED,
    "command": APPLIED,
    "configs": APPLIED,
    "container_name": APPLIED,
    "cpu_count": unsupported("Windows containers only"),
    "cpu_percent": unsupported("Windows containers only"),
    "cpu_period": APPLIED,
    "cpu_quota": APPLIED,
    "cpu_rt_period": APPLIED,
    "cpu_rt_runtime": APPLIED,
    "cpu_shares": APPLIED,
    "cpus": APPLIED,
    "cpuset": APPLIED,
    "credential_spec": unsupported("Windows containers only"),
    "depends_on": USED,
    "deploy": APPLIED,
    "develop": USED,
    "device_cgroup_rules": APPLIED,
    "devices": APPLIED,
    "dns": APPLIED,
    "dns_opt": APPLIED,
    "dns_search": APPLIED,
    "domainname": APPLIED,
    "entrypoint": APPLIED,
    "env_file": APPLIED,
    "environment": APPLIED,
    "expose": APPLIED,
    "extends": USED,
    "external_links": APPLIED,
    "extra_hosts": APPLIED,
    "gpus": APPLIED,
    "group_add": APPLIED,
    "healthcheck": APPLIED,
    "hostname": APPLIED,
    "image": APPLIED,
    "init": APPLIED,
    "ipc": APPLIED,
    "isolation": unsupported("Windows containers only"),
    "label_file": APPLIED,
    "labels": APPLIED,
    "links": APPLIED,
    "logging": APPLIED,
    "mac_address": APPLIED,
    "mem_limit": APPLIED,
    "mem_reservation": APPLIED,
    "mem_swappiness": APPLIED,
    "memswap_limit": APPLIED,
    "models": unsupported("AI models need Docker Model Runner"),
    "network_mode": APPLIED,
    "networks": APPLIED,
    "oom_kill_disable": APPLIED,
    "oom_score_adj": APPLIED,
    "pid": APPLIED,
    "pids_limit": APPLIED,
    "platform": APPLIED,
    "ports": APPLIED,
    "post_start": USED,  # run in the container once started (executor)
    "pre_stop": USED,  # run in the container before it is stopped (executor)
    "privileged": APPLIED,
    "profiles": USED,
    "provider": unsupported("provider services need Compose's provider plugins"),
    "pull_policy": USED,
    "pull_refresh_after": unsupported("no registry is polled for newer images"),
    "read_only": APPLIED,
    "restart": APPLIED,
    "runtime": APPLIED,
    "scale": USED,
    "secrets": APPLIED,
    "security_opt": APPLIED,
    "shm_size": APPLIED,
    "stdin_open": APPLIED,
    "stop_grace_period": APPLIED,
    "stop_signal": APPLIED,
    "storage_opt": APPLIED,
    "sysctls": APPLIED,
    "tmpfs": APPLIED,
    "tty": APPLIED,
    "ulimits": APPLIED,
    "use_api_socket": APPLIED,
    "user": APPLIED,
    "userns_mode": APPLIED,
    "uts": APPLIED,
    "volumes": APPLIED,
    "volumes_from": APPLIED,
    "working_dir": APPLIED,
}

# deploy.* on one engine: resources, restart policy, replicas and rollouts apply; the rest is Swarm's.
DEPLOY_KEYS: dict[str, str] = {
    "replicas": USED,
    "resources": APPLIED,
    "restart_policy": APPLIED,
    "labels": USED,  # the Swarm service's labels: nothing to apply to containers
    "mode": USED,  # replicated (the default); `global` is warned about by the binder
    "placement": unsupported("placement is Swarm's"),
    "endpoint_mode": unsupported("endpoint modes are Swarm's"),
    "update_config": USED,  # how `up` replaces a changed service's containers (rollout.py)
    "rollback_config": USED,  # how a failed rollout puts the previous containers back
}


# build.*: every key reaches the build (engine/buildkit.argv, or the SDK's legacy builder). A
# builder that cannot apply one refuses the build, naming the key, rather than dropping it.
BUILDKIT = "applied with BuildKit; the legacy builder refuses it"
BUILDX = "applied with docker buildx; other builders refuse it"
BUILD_KEYS: dict[str, str] = {
    **dict.fromkeys(("context", "dockerfile", "dockerfile_inline", "args", "target", "labels", "network",
                     "shm_size", "extra_hosts", "no_cache", "pull", "tags", "cache_from", "isolation"),
                    APPLIED),
    **dict.fromkeys(("secrets", "ssh", "platforms"), BUILDKIT),
    # ulimits: a classic BuildKit CLI (docker 20.10) takes --ulimit and ignores it
    **dict.fromkeys(("cache_to", "additional_contexts", "entitlements", "privileged", "provenance", "sbom",
                     "ulimits"), BUILDX),
}


# services.*.networks.<network>.*: everything Compose sends for an endpoint. gw_priority and
# interface_name (as the endpoint's ifname driver option) are sent as Compose sends them; an engine
# older than API 1.48 does not act on them.
SERVICE_NETWORK_KEYS: dict[str, str] = dict.fromkeys(
    ("aliases", "ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "driver_opts", "priority",
     "gw_priority", "interface_name"), APPLIED)

# Top-level resources. A key's entry is APPLIED, or why not (warned about, as `networks.x.key`).
NETWORK_KEYS: dict[str, str] = {
    **dict.fromkeys(("attachable", "driver", "driver_opts", "enable_ipv6", "external", "internal", "ipam",
                     "labels", "name"), APPLIED),
    # warned about only when false: true is what every engine does
    "enable_ipv4": unsupported("turning IPv4 off needs Engine API 1.48 (Docker 28)"),
}
VOLUME_KEYS: dict[str, str] = dict.fromkeys(("driver", "driver_opts", "external", "labels", "name"), APPLIED)
_SWARM_OBJECT = unsupported("Swarm's: here a secret or config is a file in the container")
SECRET_KEYS: dict[str, str] = {
    **dict.fromkeys(("environment", "external", "file", "name"), APPLIED),
    **dict.fromkeys(("driver", "driver_opts", "labels", "template_driver"), _SWARM_OBJECT),
}
CONFIG_KEYS: dict[str, str] = {
    **dict.fromkeys(("content", "environment", "external", "file", "name"), APPLIED),
    **dict.fromkeys(("labels", "template_driver"), _SWARM_OBJECT),
}
RESOURCE_KEYS = {"networks": NETWORK_KEYS, "volumes": VOLUME_KEYS, "secrets": SECRET_KEYS,
                 "configs": CONFIG_KEYS}


def resource_key_warnings(model: Mapping[str, Any]) -> list[str]:
    """One line per top-level resource key that takes no effect here, with why."""
    lines = []
    for kind, table in RESOURCE_KEYS.items():
        for name, raw in (model.get(kind) or {}).items():
            for key, value in (raw or {}).items():
                why = reason(key, table)
                if why is not None and not (key == "enable_ipv4" and value is not False):
                    lines.append(f"{kind}.{name}: {key!r} is ignored ({why})")
    return lines


def reason(key: str, table: dict[str, str] = SERVICE_KEYS) -> str | None:
    """Why ``key`` has no effect here, or None when it has one."""
    entry = table.get(key)
    return entry.removeprefix("unsupported: ") if entry and entry.startswith("unsupported: ") else None


def why_unsupported(key: str) -> str:
    """Why a service key (``deploy.x`` for deploy keys) takes no effect here."""
    deploy_key = key.removeprefix("deploy.")
    table = DEPLOY_KEYS if deploy_key != key else SERVICE_KEYS
    return reason(deploy_key, table) or "not supported by compose-lite"
