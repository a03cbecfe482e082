"""Where compose-lite keeps its caches (``$XDG_CACHE_HOME/compose-lite/<name>``) and how they stay small.

Caches are optimisations only: any I/O problem means "not cached", never an error.  Entries may
hold interpolated values (a password from ``.env``, say), so directories and files are private to
the user, like the files they were derived from should be.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def cache_dir(environ: Mapping[str, str], name: str) -> str | None:
    """The directory of cache ``name``; None (no caching) when CL_NO_CACHE is set or no home exists."""
    if environ.get("CL_NO_CACHE"):
        return None
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is invalid and is ignored
        base = os.path.join(environ["HOME"], ".cache") if os.path.isabs(environ.get("HOME", "")) else ""
    if not base or not os.path.isdir(os.path.dirname(base.rstrip("/")) or "/"):
        return None
    return os.path.join(base, "compose-lite", name)


def write_entry(path: str, data: bytes, *, max_entries: int) -> None:
    """Write one entry atomically (readers never see half a file), then prune its directory."""
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        partial = f"{path}.{os.getpid()}.tmp"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)
        _prune(directory, max_entries)
    except OSError:
        return


def touch(path: str) -> bool:
    """Mark an entry as recently used (pruning keeps those); False when it does not exist."""
    try:
        os.utime(path)
        return True
    except OSError:
        return False


def _prune(directory: str, max_entries: int) -> None:
    """Past ``max_entries``, keep the most recently used half."""
    entries = [os.path.join(directory, name) for name in os.listdir(directory)]
    if len(entries) <= max_entries:
        return
    entries.sort(key=_mtime)
    for old in entries[: len(entries) // 2]:
        try:
            os.remove(old)
        except OSError:
            continue


def _mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0
