"""Paths: dotted paths into the Compose tree as shown to users (``services.web.ports[0]``), and
``~`` in host paths."""

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


def expand_home(path: str, home: str | None) -> str:
    """``~`` and ``~/…`` from ``home``: the HOME of the request, not of this process."""
    if home and (path == "~" or path.startswith("~/")):
        return home + path[1:]
    return path
