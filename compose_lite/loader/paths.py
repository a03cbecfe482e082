"""Dotted paths into the Compose tree, as shown to users: ``services.web.ports[0]``."""

from __future__ import annotations

from collections.abc import Sequence

# A place in the tree as keys and list indexes: ("services", "web", "ports", 0).
Path = tuple[str | int, ...]


def format_path(path: Sequence[str | int]) -> str:
    """``("services", "web", "ports", 0)`` → ``services.web.ports[0]``; ``()`` → ``""``."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            out.append(f".{part}" if out else part)
    return "".join(out)
