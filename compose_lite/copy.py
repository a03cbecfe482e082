"""`cl cp`: files between a service container and the host, with `docker cp`'s naming rules.

Into a container: an existing directory receives the source under its own name; any other
destination names the copy.  Out of a container: likewise on the host.  Archives go through the
engine's archive API, so containers need not be running.
"""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import tarfile
import tempfile
from dataclasses import dataclass

from compose_lite.engine.base import Engine, ObservedContainer
from compose_lite.errors import ConfigError, NotFoundError


@dataclass(frozen=True)
class Endpoint:
    """One side of a copy: ``service`` None means the host."""

    path: str
    service: str | None = None


def parse_endpoint(text: str) -> Endpoint:
    """``SERVICE:PATH`` (the service side) or a host path (absolute, relative, or ``./a:b``)."""
    service, sep, path = text.partition(":")
    if sep and service and "/" not in service and not service.startswith("."):
        if not path:
            raise ConfigError(f"invalid copy endpoint {text!r}: no path after the service",
                              hint="use SERVICE:PATH, e.g. web:/etc/hosts")
        return Endpoint(path, service)
    return Endpoint(text)


def check_pair(src: Endpoint, dst: Endpoint) -> None:
    if (src.service is None) == (dst.service is None):
        raise ConfigError("copying between services is not supported" if src.service else
                          "one of source and destination must be SERVICE:PATH",
                          hint="e.g. cl cp web:/etc/hosts ./hosts, or cl cp ./conf web:/etc/app/")


def host_archive(src: str, name: str, *, follow_links: bool = False) -> bytes:
    """A tar of the host path ``src`` whose root entry is called ``name``."""
    if not os.path.lexists(src):
        raise NotFoundError(f"could not find {src} on the host")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", dereference=follow_links) as tar:
        tar.add(src, arcname=name)
    return buf.getvalue()


def to_container(engine: Engine, container: ObservedContainer, src: str, dst: str, *,
                 follow_links: bool = False) -> None:
    stat = engine.path_stat(container.id, dst)
    if stat is not None and stat.is_dir:
        target_dir, name = dst, os.path.basename(os.path.normpath(src))
    else:
        if dst.endswith("/"):
            raise NotFoundError(f"directory {dst} does not exist in container {container.name}")
        target_dir, name = posixpath.dirname(dst) or "/", posixpath.basename(dst)
    engine.put_archive(container.id, target_dir, host_archive(src, name, follow_links=follow_links))


def from_container(engine: Engine, container: ObservedContainer, src: str, dst: str) -> None:
    data = engine.get_archive(container.id, src)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = tar.getmembers()
        if not members:
            raise NotFoundError(f"nothing to copy at {container.name}:{src}")
        root = members[0].name.split("/", 1)[0]
        if os.path.isdir(dst):
            tar.extractall(dst, filter="tar")
            return
        if dst.endswith(("/", os.sep)):
            raise NotFoundError(f"destination directory {dst} does not exist")
        parent = os.path.dirname(os.path.abspath(dst))
        if not os.path.isdir(parent):
            raise NotFoundError(f"destination directory {parent} does not exist")
        # Extract beside the destination, then give the root entry the destination's name.
        with tempfile.TemporaryDirectory(dir=parent, prefix=".cl-cp-") as staging:
            tar.extractall(staging, filter="tar")
            if os.path.isdir(os.path.join(staging, root)) and os.path.lexists(dst):
                raise ConfigError(f"cannot overwrite non-directory {dst} with a directory")
            shutil.move(os.path.join(staging, root), dst)
