"""compose-lite: a Docker Compose-style orchestrator for one Docker Engine.

``from compose_lite import Stack`` for the Python API (compose_lite.api); importing the package
itself loads nothing else (the API, the loader and the Docker SDK load when first used).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["CommandResult", "Stack", "__version__"]

if TYPE_CHECKING:
    from compose_lite.api import CommandResult, Stack


def __getattr__(name: str) -> Any:
    if name in ("Stack", "CommandResult"):
        from compose_lite import api

        return getattr(api, name)
    raise AttributeError(f"module 'compose_lite' has no attribute {name!r}")
