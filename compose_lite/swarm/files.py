"""A stack's secrets and configs: their content, and the content-addressed names they are created under.

Swarm cannot change a secret or config that a service uses, so `docker stack deploy` fails when one
changes. Naming each by its content instead makes a change a new object: the services that use it
get a new spec and roll out, and the old object is removed once nothing refers to it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from compose_lite.errors import ConfigError
from compose_lite.model import FileObject, Project

SECRET, CONFIG = "secret", "config"
_NAME_MAX = 64  # Swarm's limit on object names


@dataclass(frozen=True)
class StackFile:
    """A secret or config as the stack needs it on the cluster."""

    kind: str  # SECRET | CONFIG
    key: str  # its name in the file
    name: str  # its name on the cluster
    data: bytes = b""
    external: bool = False


def stack_files(project: Project) -> dict[tuple[str, str], StackFile]:
    """(kind, key) → the object, for every secret and config some service uses."""
    used = {(SECRET, ref.source) for s in project.services.values() for ref in s.secrets}
    used |= {(CONFIG, ref.source) for s in project.services.values() for ref in s.configs}
    found: dict[tuple[str, str], StackFile] = {}
    for kind, objects in ((SECRET, project.secrets), (CONFIG, project.configs)):
        for key, obj in objects.items():
            if (kind, key) in used:
                found[(kind, key)] = _stack_file(kind, obj, project)
    return found


def _stack_file(kind: str, obj: FileObject, project: Project) -> StackFile:
    if obj.external:
        return StackFile(kind, obj.key, obj.name, external=True)
    data = _content(kind, obj, project)
    digest = hashlib.sha256(data).hexdigest()[:12]
    return StackFile(kind, obj.key, f"{obj.name[:_NAME_MAX - 13]}-{digest}", data)


def _content(kind: str, obj: FileObject, project: Project) -> bytes:
    text = obj.inline_text(kind, project.environment)
    if text is not None:
        return text.encode()
    assert obj.file is not None
    try:
        return Path(obj.file).read_bytes()
    except OSError as err:
        raise ConfigError(f"cannot read {obj.file}: {err.strerror}", path=f"{kind}s.{obj.key}.file",
                          hint="the path is relative to the project directory") from None
