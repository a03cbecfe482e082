"""The vocabulary of state shared by every layer: what a container should be (specs, fully
resolved) and what the engine says exists (observed containers, networks, volumes, a project's
snapshot). Plain data with no behaviour that needs the engine, so the planner, the executor and
the engine adapters all import it and none of them imports another for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from compose_lite.model import Mount, Service


class Status(StrEnum):
    """A container's state, as the engine names it."""

    CREATED = "created"
    RUNNING = "running"
    PAUSED = "paused"
    RESTARTING = "restarting"
    REMOVING = "removing"
    EXITED = "exited"
    DEAD = "dead"


LIVE = frozenset({Status.RUNNING, Status.RESTARTING, Status.PAUSED})  # a process to stop or signal
ENDED = frozenset({Status.EXITED, Status.DEAD})  # its process is over for good (or until a restart)


@dataclass(frozen=True)
class NetworkAttachment:
    """A container's connection to one network, as it is created."""

    name: str  # engine network name
    aliases: tuple[str, ...] = ()
    ipv4_address: str | None = None
    ipv6_address: str | None = None
    mac_address: str | None = None
    links: tuple[str, ...] = ()  # "container:alias", legacy links
    link_local_ips: tuple[str, ...] = ()
    driver_opts: Mapping[str, str] = field(default_factory=dict)
    gw_priority: int = 0
    interface_name: str | None = None  # sent as the endpoint's ifname driver option (Engine API 1.49+)


@dataclass(frozen=True)
class FileCopy:
    """A file written into the container before it starts (secrets/configs given inline)."""

    target: str
    content: bytes
    mode: int = 0o444
    uid: int = 0
    gid: int = 0


@dataclass(frozen=True)
class ContainerSpec:
    """Everything needed to create one container; ``service`` carries the container options."""

    name: str
    service: Service
    number: int
    image: str
    labels: Mapping[str, str]
    networks: tuple[NetworkAttachment, ...] = ()
    network_mode: str | None = None  # "host", "none", "container:<name>", or None = networks
    ipc: str | None = None
    pid: str | None = None
    volumes_from: tuple[str, ...] = ()
    mounts: tuple[Mount, ...] = ()  # volume sources are engine volume names
    files: tuple[FileCopy, ...] = ()
    # An attached one-off with stdin: the engine closes the container's stdin at our end of input
    # and keeps its output flowing (`docker run -i`); without it, our EOF ends the output instead.
    stdin_once: bool = False


@dataclass(frozen=True)
class ObservedMount:
    """A mount of an existing container, as the engine reports it."""

    type: str
    name: str | None
    source: str
    destination: str


@dataclass(frozen=True)
class ObservedContainer:
    """An existing container of the project: identity from its labels, plus its state."""

    id: str
    name: str
    project: str
    service: str
    number: int
    state: str  # a Status value
    status: str  # "Up 3 seconds (healthy)"
    labels: Mapping[str, str]
    image: str
    image_id: str
    command: str = ""
    created: int = 0  # unix seconds
    oneoff: bool = False
    ports: tuple[Mapping[str, object], ...] = ()
    networks: tuple[str, ...] = ()
    mounts: tuple[ObservedMount, ...] = ()

    @property
    def health(self) -> str | None:
        """healthy | unhealthy | starting, read from the status text the list call returns."""
        for word, value in (("(healthy)", "healthy"), ("(unhealthy)", "unhealthy"),
                            ("(health: starting)", "starting")):
            if word in self.status:
                return value
        return None

    @property
    def exit_code(self) -> int | None:
        if self.state != Status.EXITED or "(" not in self.status:
            return None
        try:
            return int(self.status.split("(", 1)[1].split(")", 1)[0])
        except ValueError:
            return None


@dataclass(frozen=True)
class RolloutStep:
    """One replica of a start-first rollout: the container serving now, and what replaces it."""

    old: ObservedContainer
    spec: ContainerSpec  # the replacement, under a temporary name until it takes over
    name: str  # the replica's own name, which the replacement ends with
    cause: str


@dataclass(frozen=True)
class ContainerState:
    """One inspect's view of a running container, as health gating needs it."""

    status: str
    health: str | None = None
    exit_code: int = 0
    health_log: str = ""  # output of the last health probe
    error: str = ""


@dataclass(frozen=True)
class ObservedNetwork:
    """An existing network and its labels."""

    id: str
    name: str
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ObservedVolume:
    """An existing volume and its labels."""

    name: str
    labels: Mapping[str, str] = field(default_factory=dict)
    driver: str = "local"
    mountpoint: str = ""
    scope: str = "local"


@dataclass(frozen=True)
class ObservedState:
    """What exists of the project in the engine, read from labels."""

    containers: tuple[ObservedContainer, ...] = ()
    networks: Mapping[str, ObservedNetwork] = field(default_factory=dict)  # by engine name
    volumes: Mapping[str, ObservedVolume] = field(default_factory=dict)
    # Engine names of networks/volumes that exist but carry no label of this project.
    foreign_networks: frozenset[str] = frozenset()
    foreign_volumes: frozenset[str] = frozenset()

    def of_service(self, service: str) -> list[ObservedContainer]:
        """The service's containers (one-off `run` containers excluded), by number then name."""
        return sorted((c for c in self.containers if c.service == service and not c.oneoff),
                      key=lambda c: (c.number, c.name))

    def network_exists(self, name: str) -> bool:
        return name in self.networks or name in self.foreign_networks

    def volume_exists(self, name: str) -> bool:
        return name in self.volumes or name in self.foreign_volumes
