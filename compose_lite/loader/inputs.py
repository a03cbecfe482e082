"""The loader's only door to the file system, so that a load knows exactly what it depended on.

Every file the loader reads and every path it probes goes through here.  Inside ``recording()``
each access notes the path's fingerprint at that moment; ``loader.memo`` stores those with the
result and trusts the result again only while every fingerprint still matches.  A path probed and
found missing is recorded too: creating it later (a new ``compose.override.yaml``, a ``.env``)
must change the outcome.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

# (file type, mtime, ctime (both ns), size, inode, device) or None for "does not exist".  The ctime
# catches content replaced under a restored mtime (`tar --mtime`, `cp -p`, `touch -d`), which
# no program can set back; the inode catches editors that save by renaming a new file over the old.
Fingerprint = tuple[int, int, int, int, int, int] | None

_recorders: list[dict[str, Fingerprint]] = []


def fingerprint(path: str) -> Fingerprint:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return _of(info)


MAX_INPUT_BYTES = 64 * 1024 * 1024  # far beyond any real Compose or env file


def read_bytes(path: str) -> bytes:
    """The file's content (OSError as ``open`` raises it, and for input that never ends)."""
    with open(path, "rb") as handle:
        data = read_capped(handle)
        if _recorders:
            _note(path, _of(os.fstat(handle.fileno())))
    return data


def read_capped(handle: BinaryIO) -> bytes:
    """All of ``handle``, refused past MAX_INPUT_BYTES: `-f /dev/zero`, or a stream that never ends,
    would otherwise be read until memory runs out."""
    data = handle.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise OSError(errno.EFBIG,
                      f"it is over {MAX_INPUT_BYTES >> 20} MiB: a device, or input that never ends?")
    return data


def is_file(path: str) -> bool:
    found = _looked_at(path)
    return found is not None and stat.S_ISREG(found[0])


def is_dir(path: str) -> bool:
    found = _looked_at(path)
    return found is not None and stat.S_ISDIR(found[0])


def exists(path: str) -> bool:
    return _looked_at(path) is not None


def _looked_at(path: str) -> Fingerprint:
    """The path's fingerprint, noted by every recording (a load depends on what it looked at)."""
    found = fingerprint(path)
    if _recorders:
        _note(path, found)
    return found


@contextmanager
def recording() -> Iterator[dict[str, Fingerprint]]:
    """Collect ``{path: fingerprint}`` of every access made inside the block (first access wins)."""
    seen: dict[str, Fingerprint] = {}
    _recorders.append(seen)
    try:
        yield seen
    finally:
        _recorders.remove(seen)


def _of(info: os.stat_result) -> Fingerprint:
    return (stat.S_IFMT(info.st_mode), info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino,
            info.st_dev)


def changed_since(found: Fingerprint, time_ns: int) -> bool:
    """Whether the path was modified (content or metadata) at or after ``time_ns``."""
    return found is not None and max(found[1], found[2]) >= time_ns


def _note(path: str, found: Fingerprint) -> None:
    for seen in _recorders:
        seen.setdefault(os.path.abspath(path), found)
