"""Compose's merge tags, ``!reset`` and ``!override``, as the parser hands them to later stages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reset:
    """A value tagged ``!reset``: drop what earlier files set here (None = reset to empty)."""

    value: Any


@dataclass(frozen=True)
class Override:
    """A value tagged ``!override``: replace what earlier files set here instead of merging."""

    value: Any
