"""The one cycle finder of service graphs: the loader's depends_on check and graph.check_acyclic."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str]:
    """The first cycle as ``[a, b, a]`` (read: a needs b, b needs a), or [] — depth-first, in the
    mapping's order, so the same file always names the same cycle. Edges to unknown names are
    ignored."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(name: str) -> list[str]:
        state[name] = 1
        path.append(name)
        for dep in edges[name]:
            if dep not in edges:
                continue
            if state.get(dep) == 1:
                return [*path[path.index(dep):], dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[name] = 2
        return []

    for name in edges:
        if name not in state:
            found = visit(name)
            if found:
                return found
    return []
