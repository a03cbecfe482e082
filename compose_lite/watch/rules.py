"""From a batch of changes to what each service must do: one action per service per batch.

Inputs are this module's own trigger dataclasses (an adapter builds them from the model), so the
classification stays pure and testable.  Two sources of triggers:

- ``develop.watch`` rules (:class:`WatchTrigger`), followed exactly for the services that have them;
- bind mounts (:class:`BindMountTrigger`): a change under a mounted host path restarts a service
  that has no ``develop.watch`` rules, unless the service opted out (``x-cl-watch: false``).

Changes to the Compose files or ``.env`` yield a :class:`ReloadConfig`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from compose_lite.errors import ConfigError
from compose_lite.watch.debounce import Batch, Change, ChangeKind
from compose_lite.watch.filters import PathFilter, PatternSet, is_noise, relative_to


class Action(StrEnum):
    SYNC = "sync"
    SYNC_EXEC = "sync+exec"
    RESTART = "restart"
    SYNC_RESTART = "sync+restart"
    REBUILD = "rebuild"

    @property
    def syncs(self) -> bool:
        return self in (Action.SYNC, Action.SYNC_EXEC, Action.SYNC_RESTART)

    @property
    def restarts(self) -> bool:
        """Whether the container is restarted or recreated (which restarts ``restart: true`` dependents)."""
        return self in (Action.RESTART, Action.SYNC_RESTART, Action.REBUILD)


@dataclass(frozen=True)
class WatchTrigger:
    """One ``develop.watch`` rule; ``path`` is an absolute host path (a directory or a file)."""

    service: str
    path: str
    action: Action
    target: str | None = None  # container path, required for the sync actions
    ignore: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    initial_sync: bool = False
    exec_command: tuple[str, ...] | None = None  # for sync+exec
    dockerignore: PatternSet | None = None  # the service's build context .dockerignore, if any


@dataclass(frozen=True)
class BindMountTrigger:
    service: str
    source: str  # absolute host path
    target: str  # container path


@dataclass(frozen=True)
class RuleMatch:
    """The changes one rule matched, with their container paths when the rule syncs."""

    trigger: WatchTrigger
    changes: tuple[Change, ...]

    def container_path(self, host_path: str) -> str:
        return container_path(host_path, self.trigger)


@dataclass(frozen=True)
class ServiceAction:
    service: str
    action: Action
    matches: tuple[RuleMatch, ...] = ()  # sync-type rule matches whose files must be copied/removed
    exec_commands: tuple[tuple[str, ...], ...] = ()  # run after syncing, in rule order
    paths: tuple[str, ...] = ()  # every changed host path that caused this action, sorted
    because_of: str | None = None  # set when restarted as a `restart: true` dependent of that service


@dataclass(frozen=True)
class ReloadConfig:
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    reload: ReloadConfig | None
    actions: tuple[ServiceAction, ...]  # sorted by service name

    @property
    def empty(self) -> bool:
        return self.reload is None and not self.actions


@dataclass
class Triggers:
    """Everything ``classify`` matches against; per-rule filters are compiled once here."""

    watch: Sequence[WatchTrigger] = ()
    bind_mounts: Sequence[BindMountTrigger] = ()
    config_files: Sequence[str] = ()  # Compose files and .env: a change reloads the configuration
    opted_out: frozenset[str] = frozenset()  # services with `x-cl-watch: false`
    _filters: list[PathFilter] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._filters = [PathFilter.for_rule(t.path, t.ignore, t.include, t.dockerignore) for t in self.watch]
        for trigger in self.watch:
            if trigger.action.syncs and not trigger.target:
                raise ConfigError(
                    f"watch rule on {trigger.path} has action {trigger.action} but no target",
                    path=f"services.{trigger.service}.develop.watch",
                    hint="set `target:` to the container path the files are synced to",
                )

    def watched_roots(self) -> tuple[str, ...]:
        """Host paths to observe (rule paths, bind-mount sources that can trigger, config files)."""
        ruled = {t.service for t in self.watch}
        roots = {t.path for t in self.watch}
        roots.update(b.source for b in self.bind_mounts if _mount_counts(b, ruled, self.opted_out))
        roots.update(self.config_files)
        return tuple(sorted(roots))

    def rule_filters(self) -> list[tuple[WatchTrigger, PathFilter]]:
        return list(zip(self.watch, self._filters, strict=True))


def _mount_counts(mount: BindMountTrigger, ruled: set[str], opted_out: frozenset[str]) -> bool:
    return mount.service not in ruled and mount.service not in opted_out


def container_path(host_path: str, trigger: WatchTrigger) -> str:
    """Where a host path under the rule's ``path`` lands in the container (file rules map to target)."""
    if trigger.target is None:
        raise ValueError(f"watch rule of service {trigger.service!r} on {trigger.path}: no target")
    rel = relative_to(host_path, trigger.path)
    if rel is None:
        raise ValueError(f"{host_path} is not under {trigger.path}")
    target = posixpath.normpath(trigger.target)
    return posixpath.join(target, rel) if rel else target


def classify(batch: Batch, triggers: Triggers) -> Classification:
    """One action per affected service, the strongest its matched rules ask for.

    A ``rescan`` batch (events were lost) is treated as a change of every watched root.
    """
    changes = list(batch.changes)
    if batch.rescan:
        changes.extend(Change(root, ChangeKind.MODIFIED, is_dir=True) for root in triggers.watched_roots())
    config = set(triggers.config_files)
    reload_paths = sorted({c.path for c in changes if c.path in config})

    per_service: dict[str, list[tuple[WatchTrigger | None, Change]]] = {}
    ruled = {t.service for t in triggers.watch}
    for change in changes:
        for trigger, path_filter in triggers.rule_filters():
            if path_filter.accepts(change.path, is_dir=change.is_dir):
                per_service.setdefault(trigger.service, []).append((trigger, change))
        for mount in triggers.bind_mounts:
            if (
                _mount_counts(mount, ruled, triggers.opted_out)
                and relative_to(change.path, mount.source) is not None
                and not is_noise(change.path, mount.source)
            ):
                per_service.setdefault(mount.service, []).append((None, change))

    actions = tuple(_service_action(name, per_service[name]) for name in sorted(per_service))
    return Classification(ReloadConfig(tuple(reload_paths)) if reload_paths else None, actions)


def initial_sync(triggers: Triggers) -> tuple[ServiceAction, ...]:
    """Actions copying the whole tree of every sync rule with ``initial_sync: true`` (at loop start)."""
    per_service: dict[str, list[tuple[WatchTrigger | None, Change]]] = {}
    for trigger in triggers.watch:
        if trigger.initial_sync and trigger.action.syncs:
            change = Change(trigger.path, ChangeKind.MODIFIED, is_dir=True)
            per_service.setdefault(trigger.service, []).append((trigger, change))
    return tuple(_sync_only(_service_action(name, per_service[name])) for name in sorted(per_service))


def _sync_only(action: ServiceAction) -> ServiceAction:
    # An initial sync brings the container up to date; it does not restart or exec anything.
    return ServiceAction(action.service, Action.SYNC, action.matches, (), action.paths)


def _service_action(service: str, hits: list[tuple[WatchTrigger | None, Change]]) -> ServiceAction:
    by_rule: dict[WatchTrigger, list[Change]] = {}
    wanted: set[Action] = set()
    for trigger, change in hits:
        if trigger is None:
            wanted.add(Action.RESTART)  # a bind mount
            continue
        wanted.add(trigger.action)
        by_rule.setdefault(trigger, []).append(change)
    paths = tuple(sorted({change.path for _, change in hits}))
    if Action.REBUILD in wanted:
        # The container is recreated from the new image: nothing to copy into the old one.
        return ServiceAction(service, Action.REBUILD, paths=paths)
    matches = tuple(RuleMatch(t, tuple(cs)) for t, cs in by_rule.items() if t.action.syncs)
    execs = tuple(
        t.exec_command for t in by_rule if t.action is Action.SYNC_EXEC and t.exec_command is not None
    )
    if Action.RESTART in wanted or Action.SYNC_RESTART in wanted:
        action = Action.SYNC_RESTART if matches else Action.RESTART
    else:
        action = Action.SYNC_EXEC if execs else Action.SYNC
    return ServiceAction(service, action, matches, execs, paths)


def restart_dependents(
    actions: Iterable[ServiceAction], dependents: Mapping[str, Iterable[str]]
) -> tuple[ServiceAction, ...]:
    """Add a restart for every service declaring ``depends_on: {X: {restart: true}}`` on a service X
    that is restarted or rebuilt, transitively; services with their own action keep it.

    ``dependents`` maps a service to the services that depend on it with ``restart: true``.
    """
    result = {a.service: a for a in actions}
    queue = [a.service for a in result.values() if a.action.restarts]
    while queue:
        service = queue.pop(0)
        for dependent in sorted(dependents.get(service, ())):
            current = result.get(dependent)
            if current is not None and current.action.restarts:
                continue
            if current is None:
                result[dependent] = ServiceAction(dependent, Action.RESTART, because_of=service)
            else:
                # It was only syncing: its files still need copying, and now a restart too.
                result[dependent] = ServiceAction(
                    dependent, Action.SYNC_RESTART, current.matches, current.exec_commands, current.paths
                )
            queue.append(dependent)
    return tuple(result[name] for name in sorted(result))
