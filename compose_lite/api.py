"""compose-lite as a library: a Compose project driven from Python (test suites, scripts).

    with Stack("compose.yaml") as stack:        # down(volumes=True) on the way out, whatever happens
        stack.up()                              # built, started, healthy
        host, port = stack.port("web", 8000)
        assert stack.exec("db", ["pg_isready"]).exit_code == 0

Each method is the operation of the CLI command of the same name (the CLI calls the same
functions): the same plan, health gating, project lock and errors (ConfigError with
file:line:col, EngineUnavailableError, OperationFailedError, ...). Nothing is printed: warnings
are collected in ``Stack.warnings``. The Docker SDK is imported when the engine is first needed.
"""

from __future__ import annotations

import io
import os
import shlex
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compose_lite.engine.base import Engine, Session
    from compose_lite.model import Project
    from compose_lite.state import ObservedContainer

PathLike = str | os.PathLike[str]
LOCK_WAIT_S = 600.0  # as the CLI's --wait-lock default


@dataclass(frozen=True)
class CommandResult:
    """What a command run by ``exec`` or ``run`` returned and printed."""

    exit_code: int
    stdout: str
    stderr: str


class Stack:
    """A Compose project: its files loaded and validated at construction, the engine reached lazily.

    ``files``: a path or a list of paths (overrides in order). ``environment`` is added to this
    process's environment for interpolation and `.env` handling. ``host``: as -H (unix://,
    tcp://, ssh://); DOCKER_HOST / the docker CLI's context otherwise.
    """

    def __init__(self, files: PathLike | Sequence[PathLike], project_name: str | None = None,
                 project_directory: PathLike | None = None, env_files: Sequence[PathLike] = (),
                 profiles: Sequence[str] = (), environment: Mapping[str, str] | None = None,
                 host: str | None = None) -> None:
        from compose_lite.loader import LoadRequest

        paths = [files] if isinstance(files, (str, os.PathLike)) else list(files)
        self.environ = {**os.environ, **(environment or {})}
        self.host = host
        self.warnings: list[str] = []
        self._request = LoadRequest(
            cwd=os.getcwd(), files=tuple(os.fspath(p) for p in paths), project_name=project_name,
            project_directory=None if project_directory is None else os.fspath(project_directory),
            env_files=tuple(os.fspath(p) for p in env_files), profiles=tuple(profiles), environ=self.environ)
        self._engine: Engine | None = None
        self.reload()

    def reload(self) -> Project:
        """Read the files again (the watch does when one of them changes); raises as the constructor."""
        from compose_lite.loader import load

        result = load(self._request)
        self.warnings += [str(w) for w in result.warnings]
        self.project: Project = result.project
        self._model = result.model
        return self.project

    @property
    def name(self) -> str:
        return self.project.name

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from compose_lite.engine.docker_engine import DockerEngine
            from compose_lite.executor import parallel_limit

            self._engine = DockerEngine(self.host, environ=self.environ,
                                        pool_size=parallel_limit(self.environ))
        return self._engine

    # -- lifecycle ------------------------------------------------------------------------------

    def up(self, services: Sequence[str] = (), wait: bool = True, build: bool = False,
           timeout: float | None = None) -> None:
        """`cl up -d [--wait] [--build]`: converge; with ``wait``, return once every service is
        healthy (or running), or raise with the failing one's health output."""
        from compose_lite import app

        request = app.UpRequest(services=tuple(services), wait=wait, wait_timeout=timeout,
                                build=True if build else None)
        app.up(self.project, self.engine, request, self._reporter(), environ=self.environ,
               lock=lambda: self._locked("up"))

    def down(self, volumes: bool = False) -> None:
        """`cl down [-v]`: containers and networks (and the project's named volumes) removed."""
        from compose_lite import app

        with self._locked("down"):
            app.down(self.project, self.engine, app.DownRequest(volumes=volumes, remove_orphans=True),
                     self._reporter(), environ=self.environ)

    def stop(self, services: Sequence[str] = (), timeout: int | None = None) -> None:
        from compose_lite import control

        with self._locked("stop"):
            control.stop(self.project, self.engine, tuple(services), timeout, self._reporter())

    def start(self, services: Sequence[str] = ()) -> None:
        from compose_lite import control

        with self._locked("start"):
            control.start(self.project, self.engine, tuple(services), self._reporter())

    def restart(self, services: Sequence[str] = (), timeout: int | None = None) -> None:
        from compose_lite import control

        with self._locked("restart"):
            control.restart(self.project, self.engine, tuple(services), timeout, self._reporter())

    # -- looking at it --------------------------------------------------------------------------

    def ps(self, all: bool = False) -> list[ObservedContainer]:  # named as `cl ps --all`
        """The project's containers: ``.service``, ``.name``, ``.state``, ``.health``, ``.ports``."""
        from compose_lite import app

        return app.ps(self.project, self.engine, all_states=all)

    def port(self, service: str, private_port: int, protocol: str = "tcp", index: int = 1) -> tuple[str, int]:
        """(host address, host port) a service's private port is published on."""
        from compose_lite.ports import published_port

        return published_port(self.project, self.engine, service, private_port, protocol=protocol,
                              index=index)

    def logs(self, service: str | None = None, tail: int | None = None) -> str:
        """The output of the project's (or one service's) containers, ``name | line`` per line."""
        from compose_lite import logs

        lines: list[str] = []
        services = () if service is None else (service,)
        logs.show(self.engine, self.project.name, services, logs.LogOptions(tail=tail),
                  lambda line: lines.append(f"{line.name} | {line.text}"))
        return "\n".join(lines)

    def config(self) -> dict[str, Any]:
        """The canonical model, as `cl config --format json` prints it."""
        import copy

        return copy.deepcopy(self._model)

    # -- commands in containers -----------------------------------------------------------------

    def exec(self, service: str, cmd: str | Sequence[str], env: Mapping[str, str] | None = None,
             user: str | None = None, workdir: str | None = None, index: int = 1) -> CommandResult:
        """`cl exec -T`: run ``cmd`` in the service's running container; its output captured."""
        from compose_lite import oneoff

        target = oneoff.exec_target(self.engine, self.project, service, index)
        with _captured() as (session, result):
            code = self.engine.exec_attached(target.id, _argv(cmd), session, user=user, workdir=workdir,
                                             environment=dict(env or {}))
        return result(code)

    def run(self, service: str, cmd: str | Sequence[str] = (), env: Mapping[str, str] | None = None,
            user: str | None = None, workdir: str | None = None, remove: bool = True) -> CommandResult:
        """`cl run -T [--rm]`: a one-off container of the service (its dependencies started first)."""
        from compose_lite import oneoff

        request = oneoff.RunRequest(service=service, command=_argv(cmd), environment=dict(env or {}),
                                    user=user, workdir=workdir, remove=remove)
        with _captured() as (session, result):
            code = oneoff.run(self.project, self.engine, request, session, self._reporter(),
                              environ=self.environ, lock=lambda: self._locked("run"))
        return result(code)

    # -- hot reload -----------------------------------------------------------------------------

    @contextmanager
    def watch(self, on_change: Callable[[str], None] | None = None,
              services: Sequence[str] = ()) -> Iterator[None]:
        """The hot-reload loop of `cl watch`, in a thread for the block: ``on_change`` gets each
        line it reports (what a batch of changes did and how long it took, or what failed)."""
        from compose_lite.output import LineReporter
        from compose_lite.watch.loop import LoopOptions, WatchLoop

        loop = WatchLoop(self.project, self.engine, load=self.reload,
                         reporter=LineReporter(on_change or (lambda _line: None)),
                         options=LoopOptions(services=tuple(services)), environ=self.environ,
                         lock=lambda: self._locked("watch"))
        thread = threading.Thread(target=loop.run, name="cl-api-watch", daemon=True)
        thread.start()
        try:
            loop.ready.wait(timeout=60)
            yield
        finally:
            loop.stop()
            thread.join(timeout=30)

    # -- as a context manager -------------------------------------------------------------------

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc: object) -> None:
        """Everything the stack made is removed, volumes included, also after an error or Ctrl-C."""
        self.down(volumes=True)

    # -- helpers ----------------------------------------------------------------------------------

    def _reporter(self) -> Any:
        from compose_lite.output import WarningsOnly

        return WarningsOnly(self.warnings.append)

    def _locked(self, command: str) -> AbstractContextManager[None]:
        from compose_lite.lock import project_lock

        return project_lock(self.engine, self.project.name, command, wait=LOCK_WAIT_S, on_wait=lambda _: None)


def _argv(cmd: str | Sequence[str]) -> tuple[str, ...]:
    return tuple(shlex.split(cmd)) if isinstance(cmd, str) else tuple(cmd)


@contextmanager
def _captured() -> Iterator[tuple[Session, Callable[[int], CommandResult]]]:
    """A session without stdin whose output is kept, and how to make the result from it."""
    from compose_lite.engine.base import Session

    out, err = io.BytesIO(), io.BytesIO()
    session = Session(tty=False, stdin=False, stdout=out, stderr=err)
    yield session, lambda code: CommandResult(code, out.getvalue().decode(errors="replace"),
                                              err.getvalue().decode(errors="replace"))
