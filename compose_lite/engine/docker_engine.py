"""The Docker Engine adapter: with its helpers (docker_request: request bodies, docker_reply:
reading answers, docker_transport: reaching the engine) the only code that imports ``docker``.

It uses the SDK's low-level ``APIClient`` (one HTTP call per operation, no model objects),
created on first use, and turns every SDK/HTTP failure into a compose_lite error that keeps the
daemon's own explanation.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from compose_lite import labels as L
from compose_lite.engine.base import (
    ContainerStats,
    EventStream,
    ExecResult,
    ImageInfo,
    PathStat,
    ProcessTable,
    Session,
)
from compose_lite.engine.docker_reply import (
    SdkEvents,
    container_stats_of,
    explanation,
    observed_container,
    reason,
    refusal,
    rfc3339,
)
from compose_lite.engine.docker_request import (
    container_mac_address,
    create_config,
    endpoint_config,
    legacy_build,
    split_ref,
    tar_files,
)
from compose_lite.engine.docker_transport import (
    SSH_HINT,
    START_HINT,
    UNNEGOTIATED,
    pump,
    resolve_host,
    reuse_unix_connections,
    skip_paramiko_unless_ssh,
    ssh_target,
)
from compose_lite.engine.ssh_transport import reuse_ssh_connections
from compose_lite.errors import EngineError, EngineUnavailableError, NotFoundError
from compose_lite.model import Build, Network, Volume
from compose_lite.state import (
    ContainerSpec,
    ContainerState,
    NetworkAttachment,
    ObservedContainer,
    ObservedNetwork,
    ObservedVolume,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_POOL_SIZE = 64



class DockerEngine:
    """Engine over the Docker SDK; the client is created (and the API version negotiated) lazily."""

    def __init__(self, host: str | None = None, environ: Mapping[str, str] | None = None,
                 timeout: int = 120, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        """``pool_size``: connections kept per client, one per operation run in parallel (the
        SDK keeps 10; the executor runs up to COMPOSE_PARALLEL_LIMIT calls at once)."""
        self._environ = dict(os.environ if environ is None else environ)
        self._host_arg = host
        self._timeout = timeout
        self._pool_size = pool_size
        self._client: Any = None
        self._stream_client: Any = None
        self._client_lock = threading.Lock()  # log readers may ask for a client from many threads
        self._where = ""
        self._build_cli: object = _UNKNOWN
        if not (host or self._environ.get("DOCKER_HOST", "")).startswith("ssh://") \
                and not self._environ.get("DOCKER_CONTEXT"):
            skip_paramiko_unless_ssh()

    @property
    def api(self) -> Any:
        with self._client_lock:
            if self._client is None:
                self._client = self._new_client(version=None, timeout=self._timeout)
        return self._client

    def _new_client(self, *, version: str | None, timeout: int | None) -> Any:
        """A client speaking ``version``, or the engine's own (negotiated) when it is None."""
        base_url, how = resolve_host(self._host_arg, self._environ)
        import docker

        self._where = f"{base_url} ({how})"
        try:
            client = docker.APIClient(base_url=base_url, version=version or UNNEGOTIATED,
                                      timeout=timeout,  # type: ignore[arg-type]  # None: no read timeout
                                      use_ssh_client=base_url.startswith("ssh://"),
                                      max_pool_size=self._pool_size)
            if base_url.startswith("unix://"):
                reuse_unix_connections(client)
            elif base_url.startswith("ssh://"):
                reuse_ssh_connections(client)
            if version is None:
                client._version = client._retrieve_server_version()  # type: ignore[attr-defined]
        except Exception as err:  # the SDK raises DockerException or raw requests errors here
            raise self._unavailable(err) from None
        return client

    def call(self, what: str, fn: Callable[[], T]) -> T:
        import docker.errors
        import requests.exceptions

        try:
            return fn()
        except docker.errors.NotFound as err:
            raise NotFoundError(f"{what}: {explanation(err)}") from None
        except docker.errors.APIError as err:
            raise refusal(what, explanation(err)) from None
        except (requests.exceptions.ConnectionError, docker.errors.DockerException) as err:
            raise self._unavailable(err) from None

    def _unavailable(self, err: BaseException) -> EngineUnavailableError:
        base_url, _ = resolve_host(self._host_arg, self._environ)
        hint = SSH_HINT.format(target=ssh_target(base_url)) if base_url.startswith("ssh://") \
            else START_HINT
        return EngineUnavailableError(f"cannot reach the Docker Engine at {self._where}: {reason(err)}",
                                      hint=hint)

    def export_container(self, container_id: str) -> Iterator[bytes]:
        stream = self.call(f"export {container_id[:12]}", lambda: self.api.export(container_id))
        return self._stream(f"export {container_id[:12]}", iter(stream))

    def commit_container(self, container_id: str, reference: str | None, *, message: str | None = None,
                         author: str | None = None, changes: Sequence[str] = (), pause: bool = True) -> str:
        repository, tag = (None, None)
        if reference:
            name, _, maybe_tag = reference.rpartition(":")
            repository, tag = (name, maybe_tag) if name and "/" not in maybe_tag else (reference, None)
        made = self.call(f"commit {container_id[:12]}", lambda: self.api.commit(
            container_id, repository=repository, tag=tag, message=message, author=author,
            changes=list(changes) or None, pause=pause))
        return str(made["Id"])

    # -- the project lock ----------------------------------------------------------------------

    def try_lock(self, name: str, labels: Mapping[str, str]) -> Mapping[str, str] | None:
        """A created, never started container: the engine refuses a second one of its name atomically,
        locally and over ssh alike. Its image is an empty one made here; its labels name the holder."""
        import docker.errors

        what = f"take the project lock {name}"
        for attempt in range(2):
            try:
                self._transport(what, lambda: self.api.create_container(
                    _LOCK_IMAGE, command=["lock"], name=name, labels=dict(labels)))
                return None
            except docker.errors.ImageNotFound:
                if attempt:
                    raise EngineError(f"{what}: the lock image vanished") from None
                self._make_lock_image()  # the first lock on this engine
            except docker.errors.APIError as err:
                if err.status_code != 409:
                    raise EngineError(f"{what}: {explanation(err)}") from None
                break
        try:
            holder = self.call(what, lambda: self.api.inspect_container(name))
        except NotFoundError:
            return {}  # released in between: the caller tries again
        return dict(holder["Config"].get("Labels") or {})

    def unlock(self, name: str) -> None:
        with contextlib.suppress(NotFoundError):  # released already
            self.call(f"release the project lock {name}",
                       lambda: self.api.remove_container(name, force=True))

    def _transport(self, what: str, fn: Callable[[], T]) -> T:
        """``fn`` with only the engine being unreachable mapped; its API errors are the caller's."""
        import docker.errors
        import requests.exceptions

        try:
            return fn()
        except docker.errors.APIError:
            raise
        except (requests.exceptions.ConnectionError, docker.errors.DockerException) as err:
            raise self._unavailable(err) from None

    def _make_lock_image(self) -> None:
        empty_tar = bytes(1024)  # two zero blocks: a tar archive with nothing in it
        repository, tag = _LOCK_IMAGE.split(":")
        self.call("create the lock image", lambda: self.api.import_image_from_data(
            empty_tar, repository=repository, tag=tag))

    # -- listing -------------------------------------------------------------------------------

    def list_containers(self, project: str) -> list[ObservedContainer]:
        raw = self.call("list containers", lambda: self.api.containers(
            all=True, filters={"label": L.project_filter(project)}))
        return [observed_container(c) for c in raw]

    def list_networks(self, project: str) -> list[ObservedNetwork]:
        flt = {"label": L.project_filter(project)}
        raw = self.call("list networks", lambda: self.api.networks(filters=flt))
        return [ObservedNetwork(n["Id"], n["Name"], n.get("Labels") or {}) for n in raw]

    def list_volumes(self, project: str) -> list[ObservedVolume]:
        flt = {"label": L.project_filter(project)}
        raw = self.call("list volumes", lambda: self.api.volumes(filters=flt))
        return [ObservedVolume(v["Name"], v.get("Labels") or {}, driver=v.get("Driver") or "local",
                               mountpoint=v.get("Mountpoint") or "", scope=v.get("Scope") or "local")
                for v in raw.get("Volumes") or ()]

    def network_exists(self, name: str) -> bool:
        try:
            self.call(f"inspect network {name}", lambda: self.api.inspect_network(name))
        except NotFoundError:
            return False
        return True

    def volume_exists(self, name: str) -> bool:
        try:
            self.call(f"inspect volume {name}", lambda: self.api.inspect_volume(name))
        except NotFoundError:
            return False
        return True

    # -- networks and volumes ------------------------------------------------------------------

    def create_network(self, network: Network, labels: Mapping[str, str]) -> None:
        from docker.types import IPAMConfig, IPAMPool

        ipam = None
        if network.ipam_driver or network.ipam_config or network.ipam_options:
            pools = [IPAMPool(subnet=c.subnet, iprange=c.ip_range, gateway=c.gateway,
                              aux_addresses=dict(c.aux_addresses) or None) for c in network.ipam_config]
            ipam = IPAMConfig(driver=network.ipam_driver or "default", pool_configs=pools,
                              options=dict(network.ipam_options) or None)
        self.call(f"create network {network.name}", lambda: self.api.create_network(
            network.name, driver=network.driver, options=dict(network.driver_opts) or None, ipam=ipam,
            check_duplicate=True, internal=network.internal, labels=dict(labels),
            enable_ipv6=network.enable_ipv6, attachable=network.attachable))

    def remove_network(self, name: str) -> None:
        self.call(f"remove network {name}", lambda: self.api.remove_network(name))

    def network_endpoints(self, name: str) -> Mapping[str, str]:
        info = self.call(f"inspect network {name}", lambda: self.api.inspect_network(name))
        return {cid: str(ep.get("Name", "")) for cid, ep in (info.get("Containers") or {}).items()}

    def disconnect_network(self, name: str, container: str, *, force: bool = False) -> None:
        self.call(f"disconnect {container[:12]} from network {name}",
                   lambda: self.api.disconnect_container_from_network(container, name, force=force))

    def connect_network(self, container_id: str, attachment: NetworkAttachment, *,
                        mac_address: str | None = None) -> None:
        links = [tuple(link.split(":", 1)) for link in attachment.links] or None
        endpoint = endpoint_config(self.api, attachment, mac_address=mac_address, links=links)
        # The SDK's own connect call, with the whole endpoint (it has no gateway priority).
        self.call(f"connect {container_id[:12]} to network {attachment.name}",
                   lambda: self.api._raise_for_status(
                       self.api._post_json(self.api._url("/networks/{0}/connect", attachment.name),
                                           data={"Container": container_id, "EndpointConfig": endpoint})))

    def create_volume(self, volume: Volume, labels: Mapping[str, str]) -> None:
        self.call(f"create volume {volume.name}", lambda: self.api.create_volume(
            volume.name, driver=volume.driver, driver_opts=dict(volume.driver_opts) or None,
            labels=dict(labels)))

    def remove_volume(self, name: str) -> None:
        self.call(f"remove volume {name}", lambda: self.api.remove_volume(name))

    def api_version(self) -> str:
        return str(self.api.api_version)  # negotiated when the client was made

    def volume_sizes(self) -> Mapping[str, int]:
        usage = self.call("disk usage", lambda: self.api.df())
        return {str(v["Name"]): int((v.get("UsageData") or {}).get("Size", -1))
                for v in usage.get("Volumes") or ()}

    # -- images --------------------------------------------------------------------------------

    def image_id(self, ref: str) -> str | None:
        try:
            info = self.call(f"inspect image {ref}", lambda: self.api.inspect_image(ref))
        except NotFoundError:
            return None
        return str(info["Id"])

    def pull_image(self, ref: str, platform: str | None = None) -> str:
        repo, tag = split_ref(ref)

        def pull() -> None:
            for event in self.api.pull(repo, tag=tag, stream=True, decode=True, platform=platform):
                if "error" in event:
                    raise EngineError(f"pull {ref}: {event['error']}")

        self.call(f"pull {ref}", pull)
        image = self.image_id(ref)
        if image is None:
            raise EngineError(f"pull {ref}: the engine reports success but the image is missing")
        return image

    def build_image(self, tag: str, build: Build, labels: Mapping[str, str],
                    output: Callable[[str], None] | None = None) -> str:
        """Build with BuildKit through the docker CLI when one can (engine.buildkit), else with the
        SDK's legacy builder, which refuses what only BuildKit does."""
        from compose_lite.engine import buildkit

        if self._build_cli is _UNKNOWN:  # looked for once per engine: two subprocesses per CLI on PATH
            self._build_cli = buildkit.find_cli(self._environ)
        cli = self._build_cli
        if isinstance(cli, buildkit.BuildCli):
            if output is not None:
                output(f"building {tag} with {cli.describe()}\n")
            host, _ = resolve_host(self._host_arg, self._environ)
            return buildkit.build(cli, tag, build, labels, host=host, environ=self._environ, output=output)
        needs = [key for key in (*buildkit.BUILDKIT_ONLY, *buildkit.BUILDX_ONLY) if getattr(build, key)]
        if needs:
            raise EngineError(f"build {tag}: {', '.join(needs)} need BuildKit, and no docker CLI here has it",
                              hint="install the docker buildx plugin, or a docker CLI older than 23 "
                                   "(Debian's docker.io), or drop these build keys")
        if output is not None:
            output(f"building {tag} with the engine's legacy builder (no BuildKit docker CLI found)\n")
        return self.call(f"build {tag}", lambda: legacy_build(self.api, tag, build, labels, output))

    def remove_image(self, ref: str) -> None:
        self.call(f"remove image {ref}", lambda: self.api.remove_image(ref))

    # -- containers ----------------------------------------------------------------------------

    def create_container(self, spec: ContainerSpec) -> str:
        config = create_config(spec, self.api)
        container_id: str = self.call(f"create container {spec.name}", lambda: (
            self.api.create_container_from_config(config, spec.name, spec.service.platform)["Id"]))
        own_macs = container_mac_address(spec, self.api.api_version) is None
        for extra in spec.networks[1:]:
            self.connect_network(container_id, extra, mac_address=extra.mac_address if own_macs else None)
        if spec.files:
            archive = tar_files(spec.files)
            self.call(f"copy files into {spec.name}",
                       lambda: self.api.put_archive(container_id, "/", archive))
        return container_id

    def start_container(self, container_id: str) -> None:
        self.call(f"start container {container_id[:12]}", lambda: self.api.start(container_id))

    def stop_container(self, container_id: str, timeout: int | None) -> None:
        kwargs = {} if timeout is None else {"timeout": timeout}
        self.call(f"stop container {container_id[:12]}", lambda: self.api.stop(container_id, **kwargs))

    def remove_container(self, container_id: str, *, volumes: bool = False) -> None:
        self.call(f"remove container {container_id[:12]}",
                   lambda: self.api.remove_container(container_id, v=volumes, force=True))

    def rename_container(self, container_id: str, name: str) -> None:
        self.call(f"rename container {container_id[:12]} to {name}",
                   lambda: self.api.rename(container_id, name))

    def inspect_container(self, container_id: str) -> ContainerState:
        info = self.call(f"inspect container {container_id[:12]}",
                          lambda: self.api.inspect_container(container_id))
        state = info.get("State") or {}
        health = state.get("Health") or {}
        probes = health.get("Log") or []
        return ContainerState(status=str(state.get("Status", "")), health=health.get("Status"),
                              exit_code=int(state.get("ExitCode") or 0),
                              health_log=str(probes[-1].get("Output", "")).strip() if probes else "",
                              error=str(state.get("Error") or ""))

    def restart_container(self, container_id: str, timeout: int | None) -> None:
        kwargs = {} if timeout is None else {"timeout": timeout}
        self.call(f"restart container {container_id[:12]}", lambda: self.api.restart(container_id, **kwargs))

    def put_archive(self, container_id: str, path: str, archive: bytes) -> None:
        ok = self.call(f"copy files into {container_id[:12]}:{path}",
                        lambda: self.api.put_archive(container_id, path, archive))
        if not ok:
            raise EngineError(f"copy files into {container_id[:12]}:{path}: the engine refused the archive")

    def exec_run(self, container_id: str, command: Sequence[str], *, user: str | None = None,
                 workdir: str | None = None, environment: Mapping[str, str] | None = None,
                 privileged: bool = False) -> ExecResult:
        what = f"exec in {container_id[:12]}"
        exec_id = self.call(what, lambda: self.api.exec_create(
            container_id, list(command), user=user or "", workdir=workdir,
            environment=dict(environment) if environment else None, privileged=privileged))["Id"]
        output = self.call(what, lambda: self.api.exec_start(exec_id))
        code = self.call(what, lambda: self.api.exec_inspect(exec_id)).get("ExitCode")
        return ExecResult(exit_code=int(code or 0), output=output or b"")

    # -- the everyday commands -----------------------------------------------------------------

    def container_logs(self, container_id: str, *, follow: bool = False, tail: int | None = None,
                       since: float | None = None, until: float | None = None,
                       timestamps: bool = False) -> Iterator[bytes]:
        what = f"logs of {container_id[:12]}"
        api = self.stream_api if follow else self.api
        stream = self.call(what, lambda: api.logs(
            container_id, stream=True, follow=follow, stdout=True, stderr=True, timestamps=timestamps,
            tail="all" if tail is None else tail, since=since, until=until))
        yield from self._stream(what, stream)

    @property
    def stream_api(self) -> Any:
        """A second client with no read timeout, for streams that may stay quiet for long (logs -f,
        events): the first client's timeout would cut them after that many idle seconds."""
        version = self.api.api_version  # negotiated once, by the first client
        with self._client_lock:
            if self._stream_client is None:
                self._stream_client = self._new_client(version=version, timeout=None)
        return self._stream_client

    def _stream(self, what: str, stream: Iterator[T]) -> Iterator[T]:
        """Iterate an SDK stream with its failures mapped too (they surface while reading)."""
        while True:
            try:
                item = self.call(what, lambda: next(stream, None))
            except EngineError as err:
                log.debug("%s ended: %s", what, err)  # the container went away while streaming
                return
            if item is None:
                return
            yield item

    def kill_container(self, container_id: str, signal: str | None = None) -> None:
        self.call(f"kill container {container_id[:12]}", lambda: self.api.kill(container_id, signal=signal))

    def pause_container(self, container_id: str) -> None:
        self.call(f"pause container {container_id[:12]}", lambda: self.api.pause(container_id))

    def unpause_container(self, container_id: str) -> None:
        self.call(f"unpause container {container_id[:12]}", lambda: self.api.unpause(container_id))

    def wait_container(self, container_id: str) -> int:
        def wait() -> int:
            # The client's read timeout would cut a long wait short: one call without it.
            return int(self.api.wait(container_id, timeout=None).get("StatusCode", 0))

        return self.call(f"wait for container {container_id[:12]}", wait)

    def top(self, container_id: str) -> ProcessTable:
        raw = self.call(f"top of {container_id[:12]}", lambda: self.api.top(container_id))
        return ProcessTable(tuple(raw.get("Titles") or ()),
                            tuple(tuple(str(x) for x in p) for p in raw.get("Processes") or ()))

    def container_stats(self, container_id: str) -> ContainerStats:
        raw = self.call(f"stats of {container_id[:12]}", lambda: self.api.stats(container_id, stream=False))
        return container_stats_of(raw)

    def get_archive(self, container_id: str, path: str) -> bytes:
        def fetch() -> bytes:
            chunks, _ = self.api.get_archive(container_id, path)
            return b"".join(chunks)

        return self.call(f"copy {container_id[:12]}:{path}", fetch)

    def path_stat(self, container_id: str, path: str) -> PathStat | None:
        import base64

        def head() -> Any:
            url = self.api._url("/containers/{0}/archive", container_id)
            return self.api.head(url, params={"path": path})

        res = self.call(f"stat {container_id[:12]}:{path}", head)
        if res.status_code == 404:
            return None
        if res.status_code >= 400:
            raise EngineError(f"stat {container_id[:12]}:{path}: {res.reason}")
        stat = json.loads(base64.b64decode(res.headers.get("X-Docker-Container-Path-Stat", "e30=")))
        # Go's os.FileMode keeps the directory flag in the top bit, the symlink flag four below.
        mode = int(stat.get("mode", 0))
        return PathStat(str(stat.get("name", "")), int(stat.get("size", 0)), bool(mode & (1 << 31)),
                        str(stat.get("linkTarget", "")) if mode & (1 << 27) else "")

    def list_all_containers(self) -> list[ObservedContainer]:
        raw = self.call("list containers",
                         lambda: self.api.containers(all=True, filters={"label": L.PROJECT}))
        return [observed_container(c) for c in raw]

    def events(self, project: str, *, since: float | None = None,
               until: float | None = None) -> EventStream:
        flt = {"label": L.project_filter(project), "type": "container"}
        # The request is made here, not on first read: the caller counts on being subscribed early.
        stream = self.call("events", lambda: self.stream_api.events(since=since, until=until, filters=flt,
                                                                      decode=True))
        return SdkEvents(self._stream("events", stream), stream)

    def image_info(self, ref: str) -> ImageInfo | None:
        try:
            raw = self.call(f"inspect image {ref}", lambda: self.api.inspect_image(ref))
        except NotFoundError:
            return None
        return ImageInfo(str(raw["Id"]), tuple(raw.get("RepoTags") or ()), int(raw.get("Size") or 0),
                         str(raw.get("Created", "")), f"{raw.get('Os', '')}/{raw.get('Architecture', '')}",
                         str((raw.get("Metadata") or {}).get("LastTagTime", "")),
                         tuple(raw.get("RepoDigests") or ()),
                         tuple(sorted((raw.get("Config") or {}).get("ExposedPorts") or ())))

    def images_labelled(self, label: str) -> list[ImageInfo]:
        raw = self.call("list images", lambda: self.api.images(filters={"label": label}))
        return [ImageInfo(str(i["Id"]), tuple(i.get("RepoTags") or ()), int(i.get("Size") or 0),
                          rfc3339(int(i.get("Created") or 0)), "",
                          repo_digests=tuple(i.get("RepoDigests") or ()))
                for i in raw]

    def push_image(self, ref: str) -> None:
        repo, tag = split_ref(ref)

        def push() -> None:
            for event in self.api.push(repo, tag=tag, stream=True, decode=True):
                if "error" in event:
                    raise EngineError(f"push {ref}: {event['error']}")

        self.call(f"push {ref}", push)

    def exec_attached(self, container_id: str, command: Sequence[str], session: Session, *,
                      user: str | None = None, workdir: str | None = None,
                      environment: Mapping[str, str] | None = None, privileged: bool = False) -> int:
        what = f"exec in {container_id[:12]}"
        exec_id = self.call(what, lambda: self.api.exec_create(
            container_id, list(command), stdin=session.stdin and not session.detach, tty=session.tty,
            user=user or "", workdir=workdir, environment=dict(environment) if environment else None,
            privileged=privileged))["Id"]
        if session.detach:
            self.call(what, lambda: self.api.exec_start(exec_id, detach=True))
            return 0
        sock = self.call(what, lambda: self.api.exec_start(exec_id, tty=session.tty, socket=True))
        if session.tty:
            self._resize(lambda h, w: self.api.exec_resize(exec_id, height=h, width=w))
        pump(sock, session)
        for _ in range(50):  # the stream can end a moment before the engine records the exit
            info = self.call(what, lambda: self.api.exec_inspect(exec_id))
            if not info.get("Running"):
                return int(info.get("ExitCode") or 0)
            time.sleep(0.02)
        return int(info.get("ExitCode") or 0)

    def run_attached(self, container_id: str, session: Session) -> int:
        return self.attach_container(container_id, session, start=True)

    def attach_container(self, container_id: str, session: Session, *, start: bool = False,
                         detach_keys: str | None = None) -> int:
        what = f"attach to {container_id[:12]}"
        params: dict[str, Any] = {"stdin": 1 if session.stdin else 0, "stdout": 1, "stderr": 1, "stream": 1,
                                  "logs": 0}
        if detach_keys:
            params["detachKeys"] = detach_keys
        sock = self.call(what, lambda: self.api.attach_socket(container_id, params=params))
        if start:
            self.start_container(container_id)
        if session.tty:
            self._resize(lambda h, w: self.api.resize(container_id, height=h, width=w))
        pump(sock, session)
        return self.wait_container(container_id)

    def _resize(self, resize: Callable[[int, int], None]) -> None:
        try:
            size = os.get_terminal_size(0)
            resize(size.lines, size.columns)
        except Exception as err:  # a terminal of unknown size keeps the engine's default
            log.debug("could not resize the TTY: %s", err)


_UNKNOWN = object()  # not looked for yet

# An empty image (imported from an empty archive) for the lock container, which is never started.
_LOCK_IMAGE = "compose-lite-lock:1"
