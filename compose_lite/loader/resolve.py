"""Relative host paths made absolute, per file, against the directory they are relative to: build
contexts, bind sources, env files, extends and include files, secrets and configs, a local
volume's bind device; ``~`` expands to the HOME the load was given."""

from __future__ import annotations

import os.path
import re
from collections.abc import Callable
from typing import Any

from compose_lite.loader.paths import expand_home
from compose_lite.loader.tags import Override
from compose_lite.model import is_remote_context


def resolve_paths(data: dict[str, Any], *, base_dir: str, home: str | None) -> dict[str, Any]:
    """Relative host paths of one file's canonical tree made absolute against ``base_dir``.

    ``~`` expands to ``home`` in bind sources (Compose expands it from the user's HOME).
    """
    def absolute(path: str) -> str:
        path = expand_home(path, home)
        if _is_absolute(path):
            return path
        return os.path.normpath(os.path.join(base_dir, path))

    def context(path: str) -> str:
        return path if is_remote_context(path) else absolute(path)

    out = dict(data)
    services = {}
    for name, service in (data.get("services") or {}).items():
        if not isinstance(service, dict):
            services[name] = service
            continue
        # `key: !override value` holds paths too: resolve inside the tag, keep the tag for the merge
        overridden = {k for k, v in service.items() if isinstance(v, Override)}
        svc = {k: v.value if k in overridden else v for k, v in service.items()}
        build = svc.get("build")
        if isinstance(build, dict):
            build = dict(build)
            if "context" in build:  # a missing one defaults after the merge: an override may omit it
                build["context"] = context(str(build["context"]))
            if isinstance(build.get("additional_contexts"), dict):
                build["additional_contexts"] = {
                    k: context(str(v)) for k, v in build["additional_contexts"].items()
                }
            svc["build"] = build
        if isinstance(svc.get("env_file"), list):
            svc["env_file"] = [{**e, "path": absolute(str(e["path"]))} for e in svc["env_file"]]
        if isinstance(svc.get("label_file"), list):
            svc["label_file"] = [absolute(str(p)) for p in svc["label_file"]]
        if isinstance(svc.get("volumes"), list):
            svc["volumes"] = [
                {**v, "source": absolute(str(v["source"]))}
                if isinstance(v, dict) and v.get("type") == "bind" and v.get("source") else v
                for v in svc["volumes"]
            ]
        develop = svc.get("develop")
        if isinstance(develop, dict) and isinstance(develop.get("watch"), list):
            svc["develop"] = {**develop, "watch": [
                {**w, "path": absolute(str(w["path"]))} if isinstance(w, dict) and w.get("path") else w
                for w in develop["watch"]
            ]}
        services[name] = {k: Override(v) if k in overridden else v for k, v in svc.items()}
    if "services" in data:
        out["services"] = services
    for kind in ("secrets", "configs"):
        if isinstance(data.get(kind), dict):
            out[kind] = {
                k: {**v, "file": absolute(str(v["file"]))} if isinstance(v, dict) and v.get("file") else v
                for k, v in data[kind].items()
            }
    if isinstance(data.get("volumes"), dict):
        out["volumes"] = {k: _bind_volume_device(v, absolute) for k, v in data["volumes"].items()}
    return out


def _is_absolute(path: str) -> bool:
    return path.startswith("/") or bool(re.match(r"^[a-zA-Z]:[\\/]", path)) or path.startswith("\\\\")


def _bind_volume_device(volume: Any, absolute: Callable[[str], str]) -> Any:
    """A volume of the ``local`` driver, named so, bound to a host directory (``o: bind``) names
    that directory in ``device``; without ``driver: local`` Compose leaves the path as written."""
    if not isinstance(volume, dict) or not isinstance(volume.get("driver_opts"), dict):
        return volume
    if volume.get("driver") != "local":
        return volume
    opts = volume["driver_opts"]
    device = opts.get("device")
    is_bind = "bind" in str(opts.get("o", "")).split(",")
    if is_bind and isinstance(device, str) and not _is_absolute(device):
        return {**volume, "driver_opts": {**opts, "device": absolute(device)}}
    return volume
