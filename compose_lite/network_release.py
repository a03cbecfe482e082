"""Removing a network as `down` must: never from under a container that still uses it, and never
stuck on endpoints the engine is slow to release.

A network some running container still uses is kept, as Compose keeps it ("Resource is still in
use"), naming the containers. Endpoints whose container no longer exists are the engine releasing
them late: they are waited for (bounded), then cleared with a forced disconnect, the engine's own
remedy for an endpoint it lost track of; left alone, such a network stays unremovable, for every
later `up` and `down`, until dockerd restarts. `up` meets the same leftover as a start refused
because the new container's name is still an endpoint there: it is cleared the same way, and said.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from compose_lite.clock import Clock
from compose_lite.engine.base import Engine
from compose_lite.errors import EngineError, InUseError, NotFoundError, StaleEndpointError

STALE_WAIT_S = 5.0  # the late releases seen on fan30 `down` cleared within a second
POLL_S = 0.1


@dataclass(frozen=True)
class Released:
    """What became of the network: removed, or kept for the containers using it."""

    removed: bool
    kept_for: tuple[str, ...] = ()  # running containers (not this run's) still attached
    cleared: tuple[str, ...] = ()  # endpoints of gone containers removed by a forced disconnect


def release_network(engine: Engine, name: str, clock: Clock, *, stale_wait_s: float = STALE_WAIT_S,
                    poll_s: float = POLL_S) -> Released:
    deadline = clock.monotonic() + stale_wait_s
    cleared: tuple[str, ...] = ()
    while True:
        try:
            endpoints = engine.network_endpoints(name)
        except NotFoundError:
            return Released(removed=False)  # gone already: nothing left to do
        stale = {cid: who for cid, who in endpoints.items() if not _exists(engine, cid)}
        live = sorted(who for cid, who in endpoints.items() if cid not in stale)
        if live:
            return Released(removed=False, kept_for=tuple(live))
        if not endpoints:
            try:
                engine.remove_network(name)
                return Released(removed=True, cleared=cleared)
            except NotFoundError:
                return Released(removed=False)
            except InUseError as err:  # an endpoint came between the two calls: look again, for a while
                if clock.monotonic() >= deadline:
                    raise EngineError(f"remove network {name}: the engine refuses (active endpoints) but "
                                      "lists none: an endpoint of a container it lost track of",
                                      hint="restart dockerd to clear it, then run the command again") from err
        elif clock.monotonic() >= deadline:
            if cleared:
                raise EngineError(f"remove network {name}: the engine still lists endpoints of containers "
                                  f"that no longer exist ({_names(stale)}), even after a forced disconnect",
                                  hint="restart dockerd to clear them, then run the command again")
            for cid in stale:
                engine.disconnect_network(name, cid, force=True)
            cleared = tuple(sorted(stale.values()))
        clock.sleep(poll_s)


def clear_stale_endpoint(engine: Engine, refused: StaleEndpointError) -> str | None:
    """After a start refused because the container's name is still an endpoint on a network: if
    that endpoint's container no longer exists, remove the endpoint and say so; None when the name
    belongs to a live container (then the refusal stands)."""
    try:
        endpoints = engine.network_endpoints(refused.network)
    except NotFoundError:
        return None
    stale = [cid for cid, name in endpoints.items() if name == refused.endpoint and not _exists(engine, cid)]
    for cid in stale:
        engine.disconnect_network(refused.network, cid, force=True)
    if not stale:
        return None
    return (f"network {refused.network}: cleared a leftover endpoint named {refused.endpoint} "
            "of a removed container")


def _exists(engine: Engine, container_id: str) -> bool:
    try:
        engine.inspect_container(container_id)
    except NotFoundError:
        return False
    return True


def _names(endpoints: Mapping[str, str]) -> str:
    return ", ".join(sorted(who or cid[:12] for cid, who in endpoints.items()))
