"""The Engine protocol and the data only engines exchange with their callers; never imports docker.

Specs (compose_lite.state) are fully resolved (resource names, volume names, labels) so an engine
only translates; observed objects carry what one list call returns, so a snapshot needs no inspect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from compose_lite.model import Build, Network, Volume
from compose_lite.state import (
    ContainerSpec,
    ContainerState,
    NetworkAttachment,
    ObservedContainer,
    ObservedNetwork,
    ObservedVolume,
)


@dataclass(frozen=True)
class ExecResult:
    """Exit code and output of a command run in a container."""

    exit_code: int
    output: bytes = b""  # stdout and stderr interleaved, as the engine returns them


class Engine(Protocol):
    """What compose-lite needs from a container engine; errors are compose_lite.errors types."""

    def list_containers(self, project: str) -> list[ObservedContainer]: ...

    def list_networks(self, project: str) -> list[ObservedNetwork]: ...

    def list_volumes(self, project: str) -> list[ObservedVolume]: ...

    def network_exists(self, name: str) -> bool: ...

    def volume_exists(self, name: str) -> bool: ...

    def create_network(self, network: Network, labels: Mapping[str, str]) -> None: ...

    def remove_network(self, name: str) -> None: ...

    def network_endpoints(self, name: str) -> Mapping[str, str]:
        """The network's endpoints as the engine lists them: container id → container name."""
        ...

    def disconnect_network(self, name: str, container: str, *, force: bool = False) -> None:
        """Remove a container's endpoint; ``force`` also removes one whose container is gone."""
        ...

    def connect_network(self, container_id: str, attachment: NetworkAttachment, *,
                        mac_address: str | None = None) -> None:
        """Attach a container to a network with the endpoint's aliases, addresses and options."""
        ...

    def create_volume(self, volume: Volume, labels: Mapping[str, str]) -> None: ...

    def remove_volume(self, name: str) -> None: ...

    def api_version(self) -> str:
        """The Engine API version spoken with this engine (``1.41``)."""
        ...

    def volume_sizes(self) -> Mapping[str, int]:
        """Bytes each local volume holds (the engine computes them: slow, for prompts only)."""
        ...

    def image_id(self, ref: str) -> str | None: ...

    def pull_image(self, ref: str, platform: str | None = None) -> str:
        """Pull ``ref`` (for ``platform`` when given, as the service's ``platform:`` asks); its id."""
        ...

    def build_image(self, tag: str, build: Build, labels: Mapping[str, str],
                    output: Callable[[str], None] | None = None) -> str:
        """Build ``tag`` (and the build's extra ``tags``); each builder output line goes to ``output``."""
        ...

    def remove_image(self, ref: str) -> None: ...

    def create_container(self, spec: ContainerSpec) -> str: ...

    def start_container(self, container_id: str) -> None: ...

    def stop_container(self, container_id: str, timeout: int | None) -> None: ...

    def remove_container(self, container_id: str, *, volumes: bool = False) -> None: ...

    def rename_container(self, container_id: str, name: str) -> None: ...

    def inspect_container(self, container_id: str) -> ContainerState: ...

    def restart_container(self, container_id: str, timeout: int | None) -> None: ...

    def put_archive(self, container_id: str, path: str, archive: bytes) -> None:
        """Extract a tar archive at ``path`` inside the container (it need not be running)."""
        ...

    def exec_run(self, container_id: str, command: Sequence[str], *, user: str | None = None,
                 workdir: str | None = None, environment: Mapping[str, str] | None = None,
                 privileged: bool = False) -> ExecResult:
        """Run a command in a running container and wait for it; output is collected."""
        ...

    # -- the everyday commands (logs, exec/run attach, lifecycle, info, cp, images) -----------------

    def container_logs(self, container_id: str, *, follow: bool = False, tail: int | None = None,
                       since: float | None = None, until: float | None = None,
                       timestamps: bool = False) -> Iterator[bytes]:
        """stdout and stderr interleaved as the engine stored them; ``tail`` None = everything."""
        ...

    def kill_container(self, container_id: str, signal: str | None = None) -> None: ...

    def pause_container(self, container_id: str) -> None: ...

    def unpause_container(self, container_id: str) -> None: ...

    def wait_container(self, container_id: str) -> int:
        """Block until the container stops; its exit code."""
        ...

    def top(self, container_id: str) -> ProcessTable: ...

    def container_stats(self, container_id: str) -> ContainerStats:
        """One sample (the engine measures CPU over about a second)."""
        ...

    def get_archive(self, container_id: str, path: str) -> bytes:
        """A tar archive of ``path`` inside the container (its root entry is the path's basename)."""
        ...

    def path_stat(self, container_id: str, path: str) -> PathStat | None:
        """What is at ``path`` inside the container; None when nothing is."""
        ...

    def list_all_containers(self) -> list[ObservedContainer]:
        """Every container carrying a Compose project label, whatever the project."""
        ...

    def export_container(self, container_id: str) -> Iterator[bytes]:
        """The container's file system as a tar stream."""
        ...

    def commit_container(self, container_id: str, reference: str | None, *, message: str | None = None,
                         author: str | None = None, changes: Sequence[str] = (), pause: bool = True) -> str:
        """A new image from the container's changes; its id."""
        ...

    def try_lock(self, name: str, labels: Mapping[str, str]) -> Mapping[str, str] | None:
        """Take the engine-wide lock ``name`` in one atomic engine operation: None when taken,
        else the labels its holder left (empty when it went away meanwhile)."""
        ...

    def unlock(self, name: str) -> None:
        """Release the lock ``name`` (nothing happens when nobody holds it)."""
        ...

    def events(self, project: str, *, since: float | None = None,
               until: float | None = None) -> EventStream:
        """The project's container events as they happen (ends at ``until``, else at ``close()``).

        The request is made before this returns, but dockerd answers it just before it subscribes:
        an event in that instant can be missed, so callers need another signal to fall back on.
        """
        ...

    def image_info(self, ref: str) -> ImageInfo | None: ...

    def push_image(self, ref: str) -> None: ...

    def images_labelled(self, label: str) -> list[ImageInfo]:
        """Local images carrying ``label`` (``key`` or ``key=value``)."""
        ...

    def exec_attached(self, container_id: str, command: Sequence[str], session: Session, *,
                      user: str | None = None, workdir: str | None = None,
                      environment: Mapping[str, str] | None = None, privileged: bool = False) -> int:
        """Run a command wired to this process's stdin/stdout/stderr (or detached); its exit code."""
        ...

    def attach_container(self, container_id: str, session: Session, *, start: bool = False,
                         detach_keys: str | None = None) -> int:
        """Attach to a (running, or with ``start`` a created) container until it ends (or the
        ``detach_keys`` are typed); its exit code."""
        ...

    def run_attached(self, container_id: str, session: Session) -> int:
        """Start a created container wired to this process's streams, wait for it; its exit code."""
        ...


@dataclass(frozen=True)
class Session:
    """How a command's streams are wired: a TTY (raw terminal) or separate stdout/stderr, stdin or not.

    The caller (the CLI) hands in its own streams; the engine never reaches for the process's.
    """

    tty: bool = False
    stdin: bool = True
    detach: bool = False
    stdin_fd: int = 0  # read when ``stdin``; put in raw mode for a TTY session when it is a terminal
    stdout: BinaryIO | None = None  # where the container's output goes (stdout, or everything on a TTY)
    stderr: BinaryIO | None = None


@dataclass(frozen=True)
class ProcessTable:
    """The processes of a container, as ``top`` shows them."""

    titles: tuple[str, ...]
    processes: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ContainerStats:
    """One sample of a container's resource usage."""

    cpu_percent: float
    mem_usage: int
    mem_limit: int
    net_rx: int
    net_tx: int
    block_read: int
    block_write: int
    pids: int


@dataclass(frozen=True)
class PathStat:
    """What the engine says about a path inside a container."""

    name: str
    size: int
    is_dir: bool
    link_target: str = ""  # a symlink's target, resolved by the engine to an absolute path; else ""


@dataclass(frozen=True)
class EngineEvent:
    """One event from the engine's event stream."""

    time_nano: int
    type: str  # container | network | volume | image
    action: str  # create | start | die | stop | kill | pause | …
    id: str
    attributes: Mapping[str, str] = field(default_factory=dict)


class EventStream(Protocol):
    """A live subscription to engine events: iterate to read; ``close()`` from any thread ends it."""

    def __iter__(self) -> Iterator[EngineEvent]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class ImageInfo:
    """A local image as ``images`` lists it."""

    id: str
    repo_tags: tuple[str, ...]
    size: int
    created: str  # RFC 3339, as the engine returns it
    platform: str  # os/architecture
    last_tag_time: str = ""
    repo_digests: tuple[str, ...] = ()  # name@sha256:… for each registry it came from or went to
    exposed_ports: tuple[str, ...] = ()  # the image's EXPOSE entries: "80/tcp"
