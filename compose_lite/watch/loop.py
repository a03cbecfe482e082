"""The watch loop: observer thread → batcher → classify → actions, one timed line per service.

The loop thread owns all state (project, triggers, storm guard); the observer threads only
filter and enqueue.  Nothing ends the loop but ``stop()`` (or Ctrl-C in the thread running it):
a failed action is reported and the next batch is processed as usual; a broken Compose edit is
reported with the loader's positions and the last good model stays in force.

Within a batch, services act in parallel; ``restart: true`` dependents act after the service
they depend on (one wave per dependency depth).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace

from compose_lite import observe
from compose_lite.clock import Clock, SystemClock
from compose_lite.engine.base import Engine
from compose_lite.errors import ComposeLiteError, ConfigErrors
from compose_lite.model import Project
from compose_lite.output import Reporter, WarningsOnly
from compose_lite.parallel import parallel_map
from compose_lite.watch import adapter
from compose_lite.watch.actions import ActionRunner, Outcome
from compose_lite.watch.debounce import (
    DEFAULT_BURST_QUIET,
    DEFAULT_MAX_WAIT,
    DEFAULT_QUIET,
    Batch,
    Batcher,
)
from compose_lite.watch.guard import StormGuard
from compose_lite.watch.observer import ChangeObserver
from compose_lite.watch.rules import (
    Action,
    ServiceAction,
    Triggers,
    classify,
    initial_sync,
    restart_dependents,
)
from compose_lite.watch.stats import LatencyStats, format_duration

log = logging.getLogger(__name__)
IDLE_SLICE = 0.2  # how often an idle loop checks for stop (and lets Ctrl-C through)


@dataclass(frozen=True)
class LoopOptions:
    services: tuple[str, ...] = ()  # watch only these (all when empty)
    quiet: float = DEFAULT_QUIET
    max_wait: float = DEFAULT_MAX_WAIT
    burst_quiet: float = DEFAULT_BURST_QUIET
    poll: bool | None = None  # None: CL_WATCH_POLL decides
    env_files: tuple[str, ...] | None = None  # None: the project directory's .env
    initial_sync: bool = True
    prune: bool = True  # remove the image a rebuild replaced (`--no-prune` keeps it)


class WatchLoop:
    def __init__(self, project: Project, engine: Engine, *, load: Callable[[], Project],
                 reporter: Reporter, options: LoopOptions = LoopOptions(), clock: Clock | None = None,
                 environ: Mapping[str, str] | None = None, stats: LatencyStats | None = None,
                 guard: StormGuard | None = None,
                 lock: Callable[[], AbstractContextManager[None]] | None = None) -> None:
        self.engine = engine
        self.load = load
        self.reporter = reporter  # a line per service and batch (info), failures (problem), warnings
        self.options = options
        self.clock = clock or SystemClock()
        self.environ = dict(environ or {})
        self.stats = stats or LatencyStats()
        self.guard = guard or StormGuard()
        self.lock = lock  # the project lock, held while restarting or rebuilding (never for a sync)
        self._guard_lock = threading.Lock()  # a wave's services act in parallel threads
        self.runner = ActionRunner(engine, self.clock, environ=self.environ, prune=options.prune)
        self.batcher = Batcher(self.clock, quiet=options.quiet, max_wait=options.max_wait,
                               burst_quiet=options.burst_quiet)
        self._stop = threading.Event()
        self._observer: ChangeObserver | None = None
        self.batches = 0  # batches that led to any action (tests and --stats read it)
        self.ready = threading.Event()  # set once watching (and the initial sync) has begun
        self._set_project(project)

    # -- lifecycle -------------------------------------------------------------------------------

    def run(self, on_ready: Callable[[], None] | None = None) -> None:
        """Watch until ``stop()``; the observer is stopped on the way out, whatever the reason.

        ``on_ready`` runs once the file-system watches are in place: a change made after it is seen.
        """
        self._start_observer()
        try:
            if self.options.initial_sync:
                self._run_actions(initial_sync(self.triggers), None)
            self.ready.set()
            if on_ready is not None:
                on_ready()
            while not self._stop.is_set():
                batch = self.batcher.next_batch(idle_timeout=IDLE_SLICE)
                if batch is not None and not self._stop.is_set():
                    self.process(batch)
        finally:
            if self._observer is not None:
                self._observer.stop()
                self._observer = None

    def stop(self) -> None:
        self._stop.set()
        self.batcher.close()

    @property
    def watched_roots(self) -> tuple[str, ...]:
        return self.triggers.watched_roots()

    # -- one batch -------------------------------------------------------------------------------

    def process(self, batch: Batch) -> None:
        result = classify(batch, self.triggers)
        if result.empty:
            return
        self.batches += 1
        if result.reload is not None:
            self._reload(batch, result.reload.paths)
            # The batch's other changes act under the (possibly new) rules.
            result = classify(replace(batch, changes=tuple(c for c in batch.changes
                                                           if c.path not in result.reload.paths)),
                              self.triggers)
        actions = [a for a in result.actions if self._guard_allows(a, batch)]
        self._run_actions(restart_dependents(actions, self.dependents), batch)

    def _guard_allows(self, action: ServiceAction, batch: Batch) -> bool:
        if not self._is_bind_restart(action):
            return True
        allowed = self.guard.allows(action.service, batch.opened_at)
        if not allowed:
            log.info("ignored bind-mount changes of %s during or right after its restart", action.service)
        return allowed

    def _is_bind_restart(self, action: ServiceAction) -> bool:
        return (action.action is Action.RESTART and action.because_of is None
                and action.service not in self._ruled)

    def _run_actions(self, actions: Iterable[ServiceAction], batch: Batch | None) -> None:
        actions = list(actions)
        if self.lock is None or all(a.action is Action.SYNC for a in actions):
            self._run_actions_in_order(actions, batch)
            return
        with self.lock():  # never restart or rebuild in the middle of another command (a `down`)
            if not observe.containers(self.engine, self.project.name, oneoff=None):
                self.reporter.warning("the project's containers are gone (`cl down`?): watch stops")
                self.stop()
                return
            self._run_actions_in_order(actions, batch)

    def _run_actions_in_order(self, actions: list[ServiceAction], batch: Batch | None) -> None:
        """Every service's action at once, except that a ``restart: true`` dependent starts as soon
        as the service it was restarted for is done (as the executor runs a plan: by dependency,
        not in waves). ``because_of`` only names a service added before it: no cycle to wait on."""
        done = {a.service: threading.Event() for a in actions}

        def act(action: ServiceAction) -> None:
            if action.because_of in done:
                done[action.because_of].wait()
            try:
                self._report(self._act(action, batch))
            finally:
                done[action.service].set()

        parallel_map(act, actions, limit=len(actions), name="cl-watch")

    def _act(self, action: ServiceAction, batch: Batch | None) -> Outcome:
        bind_restart = batch is not None and self._is_bind_restart(action)
        if bind_restart:
            assert batch is not None
            with self._guard_lock:
                warning = self.guard.started(action.service, self.clock.monotonic(), batch.opened_at)
                if warning is not None:
                    self._set_triggers()
            if warning is not None:
                self.reporter.warning(warning)
        outcome = self.runner.run(action, self.project, cause="initial sync" if batch is None else None)
        now = self.clock.monotonic()
        if bind_restart:
            with self._guard_lock:
                self.guard.finished(action.service, now)
        if batch is not None and outcome.error is None:
            self.stats.record(action.action.value, now - batch.opened_at)
        return outcome

    def _report(self, outcome: Outcome) -> None:
        line = outcome.line(self._width)
        (self.reporter.problem if outcome.error is not None else self.reporter.info)(line)
        for note in outcome.notes:
            self.reporter.warning(f"{outcome.service}: {note}")

    # -- configuration reload ------------------------------------------------------------------

    def _reload(self, batch: Batch, paths: tuple[str, ...]) -> None:
        from compose_lite import app

        names = ", ".join(sorted({p.rsplit("/", 1)[-1] for p in paths}))
        lead = f"{'config':<{self._width}}  {names} changed"
        started = self.clock.monotonic()
        try:
            project = self.load()
            adapter.build_triggers(project, self.options.services, env_files=self.options.env_files)
        except ComposeLiteError as err:
            self.reporter.problem(
                f"{lead} → not applied, keeping the last good configuration:\n{_indent(err)}")
            return
        notes: list[str] = []
        try:
            request = app.UpRequest(services=self.options.services)
            up = app.up(project, self.engine, request, WarningsOnly(notes.append), environ=self.environ)
        except ComposeLiteError as err:
            self.reporter.problem(f"{lead} → reloaded, applying failed:\n{_indent(err)}")
            self._set_project(project)  # the new model stands; the next change retries
            return
        self._set_project(project)
        self._restart_observer_if_needed()
        changes = [op.line() for op in up.plan.changes()]
        took = format_duration(self.clock.monotonic() - started)
        summary = "; ".join(changes) if changes else "no container changed"
        self.reporter.info(f"{lead} → reloaded → {summary} ({took})")
        for note in notes:
            self.reporter.warning(note)
        self.stats.record("reload", self.clock.monotonic() - batch.opened_at)

    # -- state -----------------------------------------------------------------------------------

    def _set_project(self, project: Project) -> None:
        self.project = project
        self.dependents = adapter.dependents(project)
        self._width = max([len("config"), *(len(n) for n in project.services)])
        self._set_triggers()

    def _set_triggers(self) -> None:
        triggers = adapter.build_triggers(self.project, self.options.services,
                                          env_files=self.options.env_files)
        # Services the storm guard gave up on stay opted out, also across reloads.
        self.triggers: Triggers = replace(triggers, opted_out=triggers.opted_out | self.guard.stopped)
        self._ruled = frozenset(t.service for t in self.triggers.watch)

    def _start_observer(self) -> None:
        self._observer = ChangeObserver(self.triggers.watched_roots(), self.batcher, poll=self.options.poll,
                                        on_warning=self.reporter.warning)
        self._observer.start()

    def _restart_observer_if_needed(self) -> None:
        if self._observer is None or self._observer.roots == tuple(sorted(self.triggers.watched_roots())):
            return
        self._observer.stop()
        self._start_observer()


def _indent(err: ComposeLiteError) -> str:
    """Every error (a ConfigErrors holds several, each with its position) and its hint, indented."""
    lines: list[str] = []
    for one in err.errors if isinstance(err, ConfigErrors) else [err]:
        lines.extend(str(one).splitlines())
        if one.hint:
            lines.append(f"hint: {one.hint}")
    return "\n".join(f"  {line}" for line in lines)
