"""The repository's samples, copied for tests that run them through `cl` (see cl_helpers)."""

from __future__ import annotations

import shutil
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def copy_sample(name: str, dest: Path) -> Path:
    """A private copy, so tests may edit files without touching the repository."""
    target = dest / name
    shutil.copytree(SAMPLES / name, target, symlinks=True)
    return target
