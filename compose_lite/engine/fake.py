"""An in-memory Engine for unit tests: simulates state, records calls, injects faults.

Faults: ``fail[("start_container", "p-web-1")] = EngineError(...)`` raises on that call
(the target is the container/network/volume/image name; for ``events``, the project).  Health:
``states["p-db-1"]`` is a list of ContainerState returned by successive inspects (the last one
repeats).  A stop reports the container's ``kill`` and ``die`` to event subscribers at once; ``stop_hold``
then keeps the call from returning, as the real engine's endpoint cleanup does.  Endpoints the
engine releases late, or never: ``stale_endpoints``.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import queue
import tarfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from compose_lite import labels as L
from compose_lite.engine.base import (
    ContainerStats,
    EngineEvent,
    EventStream,
    ExecResult,
    ImageInfo,
    PathStat,
    ProcessTable,
    Session,
)
from compose_lite.errors import (
    AlreadyExistsError,
    ComposeLiteError,
    EngineError,
    InUseError,
    NotFoundError,
    StaleEndpointError,
)
from compose_lite.model import Build, Network, Volume
from compose_lite.state import (
    ContainerSpec,
    ContainerState,
    NetworkAttachment,
    ObservedContainer,
    ObservedMount,
    ObservedNetwork,
    ObservedVolume,
)


@dataclass
class FakeContainer:
    id: str
    spec: ContainerSpec
    name: str
    state: str = "created"
    exit_code: int = 0
    mounts: tuple[ObservedMount, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)  # what put_archive wrote, by container path
    links: dict[str, str] = field(default_factory=dict)  # symlink path → its target, as path_stat resolves it
    disconnected: set[str] = field(default_factory=set)  # networks it was disconnected from
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # network → aliases, once reconnected


@dataclass
class FakeEngine:
    images: dict[str, str] = field(default_factory=dict)  # ref → id
    pullable: set[str] = field(default_factory=set)
    containers: dict[str, FakeContainer] = field(default_factory=dict)
    networks: dict[str, Mapping[str, str]] = field(default_factory=dict)  # name → labels
    volumes: dict[str, Mapping[str, str]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    fail: dict[tuple[str, str], ComposeLiteError] = field(default_factory=dict)
    states: dict[str, list[ContainerState]] = field(default_factory=dict)
    logs: dict[str, list[bytes]] = field(default_factory=dict)
    exec_results: dict[str, ExecResult] = field(default_factory=dict)  # container name → result
    built: dict[str, Build] = field(default_factory=dict)  # what build_image was asked to build
    stop_hold: dict[str, threading.Event] = field(default_factory=dict)  # container name → release
    locks: dict[str, Mapping[str, str]] = field(default_factory=dict)  # lock name → holder's labels
    stale_endpoints: dict[str, dict[str, str]] = field(default_factory=dict)  # network → {id: name}
    engine_api: str = "1.41"  # what api_version() reports: this machine's Docker 20.10
    image_labels: dict[str, Mapping[str, str]] = field(default_factory=dict)  # ref → labels (built: theirs)
    volume_bytes: dict[str, int] = field(default_factory=dict)  # what volume_sizes reports (default 0)
    stale_release_after: int | None = None  # endpoint queries before the engine releases them; None: never
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _subscribers: list[tuple[str, _FakeEvents]] = field(default_factory=list)  # (project, stream)

    def _record(self, op: str, target: str) -> None:
        with self._lock:
            self.calls.append(f"{op} {target}")
            fault = self.fail.get((op, target))
        if fault is not None:
            raise fault

    def _get(self, container_id: str) -> FakeContainer:
        for c in self.containers.values():
            if c.id == container_id or c.name == container_id:
                return c
        raise NotFoundError(f"no such container: {container_id}")

    def export_container(self, container_id: str) -> Iterator[bytes]:
        self._record("export_container", self._get(container_id).name)
        return iter([b"tar of " + self._get(container_id).name.encode()])

    def commit_container(self, container_id: str, reference: str | None, *, message: str | None = None,
                         author: str | None = None, changes: Sequence[str] = (), pause: bool = True) -> str:
        self._record("commit_container", self._get(container_id).name)
        image_id = f"sha256:{len(self.images):064d}"
        if reference:
            self.images[reference] = image_id
        return image_id

    def try_lock(self, name: str, labels: Mapping[str, str]) -> Mapping[str, str] | None:
        self._record("try_lock", name)
        with self._lock:
            if name in self.locks:
                return self.locks[name]
            self.locks[name] = dict(labels)
            return None

    def unlock(self, name: str) -> None:
        self._record("unlock", name)
        with self._lock:
            self.locks.pop(name, None)

    def list_containers(self, project: str) -> list[ObservedContainer]:
        with self._lock:
            found = [c for c in self.containers.values() if c.spec.labels.get(L.PROJECT) == project]
        return [self._observe(c) for c in found]

    def _observe(self, c: FakeContainer) -> ObservedContainer:
        spec = c.spec
        health = spec.service.healthcheck
        running = "Up 1 second (healthy)" if health and not health.disabled else "Up 1 second"
        statuses = {"running": running, "exited": f"Exited ({c.exit_code}) 1 second ago"}
        # Identity from the labels, as the Docker adapter reads it (not from the spec behind them).
        return ObservedContainer(
            id=c.id, name=c.name, project=spec.labels.get(L.PROJECT, ""),
            service=spec.labels.get(L.SERVICE, ""), number=int(spec.labels.get(L.NUMBER, "0")),
            oneoff=spec.labels.get(L.ONEOFF) == "True",
            state=c.state, status=statuses.get(c.state, c.state),
            labels=dict(spec.labels), image=spec.image, image_id=self.images.get(spec.image, spec.image),
            networks=tuple(n.name for n in spec.networks if n.name not in c.disconnected),
            mounts=c.mounts)

    def list_networks(self, project: str) -> list[ObservedNetwork]:
        return [ObservedNetwork(f"net-{n}", n, labels) for n, labels in self.networks.items()
                if labels.get(L.PROJECT) == project]

    def list_volumes(self, project: str) -> list[ObservedVolume]:
        return [ObservedVolume(n, labels) for n, labels in self.volumes.items()
                if labels.get(L.PROJECT) == project]

    def network_exists(self, name: str) -> bool:
        return name in self.networks

    def volume_exists(self, name: str) -> bool:
        return name in self.volumes

    def create_network(self, network: Network, labels: Mapping[str, str]) -> None:
        self._record("create_network", network.name)
        if network.name in self.networks:
            raise AlreadyExistsError(f"create network {network.name}: network with name {network.name} "
                                     "already exists")
        self.networks[network.name] = dict(labels)

    def remove_network(self, name: str) -> None:
        self._record("remove_network", name)
        if name in self.networks and self.network_endpoints(name):
            raise InUseError(f"remove network {name}: error while removing network: network {name} id "
                             f"net-{name} has active endpoints")
        if self.networks.pop(name, None) is None:
            raise NotFoundError(f"remove network {name}: network {name} not found")

    def network_endpoints(self, name: str) -> Mapping[str, str]:
        """Attached containers, plus ``stale_endpoints`` (gone containers the engine still lists;
        each query counts one of ``stale_release_after`` down, then they are released)."""
        if name not in self.networks:
            raise NotFoundError(f"inspect network {name}: network {name} not found")
        with self._lock:
            # A container has endpoints only while it runs, as on the real engine.
            found = {c.id: c.name for c in self.containers.values() if c.state in ("running", "paused")
                     and any(n.name == name for n in c.spec.networks) and name not in c.disconnected}
            stale = self.stale_endpoints.get(name, {})
            if stale and self.stale_release_after is not None:
                self.stale_release_after -= 1
                if self.stale_release_after < 0:
                    del self.stale_endpoints[name]
                    stale = {}
        return {**found, **stale}

    def disconnect_network(self, name: str, container: str, *, force: bool = False) -> None:
        self._record("disconnect_network", f"{name} {container}")
        stale = self.stale_endpoints.get(name, {})
        if container in stale or container in stale.values():
            if not force:
                raise NotFoundError(f"disconnect {container} from network {name}: No such container")
            self.stale_endpoints[name] = {k: v for k, v in stale.items() if container not in (k, v)}
            return
        self._get(container).disconnected.add(name)

    def connect_network(self, container_id: str, attachment: NetworkAttachment, *,
                        mac_address: str | None = None) -> None:
        c = self._get(container_id)
        self._record("connect_network", f"{attachment.name} {c.name} {','.join(attachment.aliases)}")
        c.disconnected.discard(attachment.name)
        c.aliases[attachment.name] = attachment.aliases

    def resolve(self, network: str, name: str) -> list[str]:
        """What the engine's DNS answers for ``name`` on ``network``: running containers with that
        alias or name there (a stopped container's endpoint is gone)."""
        found = []
        for c in self.containers.values():
            attached = {n.name: n.aliases for n in c.spec.networks if n.name not in c.disconnected}
            attached.update({n: a for n, a in c.aliases.items() if n not in c.disconnected})
            if c.state == "running" and network in attached and name in (c.name, *attached[network]):
                found.append(c.name)
        return sorted(found)

    def create_volume(self, volume: Volume, labels: Mapping[str, str]) -> None:
        self._record("create_volume", volume.name)
        self.volumes.setdefault(volume.name, dict(labels))

    def remove_volume(self, name: str) -> None:
        self._record("remove_volume", name)
        if self.volumes.pop(name, None) is None:
            raise NotFoundError(f"remove volume {name}: get {name}: no such volume")

    def image_id(self, ref: str) -> str | None:
        return self.images.get(ref)

    def api_version(self) -> str:
        return self.engine_api

    def volume_sizes(self) -> Mapping[str, int]:
        return {name: self.volume_bytes.get(name, 0) for name in self.volumes}

    def pull_image(self, ref: str, platform: str | None = None) -> str:
        self._record("pull_image", ref if platform is None else f"{ref} {platform}")
        if ref not in self.pullable:
            raise EngineError(f"pull {ref}: pull access denied for {ref}, repository does not exist")
        self.images[ref] = f"sha256:{ref}"
        return self.images[ref]

    def build_image(self, tag: str, build: Build, labels: Mapping[str, str],
                    output: Callable[[str], None] | None = None) -> str:
        self._record("build_image", tag)
        if output is not None:
            output(f"Step 1/1 : FROM {tag}-base\n")
        self.built[tag] = build
        self.image_labels[tag] = {**build.labels, **labels}
        image = self.images[tag] = f"sha256:built-{tag}-{next(self._ids)}"
        for extra in build.tags:
            self.images[extra] = image
        return image

    def remove_image(self, ref: str) -> None:
        self._record("remove_image", ref)
        self.images.pop(ref, None)

    def create_container(self, spec: ContainerSpec) -> str:
        self._record("create_container", spec.name)
        with self._lock:
            if any(c.name == spec.name for c in self.containers.values()):
                raise AlreadyExistsError(f"create container {spec.name}: Conflict. The container name "
                                         f'"/{spec.name}" is already in use by container "{spec.name}"')
            if spec.image not in self.images and not spec.image.startswith("sha256:"):
                raise NotFoundError(f"create container {spec.name}: No such image: {spec.image}")
            cid = f"c{next(self._ids):063d}"
            mounts = tuple(ObservedMount("volume", m.source or f"anon-{cid[-6:]}-{i}", "", m.target)
                           for i, m in enumerate(spec.mounts) if m.type == "volume")
            self.containers[cid] = FakeContainer(cid, spec, spec.name, mounts=mounts)
        return cid

    def start_container(self, container_id: str) -> None:
        c = self._get(container_id)
        self._record("start_container", c.name)
        for net in c.spec.networks:
            if c.name in self.stale_endpoints.get(net.name, {}).values():
                raise StaleEndpointError(f"start container {c.name}: endpoint with name {c.name} already "
                                         f"exists in network {net.name}", endpoint=c.name, network=net.name)
        c.state = "running"

    def stop_container(self, container_id: str, timeout: int | None) -> None:
        c = self._get(container_id)
        self._record("stop_container", c.name)
        if c.state == "running":
            c.state = "exited"
            for action in ("kill", "die"):
                self._publish(EngineEvent(0, "container", action, c.id, {**c.spec.labels, "name": c.name}))
        hold = self.stop_hold.get(c.name)
        if hold is not None:
            hold.wait(timeout=10)  # bounded: a test that forgets to release still ends

    def remove_container(self, container_id: str, *, volumes: bool = False) -> None:
        c = self._get(container_id)
        self._record("remove_container", c.name)
        with self._lock:
            del self.containers[c.id]

    def rename_container(self, container_id: str, name: str) -> None:
        c = self._get(container_id)
        self._record("rename_container", f"{c.name}->{name}")
        c.name = name

    def inspect_container(self, container_id: str) -> ContainerState:
        c = self._get(container_id)
        script = self.states.get(c.name)
        if script:
            state = script.pop(0) if len(script) > 1 else script[0]
            if state.status == "exited":
                c.state, c.exit_code = "exited", state.exit_code
            return state
        health = "healthy" if c.spec.service.healthcheck and not c.spec.service.healthcheck.disabled else None
        return ContainerState(status=c.state, health=health if c.state == "running" else None,
                              exit_code=c.exit_code)

    def restart_container(self, container_id: str, timeout: int | None) -> None:
        c = self._get(container_id)
        self._record("restart_container", c.name)
        c.state = "running"

    def put_archive(self, container_id: str, path: str, archive: bytes) -> None:
        c = self._get(container_id)
        self._record("put_archive", f"{c.name}:{path}")
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            for member in tar.getmembers():
                data = tar.extractfile(member) if member.isfile() else None
                where = posixpath.join(path, member.name)
                c.files[where] = data.read() if data else member.linkname.encode()
                if member.issym():  # as the engine resolves it: an absolute path
                    target = posixpath.join(posixpath.dirname(where), member.linkname)
                    c.links[where] = posixpath.normpath(target)

    def exec_run(self, container_id: str, command: Sequence[str], *, user: str | None = None,
                 workdir: str | None = None, environment: Mapping[str, str] | None = None,
                 privileged: bool = False) -> ExecResult:
        c = self._get(container_id)
        self._record("exec_run", f"{c.name}: {' '.join(command)}")
        if list(command[:2]) == ["rm", "-rf"]:
            for path in command[2:]:
                for name in [f for f in c.files if f == path or f.startswith(path.rstrip("/") + "/")]:
                    del c.files[name]
        return self.exec_results.get(c.name, ExecResult(0))

    def set_state(self, name: str, **changes: object) -> None:
        """Test helper: change a container's simulated state (e.g. ``state="exited"``)."""
        c = self._get(name)
        for key, value in changes.items():
            setattr(c, key, value)

    # -- the everyday commands -----------------------------------------------------------------
    event_feed: list[EngineEvent] = field(default_factory=list)  # what events() yields

    def container_logs(self, container_id: str, *, follow: bool = False, tail: int | None = None,
                       since: float | None = None, until: float | None = None,
                       timestamps: bool = False) -> Iterator[bytes]:
        lines = b"".join(self.logs.get(self._get(container_id).name, [])).splitlines(keepends=True)
        yield from lines if tail is None else lines[len(lines) - tail:] if tail else []

    def kill_container(self, container_id: str, signal: str | None = None) -> None:
        c = self._get(container_id)
        self._record("kill_container", f"{c.name} {signal or 'SIGKILL'}")
        c.state, c.exit_code = "exited", 137

    def pause_container(self, container_id: str) -> None:
        c = self._get(container_id)
        self._record("pause_container", c.name)
        c.state = "paused"

    def unpause_container(self, container_id: str) -> None:
        c = self._get(container_id)
        self._record("unpause_container", c.name)
        c.state = "running"

    def wait_container(self, container_id: str) -> int:
        c = self._get(container_id)
        self._record("wait_container", c.name)
        c.state = "exited"
        return c.exit_code

    def top(self, container_id: str) -> ProcessTable:
        c = self._get(container_id)
        return ProcessTable(("PID", "CMD"), (("1", " ".join(c.spec.service.command or ())),))

    def container_stats(self, container_id: str) -> ContainerStats:
        self._get(container_id)
        return ContainerStats(1.5, 1024 * 1024, 1024 ** 3, 100, 200, 0, 0, 1)

    def get_archive(self, container_id: str, path: str) -> bytes:
        c = self._get(container_id)
        self._record("get_archive", f"{c.name}:{path}")
        found = {p: data for p, data in c.files.items() if p == path or p.startswith(path.rstrip("/") + "/")}
        if not found:
            raise NotFoundError(f"copy {c.name}:{path}: Could not find the file {path} in container {c.name}")
        root = posixpath.dirname(path.rstrip("/"))
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for p, data in sorted(found.items()):
                info = tarfile.TarInfo(posixpath.relpath(p, root))
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return buf.getvalue()

    def path_stat(self, container_id: str, path: str) -> PathStat | None:
        c = self._get(container_id)
        clean = path.rstrip("/") or "/"
        if clean in c.links:
            return PathStat(posixpath.basename(clean), 0, False, c.links[clean])
        if clean in c.files:
            return PathStat(posixpath.basename(clean), len(c.files[clean]), False)
        if clean == "/" or any(p.startswith(clean + "/") for p in c.files):
            return PathStat(posixpath.basename(clean), 0, True)
        return None

    def list_all_containers(self) -> list[ObservedContainer]:
        with self._lock:
            found = [c for c in self.containers.values() if L.PROJECT in c.spec.labels]
        return [self._observe(c) for c in found]

    def events(self, project: str, *, since: float | None = None,
               until: float | None = None) -> EventStream:
        """``event_feed`` first; then, without ``until``, what happens until ``close()``."""
        self._record("events", project)
        stream = _FakeEvents([e for e in self.event_feed if e.attributes.get(L.PROJECT) == project],
                             live=until is None)
        if until is None:
            with self._lock:
                self._subscribers.append((project, stream))
        return stream

    def _publish(self, event: EngineEvent) -> None:
        with self._lock:
            streams = [s for project, s in self._subscribers if event.attributes.get(L.PROJECT) == project]
        for stream in streams:
            stream.put(event)

    def image_info(self, ref: str) -> ImageInfo | None:
        image = self.images.get(ref) or next((i for i in self.images.values() if i == ref), None)
        if image is None:
            return None
        tags = tuple(r for r, i in self.images.items() if i == image and not r.startswith("sha256:"))
        return ImageInfo(image, tags, 1_985_472, "2024-01-01T00:00:00Z", "linux/amd64")

    def images_labelled(self, label: str) -> list[ImageInfo]:
        key, has_value, value = label.partition("=")
        found = [ref for ref, labels in self.image_labels.items()
                 if key in labels and (not has_value or labels[key] == value)]
        return [info for ref in found if (info := self.image_info(ref)) is not None]

    def push_image(self, ref: str) -> None:
        self._record("push_image", ref)
        raise EngineError(f"push {ref}: dial tcp: lookup registry: no such host")

    def exec_attached(self, container_id: str, command: Sequence[str], session: Session, *,
                      user: str | None = None, workdir: str | None = None,
                      environment: Mapping[str, str] | None = None, privileged: bool = False) -> int:
        c = self._get(container_id)
        env = ",".join(f"{k}={v}" for k, v in (environment or {}).items())
        self._record("exec_attached", f"{c.name}: {' '.join(command)} tty={session.tty} user={user} "
                     f"workdir={workdir} env={env} privileged={privileged} detach={session.detach}")
        result = self.exec_results.get(c.name, ExecResult(0))
        if session.stdout is not None and not session.detach:
            session.stdout.write(result.output)
        return result.exit_code

    def attach_container(self, container_id: str, session: Session, *, start: bool = False,
                         detach_keys: str | None = None) -> int:
        c = self._get(container_id)
        self._record("attach_container", f"{c.name} tty={session.tty}")
        c.state = "exited"
        return c.exit_code

    def run_attached(self, container_id: str, session: Session) -> int:
        c = self._get(container_id)
        self._record("run_attached", f"{c.name} tty={session.tty}")
        c.state = "exited"
        return c.exit_code


class _FakeEvents:
    """Recorded events, then (when live) published ones until closed."""

    def __init__(self, recorded: list[EngineEvent], *, live: bool) -> None:
        self._queue: queue.SimpleQueue[EngineEvent | None] = queue.SimpleQueue()
        for event in recorded:
            self._queue.put(event)
        if not live:
            self._queue.put(None)

    def put(self, event: EngineEvent) -> None:
        self._queue.put(event)

    def __iter__(self) -> Iterator[EngineEvent]:
        while (event := self._queue.get()) is not None:
            yield event

    def close(self) -> None:
        self._queue.put(None)
