"""The project lock: one command that changes a project at a time, whoever runs it and from where.

Two `cl up` on one project at once (a deploy script and a person) would each create the project's
network and containers, and leave duplicates behind. Every command that changes a project holds its
lock, which lives on the engine (``Engine.try_lock``: an atomic engine operation), so it also
serializes commands that reach one engine from several machines over ssh. A second command waits,
saying who holds the lock, and goes on when it is released.

A holder that died without releasing (SIGKILL, a lost ssh session) does not block forever: its lock
is stale when it was taken on this machine in this boot by a process that no longer exists, or when
it is older than the time to live (``CL_LOCK_TTL`` seconds, default 3600).
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from compose_lite.clock import Clock, SystemClock
from compose_lite.engine.base import Engine
from compose_lite.errors import ComposeLiteError

PREFIX = "io.compose-lite.lock."
POLL_S = 0.25
DEFAULT_TTL_S = 3600.0


class LockTimeoutError(ComposeLiteError):
    """The project lock was not released in time."""


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, from the labels it left."""

    command: str
    host: str
    pid: int
    since: float
    boot: str

    @classmethod
    def from_labels(cls, labels: Mapping[str, str]) -> Holder:
        def number(key: str) -> float:
            try:
                return float(labels.get(PREFIX + key, "0"))
            except ValueError:
                return 0.0

        return cls(labels.get(PREFIX + "command", "?"), labels.get(PREFIX + "host", "?"),
                   int(number("pid")), number("since"), labels.get(PREFIX + "boot", ""))

    def labels(self) -> dict[str, str]:
        return {PREFIX + "command": self.command, PREFIX + "host": self.host, PREFIX + "pid": str(self.pid),
                PREFIX + "since": f"{self.since:.3f}", PREFIX + "boot": self.boot}

    def describe(self) -> str:
        when = time.strftime("%H:%M:%S", time.localtime(self.since)) if self.since else "?"
        return f"`cl {self.command}` (pid {self.pid} on {self.host}, since {when})"


def lock_name(project: str) -> str:
    return f"{project}-cl-lock"


def this_process(command: str, now: float) -> Holder:
    return Holder(command, socket.gethostname(), os.getpid(), now, _boot_id())


def is_stale(holder: Holder, *, now: float, ttl: float, here: Holder) -> bool:
    """A dead local holder, or any holder older than ``ttl`` seconds."""
    if holder.since and now - holder.since > ttl:
        return True
    same_machine = holder.host == here.host and holder.boot == here.boot and bool(here.boot)
    return same_machine and not _alive(holder.pid)


@contextmanager
def project_lock(engine: Engine, project: str, command: str, *, wait: float,
                 on_wait: Callable[[Holder], None], clock: Clock | None = None,
                 ttl: float = DEFAULT_TTL_S) -> Iterator[None]:
    """Hold ``project``'s lock for the block; wait up to ``wait`` seconds for another holder.

    ``on_wait`` is told the holder once, when this starts waiting for it.
    """
    clock = clock or SystemClock()
    name = lock_name(project)
    me = this_process(command, time.time())
    deadline = clock.monotonic() + wait
    announced: Holder | None = None
    while True:
        found = engine.try_lock(name, me.labels())
        if found is None:
            break
        holder = Holder.from_labels(found) if found else None
        if holder is not None and is_stale(holder, now=time.time(), ttl=ttl, here=me):
            engine.unlock(name)  # its holder is gone: take over
            continue
        if holder is not None and holder != announced:
            on_wait(holder)
            announced = holder
        if clock.monotonic() >= deadline:
            who = holder.describe() if holder else "another command"
            raise LockTimeoutError(f"project {project} is still locked by {who} after {wait:g}s",
                                   hint="wait for it to finish, or raise --wait-lock")
        clock.sleep(POLL_S)
    try:
        yield
    except BaseException:
        # The block's error is the one to report. A lock the engine cannot release now (it is
        # unreachable) is taken over later: its holder is dead, or older than the TTL.
        with contextlib.suppress(ComposeLiteError):
            engine.unlock(name)
        raise
    engine.unlock(name)


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True
