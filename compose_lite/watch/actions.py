"""Carry out one service's action of a batch against the engine, timing each step.

- sync: per matched rule, ``plan_sync`` → ``rm -rf`` of deleted paths (one exec) → one
  ``put_archive`` of the tar at ``/`` — for every running container of the service;
- restart: a plan restarting each container, then (with a healthcheck) one waiting until each is
  healthy, both run by the executor as `cl restart` and `cl up --wait` run theirs;
- sync+restart, sync+exec: the sync, then the restart or the rule's ``exec`` command;
- rebuild: build the image and recreate only that service through ``app.up`` (same planner and
  executor as ``cl up``; ``restart: true`` dependents are separate actions run by the loop after).

Errors never escape ``run``: the outcome carries the ComposeLiteError so the loop reports it and
goes on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from compose_lite import observe
from compose_lite.clock import Clock
from compose_lite.engine.base import Engine
from compose_lite.errors import ComposeLiteError, NotFoundError, OperationFailedError
from compose_lite.hooks import output_tail, run_hook
from compose_lite.model import Hook, Project, Service
from compose_lite.operations import AwaitReady, Plan, RestartContainer
from compose_lite.output import WarningsOnly
from compose_lite.parallel import parallel_map
from compose_lite.state import ObservedContainer, Status
from compose_lite.watch.rules import Action, ServiceAction
from compose_lite.watch.stats import format_duration
from compose_lite.watch.syncplan import SyncPlan, plan_sync

DEFAULT_HEALTH_TIMEOUT = 60.0
HEALTH_POLL = 0.05


@dataclass(frozen=True)
class Step:
    text: str  # "synced 3", "restarted", "healthy"
    seconds: float
    after: bool = False  # shown as "+120 ms": time spent after the previous step (waiting)

    def render(self) -> str:
        took = format_duration(self.seconds)
        return f"{self.text} ({'+' if self.after else ''}{took})"


@dataclass
class Outcome:
    service: str
    cause: str  # "3 files changed", "dependency backend restarted"
    steps: list[Step] = field(default_factory=list)
    error: ComposeLiteError | None = None
    notes: list[str] = field(default_factory=list)  # skipped files, build warnings
    restarted: bool = False  # the containers were restarted or recreated

    def line(self, width: int = 0) -> str:
        """``backend  3 files changed → synced 3 (9 ms) → restarted (310 ms) → healthy (+120 ms)``."""
        parts = [self.cause, *(s.render() for s in self.steps)]
        if self.error is not None:
            parts.append(f"failed: {self.error}")
        lead = f"{self.service:<{width}}  "
        return lead + " → ".join(parts).replace("\n", "\n" + " " * len(lead))  # continuation under the cause


def describe_cause(action: ServiceAction) -> str:
    if action.because_of is not None:
        return f"dependency {action.because_of} restarted"
    n = len(action.paths)
    if n == 1:
        return "1 file changed"
    return f"{n} files changed" if n else "changed"


class ActionRunner:
    def __init__(self, engine: Engine, clock: Clock, *, environ: Mapping[str, str] | None = None,
                 health_timeout: float = DEFAULT_HEALTH_TIMEOUT, prune: bool = True) -> None:
        self.engine = engine
        self.clock = clock
        self.environ = dict(environ or {})
        self.health_timeout = health_timeout
        self.prune = prune  # remove the image a rebuild replaced, once nothing uses it

    def run(self, action: ServiceAction, project: Project, *, cause: str | None = None) -> Outcome:
        outcome = Outcome(action.service, cause or describe_cause(action))
        try:
            self._run(action, project, outcome)
        except ComposeLiteError as err:
            outcome.error = err
        except Exception as err:  # an unexpected bug must not end the loop either
            outcome.error = OperationFailedError(f"{type(err).__name__}: {err}")
        return outcome

    def _run(self, action: ServiceAction, project: Project, outcome: Outcome) -> None:
        svc = project.services.get(action.service)
        if svc is None:
            raise NotFoundError(f"service {action.service} is no longer in the project")
        if action.action is Action.REBUILD:
            self._rebuild(svc, project, outcome)
            self._await_healthy(svc, self._containers(project, svc.name), outcome)
            return
        containers = self._containers(project, svc.name)
        if not containers:
            raise NotFoundError(f"no running container for service {svc.name}",
                                hint="start it with `cl up`")
        if action.action.syncs and action.matches:
            self._sync(action, containers, outcome)
        if action.action is Action.SYNC_EXEC:
            for command in action.exec_commands:
                self._exec(svc, command, containers, outcome)
        if action.action.restarts:
            self._restart(project, svc, containers, outcome)
            self._await_healthy(svc, containers, outcome)

    def _containers(self, project: Project, service: str) -> list[ObservedContainer]:
        return observe.containers(self.engine, project.name, services=(service,),
                                  states=(Status.RUNNING, Status.RESTARTING))

    def _timed(self, outcome: Outcome, text: str, started: float, *, after: bool = False) -> None:
        outcome.steps.append(Step(text, self.clock.monotonic() - started, after))

    def _sync(self, action: ServiceAction, containers: Sequence[ObservedContainer], outcome: Outcome) -> None:
        started = self.clock.monotonic()
        copied = deleted = 0
        for match in action.matches:
            plan = plan_sync(match.changes, match.trigger)
            outcome.notes.extend(f"not synced: {s}" for s in plan.skipped)
            if plan.empty:
                continue
            _each(functools.partial(self._apply, plan=plan), containers)
            copied += len(plan.copied)
            deleted += len(plan.deleted)
        text = f"synced {copied}" + (f", removed {deleted}" if deleted else "")
        self._timed(outcome, text, started)

    def _apply(self, container: ObservedContainer, plan: SyncPlan) -> None:
        if plan.deleted:
            result = self.engine.exec_run(container.id, ["rm", "-rf", *plan.deleted])
            if result.exit_code != 0:
                raise OperationFailedError(
                    f"removing {len(plan.deleted)} path(s) in {container.name} failed "
                    f"(exit {result.exit_code}): {_tail(result.output)}",
                    hint="synced deletions need `rm` in the container image")
        if plan.archive:
            self.engine.put_archive(container.id, plan.EXTRACT_AT, plan.archive)

    def _exec(self, svc: Service, command: tuple[str, ...], containers: Sequence[ObservedContainer],
              outcome: Outcome) -> None:
        spec = next((r.exec for r in svc.watch if r.exec is not None and r.exec.command == command),
                    Hook(command))
        started = self.clock.monotonic()

        def run_one(c: ObservedContainer) -> None:
            result = run_hook(self.engine, c.id, spec)
            if result.exit_code != 0:
                raise OperationFailedError(f"`{' '.join(command)}` in {c.name} exited {result.exit_code}: "
                                           f"{_tail(result.output)}")

        _each(run_one, containers)
        self._timed(outcome, f"ran {command[0]}", started)

    def _restart(self, project: Project, svc: Service, containers: Sequence[ObservedContainer],
                 outcome: Outcome) -> None:
        """As `cl restart SERVICE`: a plan of restarts, run by the executor."""
        from compose_lite import control, executor

        started = self.clock.monotonic()
        step = control.Step(RestartContainer, lambda c: True, settings={"stop_timeout": svc.stop_timeout_s})
        executor.run(control.plan(project, {svc.name: list(containers)}, step), self.engine,
                     WarningsOnly(outcome.notes.append), clock=self.clock)
        outcome.restarted = True
        self._timed(outcome, "restarted", started)

    def _rebuild(self, svc: Service, project: Project, outcome: Outcome) -> None:
        from compose_lite import app

        if svc.build is None:
            raise OperationFailedError(f"service {svc.name} has a rebuild rule but no `build` section")
        started = self.clock.monotonic()
        ref = app.image_ref(project, svc)
        previous = self.engine.image_id(ref)
        request = app.UpRequest(services=(svc.name,), no_deps=True, build=True)
        up = app.up(project, self.engine, request, WarningsOnly(outcome.notes.append), environ=self.environ)
        if self.prune and previous and previous != self.engine.image_id(ref):
            try:  # the replaced image is dangling now, unless something else still uses it
                self.engine.remove_image(previous)
            except ComposeLiteError as err:
                outcome.notes.append(f"kept the previous image: {err.message}")
        outcome.restarted = True
        recreated = [op for op in up.plan.changes() if op.service == svc.name]
        self._timed(outcome, "rebuilt and recreated" if recreated else "rebuilt (image unchanged)", started)

    def _await_healthy(self, svc: Service, containers: Sequence[ObservedContainer], outcome: Outcome) -> None:
        """As `cl up --wait`: the executor's readiness wait on each container, after the restart."""
        from compose_lite import executor

        if svc.healthcheck is None or svc.healthcheck.disabled or not containers:
            return
        started = self.clock.monotonic()
        # No service named: the outcome's line starts with it already.
        waits = [AwaitReady(id=f"ready:{c.name}", target=c.name, container=c, healthcheck=True)
                 for c in containers]
        executor.run(Plan({op.id: op for op in waits}), self.engine, WarningsOnly(outcome.notes.append),
                     clock=self.clock, deadline=started + self.health_timeout, poll=HEALTH_POLL)
        self._timed(outcome, "healthy", started, after=True)


def _each(fn: Callable[[ObservedContainer], None], containers: Sequence[ObservedContainer]) -> None:
    """Apply ``fn`` to every container (in parallel when there are replicas); first error raised."""
    parallel_map(fn, containers, limit=8, name="cl-watch")


def _tail(output: bytes) -> str:
    return output_tail(output) or "no output"
