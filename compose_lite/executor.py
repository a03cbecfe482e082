"""Runs a plan: each operation as soon as its dependencies hold, in parallel, bounded.

Not level by level: a ``graphlib.TopologicalSorter`` hands out whatever became ready each time
one operation finishes.  Waits (dependency conditions, ``--wait``) poll the engine on a short
interval through an injected clock.  A failed operation stops new work; operations already
running finish, and the first failure is raised.  A failed optional dependency
(``required: false``) is a warning and its dependents go on.
"""

from __future__ import annotations

import contextlib
import functools
import graphlib
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from compose_lite import readiness
from compose_lite.clock import Clock, SystemClock
from compose_lite.engine.base import Engine
from compose_lite.errors import (
    AlreadyExistsError,
    ComposeLiteError,
    EngineError,
    OperationFailedError,
    StaleEndpointError,
)
from compose_lite.exits import ExitWatch
from compose_lite.hooks import output_tail, run_hook
from compose_lite.model import Condition, Hook
from compose_lite.network_release import clear_stale_endpoint, release_network
from compose_lite.operations import (
    AwaitCondition,
    AwaitExit,
    AwaitReady,
    ContainerOperation,
    CreateContainer,
    CreateNetwork,
    CreateVolume,
    KeepContainer,
    KillContainer,
    Operation,
    PauseContainer,
    Plan,
    RecreateContainer,
    RemoveContainer,
    RemoveImage,
    RemoveNetwork,
    RemoveVolume,
    RestartContainer,
    RollOut,
    StartContainer,
    StopContainer,
    UnpauseContainer,
)
from compose_lite.output import Reporter
from compose_lite.readiness import NotReady, wait_ready
from compose_lite.rollout import Rollout
from compose_lite.state import LIVE, Status

log = logging.getLogger(__name__)
DEFAULT_LIMIT = 64
_Finished = queue.SimpleQueue[tuple[str, BaseException | None]]  # (operation id, its error or None)
POLL_S = 0.05


@dataclass(frozen=True)
class HookOutput:
    """What a lifecycle hook printed: an attached `up` shows it among the logs, as Compose does."""

    container_id: str
    text: str


@dataclass
class Result:
    """What running a plan produced: container ids, warnings and the hooks' output."""

    container_ids: dict[str, list[str]] = field(default_factory=dict)  # service → ids, in replica order
    warnings: list[str] = field(default_factory=list)
    hook_output: list[HookOutput] = field(default_factory=list)  # in the order the hooks ended


def parallel_limit(environ: Mapping[str, str]) -> int:
    value = environ.get("COMPOSE_PARALLEL_LIMIT", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_LIMIT


def run(plan: Plan, engine: Engine, progress: Reporter, *, limit: int = DEFAULT_LIMIT,
        clock: Clock | None = None, deadline: float | None = None, poll: float = POLL_S) -> Result:
    """Execute ``plan``; raise the first ComposeLiteError after in-flight operations have finished."""
    ops = plan.operations
    # A plan that waits on exits (down) subscribes to its project's events before any stop is sent.
    project = next((op.container.project for op in ops.values() if isinstance(op, AwaitExit)), None)
    with ExitWatch(engine, project) as exits:
        return _run(ops, _Runner(engine, progress, clock or SystemClock(), deadline, poll, exits), limit)


def _run(ops: Mapping[str, Operation], runner: _Runner, limit: int) -> Result:
    order = {op_id: i for i, op_id in enumerate(ops)}
    sorter = graphlib.TopologicalSorter({k: [d for d in op.deps if d in ops] for k, op in ops.items()})
    sorter.prepare()
    # Workers report on a queue: one get per finished operation, where ``wait(FIRST_COMPLETED)``
    # would lock every future in flight each time (quadratic, and CPU the engine needs).
    finished: _Finished = queue.SimpleQueue()
    failure: ComposeLiteError | None = None
    in_flight = 0
    with ThreadPoolExecutor(max_workers=max(1, limit), thread_name_prefix="cl-op") as pool:
        try:
            while True:
                if failure is None:
                    ready = sorted(sorter.get_ready(), key=order.__getitem__)
                    # Exit waits hold no worker: the watch calls back.  They are registered before the
                    # stops they wait on are submitted, so each sees its stop's outcome in order.
                    for op in (ops[op_id] for op_id in ready):
                        if isinstance(op, AwaitExit):
                            runner.exits.on_exit(op.container.id, functools.partial(_exited, finished, op.id))
                        else:
                            pool.submit(_report, finished, op.id, runner.execute, op)
                    in_flight += len(ready)
                if not in_flight:
                    break
                op_id, err = finished.get()
                in_flight -= 1
                if err is None:
                    sorter.done(op_id)
                elif isinstance(err, ComposeLiteError) and _optional(ops[op_id]):
                    runner.warn(f"optional {err.message}; its dependents go on")
                    sorter.done(op_id)
                elif failure is None:
                    failure = err if isinstance(err, ComposeLiteError) else EngineError(f"{op_id}: {err!r}")
                    runner.cancelled.set()
        except BaseException:
            # Ctrl-C or SIGTERM (KeyboardInterrupt, see interrupts.py): waits end at their next poll,
            # operations not started never start, and calls already at the engine finish.
            runner.cancelled.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    if failure is not None:
        raise failure
    return runner.result


def _optional(op: Operation) -> bool:
    """A dependency declared ``required: false``: its failure is a warning."""
    return isinstance(op, AwaitCondition) and not op.required


def _exited(finished: _Finished, op_id: str, error: BaseException | None) -> None:
    finished.put((op_id, error))


def _report(finished: _Finished, op_id: str, action: Callable[[Operation], None], op: Operation) -> None:
    try:
        action(op)
    except BaseException as err:  # handed to the scheduling thread, which decides and re-raises
        finished.put((op_id, err))
    else:
        finished.put((op_id, None))


def _natural(name: str) -> list[int | str]:
    """Sort key putting p-web-2 before p-web-10 (replica order)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


class _Runner:
    def __init__(self, engine: Engine, progress: Reporter, clock: Clock, deadline: float | None,
                 poll: float, exits: ExitWatch) -> None:
        self.engine = engine
        self.exits = exits
        self.progress = progress
        self.clock = clock
        self.deadline = deadline
        self.poll = poll
        self.result = Result()
        self.cancelled = threading.Event()
        self._ids: dict[str, dict[str, str]] = {}  # service → container name → id
        self._lock = threading.Lock()
        self._shown: set[tuple[str, str]] = set()  # (container, outcome) waits already shown

    def warn(self, message: str) -> None:
        self.result.warnings.append(message)
        self.progress.warning(message)

    def _record(self, op: Operation, container_id: str, name: str | None = None) -> None:
        """``container_id`` serves the replica ``name`` (default: the one the operation acts on)."""
        if op.service is None:
            return
        with self._lock:
            self._ids.setdefault(op.service, {})[name or op.target] = container_id
            self.result.container_ids[op.service] = [
                cid for _, cid in sorted(self._ids[op.service].items(), key=lambda item: _natural(item[0]))]

    def execute(self, op: Operation) -> None:
        log.debug("run %s", op.line())
        HANDLERS[type(op)](self, op)

    # -- resources -----------------------------------------------------------------------------

    def _create_network(self, op: CreateNetwork) -> None:
        self.progress.event("Network", op.target, "Creating")
        with contextlib.suppress(AlreadyExistsError):  # created concurrently or by an interrupted run
            self.engine.create_network(op.network, op.labels)
        self.progress.event("Network", op.target, "Created", done=True)

    def _create_volume(self, op: CreateVolume) -> None:
        self.progress.event("Volume", op.target, "Creating")
        self.engine.create_volume(op.volume, op.labels)
        self.progress.event("Volume", op.target, "Created", done=True)

    def _remove_network(self, op: RemoveNetwork) -> None:
        self.progress.event("Network", op.target, "Removing")
        released = release_network(self.engine, op.target, self.clock)
        if released.cleared:
            self.progress.warning(f"network {op.target}: cleared endpoints the engine had not released "
                                  f"({', '.join(released.cleared)})")
        if released.kept_for:
            self.progress.warning(f"network {op.target} kept: still in use by {', '.join(released.kept_for)}")
            self.progress.event("Network", op.target, "Resource is still in use", done=True)
            return
        self.progress.event("Network", op.target, "Removed", done=True)

    def _remove_volume(self, op: RemoveVolume) -> None:
        self.progress.event("Volume", op.target, "Removing")
        self.engine.remove_volume(op.target)
        self.progress.event("Volume", op.target, "Removed", done=True)

    def _remove_image(self, op: RemoveImage) -> None:
        self.progress.event("Image", op.target, "Removing")
        self.engine.remove_image(op.target)
        self.progress.event("Image", op.target, "Removed", done=True)

    # -- containers ----------------------------------------------------------------------------

    def _create(self, op: CreateContainer) -> None:
        self.progress.event("Container", op.target, "Creating")
        cid = self.engine.create_container(op.spec)
        self.progress.event("Container", op.target, "Created", done=not op.start)
        self._record(op, cid)
        if op.start:
            self._start_id(op.target, cid, op.post_start, op.service)

    def _recreate(self, op: RecreateContainer) -> None:
        if op.cause:  # what --dry-run shows, said in a plain up too (as the README promises)
            self.progress.info(f"recreate {op.rename_to}: {op.cause}")
        self.progress.event("Container", op.rename_to, "Recreate")
        cid = self.engine.create_container(op.spec)  # under a temporary name: the old one still runs
        self.engine.stop_container(op.container.id, op.stop_timeout)
        self.engine.remove_container(op.container.id, volumes=op.remove_volumes)
        self.engine.rename_container(cid, op.rename_to)
        self.progress.event("Container", op.rename_to, "Recreated", done=not op.start)
        self._record(op, cid)
        if op.start:
            self._start_id(op.rename_to, cid, op.post_start, op.service)

    def _roll_out(self, op: RollOut) -> None:
        Rollout(op, self.engine, self.progress, self.clock,
                until=lambda name, cid, healthy: self._until(name, cid, healthy=healthy, exit_ok=False,
                                                             what=f"replacement for {name}"),
                record=lambda name, cid: self._record(op, cid, name)).run()

    def _start(self, op: StartContainer) -> None:
        if op.container is None:  # created earlier in this run, ahead of its dependencies' conditions
            assert op.service is not None
            with self._lock:
                cid = self._ids[op.service][op.target]
            self._start_id(op.target, cid, op.post_start, op.service)
            return
        self._rename(op)
        self._record(op, op.container.id)
        self._start_id(op.target, op.container.id, op.post_start, op.service)

    def _restart(self, op: RestartContainer) -> None:
        self._run_hooks(op.container.service, op.container.id, op.pre_stop)
        self.progress.event("Container", op.target, "Restarting")
        self.engine.restart_container(op.container.id, op.stop_timeout)
        self._record(op, op.container.id)
        self._run_hooks(op.container.service, op.container.id, op.post_start)
        self.progress.event("Container", op.target, "Started", done=True)

    def _keep(self, op: KeepContainer) -> None:
        self._rename(op)
        self._record(op, op.container.id)
        if op.container.state == Status.RUNNING:  # one kept as created (`up --no-start`) is not said
            self.progress.event("Container", op.target, "Running", done=True)

    def _rename(self, op: StartContainer | KeepContainer) -> None:
        if op.rename_to and op.container is not None and op.container.name != op.rename_to:
            self.engine.rename_container(op.container.id, op.rename_to)

    def _start_id(self, name: str, cid: str, post_start: tuple[Hook, ...], service: str | None) -> None:
        self.progress.event("Container", name, "Starting")
        try:
            self.engine.start_container(cid)
        except StaleEndpointError as err:
            cleared = clear_stale_endpoint(self.engine, err)
            if cleared is None:
                raise
            self.progress.warning(cleared)
            self.engine.start_container(cid)
        self._run_hooks(service or name, cid, post_start)
        self.progress.event("Container", name, "Started", done=True)

    def _run_hooks(self, service: str, cid: str, hooks: tuple[Hook, ...]) -> None:
        """Each lifecycle hook in the container, in order; the first that fails fails the step
        (worded as Compose words it: ``web hook exited with status 127``)."""
        for hook in hooks:
            result = run_hook(self.engine, cid, hook)
            if result.output:
                with self._lock:
                    self.result.hook_output.append(HookOutput(cid, result.output.decode(errors="replace")))
            if result.exit_code != 0:
                output = output_tail(result.output)
                raise OperationFailedError(f"{service} hook exited with status {result.exit_code}"
                                           + (f": {output}" if output else ""))

    def _stop(self, op: StopContainer | RemoveContainer) -> None:
        try:
            if op.container.state in LIVE:
                self.progress.event("Container", op.target, "Stopping")
                self._run_hooks(op.container.service, op.container.id, op.pre_stop)
                self.exits.stopping(op.container.id)
                self.engine.stop_container(op.container.id, op.stop_timeout)
                self.progress.event("Container", op.target, "Stopped", done=True)
        except BaseException as err:  # its exit waiters fail with it: no dependency is signalled
            self.exits.settled(op.container.id, err)
            raise
        self.exits.settled(op.container.id)

    def _kill(self, op: KillContainer) -> None:
        self._act(op, "Killing", "Killed", lambda cid: self.engine.kill_container(cid, op.signal))

    def _pause(self, op: PauseContainer) -> None:
        self._act(op, None, "Paused", self.engine.pause_container)  # as Compose: no "Pausing" first

    def _unpause(self, op: UnpauseContainer) -> None:
        self._act(op, None, "Unpaused", self.engine.unpause_container)

    def _act(self, op: ContainerOperation, doing: str | None, done: str, act: Callable[[str], None]) -> None:
        if doing is not None:
            self.progress.event("Container", op.target, doing)
        act(op.container.id)
        self.progress.event("Container", op.target, done, done=True)

    def _remove(self, op: RemoveContainer) -> None:
        self._stop(op)
        self.progress.event("Container", op.target, "Removing")
        self.engine.remove_container(op.container.id, volumes=op.remove_volumes)
        self.progress.event("Container", op.target, "Removed", done=True)

    # -- waits ---------------------------------------------------------------------------------

    def _await(self, op: AwaitCondition) -> None:
        assert op.service is not None
        present = {c.name: c.id for c in op.present}  # those this run did not start or create
        for name, cid in sorted({**present, **dict(self._containers(op.service))}.items()):
            if op.condition == Condition.STARTED:
                continue
            healthy = op.condition == Condition.HEALTHY
            wait = functools.partial(self._until, name, cid, healthy=healthy, exit_ok=not healthy,
                                     what=f"dependency {op.service}")
            self._wait_shown(name, "Healthy" if healthy else "Exited", wait)

    def _ready(self, op: AwaitReady) -> None:
        if op.container is not None:
            cid: str | None = op.container.id
        else:
            assert op.service is not None
            cid = dict(self._containers(op.service)).get(op.target)
        if cid is None:
            return
        outcome = "Healthy" if op.healthcheck else "Exited" if op.expect_exit else "Running"
        self._wait_shown(op.target, outcome, functools.partial(
            self._until, op.target, cid, healthy=op.healthcheck, exit_ok=op.expect_exit, or_running=True,
            what=f"service {op.service}" if op.service else ""))

    def _wait_shown(self, name: str, outcome: str, wait: Callable[[], None]) -> None:
        """Run ``wait``; show Waiting/outcome once per container and outcome, however many
        dependents (and ``--wait``) wait for it."""
        with self._lock:
            first = (name, outcome) not in self._shown
            self._shown.add((name, outcome))
        if first:
            self.progress.event("Container", name, "Waiting")
        wait()
        if first:
            self.progress.event("Container", name, outcome, done=True)

    def _containers(self, service: str) -> Iterable[tuple[str, str]]:
        with self._lock:
            return sorted(self._ids.get(service, {}).items())

    def _until(self, name: str, cid: str, *, healthy: bool, exit_ok: bool, what: str,
               or_running: bool = False) -> None:
        """Wait until healthy / running / exited 0 (by mode); raise naming the container otherwise."""
        try:
            wait_ready(self.engine, cid, healthy=healthy, exit_ok=exit_ok, clock=self.clock, poll=self.poll,
                       deadline=self.deadline, cancelled=self.cancelled, or_running=or_running)
        except NotReady as err:
            raise _unready(err, name, what) from None


def _unready(err: NotReady, name: str, what: str) -> OperationFailedError:
    """The error of a failed wait; ``what`` names the waiter ("dependency db"), or is empty when the
    reader knows it already."""
    output = err.health_output
    failed = f"{what} failed: " if what else ""
    if err.reason == readiness.EXITED:
        code = err.state.exit_code if err.state is not None else None
        detail = f" (last health check output: {output})" if output else ""
        return OperationFailedError(f"{failed}container {name} exited ({code}){detail}")
    if err.reason == readiness.UNHEALTHY:
        detail = f"\nlast health check output: {output}" if output else ""
        return OperationFailedError(f"{failed}container {name} is unhealthy{detail}")
    if err.reason == readiness.NO_HEALTHCHECK:
        return OperationFailedError(f"{failed}container {name} has no healthcheck configured")
    if err.reason == readiness.TIMED_OUT:
        waiter = f" ({what})" if what else ""
        return OperationFailedError(f"timed out waiting for container {name}{waiter}",
                                    hint="raise --wait-timeout, or check the service's healthcheck")
    return OperationFailedError(f"{failed}cancelled because another operation failed")


# Every kind of operation and what runs it; AwaitExit holds no worker (the scheduler registers it
# with the exit watch). tests/unit/test_executor.py checks that no other kind is missing.
HANDLERS: dict[type[Operation], Callable[[_Runner, Any], None]] = {
    CreateNetwork: _Runner._create_network,
    CreateVolume: _Runner._create_volume,
    CreateContainer: _Runner._create,
    RecreateContainer: _Runner._recreate,
    RollOut: _Runner._roll_out,
    StartContainer: _Runner._start,
    RestartContainer: _Runner._restart,
    KeepContainer: _Runner._keep,
    StopContainer: _Runner._stop,
    KillContainer: _Runner._kill,
    PauseContainer: _Runner._pause,
    UnpauseContainer: _Runner._unpause,
    RemoveContainer: _Runner._remove,
    AwaitCondition: _Runner._await,
    AwaitReady: _Runner._ready,
    RemoveNetwork: _Runner._remove_network,
    RemoveVolume: _Runner._remove_volume,
    RemoveImage: _Runner._remove_image,
}
