"""The one parallel map: an action on every item at once, in threads (engine calls wait on I/O)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def parallel_map(action: Callable[[T], R], items: Sequence[T], *, limit: int = 64,
                 name: str = "cl-each") -> list[R]:
    """``action`` on every item, at most ``limit`` at once; the results in the items' order. The
    first error is raised once every call has finished (none is left running behind it)."""
    if len(items) <= 1:
        return [action(item) for item in items]
    with ThreadPoolExecutor(max_workers=max(1, min(limit, len(items))), thread_name_prefix=name) as pool:
        futures = [pool.submit(action, item) for item in items]
    return [future.result() for future in futures]
