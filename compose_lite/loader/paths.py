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
    """A leading ``~`` is ``home`` (the HOME of the request, not of this process); as in Compose,
    ``~user/x`` is ``home/user/x`` too."""
    if home and path.startswith("~"):
        rest = path[1:].lstrip("/")
        return f"{home.rstrip('/')}/{rest}" if rest else home
    return path
