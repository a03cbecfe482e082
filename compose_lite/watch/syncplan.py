"""What one sync-type rule sends to a container: a tar of changed entries and paths to delete.

The archive's member names are container paths without the leading ``/``, to be extracted at
``/`` (``SyncPlan.EXTRACT_AT``) through the engine's archive API.  It holds entries only for
changed files, links and created directories, never for the rule's target itself or its parents,
so a target that is a symlink inside the container is followed by the engine, not replaced.

The file system is the truth at read time: a path reported changed that is gone is deleted, one
reported deleted that exists again is copied.  Symlinks are stored as links and never followed
(``O_NOFOLLOW`` closes the race between the type check and the read), so a link pointing outside
the watched tree never leaks its target's content; directories are walked without following links.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from compose_lite.errors import OperationFailedError
from compose_lite.watch.debounce import Change
from compose_lite.watch.filters import PathFilter
from compose_lite.watch.rules import WatchTrigger, container_path

DEFAULT_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class SyncPlan:
    EXTRACT_AT = "/"

    archive: bytes  # an uncompressed tar; empty when there is nothing to copy
    copied: tuple[str, ...]  # container paths in the archive, in archive order
    deleted: tuple[str, ...]  # container paths to remove (recursively), no path below another
    skipped: tuple[str, ...]  # host paths not syncable (sockets, fifos, devices, unreadable), as notes
    size: int  # bytes of file content in the archive

    @property
    def empty(self) -> bool:
        return not self.copied and not self.deleted


def plan_sync(
    changes: Iterable[Change],
    trigger: WatchTrigger,
    *,
    path_filter: PathFilter | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SyncPlan:
    """Build the archive and deletions for ``changes`` matched by the sync-type ``trigger``.

    ``path_filter`` (default: the rule's own) decides which entries inside changed directories go
    along.  Raises OperationFailedError when file content would exceed ``max_bytes``.
    """
    accept = path_filter or PathFilter.for_rule(
        trigger.path, trigger.ignore, trigger.include, trigger.dockerignore
    )
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        builder = _Builder(tar, trigger, accept, max_bytes)
        for change in sorted(changes, key=lambda c: c.path):
            builder.add(change.path, change.is_dir)
    archive = buffer.getvalue() if builder.copied else b""
    deleted = _outermost(builder.deleted)
    return SyncPlan(archive, tuple(builder.copied), deleted, tuple(builder.skipped), builder.size)


class _Builder:
    def __init__(
        self, tar: tarfile.TarFile, trigger: WatchTrigger, accept: PathFilter, max_bytes: int
    ) -> None:
        self.tar = tar
        self.trigger = trigger
        self.accept = accept
        self.max_bytes = max_bytes
        self.copied: list[str] = []
        self.seen: set[str] = set()
        self.deleted: list[str] = []
        self.skipped: list[str] = []
        self.size = 0

    def add(self, host_path: str, is_dir: bool) -> None:
        target = container_path(host_path, self.trigger)
        try:
            st = os.lstat(host_path)
        except FileNotFoundError:
            # The rule's own root is never removed: a deleted-and-recreated directory shows up
            # as modified, and wiping a container's working directory on a transient delete is
            # worse than leaving stale files.
            if not (is_dir and host_path == self.trigger.path):
                self.deleted.append(target)
            return
        if stat.S_ISDIR(st.st_mode):
            if host_path != self.trigger.path:  # never replace the target itself (it may be a link)
                self._add_entry(host_path, target, st)
            for child, child_st in _walk(host_path, self.accept):
                self._add_entry(child, container_path(child, self.trigger), child_st)
        else:
            self._add_entry(host_path, target, st)

    def _add_entry(self, host_path: str, name: str, st: os.stat_result) -> None:
        if name in self.seen:
            return
        info = tarfile.TarInfo(name.lstrip("/"))
        info.mode = stat.S_IMODE(st.st_mode)
        info.mtime = int(st.st_mtime)
        info.uid, info.gid = st.st_uid, st.st_gid
        data: bytes | None = None
        if stat.S_ISLNK(st.st_mode):
            info.type = tarfile.SYMTYPE
            info.linkname = os.readlink(host_path)
        elif stat.S_ISDIR(st.st_mode):
            info.type = tarfile.DIRTYPE
        elif stat.S_ISREG(st.st_mode):
            data = self._read(host_path, name)
            if data is None:
                return
            info.size = len(data)
        else:
            self.skipped.append(f"{host_path}: not a regular file, directory or symlink")
            return
        self.tar.addfile(info, io.BytesIO(data) if data is not None else None)
        self.seen.add(name)
        self.copied.append(name)

    def _read(self, host_path: str, name: str) -> bytes | None:
        remaining = self.max_bytes - self.size
        try:
            fd = os.open(host_path, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            self.deleted.append(name)  # vanished since the type check
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # became a symlink since the type check: store it as one
                self._add_entry(host_path, name, os.lstat(host_path))
            else:
                self.skipped.append(f"{host_path}: {exc.strerror}")
            return None
        with os.fdopen(fd, "rb") as f:
            data = f.read(remaining + 1)
        if len(data) > remaining:
            raise OperationFailedError(
                f"sync of {self.trigger.path} for service {self.trigger.service} "
                f"exceeds {self.max_bytes // (1024 * 1024)} MiB",
                hint="add large or generated paths to the rule's `ignore`, or use `action: rebuild`",
            )
        self.size += len(data)
        return data


def _walk(root: str, accept: PathFilter) -> Iterator[tuple[str, os.stat_result]]:
    """Entries below ``root`` that the filter accepts, parents first, never following symlinks."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        is_dir = entry.is_dir(follow_symlinks=False)
        if not accept.accepts(entry.path, is_dir=is_dir):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        yield entry.path, st
        if is_dir:
            yield from _walk(entry.path, accept)


def _outermost(paths: Iterable[str]) -> tuple[str, ...]:
    """Sorted unique paths with every path below another one dropped (``rm -rf`` covers them)."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not (path == result[-1] or path.startswith(result[-1].rstrip("/") + "/")):
            result.append(path)
    return tuple(result)
