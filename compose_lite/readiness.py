"""Waiting until a container is ready: running, healthy, or (a one-shot job) exited 0.

One polling loop for `up`'s dependency gates and --wait, rollouts, and the watch's restarts; each
caller words the failure for its own context.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from compose_lite.state import ENDED, ContainerState, Status

if TYPE_CHECKING:
    from compose_lite.clock import Clock
    from compose_lite.engine.base import Engine


EXITED, UNHEALTHY, NO_HEALTHCHECK, TIMED_OUT, CANCELLED = (
    "exited", "unhealthy", "no healthcheck", "timed out", "cancelled")


class NotReady(Exception):
    """Why a container did not become ready: exited, unhealthy, no healthcheck, timed out, cancelled."""

    def __init__(self, reason: str, state: ContainerState | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.state = state

    @property
    def health_output(self) -> str:
        return self.state.health_log if self.state is not None and self.state.health_log else ""


def wait_ready(engine: Engine, container_id: str, *, healthy: bool, exit_ok: bool, clock: Clock, poll: float,
               deadline: float | None = None, cancelled: threading.Event | None = None,
               or_running: bool = False) -> None:
    """Poll until the container is healthy (``healthy``), exited 0 (``exit_ok``) or running; raise
    NotReady as soon as it cannot get there, at ``deadline``, or once ``cancelled`` is set.
    ``or_running``: a container the engine runs without a healthcheck counts as ready (Compose's
    ``--wait``; a ``service_healthy`` dependency without one is an error)."""
    while cancelled is None or not cancelled.is_set():
        state = engine.inspect_container(container_id)
        if state.status in ENDED:
            if exit_ok and state.exit_code == 0:
                return
            raise NotReady(EXITED, state)
        if exit_ok:
            pass  # a one-shot job: keep polling until it exits
        elif healthy:
            if state.health == "healthy":
                return
            if state.health is None and or_running and state.status == Status.RUNNING:
                return
            if state.health in ("unhealthy", None):
                raise NotReady(UNHEALTHY if state.health else NO_HEALTHCHECK, state)
        elif state.status == Status.RUNNING:
            return
        if deadline is not None and clock.monotonic() >= deadline:
            raise NotReady(TIMED_OUT, state)
        clock.sleep(poll)
    raise NotReady(CANCELLED)
