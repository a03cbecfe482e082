"""The bound model → the watch loop's triggers: develop.watch rules, bind mounts, config files.

Pure apart from reading each build context's ``.dockerignore`` (and checking which rule paths
are files, inside ``Triggers``).  Which bind mounts count: ``type: bind`` mounts whose host
source lies inside the project directory (or are it), of services without ``develop.watch`` rules and
without ``x-cl-watch: false``.  Sources elsewhere (``/var/run/docker.sock``, ``/etc/localtime``,
a home directory) are system or shared paths, never edited as part of the project, and watching
them recursively could cost thousands of inotify watches.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from compose_lite.errors import ConfigError
from compose_lite.model import Project, Service
from compose_lite.watch.filters import PatternSet, load_dockerignore, relative_to
from compose_lite.watch.rules import Action, BindMountTrigger, Triggers, WatchTrigger


def build_triggers(project: Project, services: Iterable[str] = (), *,
                   env_files: Iterable[str] | None = None) -> Triggers:
    """Triggers for ``services`` (all when empty) of ``project``.

    ``env_files`` are the environment files the project was loaded with (default: the project
    directory's ``.env``); they and the Compose files reload the configuration when changed.
    """
    names = _selected(project, services)
    watch: list[WatchTrigger] = []
    mounts: list[BindMountTrigger] = []
    for name in names:
        svc = project.services[name]
        watch.extend(_watch_triggers(svc))
        if not svc.watch:
            mounts.extend(_bind_mounts(svc, project.working_dir))
    opted_out = frozenset(n for n in names if not project.services[n].watch_bind_mounts)
    if env_files is None:
        env_files = [os.path.join(project.working_dir, ".env")]
    config = tuple(dict.fromkeys([*project.config_files, *(os.path.abspath(f) for f in env_files)]))
    return Triggers(watch=watch, bind_mounts=mounts, config_files=config, opted_out=opted_out)


def dependents(project: Project) -> dict[str, tuple[str, ...]]:
    """Service → the services declaring ``depends_on: {service: {restart: true}}`` on it."""
    out: dict[str, list[str]] = {}
    for svc in project.services.values():
        for dep in svc.depends_on:
            if dep.restart:
                out.setdefault(dep.service, []).append(svc.name)
    return {k: tuple(sorted(v)) for k, v in sorted(out.items())}


def _selected(project: Project, services: Iterable[str]) -> list[str]:
    names = list(dict.fromkeys(services))
    for name in names:
        if name not in project.services:
            raise ConfigError(f"no such service: {name}",
                              hint=f"services: {', '.join(sorted(project.services))}")
    return sorted(names or project.services)


def _watch_triggers(svc: Service) -> list[WatchTrigger]:
    ignore_file = _dockerignore(svc)
    out: list[WatchTrigger] = []
    for i, rule in enumerate(svc.watch):
        try:
            action = Action(rule.action)
        except ValueError:
            raise ConfigError(f"unknown watch action {rule.action!r}",
                              path=f"services.{svc.name}.develop.watch[{i}].action",
                              hint="one of: " + ", ".join(a.value for a in Action)) from None
        if action is Action.SYNC_EXEC and (rule.exec is None or not rule.exec.command):
            raise ConfigError("action sync+exec needs an `exec.command`",
                              path=f"services.{svc.name}.develop.watch[{i}]")
        out.append(WatchTrigger(
            service=svc.name, path=rule.path, action=action, target=rule.target, ignore=rule.ignore,
            include=rule.include, initial_sync=rule.initial_sync,
            exec_command=rule.exec.command if rule.exec is not None else None,
            # .dockerignore applies to rules inside the build context (what a build would send).
            dockerignore=ignore_file if ignore_file and relative_to(rule.path, ignore_file.base) is not None
            else None))
    return out


def _dockerignore(svc: Service) -> PatternSet | None:
    if svc.build is None or svc.build.dockerfile_inline is not None:
        return None
    return load_dockerignore(svc.build.context, svc.build.dockerfile)


def _bind_mounts(svc: Service, project_dir: str) -> list[BindMountTrigger]:
    return [BindMountTrigger(svc.name, m.source, m.target) for m in svc.mounts
            if m.type == "bind" and m.source and relative_to(m.source, project_dir) is not None]

