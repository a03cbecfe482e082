"""Remembers trees that passed schema validation, so repeated runs skip importing jsonschema.

Validation is a pure function of (schema, interpolated tree).  Importing and compiling jsonschema
costs ~100 ms, more than the rest of `cl config`; most runs (`cl up` again, `cl ps`, `cl logs`)
load the same files as the run before.  Only successes are cached: an invalid file always goes
through the full validator and gets its complete error report.  The cache is an optimisation
only: any I/O problem means "not cached", never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from compose_lite import __version__
from compose_lite.loader.schema import SCHEMA_PATH

MAX_ENTRIES = 1024


def cache_dir(environ: Mapping[str, str]) -> Path | None:
    """Where entries live; None (no caching) when disabled or no usable home exists."""
    if environ.get("CL_NO_CACHE"):
        return None
    base = environ.get("XDG_CACHE_HOME") or (
        os.path.join(environ["HOME"], ".cache") if environ.get("HOME") else ""
    )
    if not base or not os.path.isdir(os.path.dirname(base.rstrip("/")) or "/"):
        return None
    return Path(base) / "compose-lite" / "schema-valid"


def _key(tree: Any) -> str:
    digest = hashlib.sha256(__version__.encode())
    digest.update(SCHEMA_PATH.read_bytes())
    digest.update(json.dumps(tree, sort_keys=True, default=repr, ensure_ascii=False).encode())
    return digest.hexdigest()


def is_known_valid(directory: Path | None, tree: Any) -> bool:
    if directory is None:
        return False
    try:
        return (directory / _key(tree)).exists()
    except OSError:
        return False


def remember_valid(directory: Path | None, tree: Any) -> None:
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / _key(tree)).touch()
        entries = list(directory.iterdir())
        if len(entries) > MAX_ENTRIES:  # keep the newest half
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[: len(entries) // 2]:
                old.unlink(missing_ok=True)
    except OSError:
        return
