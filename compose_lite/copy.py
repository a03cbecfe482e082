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
import stat
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from compose_lite.engine.base import Engine
from compose_lite.errors import ConfigError, NotFoundError
from compose_lite.state import ObservedContainer


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


def host_archive(src: str, name: str, *, follow_links: bool = False, keep_ids: bool = False) -> bytes:
    """A tar of the host path ``src`` whose root entry is called ``name``; owned by root inside
    the container unless ``keep_ids`` (`cp -a`), as the docker CLI does."""
    if not os.path.lexists(src):
        raise NotFoundError(f"could not find {src} on the host")

    def owner(member: tarfile.TarInfo) -> tarfile.TarInfo:
        if not keep_ids:
            member.uid = member.gid = 0
            member.uname = member.gname = "root"
        return member

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", dereference=follow_links) as tar:
        tar.add(src, arcname=name, filter=owner)
    return buf.getvalue()


def to_container(engine: Engine, container: ObservedContainer, src: str, dst: str, *,
                 follow_links: bool = False, keep_ids: bool = False) -> None:
    found = engine.path_stat(container.id, dst)
    if found is not None and found.is_dir:
        target_dir, name = dst, os.path.basename(os.path.normpath(src))
    else:
        if dst.endswith("/"):
            raise NotFoundError(f"directory {dst} does not exist in container {container.name}")
        target_dir, name = posixpath.dirname(dst) or "/", posixpath.basename(dst)
    engine.put_archive(container.id, target_dir,
                       host_archive(src, name, follow_links=follow_links, keep_ids=keep_ids))


def extract(tar: tarfile.TarFile, dest: str) -> None:
    """``extractall`` where nothing lands outside ``dest``, whatever the archive says.

    Each member is checked as it is reached, after the ones before it (a symlink among them) have
    been extracted, and then also by the stdlib's "tar" filter where the Python has one (3.11.4+;
    Debian 12 ships 3.11.2). The own check is needed with the filter too: before the 2025 fixes
    (gh-135034) it let a hard link point outside, and a later member then wrote through it.
    """
    checked = _inside(tar, dest)
    if hasattr(tarfile, "tar_filter"):
        try:
            tar.extractall(dest, members=checked, filter="tar")
        except tarfile.FilterError as err:
            raise ConfigError(f"refusing to extract: {err}") from None
    else:
        tar.extractall(dest, members=checked)


def _inside(tar: tarfile.TarFile, dest: str) -> Iterator[tarfile.TarInfo]:
    root = os.path.realpath(dest)

    def outside(path: str) -> str | None:
        where = os.path.realpath(os.path.join(root, path))
        return where if os.path.isabs(path) or os.path.commonpath([root, where]) != root else None

    for member in tar:
        member.name = member.name.lstrip("/")
        if where := outside(member.name):
            raise ConfigError(f"refusing to extract: {member.name!r} would be extracted to {where}, "
                              f"which is outside the destination")
        # A hard link is made to join(dest, linkname): it must stay inside too (it would carry writes out).
        if member.islnk() and (where := outside(member.linkname)):
            raise ConfigError(f"refusing to extract: {member.name!r} is a link to {where}, "
                              f"which is outside the destination")
        member.mode &= ~(stat.S_ISUID | stat.S_ISGID | stat.S_ISVTX | stat.S_IWGRP | stat.S_IWOTH)
        yield member


def from_container(engine: Engine, container: ObservedContainer, src: str, dst: str, *,
                   follow_link: bool = False) -> None:
    """``src`` out of the container to ``dst``; with ``follow_link`` (-L) a symlink at ``src`` is
    followed and what it points to is copied under the link's name, as `docker cp -L` does."""
    stat = engine.path_stat(container.id, src) if follow_link else None
    if stat is not None and stat.link_target:  # the engine resolved the link, through links to links
        link_name = posixpath.basename(src.rstrip("/"))
        data = _renamed(engine.get_archive(container.id, stat.link_target), link_name)
    else:
        data = engine.get_archive(container.id, src)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = tar.getmembers()
        if not members:
            raise NotFoundError(f"nothing to copy at {container.name}:{src}")
        root = members[0].name.split("/", 1)[0]
        if os.path.isdir(dst):
            extract(tar, dst)
            return
        if dst.endswith(("/", os.sep)):
            raise NotFoundError(f"destination directory {dst} does not exist")
        parent = os.path.dirname(os.path.abspath(dst))
        if not os.path.isdir(parent):
            raise NotFoundError(f"destination directory {parent} does not exist")
        # Extract beside the destination, then give the root entry the destination's name.
        with tempfile.TemporaryDirectory(dir=parent, prefix=".cl-cp-") as staging:
            extract(tar, staging)
            if os.path.isdir(os.path.join(staging, root)) and os.path.lexists(dst):
                raise ConfigError(f"cannot overwrite non-directory {dst} with a directory")
            shutil.move(os.path.join(staging, root), dst)


def _renamed(data: bytes, name: str) -> bytes:
    """The archive with its root entry (and what is under it) named ``name``."""
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar, tarfile.open(fileobj=out, mode="w") as renamed:
        for member in tar:
            _, sep, rest = member.name.partition("/")
            member.name = name + sep + rest
            renamed.addfile(member, tar.extractfile(member) if member.isfile() else None)
    return out.getvalue()
