"""Long-running commands stop on Ctrl-C and SIGTERM alike, however they were started.

A shell starts background jobs (`cl watch &`) with SIGINT ignored, and a supervisor or `kill`
sends SIGTERM, whose default action ends the process without running any clean-up. Inside
``interruptible()`` both raise KeyboardInterrupt, so ``finally`` blocks (removing a ``--rm``
container, stopping what an attached ``up`` started) always run.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise KeyboardInterrupt in the main thread for the duration."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
