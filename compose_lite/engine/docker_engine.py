"""The Docker Engine adapter: the only module that imports ``docker``.

It uses the SDK's low-level ``APIClient`` (one HTTP call per operation, no model objects),
created on first use, and turns every SDK/HTTP failure into a compose_lite error that keeps the
daemon's own explanation.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from compose_lite import labels as L
from compose_lite.engine.base import (
    ContainerSpec,
    ContainerState,
    ContainerStats,
    EngineEvent,
    EventStream,
    ExecResult,
    ImageInfo,
    ObservedContainer,
    ObservedMount,
    ObservedNetwork,
    ObservedVolume,
    PathStat,
    ProcessTable,
    Session,
)
from compose_lite.errors import EngineError, EngineUnavailableError, NotFoundError
from compose_lite.model import Build, Mount, Network, Service, Volume

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_SOCKET = "unix:///var/run/docker.sock"
START_HINT = ("start the engine (`sudo systemctl start docker`, or `sudo dockerd`), "
              "or point -H / DOCKER_HOST at one")
SSH_HINT = ("check the ssh link (`ssh {host} docker version`); what was done so far stays, and running "
            "the command again goes on from there")


def resolve_host(host: str | None, environ: Mapping[str, str]) -> tuple[str, str]:
    """(base_url, how it was chosen): -H / DOCKER_HOST, else DOCKER_CONTEXT, else the docker CLI's
    current context (``currentContext`` in its config.json), else the default socket."""
    if host:
        return host, "DOCKER_HOST" if host == environ.get("DOCKER_HOST") else "-H"
    context = environ.get("DOCKER_CONTEXT") or _current_context(environ)
    if context and context != "default":
        from docker.context import ContextAPI

        ctx = ContextAPI.get_context(context)
        if ctx is None:
            where = "DOCKER_CONTEXT" if environ.get("DOCKER_CONTEXT") else "the docker CLI's current context"
            raise EngineUnavailableError(f"Docker context {context!r} ({where}) does not exist",
                                         hint="list contexts with `docker context ls`")
        return str(ctx.Host), f"context {context}"
    return DEFAULT_SOCKET, "default socket"


def _current_context(environ: Mapping[str, str]) -> str | None:
    """The docker CLI's ``currentContext``, read from its config file (cheap: no SDK import)."""
    directory = environ.get("DOCKER_CONFIG") or os.path.join(environ.get("HOME") or os.path.expanduser("~"),
                                                             ".docker")
    try:
        with open(os.path.join(directory, "config.json"), encoding="utf-8") as handle:
            current = json.load(handle).get("currentContext")
    except (OSError, ValueError, AttributeError):
        return None
    return str(current) if current else None


class DockerEngine:
    """Engine over the Docker SDK; the client is created (and the API version negotiated) lazily."""

    def __init__(self, host: str | None = None, environ: Mapping[str, str] | None = None,
                 timeout: int = 120) -> None:
        self._environ = dict(os.environ if environ is None else environ)
        self._host_arg = host
        self._timeout = timeout
        self._client: Any = None
        self._stream_client: Any = None
        self._client_lock = threading.Lock()  # log readers may ask for a client from many threads
        self._where = ""
        self._build_cli: object = _UNKNOWN
        if not (host or self._environ.get("DOCKER_HOST", "")).startswith("ssh://") \
                and not self._environ.get("DOCKER_CONTEXT"):
            _skip_paramiko_unless_ssh()

    @property
    def api(self) -> Any:
        with self._client_lock:
            if self._client is None:
                self._client = self._new_client(version="auto", timeout=self._timeout)
        return self._client

    def _new_client(self, *, version: str, timeout: int | None) -> Any:
        base_url, how = resolve_host(self._host_arg, self._environ)
        import docker

        self._where = f"{base_url} ({how})"
        try:
            # One pooled connection per parallel operation: the SDK keeps 10, and the executor runs
            # up to COMPOSE_PARALLEL_LIMIT calls at once (30 stops for a 30-service `down`).
            client = docker.APIClient(base_url=base_url, version=version,
                                      timeout=timeout,  # type: ignore[arg-type]  # None: no read timeout
                                      use_ssh_client=base_url.startswith("ssh://"),
                                      max_pool_size=_pool_size(self._environ))
        except Exception as err:  # the SDK raises DockerException or raw requests errors here
            raise self._unavailable(err) from None
        if base_url.startswith("unix://"):
            _reuse_unix_connections(client)
        return client

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        import docker.errors
        import requests.exceptions

        try:
            return fn()
        except docker.errors.NotFound as err:
            raise NotFoundError(f"{what}: {_explanation(err)}") from None
        except docker.errors.APIError as err:
            explanation = _explanation(err)
            raise EngineError(f"{what}: {explanation}", hint=refusal_hint(explanation)) from None
        except (requests.exceptions.ConnectionError, docker.errors.DockerException) as err:
            raise self._unavailable(err) from None

    def _unavailable(self, err: BaseException) -> EngineUnavailableError:
        base_url, _ = resolve_host(self._host_arg, self._environ)
        hint = SSH_HINT.format(host=base_url.removeprefix("ssh://")) if base_url.startswith("ssh://") \
            else START_HINT
        return EngineUnavailableError(f"cannot reach the Docker Engine at {self._where}: {_reason(err)}",
                                      hint=hint)

    def export_container(self, container_id: str) -> Iterator[bytes]:
        stream = self._call(f"export {container_id[:12]}", lambda: self.api.export(container_id))
        return self._stream(f"export {container_id[:12]}", iter(stream))

    def commit_container(self, container_id: str, reference: str | None, *, message: str | None = None,
                         author: str | None = None, changes: Sequence[str] = (), pause: bool = True) -> str:
        repository, tag = (None, None)
        if reference:
            name, _, maybe_tag = reference.rpartition(":")
            repository, tag = (name, maybe_tag) if name and "/" not in maybe_tag else (reference, None)
        made = self._call(f"commit {container_id[:12]}", lambda: self.api.commit(
            container_id, repository=repository, tag=tag, message=message, author=author,
            changes=list(changes) or None, pause=pause))
        return str(made["Id"])

    # -- the project lock ----------------------------------------------------------------------

    def try_lock(self, name: str, labels: Mapping[str, str]) -> Mapping[str, str] | None:
        """The lock is a created, never started container: the engine refuses a second container of
        the same name atomically, locally and over ssh alike. Its image is an empty one made here
        (no registry needed); the holder is described by the container's labels."""
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
                    raise EngineError(f"{what}: {_explanation(err)}") from None
                break
        try:
            holder = self._call(what, lambda: self.api.inspect_container(name))
        except NotFoundError:
            return {}  # released in between: the caller tries again
        return dict(holder["Config"].get("Labels") or {})

    def unlock(self, name: str) -> None:
        with contextlib.suppress(NotFoundError):  # released already
            self._call(f"release the project lock {name}",
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
        self._call("create the lock image", lambda: self.api.import_image_from_data(
            empty_tar, repository=repository, tag=tag))

    # -- listing -------------------------------------------------------------------------------

    def list_containers(self, project: str) -> list[ObservedContainer]:
        raw = self._call("list containers", lambda: self.api.containers(
            all=True, filters={"label": L.project_filter(project)}))
        return [_observed_container(c) for c in raw]

    def list_networks(self, project: str) -> list[ObservedNetwork]:
        flt = {"label": L.project_filter(project)}
        raw = self._call("list networks", lambda: self.api.networks(filters=flt))
        return [ObservedNetwork(n["Id"], n["Name"], n.get("Labels") or {}) for n in raw]

    def list_volumes(self, project: str) -> list[ObservedVolume]:
        flt = {"label": L.project_filter(project)}
        raw = self._call("list volumes", lambda: self.api.volumes(filters=flt))
        return [ObservedVolume(v["Name"], v.get("Labels") or {}) for v in raw.get("Volumes") or ()]

    def network_exists(self, name: str) -> bool:
        try:
            self._call(f"inspect network {name}", lambda: self.api.inspect_network(name))
        except NotFoundError:
            return False
        return True

    def volume_exists(self, name: str) -> bool:
        try:
            self._call(f"inspect volume {name}", lambda: self.api.inspect_volume(name))
        except NotFoundError:
            return False
        return True

    # -- networks and volumes ------------------------------------------------------------------

    def create_network(self, network: Network, labels: Mapping[str, str]) -> None:
        from docker.types import IPAMConfig, IPAMPool

        ipam = None
        if network.ipam_driver or network.ipam_config:
            pools = [IPAMPool(subnet=c.get("subnet"), iprange=c.get("ip_range"), gateway=c.get("gateway"),
                              aux_addresses=None) for c in network.ipam_config]
            ipam = IPAMConfig(driver=network.ipam_driver or "default", pool_configs=pools)
        self._call(f"create network {network.name}", lambda: self.api.create_network(
            network.name, driver=network.driver, options=dict(network.driver_opts) or None, ipam=ipam,
            check_duplicate=True, internal=network.internal, labels=dict(labels),
            enable_ipv6=network.enable_ipv6, attachable=network.attachable))

    def remove_network(self, name: str) -> None:
        self._call(f"remove network {name}", lambda: self.api.remove_network(name))

    def network_endpoints(self, name: str) -> Mapping[str, str]:
        info = self._call(f"inspect network {name}", lambda: self.api.inspect_network(name))
        return {cid: str(ep.get("Name", "")) for cid, ep in (info.get("Containers") or {}).items()}

    def disconnect_network(self, name: str, container: str, *, force: bool = False) -> None:
        self._call(f"disconnect {container[:12]} from network {name}",
                   lambda: self.api.disconnect_container_from_network(container, name, force=force))

    def create_volume(self, volume: Volume, labels: Mapping[str, str]) -> None:
        self._call(f"create volume {volume.name}", lambda: self.api.create_volume(
            volume.name, driver=volume.driver, driver_opts=dict(volume.driver_opts) or None,
            labels=dict(labels)))

    def remove_volume(self, name: str) -> None:
        self._call(f"remove volume {name}", lambda: self.api.remove_volume(name))

    def volume_sizes(self) -> Mapping[str, int]:
        usage = self._call("disk usage", lambda: self.api.df())
        return {str(v["Name"]): int((v.get("UsageData") or {}).get("Size", -1))
                for v in usage.get("Volumes") or ()}

    # -- images --------------------------------------------------------------------------------

    def image_id(self, ref: str) -> str | None:
        try:
            info = self._call(f"inspect image {ref}", lambda: self.api.inspect_image(ref))
        except NotFoundError:
            return None
        return str(info["Id"])

    def pull_image(self, ref: str) -> str:
        repo, tag = _split_ref(ref)

        def pull() -> None:
            for event in self.api.pull(repo, tag=tag, stream=True, decode=True):
                if "error" in event:
                    raise EngineError(f"pull {ref}: {event['error']}")

        self._call(f"pull {ref}", pull)
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
        needs = [key for key in (*buildkit.BUILDKIT_ONLY, "buildx_flags") if getattr(build, key)]
        if needs:
            raise EngineError(f"build {tag}: {', '.join(needs)} need BuildKit, and no docker CLI here has it",
                              hint="install the docker buildx plugin, or a docker CLI older than 23 "
                                   "(Debian's docker.io), or drop these build keys")
        if output is not None:
            output(f"building {tag} with the engine's legacy builder (no BuildKit docker CLI found)\n")
        return self._legacy_build(tag, build, labels, output)

    def _legacy_build(self, tag: str, build: Build, labels: Mapping[str, str],
                      output: Callable[[str], None] | None) -> str:
        def run() -> str:
            kwargs: dict[str, Any] = {
                "path": build.context, "tag": tag, "rm": True, "decode": True, "buildargs": dict(build.args),
                "target": build.target, "labels": {**build.labels, **labels}, "network_mode": build.network,
                "shmsize": build.shm_size, "nocache": build.no_cache, "pull": build.pull,
                "extra_hosts": dict(h.split(":", 1) for h in build.extra_hosts) or None,
                "container_limits": {"memory": build.memory} if build.memory else None,
            }
            if build.dockerfile_inline is not None:
                kwargs["fileobj"], kwargs["custom_context"] = _inline_context(build), True
                del kwargs["path"]
            elif build.dockerfile:
                kwargs["dockerfile"] = build.dockerfile
            image = ""
            recent: list[str] = []  # the last lines, shown with an error
            for event in self.api.build(**kwargs):
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
            image = image or str(self.api.inspect_image(tag)["Id"])
            for extra in build.tags:
                repo, extra_tag = _split_ref(extra)
                self.api.tag(image, repo, extra_tag)
            return image

        return self._call(f"build {tag}", run)

    def remove_image(self, ref: str) -> None:
        self._call(f"remove image {ref}", lambda: self.api.remove_image(ref))

    # -- containers ----------------------------------------------------------------------------

    def create_container(self, spec: ContainerSpec) -> str:
        config = create_config(spec, self.api)
        container_id: str = self._call(f"create container {spec.name}", lambda: (
            self.api.create_container_from_config(config, spec.name, spec.service.platform)["Id"]))
        for extra in spec.networks[1:]:
            self._call(f"connect {spec.name} to network {extra.name}",
                       lambda n=extra: self.api.connect_container_to_network(  # type: ignore[misc]
                           container_id, n.name, aliases=list(n.aliases) or None, ipv4_address=n.ipv4_address,
                           ipv6_address=n.ipv6_address))
        if spec.files:
            archive = _tar(spec.files)
            self._call(f"copy files into {spec.name}",
                       lambda: self.api.put_archive(container_id, "/", archive))
        return container_id

    def start_container(self, container_id: str) -> None:
        self._call(f"start container {container_id[:12]}", lambda: self.api.start(container_id))

    def stop_container(self, container_id: str, timeout: int | None) -> None:
        kwargs = {} if timeout is None else {"timeout": timeout}
        self._call(f"stop container {container_id[:12]}", lambda: self.api.stop(container_id, **kwargs))

    def remove_container(self, container_id: str, *, volumes: bool = False) -> None:
        self._call(f"remove container {container_id[:12]}",
                   lambda: self.api.remove_container(container_id, v=volumes, force=True))

    def rename_container(self, container_id: str, name: str) -> None:
        self._call(f"rename container {container_id[:12]} to {name}",
                   lambda: self.api.rename(container_id, name))

    def inspect_container(self, container_id: str) -> ContainerState:
        info = self._call(f"inspect container {container_id[:12]}",
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
        self._call(f"restart container {container_id[:12]}", lambda: self.api.restart(container_id, **kwargs))

    def put_archive(self, container_id: str, path: str, archive: bytes) -> None:
        ok = self._call(f"copy files into {container_id[:12]}:{path}",
                        lambda: self.api.put_archive(container_id, path, archive))
        if not ok:
            raise EngineError(f"copy files into {container_id[:12]}:{path}: the engine refused the archive")

    def exec_run(self, container_id: str, command: Sequence[str], *, user: str | None = None,
                 workdir: str | None = None, environment: Mapping[str, str] | None = None,
                 privileged: bool = False) -> ExecResult:
        what = f"exec in {container_id[:12]}"
        exec_id = self._call(what, lambda: self.api.exec_create(
            container_id, list(command), user=user or "", workdir=workdir,
            environment=dict(environment) if environment else None, privileged=privileged))["Id"]
        output = self._call(what, lambda: self.api.exec_start(exec_id))
        code = self._call(what, lambda: self.api.exec_inspect(exec_id)).get("ExitCode")
        return ExecResult(exit_code=int(code or 0), output=output or b"")

    # -- the everyday commands -----------------------------------------------------------------

    def container_logs(self, container_id: str, *, follow: bool = False, tail: int | None = None,
                       since: float | None = None, until: float | None = None,
                       timestamps: bool = False) -> Iterator[bytes]:
        what = f"logs of {container_id[:12]}"
        api = self.stream_api if follow else self.api
        stream = self._call(what, lambda: api.logs(
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
                item = self._call(what, lambda: next(stream, None))
            except EngineError as err:
                log.debug("%s ended: %s", what, err)  # the container went away while streaming
                return
            if item is None:
                return
            yield item

    def kill_container(self, container_id: str, signal: str | None = None) -> None:
        self._call(f"kill container {container_id[:12]}", lambda: self.api.kill(container_id, signal=signal))

    def pause_container(self, container_id: str) -> None:
        self._call(f"pause container {container_id[:12]}", lambda: self.api.pause(container_id))

    def unpause_container(self, container_id: str) -> None:
        self._call(f"unpause container {container_id[:12]}", lambda: self.api.unpause(container_id))

    def wait_container(self, container_id: str) -> int:
        def wait() -> int:
            # The client's read timeout would cut a long wait short: one call without it.
            return int(self.api.wait(container_id, timeout=None).get("StatusCode", 0))

        return self._call(f"wait for container {container_id[:12]}", wait)

    def top(self, container_id: str) -> ProcessTable:
        raw = self._call(f"top of {container_id[:12]}", lambda: self.api.top(container_id))
        return ProcessTable(tuple(raw.get("Titles") or ()),
                            tuple(tuple(str(x) for x in p) for p in raw.get("Processes") or ()))

    def container_stats(self, container_id: str) -> ContainerStats:
        raw = self._call(f"stats of {container_id[:12]}", lambda: self.api.stats(container_id, stream=False))
        return _stats(raw)

    def get_archive(self, container_id: str, path: str) -> bytes:
        def fetch() -> bytes:
            chunks, _ = self.api.get_archive(container_id, path)
            return b"".join(chunks)

        return self._call(f"copy {container_id[:12]}:{path}", fetch)

    def path_stat(self, container_id: str, path: str) -> PathStat | None:
        import base64

        def head() -> Any:
            url = self.api._url("/containers/{0}/archive", container_id)
            return self.api.head(url, params={"path": path})

        res = self._call(f"stat {container_id[:12]}:{path}", head)
        if res.status_code == 404:
            return None
        if res.status_code >= 400:
            raise EngineError(f"stat {container_id[:12]}:{path}: {res.reason}")
        stat = json.loads(base64.b64decode(res.headers.get("X-Docker-Container-Path-Stat", "e30=")))
        # Go's os.FileMode keeps the directory flag in the top bit.
        return PathStat(str(stat.get("name", "")), int(stat.get("size", 0)),
                        bool(int(stat.get("mode", 0)) & (1 << 31)))

    def list_all_containers(self) -> list[ObservedContainer]:
        raw = self._call("list containers",
                         lambda: self.api.containers(all=True, filters={"label": L.PROJECT}))
        return [_observed_container(c) for c in raw]

    def events(self, project: str, *, since: float | None = None,
               until: float | None = None) -> EventStream:
        flt = {"label": L.project_filter(project), "type": "container"}
        # The request is made here, not on first read: the caller counts on being subscribed early.
        stream = self._call("events", lambda: self.stream_api.events(since=since, until=until, filters=flt,
                                                                      decode=True))
        return _Events(self, stream)

    def image_info(self, ref: str) -> ImageInfo | None:
        try:
            raw = self._call(f"inspect image {ref}", lambda: self.api.inspect_image(ref))
        except NotFoundError:
            return None
        return ImageInfo(str(raw["Id"]), tuple(raw.get("RepoTags") or ()), int(raw.get("Size") or 0),
                         str(raw.get("Created", "")), f"{raw.get('Os', '')}/{raw.get('Architecture', '')}",
                         str((raw.get("Metadata") or {}).get("LastTagTime", "")),
                         tuple(raw.get("RepoDigests") or ()),
                         tuple(sorted((raw.get("Config") or {}).get("ExposedPorts") or ())))

    def images_labelled(self, label: str) -> list[ImageInfo]:
        raw = self._call("list images", lambda: self.api.images(filters={"label": label}))
        return [ImageInfo(str(i["Id"]), tuple(i.get("RepoTags") or ()), int(i.get("Size") or 0),
                          _rfc3339(int(i.get("Created") or 0)), "",
                          repo_digests=tuple(i.get("RepoDigests") or ()))
                for i in raw]

    def push_image(self, ref: str) -> None:
        repo, tag = _split_ref(ref)

        def push() -> None:
            for event in self.api.push(repo, tag=tag, stream=True, decode=True):
                if "error" in event:
                    raise EngineError(f"push {ref}: {event['error']}")

        self._call(f"push {ref}", push)

    def exec_attached(self, container_id: str, command: Sequence[str], session: Session, *,
                      user: str | None = None, workdir: str | None = None,
                      environment: Mapping[str, str] | None = None, privileged: bool = False) -> int:
        what = f"exec in {container_id[:12]}"
        exec_id = self._call(what, lambda: self.api.exec_create(
            container_id, list(command), stdin=session.stdin and not session.detach, tty=session.tty,
            user=user or "", workdir=workdir, environment=dict(environment) if environment else None,
            privileged=privileged))["Id"]
        if session.detach:
            self._call(what, lambda: self.api.exec_start(exec_id, detach=True))
            return 0
        sock = self._call(what, lambda: self.api.exec_start(exec_id, tty=session.tty, socket=True))
        if session.tty:
            self._resize(lambda h, w: self.api.exec_resize(exec_id, height=h, width=w))
        _pump(sock, session)
        for _ in range(50):  # the stream can end a moment before the engine records the exit
            info = self._call(what, lambda: self.api.exec_inspect(exec_id))
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
        sock = self._call(what, lambda: self.api.attach_socket(container_id, params=params))
        if start:
            self.start_container(container_id)
        if session.tty:
            self._resize(lambda h, w: self.api.resize(container_id, height=h, width=w))
        _pump(sock, session)
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
    networking_config = None
    if spec.networks and spec.network_mode is None:
        first = spec.networks[0]
        networking_config = api.create_networking_config({first.name: api.create_endpoint_config(
            aliases=list(first.aliases) or None, ipv4_address=first.ipv4_address,
            ipv6_address=first.ipv6_address,
            links=[tuple(link.split(":", 1)) for link in first.links] or None)})
    return {
        "image": spec.image, "name": spec.name,
        "command": list(svc.command) if svc.command is not None else None,
        "entrypoint": list(svc.entrypoint) if svc.entrypoint is not None else None,
        "environment": [f"{k}={v}" for k, v in svc.environment.items() if v is not None],
        "labels": dict(spec.labels), "hostname": svc.hostname, "domainname": svc.domainname, "user": svc.user,
        "working_dir": svc.working_dir, "tty": svc.tty, "stdin_open": svc.stdin_open,
        "stop_signal": svc.stop_signal, "stop_timeout": _seconds(svc.stop_grace_period_ns),
        "mac_address": svc.mac_address, "ports": list(dict.fromkeys(exposed)),
        "healthcheck": _healthcheck(svc), "host_config": host_config, "networking_config": networking_config,
        "platform": svc.platform, "use_config_proxy": False, "detach": True,
    }


def _seconds(ns: int | None) -> int | None:
    return None if ns is None else max(0, round(ns / 1e9))


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
        if m.type == "bind" and m.source and m.bind_create_host_path and not m.bind_propagation:
            binds.append(f"{m.source}:{m.target}:{mode}" + (f",{m.bind_selinux}" if m.bind_selinux else ""))
        elif m.type == "volume" and m.source and not m.volume_nocopy and not m.volume_subpath:
            binds.append(f"{m.source}:{m.target}:{mode}")
        elif m.type in ("bind", "volume", "tmpfs"):
            if m.volume_subpath:
                raise EngineError(f"volume subpath for {m.target} needs Docker Engine API 1.45 or newer",
                                  hint="mount the whole volume and use a path inside it")
            options: dict[str, Any] = {
                "target": m.target, "source": m.source or "", "type": m.type, "read_only": m.read_only,
                "consistency": m.consistency, "propagation": m.bind_propagation, "no_copy": m.volume_nocopy,
                "tmpfs_size": m.tmpfs_size, "tmpfs_mode": m.tmpfs_mode}
            out.append(DockerMount(**options))
        else:
            raise EngineError(f"mount type {m.type!r} at {m.target} is not supported by compose-lite")
    return binds, out, tmpfs


def _reuse_unix_connections(client: Any) -> None:
    """Give the client one connection pool for its socket instead of one per request URL.

    The SDK's unix-socket adapter keys its pools by the whole URL, so every call about one container
    (start, stop, inspect of an id) opens a new connection in a new pool and evicts an older pool:
    ~180 pools for a 30-service `up`, each built, connected and torn down. One pool per socket keeps
    the connections alive across calls, as the SDK's TCP transport (through requests) already does.
    """
    from docker.transport import UnixHTTPAdapter

    class OnePoolPerSocket(UnixHTTPAdapter):
        def get_connection(self, url: str | bytes, proxies: Any = None) -> Any:
            return super().get_connection("http+docker://localhost", proxies)

    negotiated = client.get_adapter("http+docker://localhost")
    client.mount("http+docker://", OnePoolPerSocket(
        f"http+unix://{negotiated.socket_path}", negotiated.timeout, max_pool_size=negotiated.max_pool_size))
    negotiated.close()


def _pool_size(environ: Mapping[str, str]) -> int:
    from compose_lite.executor import parallel_limit

    return parallel_limit(environ)


def _skip_paramiko_unless_ssh() -> None:
    """Keep the SDK from importing paramiko (~90 ms): called only for hosts that are not ssh://.

    docker.transport imports its ssh adapter, and with it paramiko, whenever paramiko can be
    imported, although only ssh:// hosts use it.  A ``None`` entry in sys.modules makes that
    import fail fast, which the SDK handles by leaving the ssh adapter out.  One process talks to
    one host, so nothing else in it needs paramiko.
    """
    if "docker" not in sys.modules:
        sys.modules.setdefault("paramiko", None)  # type: ignore[arg-type]


class _Events:
    """The SDK's event stream as EngineEvents; ``close()`` shuts its socket, ending a blocked read."""

    def __init__(self, engine: DockerEngine, stream: Any) -> None:
        self._engine = engine
        self._raw = stream

    def __iter__(self) -> Iterator[EngineEvent]:
        for raw in self._engine._stream("events", self._raw):
            actor = raw.get("Actor") or {}
            yield EngineEvent(int(raw.get("timeNano") or 0), str(raw.get("Type", "")),
                              str(raw.get("Action", "")), str(actor.get("ID", "")),
                              {str(k): str(v) for k, v in (actor.get("Attributes") or {}).items()})

    def close(self) -> None:
        try:
            self._raw.close()  # shuts the socket down, which wakes a read blocked on it
        except Exception as err:  # the SDK cannot reach every transport's socket (not ssh://'s)
            # Closing the response instead would wait on the blocked reader's buffer lock: leave
            # that reader blocked; its thread ends with the process.
            log.debug("event stream not closed: %r", err)


def _observed_container(raw: Mapping[str, Any]) -> ObservedContainer:
    labels = raw.get("Labels") or {}
    networks = ((raw.get("NetworkSettings") or {}).get("Networks") or {}).keys()
    try:
        number = int(labels.get(L.NUMBER, "0"))
    except ValueError:
        number = 0
    return ObservedContainer(
        id=raw["Id"], name=(raw.get("Names") or ["/?"])[0].lstrip("/"), project=labels.get(L.PROJECT, ""),
        service=labels.get(L.SERVICE, ""), number=number, state=str(raw.get("State", "")),
        status=str(raw.get("Status", "")), labels=labels, image=str(raw.get("Image", "")),
        image_id=str(raw.get("ImageID", "")), command=str(raw.get("Command", "")),
        created=int(raw.get("Created") or 0), oneoff=labels.get(L.ONEOFF, "False") == "True",
        ports=tuple(raw.get("Ports") or ()), networks=tuple(networks),
        mounts=tuple(ObservedMount(str(m.get("Type", "")), m.get("Name"), str(m.get("Source", "")),
                                   str(m.get("Destination", ""))) for m in raw.get("Mounts") or ()),
    )


def _split_ref(ref: str) -> tuple[str, str | None]:
    if "@" in ref:
        return ref, None
    name, _, tag = ref.rpartition(":")
    if name and "/" not in tag:
        return name, tag
    return ref, "latest"


def _inline_context(build: Build) -> io.BytesIO:
    data = (build.dockerfile_inline or "").encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    return buf


def _tar(files: tuple[Any, ...]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for f in files:
            info = tarfile.TarInfo(f.target.lstrip("/"))
            info.size, info.mode, info.uid, info.gid = len(f.content), f.mode, f.uid, f.gid
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(f.content))
    return buf.getvalue()


# What to do about the engine's common refusals, by a phrase of its message.
_REFUSAL_HINTS = (
    (("address already in use", "port is already allocated"),
     "another process or container already publishes that host port: stop it, or change the host side "
     "of the service's `ports:` entry"),
    (("is already in use by container",),
     "a container outside this project has that name: remove or rename it, or change `container_name:`"),
    (("no space left on device",), "the engine's disk is full: `docker system df` shows what uses it"),
)


def refusal_hint(explanation: str) -> str | None:
    return next((hint for phrases, hint in _REFUSAL_HINTS if any(p in explanation for p in phrases)), None)


def _rfc3339(unix_seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix_seconds))


def _explanation(err: Any) -> str:
    explanation = getattr(err, "explanation", None)
    if isinstance(explanation, bytes):
        explanation = explanation.decode(errors="replace")
    if explanation:
        try:  # some daemons return the JSON body verbatim
            return str(json.loads(explanation).get("message", explanation))
        except (ValueError, AttributeError):
            return str(explanation)
    return str(err)


def _reason(err: BaseException) -> str:
    """A one-line reason for a connection failure, without the urllib3 object soup."""
    text = str(err)
    for needle, reason in (("No such file or directory", "no such socket"),
                           ("Connection refused", "connection refused"),
                           ("Permission denied", "permission denied"),
                           ("timed out", "timed out")):
        if needle in text:
            return reason
    return text.splitlines()[0] if text else type(err).__name__


def _pump(sock: Any, session: Session) -> None:
    """Copy stdin into a hijacked connection and its output to the session's streams until it ends."""
    import threading

    from docker.utils.socket import frames_iter

    if session.stdin:
        threading.Thread(target=_feed, args=(getattr(sock, "_sock", sock), session.stdin_fd), daemon=True,
                         name="cl-stdin").start()
    try:
        with _RawTerminal(session.stdin_fd if session.tty else None):
            for stream_id, data in frames_iter(sock, session.tty):
                out = session.stderr if stream_id == 2 else session.stdout
                if out is not None:
                    out.write(data)
                    out.flush()
    finally:
        sock.close()


def _feed(raw: Any, fd: int) -> None:
    """stdin → container; end of input half-closes the connection so the process sees EOF."""
    import socket

    try:
        while data := os.read(fd, 4096):
            raw.sendall(data)
        raw.shutdown(socket.SHUT_WR)
    except OSError as err:  # the container ended first, or stdin is closed
        log.debug("stdin copy ended: %s", err)


class _RawTerminal:
    """Puts a terminal in raw mode for a TTY session (keys go to the container) and restores it."""

    def __init__(self, fd: int | None) -> None:
        self._saved: Any = None
        self._fd = fd

    def __enter__(self) -> None:
        if self._fd is not None and os.isatty(self._fd):
            import termios
            import tty

            self._saved = termios.tcgetattr(self._fd)
            tty.setraw(self._fd)

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None and self._fd is not None:
            import termios

            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)


def _stats(raw: Mapping[str, Any]) -> ContainerStats:
    """The numbers ``docker stats`` shows, computed as the Docker CLI computes them."""
    cpu, pre = raw.get("cpu_stats") or {}, raw.get("precpu_stats") or {}
    cpu_delta = (cpu.get("cpu_usage") or {}).get("total_usage", 0) - (pre.get("cpu_usage") or {}).get(
        "total_usage", 0)
    system_delta = cpu.get("system_cpu_usage", 0) - pre.get("system_cpu_usage", 0)
    online = cpu.get("online_cpus") or len((cpu.get("cpu_usage") or {}).get("percpu_usage") or ()) or 1
    percent = cpu_delta / system_delta * online * 100.0 if system_delta > 0 and cpu_delta > 0 else 0.0
    mem = raw.get("memory_stats") or {}
    detail = mem.get("stats") or {}
    cache = detail.get("inactive_file", detail.get("total_inactive_file", 0))
    nets = (raw.get("networks") or {}).values()
    blkio = (raw.get("blkio_stats") or {}).get("io_service_bytes_recursive") or ()
    return ContainerStats(
        cpu_percent=percent, mem_usage=max(0, int(mem.get("usage", 0)) - int(cache)),
        mem_limit=int(mem.get("limit", 0)), net_rx=sum(int(n.get("rx_bytes", 0)) for n in nets),
        net_tx=sum(int(n.get("tx_bytes", 0)) for n in nets),
        block_read=sum(int(b.get("value", 0)) for b in blkio if str(b.get("op", "")).lower() == "read"),
        block_write=sum(int(b.get("value", 0)) for b in blkio if str(b.get("op", "")).lower() == "write"),
        pids=int((raw.get("pids_stats") or {}).get("current", 0)))
