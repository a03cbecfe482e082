"""Remembers trees that passed schema validation, so repeated runs skip importing jsonschema.

Validation is a pure function of (schema, interpolated tree).  Importing and compiling jsonschema
costs ~100 ms, more than the rest of `cl config`; most runs (`cl up` again, `cl ps`, `cl logs`)
load the same files as the run before.  Only successes are cached: an invalid file always goes
through the full validator and gets its complete error report.  The cache is an optimisation
only: any I/O problem means "not cached", never an error.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Mapping
from typing import Any

from compose_lite import __version__, cache
from compose_lite.loader.schema import SCHEMA_PATH

MAX_ENTRIES = 1024


def cache_dir(environ: Mapping[str, str]) -> str | None:
    return cache.cache_dir(environ, "schema-valid")


@functools.cache
def _schema_digest() -> bytes:
    digest = hashlib.sha256(__version__.encode())
    with open(SCHEMA_PATH, "rb") as schema:
        digest.update(schema.read())
    return digest.digest()


def _key(tree: Any) -> str:
    digest = hashlib.sha256(_schema_digest())
    digest.update(json.dumps(tree, sort_keys=True, default=repr, ensure_ascii=False).encode())
    return digest.hexdigest()


def is_known_valid(directory: str | os.PathLike[str] | None, tree: Any) -> bool:
    # A hit counts as recent use, which pruning keeps.
    return directory is not None and cache.touch(os.path.join(directory, _key(tree)))


def remember_valid(directory: str | os.PathLike[str] | None, tree: Any) -> None:
    if directory is not None:
        cache.write_entry(os.path.join(directory, _key(tree)), b"", max_entries=MAX_ENTRIES)
