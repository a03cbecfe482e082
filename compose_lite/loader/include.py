"""``include``: import another Compose application's resources into this one.

Each entry is loaded as its own little project (its own directory for relative
paths, its own env files layered over ours) through ``load_project``; its
services, networks, volumes, secrets and configs are then added to the
including file.  Defining the same resource differently in both is an error,
as in Compose.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from compose_lite.errors import ConfigError
from compose_lite.loader import inputs

RESOURCES = ("services", "networks", "volumes", "secrets", "configs")


@dataclass(frozen=True)
class IncludeEntry:
    """One ``include`` item in long form, with absolute paths."""

    paths: tuple[str, ...]
    project_directory: str
    env_files: tuple[str, ...]


LoadProject = Callable[[IncludeEntry], dict[str, Any]]


def include_entries(value: Any, *, base_dir: str) -> list[IncludeEntry]:
    """Short and long ``include`` items → entries (paths relative to ``base_dir``)."""
    entries = []
    for item in value or []:
        spec = {"path": item} if isinstance(item, str) else dict(item)
        raw_paths = spec.get("path")
        paths = [raw_paths] if isinstance(raw_paths, str) else list(raw_paths or [])
        abs_paths = tuple(os.path.normpath(os.path.join(base_dir, str(p))) for p in paths)
        if not abs_paths:
            raise ConfigError("include entry has no path", path="include")
        project_dir = spec.get("project_directory")
        project_directory = (
            os.path.normpath(os.path.join(base_dir, str(project_dir)))
            if project_dir else os.path.dirname(abs_paths[0])
        )
        raw_env = spec.get("env_file")
        env_list = [raw_env] if isinstance(raw_env, str) else list(raw_env or [])
        env_files = tuple(os.path.normpath(os.path.join(base_dir, str(e))) for e in env_list)
        entries.append(IncludeEntry(abs_paths, project_directory, env_files))
    return entries


def apply_include(
    data: dict[str, Any], *, base_dir: str, load_project: LoadProject, chain: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``data`` without its ``include`` key and with the included resources added."""
    if "include" not in data:
        return data
    result = {k: v for k, v in data.items() if k != "include"}
    for entry in include_entries(data["include"], base_dir=base_dir):
        for path in entry.paths:
            if path in chain:
                cycle = " -> ".join((*chain, path))
                raise ConfigError(f"include cycle detected: {cycle}", path="include")
            if not inputs.is_file(path):
                what = "is not a file" if inputs.exists(path) else "not found"
                raise ConfigError(f"included file {path} {what}", path="include",
                                  hint="include names Compose files, relative to the including file")
        imported = load_project(entry)
        for kind in RESOURCES:
            incoming = imported.get(kind) or {}
            if not incoming:
                continue
            own = dict(result.get(kind) or {})
            for name, resource in incoming.items():
                if name in own and own[name] != resource:
                    raise ConfigError(
                        f"imported {kind[:-1]} {name!r} from {entry.paths[0]} conflicts with "
                        f"a {kind[:-1]} of the same name defined here",
                        path=f"{kind}.{name}",
                        hint="rename one of them, or remove it from one of the files",
                    )
                own[name] = resource
            result[kind] = own
    return result
