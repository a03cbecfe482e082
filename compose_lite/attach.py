"""The attached `cl up` session: the services' output until they stop, abort flags, Ctrl-C.

The output comes from a compose_lite.logs.Multiplexer that keeps following (a container that
restarts under its restart policy is resumed and does not end the session).  The session ends
when no container of the session is live any more, when an abort flag fires (then the others are
stopped gracefully), or on Ctrl-C / SIGTERM: a graceful stop of what this `up` started, each
service's stop reported; a second Ctrl-C kills them at once.

Exit code: the ``--exit-code-from`` service's code; else, after an abort, the code of the
container that caused it; else 0 — and 130 when interrupted (the convention for SIGINT, which
Docker Compose's code also returns).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from compose_lite import control, observe
from compose_lite.engine.base import Engine
from compose_lite.errors import ComposeLiteError, ConfigError, InterruptedByUser
from compose_lite.executor import HookOutput
from compose_lite.interrupts import interruptible
from compose_lite.logfmt import LogLine
from compose_lite.logs import POLL_S, LogOptions, LogSink, Multiplexer, display_name, follow
from compose_lite.model import Project, Service
from compose_lite.output import Reporter
from compose_lite.state import ENDED, ContainerState, ObservedContainer, Status

INTERRUPTED = InterruptedByUser.exit_code  # 130
KILL_WAIT_S = 5.0


@dataclass(frozen=True)
class AttachOptions:
    abort_on_exit: bool = False
    abort_on_failure: bool = False
    exit_code_from: str | None = None
    attach: tuple[str, ...] = ()  # services whose output is shown; empty = all
    no_attach: tuple[str, ...] = ()
    timestamps: bool = False
    timeout: int | None = None  # stop timeout (-t); None = each service's stop_grace_period
    since: float | None = None  # show output from this time on (when `up` began)


def check(project: Project, services: list[str], options: AttachOptions) -> None:
    """Flag combinations Compose refuses, and unknown service names."""
    if options.abort_on_exit and options.abort_on_failure:
        raise ConfigError("--abort-on-container-failure cannot be combined with --abort-on-container-exit")
    for flag, names in (("--exit-code-from", (options.exit_code_from,) if options.exit_code_from else ()),
                        ("--attach", options.attach), ("--no-attach", options.no_attach)):
        for name in names:
            if name not in project.services:
                raise ConfigError(f"{flag}: no such service: {name}")
            if flag == "--exit-code-from" and name not in services:
                raise ConfigError(f"--exit-code-from: service {name!r} is not part of this `up`")


def will_restart(service: Service, exit_code: int) -> bool:
    """Whether the engine restarts a container of ``service`` that exited with ``exit_code``."""
    policy = (service.restart or "no").split(":", 1)[0]
    return policy in ("always", "unless-stopped") or (policy == "on-failure" and exit_code != 0)


class _Session:
    def __init__(self, project: Project, engine: Engine, services: list[str], options: AttachOptions,
                 view: LogSink) -> None:
        self.project = project
        self.engine = engine
        self.services = services
        self.options = options
        self.view = view
        shown = set(options.attach or services) - set(options.no_attach)
        self.shown = shown
        self.abort = threading.Event()
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.abort_code: int | None = None
        self.codes: dict[str, int] = {}  # service → last exit code

    def containers(self) -> list[ObservedContainer]:
        return observe.containers(self.engine, self.project.name, services=self.services)

    def emit(self, entry: LogLine) -> None:
        if entry.service in self.shown:
            self.view.line(entry)

    def ended(self, c: ObservedContainer, state: ContainerState | None) -> None:
        if state is None or state.status not in (*ENDED, Status.RESTARTING):
            return  # removed meanwhile (a recreate by another command), or running again already
        if c.service in self.shown:
            self.view.event(display_name(c), c.service, f"exited with code {state.exit_code}")
        with self.lock:
            self.codes[c.service] = state.exit_code
        if (self.stopping.is_set() or state.status == Status.RESTARTING
                or will_restart(self.project.services[c.service], state.exit_code)):
            return
        if c.service not in self.shown and c.service != self.options.exit_code_from:
            return  # only attached containers end the session, as in Compose
        opts = self.options
        # --exit-code-from implies --abort-on-container-exit, unless --abort-on-container-failure is given
        if (opts.abort_on_exit or (opts.exit_code_from and not opts.abort_on_failure)
                or (opts.abort_on_failure and state.exit_code != 0)):
            with self.lock:
                if self.abort_code is None:
                    self.abort_code = state.exit_code
            self.abort.set()

    def exit_code(self, interrupted: bool) -> int:
        if interrupted:
            return INTERRUPTED
        with self.lock:
            if self.options.exit_code_from:
                return self.codes.get(self.options.exit_code_from, 0)
            return self.abort_code or 0


def run(project: Project, engine: Engine, services: list[str], options: AttachOptions, view: LogSink,
        reporter: Reporter, *, hook_output: Sequence[HookOutput] = (), poll: float = POLL_S) -> int:
    """Follow ``services``' containers until the session ends; the exit code (see the module doc).
    As Compose: the output and ``Attaching to`` go to ``view``, the stops and notices to ``reporter``;
    what `up`'s lifecycle hooks printed is shown first, each line under ``web-1 ->``."""
    check(project, services, options)
    session = _Session(project, engine, services, options, view)
    mux = Multiplexer(engine, LogOptions(follow=True, since=options.since, timestamps=options.timestamps),
                      session.emit, session.ended)
    containers = session.containers()
    names = [display_name(c) for c in containers if c.service in session.shown]
    view.notice("Attaching to " + ", ".join(names))
    by_id = {c.id: c for c in containers}
    for hook in hook_output:
        if hook.container_id in by_id:
            c = by_id[hook.container_id]
            for text in hook.text.splitlines():
                session.emit(LogLine(f"{display_name(c)} ->", c.service, text))
    with interruptible():
        try:
            follow(mux, session.containers, stop=session.abort, poll=poll)
            if session.abort.is_set():
                reporter.info("Aborting on container exit...")
                session.stopping.set()
                control.stop(project, engine, tuple(services), options.timeout, reporter)
                mux.wait(2.0)  # the stopped containers' last lines and exit lines
            return session.exit_code(interrupted=False)
        except KeyboardInterrupt:
            session.stopping.set()
            _interrupted(project, engine, services, options.timeout, reporter, mux)
            return session.exit_code(interrupted=True)


def _interrupted(project: Project, engine: Engine, services: list[str], timeout: int | None,
                 reporter: Reporter, mux: Multiplexer) -> None:
    """First Ctrl-C: graceful stop in the background while we wait; a second one: kill at once."""
    reporter.info("Gracefully stopping... (press Ctrl+C again to force)")
    errors: list[ComposeLiteError] = []
    graceful = _background(lambda: control.stop(project, engine, tuple(services), timeout, reporter), errors)
    try:
        while graceful.is_alive():
            graceful.join(0.1)
        mux.wait(1.0)
    except KeyboardInterrupt:
        reporter.info("Killing...")
        killer = _background(lambda: control.kill(project, engine, tuple(services), "SIGKILL", reporter),
                             errors)
        killer.join(KILL_WAIT_S)
    if errors:
        reporter.warning(str(errors[0]))


def _background(action: Callable[[], object], errors: list[ComposeLiteError]) -> threading.Thread:
    """A daemon thread: if the user insists on leaving, nothing it waits on can hold the exit."""
    def body() -> None:
        try:
            action()
        except ComposeLiteError as err:
            errors.append(err)

    thread = threading.Thread(target=body, daemon=True, name="cl-attach-stop")
    thread.start()
    return thread
