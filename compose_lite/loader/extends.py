"""``extends``: a service starts from another one (same file or another file).

The base service is resolved first (recursively), then the extending service is
merged on top with the ordinary override rules.  Bases from another file come
from ``load_file``, which returns that file's tree already canonical and with
its relative paths resolved against its own directory, so they stay correct here.

``extends.file`` is relative to the directory the file's paths are relative to: the project's
working directory for the project's own files (an override in another directory included, as
compose-go's loader resolves it), a base file's own directory for the files extends loads.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from compose_lite.errors import ConfigError
from compose_lite.loader import inputs
from compose_lite.loader.merge import merge_values

LoadFile = Callable[[str], dict[str, Any]]


def apply_extends(data: dict[str, Any], *, file: str, base_dir: str, load_file: LoadFile) -> dict[str, Any]:
    """A copy of ``data`` (one file's canonical tree, its paths relative to ``base_dir``) with every
    ``extends`` resolved."""
    services = data.get("services")
    if not isinstance(services, dict):
        return data
    resolver = _Resolver(load_file, {file: base_dir})
    resolved = {name: resolver.service(file, services, name, ()) for name in services}
    return {**data, "services": resolved}


class _Resolver:
    def __init__(self, load_file: LoadFile, base_dirs: dict[str, str]) -> None:
        self._load_file = load_file
        self._files: dict[str, dict[str, Any]] = {}
        self._base_dirs = base_dirs  # a file's relative paths' directory, when not its own

    def _services_of(self, file: str) -> dict[str, Any]:
        if file not in self._files:
            services = self._load_file(file).get("services") or {}
            self._files[file] = services if isinstance(services, dict) else {}
        return self._files[file]

    def service(
        self, file: str, services: dict[str, Any], name: str, chain: tuple[tuple[str, str], ...]
    ) -> Any:
        service = services[name]
        if not isinstance(service, dict) or not isinstance(service.get("extends"), dict):
            return service
        if (file, name) in chain:
            cycle = " -> ".join(n for _, n in (*chain, (file, name)))
            raise ConfigError(f"extends cycle detected: {cycle}", path=f"services.{name}.extends")
        ext = service["extends"]
        base_name = str(ext.get("service", ""))
        base_file = file
        base_services = services
        if ext.get("file"):
            directory = self._base_dirs.get(file) or os.path.dirname(file)
            base_file = os.path.normpath(os.path.join(directory, str(ext["file"])))
            if not inputs.exists(base_file):
                raise ConfigError(
                    f"extends file {base_file} not found", path=f"services.{name}.extends.file",
                )
            base_services = self._services_of(base_file)
        if base_name not in base_services:
            where = f" in {base_file}" if base_file != file else ""
            raise ConfigError(
                f"cannot extend service {name!r}: service {base_name!r} not found{where}",
                path=f"services.{name}.extends.service",
            )
        base = self.service(base_file, base_services, base_name, (*chain, (file, name)))
        if base is None:
            # Compose leaves a service extending an empty (null) one as written.
            return {**service, "extends": {**ext, "file": base_file}} if ext.get("file") else service
        own = {k: v for k, v in service.items() if k != "extends"}
        merged = merge_values(base or {}, own, ("services", name))
        merged.pop("extends", None)
        return merged
