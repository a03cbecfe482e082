"""What a plan is made of: one small frozen dataclass per kind of step, and the plan itself.

Each kind carries only what its step needs (a ``CreateContainer`` its spec, a ``KillContainer``
its signal), so a handler reads typed fields instead of asserting that an optional one is set.
The planner and ``control`` make them, the executor runs each through its handler table, and
``--dry-run`` prints ``Plan.text()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from compose_lite.model import Condition, Hook, Network, Volume
from compose_lite.state import ContainerSpec, ObservedContainer, RolloutStep


class Kind(StrEnum):
    """The verb each kind of operation is shown with (``--dry-run``, golden plans)."""

    CREATE_NETWORK = "create network"
    CREATE_VOLUME = "create volume"
    CREATE = "create"
    RECREATE = "recreate"
    ROLL_OUT = "roll out"  # start-first replacement of a service's changed replicas (rollout.py)
    START = "start"
    RESTART = "restart"
    KEEP = "keep"
    STOP = "stop"
    KILL = "kill"
    PAUSE = "pause"
    UNPAUSE = "unpause"
    AWAIT_EXIT = "wait for exit of"  # a container being stopped: its process ended (see exits.py)
    REMOVE = "remove"
    AWAIT = "wait for"  # a dependency condition, before dependents are created/started
    READY = "wait until ready"  # --wait
    REMOVE_NETWORK = "remove network"
    REMOVE_VOLUME = "remove volume"
    REMOVE_IMAGE = "remove image"


@dataclass(frozen=True, kw_only=True)
class Operation:
    """One step of a plan: what to do to which resource, why, and after which other steps."""

    kind: ClassVar[Kind]
    id: str
    target: str  # what the user sees: container / network / volume / image name, or a service
    cause: str = ""
    deps: frozenset[str] = frozenset()
    service: str | None = None

    def line(self) -> str:
        return f"{self.kind.value} {self.target}" + (f": {self.cause}" if self.cause else "")


@dataclass(frozen=True, kw_only=True)
class ContainerOperation(Operation):
    """A step on one existing container."""

    container: ObservedContainer


@dataclass(frozen=True, kw_only=True)
class CreateNetwork(Operation):
    kind = Kind.CREATE_NETWORK
    network: Network
    labels: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class CreateVolume(Operation):
    kind = Kind.CREATE_VOLUME
    volume: Volume
    labels: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class CreateContainer(Operation):
    kind = Kind.CREATE
    spec: ContainerSpec
    start: bool = True  # False with --no-start, or when a separate StartContainer waits on conditions
    post_start: tuple[Hook, ...] = ()  # the service's hooks, run in it once started


@dataclass(frozen=True, kw_only=True)
class RecreateContainer(ContainerOperation):
    kind = Kind.RECREATE
    spec: ContainerSpec  # under a temporary name, renamed to ``rename_to`` once the old one is gone
    rename_to: str
    start: bool = True
    remove_volumes: bool = False  # also the old container's anonymous volumes (-V)
    stop_timeout: int | None = None
    post_start: tuple[Hook, ...] = ()  # no pre_stop: as Compose, a replaced container gets none


@dataclass(frozen=True, kw_only=True)
class RollOut(Operation):
    kind = Kind.ROLL_OUT
    steps: tuple[RolloutStep, ...]  # the replicas replaced, in order
    remove_volumes: bool = False
    stop_timeout: int | None = None

    def line(self) -> str:
        return "\n".join([super().line(), *(f"  replace {s.name}: {s.cause}" for s in self.steps)])


@dataclass(frozen=True, kw_only=True)
class StartContainer(Operation):
    kind = Kind.START
    container: ObservedContainer | None = None  # None: created earlier in the same run
    rename_to: str | None = None  # an interrupted recreate left it under a temporary name
    post_start: tuple[Hook, ...] = ()


@dataclass(frozen=True, kw_only=True)
class KeepContainer(ContainerOperation):
    kind = Kind.KEEP
    rename_to: str | None = None


@dataclass(frozen=True, kw_only=True)
class RestartContainer(ContainerOperation):
    kind = Kind.RESTART
    stop_timeout: int | None = None
    pre_stop: tuple[Hook, ...] = ()
    post_start: tuple[Hook, ...] = ()


@dataclass(frozen=True, kw_only=True)
class StopContainer(ContainerOperation):
    kind = Kind.STOP
    stop_timeout: int | None = None
    pre_stop: tuple[Hook, ...] = ()  # run while it still runs, before the stop signal


@dataclass(frozen=True, kw_only=True)
class KillContainer(ContainerOperation):
    kind = Kind.KILL
    signal: str | None = None  # None: SIGKILL


@dataclass(frozen=True, kw_only=True)
class PauseContainer(ContainerOperation):
    kind = Kind.PAUSE


@dataclass(frozen=True, kw_only=True)
class UnpauseContainer(ContainerOperation):
    kind = Kind.UNPAUSE


@dataclass(frozen=True, kw_only=True)
class AwaitExit(ContainerOperation):
    """Held by no worker: the scheduler registers it with the exit watch (exits.py)."""

    kind = Kind.AWAIT_EXIT


@dataclass(frozen=True, kw_only=True)
class RemoveContainer(ContainerOperation):
    kind = Kind.REMOVE
    remove_volumes: bool = False
    stop_timeout: int | None = None
    pre_stop: tuple[Hook, ...] = ()  # a live one (scale-down, rm -s) is stopped first


@dataclass(frozen=True, kw_only=True)
class AwaitCondition(Operation):
    """A dependency's condition, before its dependents are created or started."""

    kind = Kind.AWAIT
    condition: Condition
    required: bool = True  # False: a failure is a warning and the dependents go on
    present: tuple[ObservedContainer, ...] = ()  # the dependency's containers no operation here acts on

    @classmethod
    def on(cls, service: str, condition: Condition, *, required: bool, deps: frozenset[str],
           present: tuple[ObservedContainer, ...] = ()) -> AwaitCondition:
        """The wait for ``service``'s condition, one per kind of link: an optional one's failure is a
        warning for its own dependents, while those that require the dependency fail."""
        kind = "" if required else ":optional"
        return cls(id=f"await:{service}:{condition.value}{kind}", target=service, cause=condition.value,
                   deps=deps, service=service, condition=condition, required=required, present=present)


@dataclass(frozen=True, kw_only=True)
class AwaitReady(Operation):
    """``--wait``, or the watch after a restart: one replica running, healthy (``healthcheck``) or
    exited 0 (``expect_exit``)."""

    kind = Kind.READY
    container: ObservedContainer | None = None  # None: the replica created or started earlier in this run
    healthcheck: bool = False
    expect_exit: bool = False


@dataclass(frozen=True, kw_only=True)
class RemoveNetwork(Operation):
    kind = Kind.REMOVE_NETWORK


@dataclass(frozen=True, kw_only=True)
class RemoveVolume(Operation):
    kind = Kind.REMOVE_VOLUME


@dataclass(frozen=True, kw_only=True)
class RemoveImage(Operation):
    kind = Kind.REMOVE_IMAGE


@dataclass(frozen=True)
class Plan:
    """The operations of one command in dependency order, and what the user should be warned about."""

    operations: Mapping[str, Operation]  # in a stable dependency order
    warnings: tuple[str, ...] = ()

    def text(self) -> str:
        return "\n".join(op.line() for op in self.operations.values())

    def changes(self) -> list[Operation]:
        """Operations that alter something (everything but keep, stop-before-remove and the waits)."""
        quiet = (KeepContainer, AwaitCondition, AwaitReady, StopContainer, AwaitExit)
        return [op for op in self.operations.values() if not isinstance(op, quiet)]

