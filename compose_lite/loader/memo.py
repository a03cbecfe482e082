"""Memoized loads: a re-run (`cl up` again, `cl ps`, `cl config`) skips YAML and the whole loader
when nothing the previous load depended on has changed.

An entry is keyed by everything a load depends on besides files: the request (options, cwd), the
whole environment, and a stamp of the code (compose-lite's, Python's, PyYAML's).  It stores the
fingerprints of every file the load read or probed (``loader.inputs``) and is used only while all of
them still match, so an edited compose file, a new ``compose.override.yaml`` or a changed ``.env``
each mean a fresh load.
Failed loads are never stored: errors are always found and reported afresh.  ``cl config`` also
keeps its rendered text in the entry, so a hit does not even import PyYAML.

Set CL_NO_CACHE=1 to turn this off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from compose_lite import cache
from compose_lite.errors import ConfigError, Position
from compose_lite.loader import inputs
from compose_lite.loader.request import STDIN, LoadedProject, LoadRequest

MAX_ENTRIES = 128
# File-system timestamps tick coarsely (a few ms on ext4, 1-2 s elsewhere): a file changed this
# recently could change again without its timestamps moving, so a load that read one is not stored.
SETTLE_NS = 2_000_000_000
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class LoadMemo:
    """The memo entry of one request, looked up (and checked) on construction: ``project()`` and
    ``rendered()`` reuse it or fill it."""

    def __init__(self, request: LoadRequest) -> None:
        self._request = request
        directory = None if STDIN in request.files else cache.cache_dir(request.environ, "loads")
        try:  # where the entry lives; "" when this load is not memoized
            self._path = os.path.join(directory, f"{_key(request)}.json") if directory else ""
        except OSError:  # the code could not be stamped (an unusual install): load without the memo
            self._path = ""
        self._entry: dict[str, Any] | None = None
        self._project: LoadedProject | None = None
        self._reuse_entry()

    def project(self) -> LoadedProject:
        """The loaded project, from the entry when it is still valid, else loaded (and stored)."""
        if self._project is None:
            self._project = self._load_and_store()
        return self._project

    def rendered(self, variant: str, render: Callable[[LoadedProject], str]) -> str:
        """``render(project)``, remembered under ``variant`` (the output options) with the entry."""
        renders = self._entry["renders"] if self._entry is not None else None
        if renders is not None and variant in renders:
            return str(renders[variant])
        text = render(self.project())
        if self._entry is not None:
            self._entry["renders"][variant] = text
            self._write(json.dumps(self._entry))
        return text

    def _load_and_store(self) -> LoadedProject:
        from compose_lite.loader.pipeline import load  # lazy: imports the parser and PyYAML

        with inputs.recording() as seen:
            project = load(self._request)
        if self._path and _settled(seen):
            entry = {"inputs": seen, "project": _encode(project, self._request.environ), "renders": {}}
            text = json.dumps(entry)
            stored = json.loads(text)
            # Only what survives JSON unchanged is stored (a tuple in the model would come back a list).
            if stored["project"] == entry["project"]:
                self._entry = stored
                self._write(text)
        return project

    def _reuse_entry(self) -> None:
        """Adopt the stored entry if every input it recorded is unchanged (a damaged one is ignored)."""
        if not self._path:
            return
        try:
            with open(self._path, "rb") as handle:
                entry = json.loads(handle.read())
            for path, recorded in entry["inputs"].items():
                now = inputs.fingerprint(path)
                if (list(now) if now else None) != recorded:
                    return
            project = _decode(entry["project"], self._request.environ)
            if not isinstance(entry["renders"], dict):
                return
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return
        cache.touch(self._path)
        self._entry, self._project = entry, project

    def _write(self, text: str) -> None:
        cache.write_entry(self._path, text.encode(), max_entries=MAX_ENTRIES)


def _settled(seen: dict[str, inputs.Fingerprint]) -> bool:
    recent = time.time_ns() - SETTLE_NS
    return not any(inputs.changed_since(found, recent) for found in seen.values())


def _key(request: LoadRequest) -> str:
    options = {f.name: getattr(request, f.name) for f in fields(request)
               if f.name not in ("stdin", "environ")}
    digest = hashlib.sha256(_code_stamp().encode())
    digest.update(json.dumps([options, sorted(request.environ.items())]).encode())
    return digest.hexdigest()


def _code_stamp() -> str:
    """Changes whenever the code that loads and renders does: compose-lite's own files (an editable
    install changes in place), the Python version, and PyYAML's installed files (found, not imported)."""
    stamps: list[str] = [sys.version]
    yaml_spec = importlib.util.find_spec("yaml")
    if yaml_spec is not None and yaml_spec.origin:
        package = os.path.dirname(yaml_spec.origin)  # a reinstall, or libyaml's module added, changes it
        stamps += [f"{path}:{os.stat(path).st_mtime_ns}" for path in (package, yaml_spec.origin)]
    pending = [_PACKAGE_DIR]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        pending.append(entry.path)
                elif entry.name.endswith((".py", ".json")):
                    info = entry.stat()
                    stamps.append(f"{entry.path}:{info.st_mtime_ns}:{info.st_size}")
    return "\n".join(sorted(stamps))


def _encode(project: LoadedProject, environ: Mapping[str, str]) -> dict[str, Any]:
    """The project as JSON; of the environment only what the env files added (the rest is the key)."""
    return {
        "name": project.name,
        "working_dir": project.working_dir,
        "config_files": project.config_files,
        "environment_added": {k: v for k, v in project.environment.items() if environ.get(k) != v},
        "model": project.model,
        "warnings": [
            {"message": w.message, "hint": w.hint, "path": w.path,
             "position": [w.position.file, w.position.line, w.position.col] if w.position else None}
            for w in project.warnings
        ],
        "active_profiles": project.active_profiles,
        "disabled_services": project.disabled_services,
    }


def _decode(data: dict[str, Any], environ: Mapping[str, str]) -> LoadedProject:
    return LoadedProject(
        name=data["name"],
        working_dir=data["working_dir"],
        config_files=data["config_files"],
        environment={**environ, **data["environment_added"]},
        model=data["model"],
        warnings=[
            ConfigError(w["message"], hint=w["hint"], path=w["path"],
                        position=Position(*w["position"]) if w["position"] else None)
            for w in data["warnings"]
        ],
        active_profiles=data["active_profiles"],
        disabled_services=data["disabled_services"],
    )
