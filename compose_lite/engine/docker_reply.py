"""Reading the engine's answers: list entries and stats into compose_lite's types, and its
refusals into one-line explanations with a hint where one helps."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator, Mapping
from typing import Any

from compose_lite import labels as L
from compose_lite.engine.base import ContainerStats, EngineEvent
from compose_lite.errors import AlreadyExistsError, EngineError, GoneError, InUseError, StaleEndpointError
from compose_lite.state import ObservedContainer, ObservedMount

log = logging.getLogger(__name__)


def observed_container(raw: Mapping[str, Any]) -> ObservedContainer:
    labels = raw.get("Labels") or {}
    networks = ((raw.get("NetworkSettings") or {}).get("Networks") or {}).keys()
    try:
        number = int(labels.get(L.NUMBER, "0"))
    except ValueError:
        number = 0
    return ObservedContainer(
        id=raw["Id"], name=(raw.get("Names") or ["/?"])[0].lstrip("/"), project=labels.get(L.PROJECT, ""),
        service=labels.get(L.SERVICE, ""), number=number, state=str(raw.get("State", "")),
        status=str(raw.get("Status", "")), labels=labels, image=str(raw.get("Image", "")),
        image_id=str(raw.get("ImageID", "")), command=str(raw.get("Command", "")),
        created=int(raw.get("Created") or 0), oneoff=labels.get(L.ONEOFF, "False") == "True",
        ports=tuple(raw.get("Ports") or ()), networks=tuple(networks),
        mounts=tuple(ObservedMount(str(m.get("Type", "")), m.get("Name"), str(m.get("Source", "")),
                                   str(m.get("Destination", ""))) for m in raw.get("Mounts") or ()),
    )


def container_stats_of(raw: Mapping[str, Any]) -> ContainerStats:
    """The numbers ``docker stats`` shows, computed as the Docker CLI computes them."""
    cpu, pre = raw.get("cpu_stats") or {}, raw.get("precpu_stats") or {}
    cpu_delta = (cpu.get("cpu_usage") or {}).get("total_usage", 0) - (pre.get("cpu_usage") or {}).get(
        "total_usage", 0)
    system_delta = cpu.get("system_cpu_usage", 0) - pre.get("system_cpu_usage", 0)
    online = cpu.get("online_cpus") or len((cpu.get("cpu_usage") or {}).get("percpu_usage") or ()) or 1
    percent = cpu_delta / system_delta * online * 100.0 if system_delta > 0 and cpu_delta > 0 else 0.0
    mem = raw.get("memory_stats") or {}
    detail = mem.get("stats") or {}
    cache = detail.get("inactive_file", detail.get("total_inactive_file", 0))
    nets = (raw.get("networks") or {}).values()
    blkio = (raw.get("blkio_stats") or {}).get("io_service_bytes_recursive") or ()
    return ContainerStats(
        cpu_percent=percent, mem_usage=max(0, int(mem.get("usage", 0)) - int(cache)),
        mem_limit=int(mem.get("limit", 0)), net_rx=sum(int(n.get("rx_bytes", 0)) for n in nets),
        net_tx=sum(int(n.get("tx_bytes", 0)) for n in nets),
        block_read=sum(int(b.get("value", 0)) for b in blkio if str(b.get("op", "")).lower() == "read"),
        block_write=sum(int(b.get("value", 0)) for b in blkio if str(b.get("op", "")).lower() == "write"),
        pids=int((raw.get("pids_stats") or {}).get("current", 0)))


# What to do about the engine's common refusals, by a phrase of its message.
_REFUSAL_HINTS = (
    (("address already in use", "port is already allocated"),
     "another process or container already publishes that host port: stop it, or change the host side "
     "of the service's `ports:` entry"),
    (("is already in use by container",),
     "a container outside this project has that name: remove or rename it, or change `container_name:`"),
    (("no space left on device",), "the engine's disk is full: `docker system df` shows what uses it"),
)


def refusal_hint(explanation: str) -> str | None:
    return next((hint for phrases, hint in _REFUSAL_HINTS if any(p in explanation for p in phrases)), None)


def rfc3339(unix_seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix_seconds))


def explanation(err: Any) -> str:
    explanation = getattr(err, "explanation", None)
    if isinstance(explanation, bytes):
        explanation = explanation.decode(errors="replace")
    if explanation:
        try:  # some daemons return the JSON body verbatim
            return str(json.loads(explanation).get("message", explanation))
        except (ValueError, AttributeError):
            return str(explanation)
    return str(err)


def reason(err: BaseException) -> str:
    """A one-line reason for a connection failure, without the urllib3 object soup."""
    text = str(err)
    for needle, reason in (("No such file or directory", "no such socket"),
                           ("Connection refused", "connection refused"),
                           ("Permission denied", "permission denied"),
                           ("timed out", "timed out")):
        if needle in text:
            return reason
    return text.splitlines()[0] if text else type(err).__name__


_STALE_ENDPOINT = re.compile(r"endpoint with name (\S+) already exists in network (\S+)")


def refusal(what: str, said: str) -> EngineError:
    """The engine's refusal as the error type that names it (the one place its wording is read)."""
    message, hint = f"{what}: {said}", refusal_hint(said)
    stale = _STALE_ENDPOINT.search(said)
    if stale:
        return StaleEndpointError(message, endpoint=stale.group(1), network=stale.group(2), hint=hint)
    if "already exists" in said or "is already in use by container" in said:
        return AlreadyExistsError(message, hint=hint)
    if "has active endpoints" in said or "volume is in use" in said:
        return InUseError(message, hint=hint)
    if "dead or marked for removal" in said:
        return GoneError(message, hint=hint)
    return EngineError(message, hint=hint)


class SdkEvents:
    """The SDK's event stream as EngineEvents; ``close()`` shuts its socket, ending a blocked read."""

    def __init__(self, events: Iterator[Any], raw: Any) -> None:
        self._events = events  # ``raw`` read with the adapter's failures mapped
        self._raw = raw

    def __iter__(self) -> Iterator[EngineEvent]:
        for raw in self._events:
            actor = raw.get("Actor") or {}
            yield EngineEvent(int(raw.get("timeNano") or 0), str(raw.get("Type", "")),
                              str(raw.get("Action", "")), str(actor.get("ID", "")),
                              {str(k): str(v) for k, v in (actor.get("Attributes") or {}).items()})

    def close(self) -> None:
        try:
            self._raw.close()  # shuts the socket down, which wakes a read blocked on it
        except Exception as err:  # the SDK cannot reach every transport's socket (not ssh://'s)
            # Closing the response instead would wait on the blocked reader's buffer lock: leave
            # that reader blocked; its thread ends with the process.
            log.debug("event stream not closed: %r", err)
