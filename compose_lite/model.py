"""The typed Compose model: frozen dataclasses built once by ``loader.bind`` and read everywhere else.

Durations are integers in nanoseconds, sizes integers in bytes, paths absolute.  Mappings are
plain dicts treated as read-only by convention (the dataclasses are frozen so fields cannot be
rebound); sequences are tuples.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Condition(StrEnum):
    """``depends_on.<svc>.condition``."""

    STARTED = "service_started"
    HEALTHY = "service_healthy"
    COMPLETED = "service_completed_successfully"


@dataclass(frozen=True)
class DependsOn:
    """One ``depends_on`` entry: what must hold for ``service`` before the dependent starts."""

    service: str
    condition: Condition = Condition.STARTED
    restart: bool = False
    required: bool = True


@dataclass(frozen=True)
class Port:
    """One ``ports:`` entry in long syntax."""

    target: int
    published: str | None = None  # "8080" or a range "8000-8010"; None = random host port
    host_ip: str | None = None
    protocol: str = "tcp"


@dataclass(frozen=True)
class Mount:
    """One entry of ``volumes:`` or ``tmpfs:``; ``source`` is a volume key, a host path or None."""

    type: str  # volume | bind | tmpfs | npipe | image | cluster
    target: str
    source: str | None = None
    read_only: bool = False
    consistency: str | None = None
    bind_propagation: str | None = None
    bind_create_host_path: bool = True
    bind_recursive: str | None = None  # enabled | disabled | writable | readonly
    bind_selinux: str | None = None
    volume_nocopy: bool = False
    volume_subpath: str | None = None
    tmpfs_size: int | None = None
    tmpfs_mode: int | None = None
    tmpfs_options: str | None = None  # a `tmpfs:` entry's options as written ("size=1m,noexec")


@dataclass(frozen=True)
class ServiceNetwork:
    """A service's attachment to a network (by the project's network key)."""

    key: str
    aliases: tuple[str, ...] = ()
    ipv4_address: str | None = None
    ipv6_address: str | None = None
    priority: int = 0
    mac_address: str | None = None
    link_local_ips: tuple[str, ...] = ()
    driver_opts: Mapping[str, str] = field(default_factory=dict)
    gw_priority: int = 0
    interface_name: str | None = None


@dataclass(frozen=True)
class Healthcheck:
    """The service's ``healthcheck:``, durations in nanoseconds as the engine takes them."""

    test: tuple[str, ...]  # ("CMD", ...), ("CMD-SHELL", "..."), ("NONE",)
    interval_ns: int | None = None
    timeout_ns: int | None = None
    retries: int | None = None
    start_period_ns: int | None = None
    start_interval_ns: int | None = None

    @property
    def disabled(self) -> bool:
        return self.test[:1] == ("NONE",)


@dataclass(frozen=True)
class UpdatePolicy:
    """``deploy.update_config`` / ``rollback_config``, with Swarm's defaults and meanings."""

    order: str = "stop-first"  # start-first: the replacement serves before the old one stops
    parallelism: int = 1  # replicas replaced at once; 0 = all
    delay_ns: int = 0  # between batches
    monitor_ns: int = 5 * 10**9  # how long a replacement without a healthcheck must keep running
    failure_action: str = "pause"  # pause | continue | rollback
    max_failure_ratio: float = 0.0  # failed replacements tolerated, as a share of those rolled out

    @property
    def start_first(self) -> bool:
        return self.order == "start-first"


# git@…, github.com/…, a URL (scheme://…), or a ``scheme:`` without slashes (as the docker CLI reads them)
_REMOTE_CONTEXT = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|github\.com/|[a-z-]+:(?!/))", re.IGNORECASE)


def is_remote_context(path: str) -> bool:
    """A build context the engine fetches (a git or http URL), no directory here."""
    return bool(_REMOTE_CONTEXT.match(path))


@dataclass(frozen=True)
class Build:
    """How the service's image is built (``build:``)."""

    @property
    def remote(self) -> bool:
        """A context the engine fetches (a git or http URL) rather than a directory here."""
        return is_remote_context(self.context)

    context: str
    dockerfile: str | None = None
    dockerfile_inline: str | None = None
    args: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    network: str | None = None
    shm_size: int | None = None
    extra_hosts: tuple[str, ...] = ()
    no_cache: bool = False
    pull: bool = False
    tags: tuple[str, ...] = ()  # more names for the built image
    # BuildKit's: (id, "file" | "env", host path or variable name) secrets, ssh agents or keys
    # ("default", "id=path"), cache sources and destinations, target platforms
    secrets: tuple[tuple[str, str, str], ...] = ()
    ssh: tuple[str, ...] = ()
    cache_from: tuple[str, ...] = ()
    cache_to: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    memory: int | None = None  # `build -m`: the build containers' memory limit
    platform: str | None = None  # the service's `platform:`, when the build names no `platforms`
    ulimits: tuple[str, ...] = ()  # "nofile=1024:2048", as `docker build --ulimit` takes them
    isolation: str | None = None
    # buildx's alone: named extra contexts, entitlements (`privileged` is security.insecure), attestations
    additional_contexts: Mapping[str, str] = field(default_factory=dict)
    entitlements: tuple[str, ...] = ()
    provenance: str | None = None
    sbom: str | None = None
    buildx_flags: tuple[str, ...] = ()  # `build --builder/--check/--provenance/--sbom`: buildx's alone


@dataclass(frozen=True)
class Ulimit:
    """One ``ulimits:`` entry."""

    name: str
    soft: int
    hard: int


@dataclass(frozen=True)
class Device:
    """A host device mapped into the container (``devices:``)."""

    source: str
    target: str
    permissions: str = "rwm"


@dataclass(frozen=True)
class Logging:
    """The container's log driver and its options (``logging:``)."""

    driver: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Resources:
    """``deploy.resources`` merged with the legacy service keys (mem_limit, cpus, …)."""

    cpus: float | None = None
    memory: int | None = None
    memory_reservation: int | None = None
    memswap_limit: int | None = None
    pids: int | None = None
    cpu_shares: int | None = None
    cpu_quota: int | None = None
    cpu_period: int | None = None
    cpuset: str | None = None
    oom_kill_disable: bool = False
    oom_score_adj: int | None = None
    mem_swappiness: int | None = None
    blkio_weight: int | None = None
    # blkio_config device entries: (kind, device path, value); kind is weight_device,
    # device_read_bps, device_write_bps, device_read_iops or device_write_iops
    blkio_devices: tuple[tuple[str, str, int], ...] = ()
    cpu_rt_period: int | None = None
    cpu_rt_runtime: int | None = None
    # GPU and other device requests (gpus, deploy.resources.reservations.devices), as the engine
    # takes them: Driver, Count (-1: all), DeviceIDs, Capabilities, Options
    device_requests: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class FileRef:
    """A service's use of a secret or config: mounted read-only at ``target``."""

    source: str
    target: str
    uid: str | None = None
    gid: str | None = None
    mode: int | None = None


@dataclass(frozen=True)
class Hook:
    """A command run in a service's running container (compose-go's ServiceHook): a lifecycle hook
    (``post_start`` once it started, ``pre_stop`` before it is stopped) or a ``sync+exec`` watch
    rule's, after syncing."""

    command: tuple[str, ...]
    user: str | None = None
    privileged: bool = False
    working_dir: str | None = None
    environment: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WatchRule:
    """One ``develop.watch`` rule: which host path triggers which action."""

    path: str
    action: str  # sync | rebuild | restart | sync+restart | sync+exec
    target: str | None = None
    ignore: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    initial_sync: bool = False
    exec: Hook | None = None


@dataclass(frozen=True)
class Service:
    """One service, with every container option the engine adapter understands."""

    name: str
    image: str | None = None
    build: Build | None = None
    pull_policy: str | None = None
    command: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None
    environment: Mapping[str, str | None] = field(default_factory=dict)
    ports: tuple[Port, ...] = ()
    expose: tuple[str, ...] = ()
    mounts: tuple[Mount, ...] = ()
    volumes_from: tuple[str, ...] = ()
    networks: tuple[ServiceNetwork, ...] = ()
    network_mode: str | None = None
    depends_on: tuple[DependsOn, ...] = ()
    healthcheck: Healthcheck | None = None
    restart: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    container_name: str | None = None
    user: str | None = None
    working_dir: str | None = None
    hostname: str | None = None
    domainname: str | None = None
    mac_address: str | None = None
    init: bool | None = None
    stop_signal: str | None = None
    stop_grace_period_ns: int | None = None
    cap_add: tuple[str, ...] = ()
    cap_drop: tuple[str, ...] = ()
    privileged: bool = False
    read_only: bool = False
    security_opt: tuple[str, ...] = ()
    unconfined_paths: bool = False  # security_opt systempaths=unconfined: no masked or read-only paths
    extra_hosts: tuple[str, ...] = ()
    dns: tuple[str, ...] = ()
    dns_search: tuple[str, ...] = ()
    dns_opt: tuple[str, ...] = ()
    tty: bool = False
    stdin_open: bool = False
    shm_size: int | None = None
    sysctls: Mapping[str, str] = field(default_factory=dict)
    ulimits: tuple[Ulimit, ...] = ()
    devices: tuple[Device, ...] = ()
    group_add: tuple[str, ...] = ()
    resources: Resources = field(default_factory=Resources)
    logging: Logging | None = None
    pid: str | None = None
    ipc: str | None = None
    uts: str | None = None
    userns_mode: str | None = None
    cgroup_parent: str | None = None
    cgroup: str | None = None  # the cgroup namespace: host | private
    device_cgroup_rules: tuple[str, ...] = ()
    storage_opt: Mapping[str, str] = field(default_factory=dict)
    links: tuple[str, ...] = ()  # "service[:alias]", legacy links on the primary network
    external_links: tuple[str, ...] = ()  # "container[:alias]", outside the project, the same way
    runtime: str | None = None
    platform: str | None = None
    secrets: tuple[FileRef, ...] = ()
    configs: tuple[FileRef, ...] = ()
    scale: int | None = None  # deploy.replicas or scale; None = 1
    update_config: UpdatePolicy = field(default_factory=UpdatePolicy)
    rollback_config: UpdatePolicy = field(default_factory=UpdatePolicy)
    profiles: tuple[str, ...] = ()
    post_start: tuple[Hook, ...] = ()
    pre_stop: tuple[Hook, ...] = ()
    use_api_socket: bool = False  # the engine's socket and the user's credentials inside (api_socket.py)
    watch: tuple[WatchRule, ...] = ()
    watch_bind_mounts: bool = True  # `x-cl-watch: false` opts the service out of bind-mount restarts
    unsupported: tuple[str, ...] = ()  # model keys present but not applied by compose-lite
    # Docker Compose's config hash of the service's model (compose_hash): "" when built without one
    compose_hash: str = ""

    @property
    def replicas(self) -> int:
        return 1 if self.scale is None else self.scale

    @property
    def stop_timeout_s(self) -> int | None:
        """``stop_grace_period`` in whole seconds, cut as Compose cuts it (``int(d.Seconds())``)."""
        return None if self.stop_grace_period_ns is None else max(0, self.stop_grace_period_ns // 10**9)

    def service_refs(self) -> tuple[str, ...]:
        """Services this one needs at creation time besides depends_on (network_mode/ipc/pid
        ``service:x``, volumes_from)."""
        refs: list[str] = []
        for value in (self.network_mode, self.ipc, self.pid):
            if value and value.startswith("service:"):
                refs.append(value.split(":", 1)[1])
        for source in self.volumes_from:
            if not source.startswith("container:"):
                refs.append(source.split(":", 1)[0])
        return tuple(dict.fromkeys(refs))


@dataclass(frozen=True)
class IpamPool:
    """One ``ipam.config`` entry."""

    subnet: str | None = None
    ip_range: str | None = None
    gateway: str | None = None
    aux_addresses: Mapping[str, str] = field(default_factory=dict)  # hostname → address kept out of the pool


@dataclass(frozen=True)
class Network:
    """A top-level network; ``name`` is its engine name, ``key`` its name in the file."""

    key: str
    name: str
    external: bool = False
    driver: str | None = None
    driver_opts: Mapping[str, str] = field(default_factory=dict)
    internal: bool = False
    attachable: bool = False
    enable_ipv6: bool = False
    ipam_driver: str | None = None
    ipam_config: tuple[IpamPool, ...] = ()
    ipam_options: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    compose_hash: str = ""


@dataclass(frozen=True)
class Volume:
    """A top-level named volume; ``name`` is its engine name, ``key`` its name in the file."""

    key: str
    name: str
    external: bool = False
    driver: str | None = None
    driver_opts: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    compose_hash: str = ""


@dataclass(frozen=True)
class FileObject:
    """A top-level secret or config."""

    key: str
    name: str
    file: str | None = None
    content: str | None = None
    environment: str | None = None
    external: bool = False

    def inline_text(self, kind: str, variables: Mapping[str, str]) -> str | None:
        """Its ``content``, or the value of its ``environment`` variable; None when it is a file.
        ``kind`` ("secret" or "config") names it in the error an unset variable raises."""
        if self.environment is None:
            return None if self.file is not None else self.content or ""
        value = variables.get(self.environment)
        if value is None:
            from compose_lite.errors import ConfigError

            raise ConfigError(f"{kind} {self.key!r} reads environment variable {self.environment!r}, "
                              "which is not set", path=f"{kind}s.{self.key}.environment",
                              hint="set it in the environment or in .env")
        return value


@dataclass(frozen=True)
class Project:
    """The bound project that the planner, the executor and every command work from."""

    name: str
    working_dir: str
    config_files: tuple[str, ...] = ()
    services: Mapping[str, Service] = field(default_factory=dict)
    networks: Mapping[str, Network] = field(default_factory=dict)
    volumes: Mapping[str, Volume] = field(default_factory=dict)
    secrets: Mapping[str, FileObject] = field(default_factory=dict)
    configs: Mapping[str, FileObject] = field(default_factory=dict)
    environment: Mapping[str, str] = field(default_factory=dict)
    disabled_services: tuple[str, ...] = ()
    unsupported: tuple[str, ...] = ()  # top-level resource keys that take no effect, each with why
