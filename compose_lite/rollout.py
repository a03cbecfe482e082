"""Start-first rollouts (``deploy.update_config.order: start-first``): each changed replica gets its
replacement beside it, and the old container stops only once the replacement is ready.

Docker's DNS answers for a service alias as soon as a container joins a network with it, before
it listens, so the replacement joins without the service's aliases and takes them once ready
(healthy, or running for ``monitor`` without a healthcheck). A moment later, once resolvers that
cache have seen it, the old container is stopped where it is, as `docker stop` does: a server
that closes its listener on SIGTERM refuses new connections (clients retry on the replacement)
and finishes the requests it has, within its stop_grace_period. Taking it off the network first
would cut those requests. Either way the engine drops a container's address a moment before its
DNS record, so a client that connects in that moment must retry a connection that is not
established (as proxies do); and Docker's DNS answers with the old address until it has stopped,
so a connection queued at its listener as it closes is reset unanswered, which proxies retry too
(nginx's ``proxy_next_upstream error``, for idempotent requests). Old containers are kept,
stopped and under a parking name, until the whole service is rolled out, so that
``failure_action: rollback`` can start them again. A replacement that fails is removed; the
replica it was to replace keeps serving untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from compose_lite.clock import Clock
from compose_lite.errors import ComposeLiteError, OperationFailedError
from compose_lite.model import Service, UpdatePolicy
from compose_lite.parallel import parallel_map
from compose_lite.state import ENDED, RolloutStep

if TYPE_CHECKING:
    from compose_lite.engine.base import Engine
    from compose_lite.operations import RollOut
    from compose_lite.output import Reporter

# After the replacement takes the service's aliases and before the old container stops: resolvers
# that cache an answer briefly (a proxy's `resolver … valid=1s`) learn the new address first.
SETTLE_S = 2.0
LOG_LINES = 10
POLL_S = 0.1

T = TypeVar("T")
Until = Callable[[str, str, bool], None]  # (name, container id, healthy) → returns when ready, or raises


@dataclass
class _Replaced:
    step: RolloutStep
    new_id: str


@dataclass
class Rollout:
    """Runs one RollOut operation; ``record`` tells the executor which container serves a replica."""

    op: RollOut
    engine: Engine
    progress: Reporter
    clock: Clock
    until: Until
    record: Callable[[str, str], None]

    @property
    def service(self) -> Service:
        return self.op.steps[0].spec.service

    def run(self) -> None:
        policy = self.service.update_config
        steps = list(self.op.steps)
        replaced: list[_Replaced] = []
        failures: list[str] = []
        attempted = 0
        for batch in _batches(steps, policy.parallelism):
            if attempted and policy.delay_ns:
                self.clock.sleep(policy.delay_ns / 1e9)
            attempted += len(batch)
            outcomes = parallel_map(self._replace, batch, name="cl-rollout")
            for step, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, _Replaced):
                    replaced.append(outcome)
                else:
                    failures.append(outcome)
                    self.record(step.name, step.old.id)
            if len(failures) / len(steps) > policy.max_failure_ratio and policy.failure_action != "continue":
                break
        for step in steps[attempted:]:  # paused or rolled back before their turn: they keep serving
            self.record(step.name, step.old.id)
        exceeded = len(failures) / len(steps) > policy.max_failure_ratio
        if exceeded and policy.failure_action == "rollback":
            self._roll_back(replaced)
            replaced = []
        for done in replaced:
            self.engine.remove_container(done.step.old.id, volumes=self.op.remove_volumes)
        if failures and not exceeded:
            self.progress.warning(f"service {self.service.name}: {len(failures)} of {len(steps)} "
                                  f"replacements failed, within max_failure_ratio {policy.max_failure_ratio}")
        elif failures:
            raise OperationFailedError(self._failure_text(failures, len(replaced), len(steps) - attempted),
                                       hint=f"fix the service and run `cl up` again; "
                                            f"`cl logs {self.service.name}` shows what it printed")

    def _failure_text(self, failures: list[str], kept_new: int, untouched: int) -> str:
        action = self.service.update_config.failure_action
        lines = [f"rollout of service {self.service.name} failed ({action}):", *failures]
        if kept_new:
            lines.append(f"{kept_new} replica(s) already run the new version")
        if untouched:
            lines.append(f"{untouched} replica(s) were not rolled out and run the previous version")
        return "\n".join(lines)

    # -- one replica ------------------------------------------------------------------------------

    def _replace(self, step: RolloutStep) -> _Replaced | str:
        """The replacement started and ready, then serving under the replica's name; or why not."""
        self.progress.info(f"roll out {step.name}: {step.cause}")
        self.progress.event("Container", step.name, "Recreate")
        hidden = replace(step.spec, networks=tuple(replace(n, aliases=()) for n in step.spec.networks))
        new_id = self.engine.create_container(hidden)
        try:
            self.engine.start_container(new_id)
            self.progress.event("Container", step.name, "Waiting")
            self._ready(step.name, new_id, self.service.update_config)
        except ComposeLiteError as err:
            why = self._why(step.name, new_id, err)
            self.engine.remove_container(new_id, volumes=self.op.remove_volumes)
            self.progress.event("Container", step.name, "Error", done=True)
            return why
        self._hand_over(step, new_id, step.old.id)
        self.engine.rename_container(step.old.id, _parked(step))
        self.engine.rename_container(new_id, step.name)
        self.record(step.name, new_id)
        self.progress.event("Container", step.name, "Recreated", done=True)
        return _Replaced(step, new_id)

    def _hand_over(self, step: RolloutStep, incoming: str, outgoing: str) -> None:
        """``incoming`` (ready) takes the service's aliases; once resolvers have seen it, ``outgoing``
        is stopped where it is, so that it drains: see the module's docstring."""
        if step.spec.network_mode is None:  # else no networks of the project: no names to hand over
            for attachment in step.spec.networks:
                self.engine.disconnect_network(attachment.name, incoming)
                self.engine.connect_network(incoming, attachment)
            self.clock.sleep(SETTLE_S)
        self.engine.stop_container(outgoing, self.op.stop_timeout)

    def _ready(self, name: str, container_id: str, policy: UpdatePolicy) -> None:
        """Healthy when it has a healthcheck (the service's or its image's); else running for ``monitor``."""
        if self.engine.inspect_container(container_id).health is not None:
            self.until(name, container_id, True)
            return
        self.until(name, container_id, False)
        end = self.clock.monotonic() + policy.monitor_ns / 1e9
        while self.clock.monotonic() < end:
            state = self.engine.inspect_container(container_id)
            if state.status in ENDED:
                raise OperationFailedError(f"container exited ({state.exit_code}) within its monitor period")
            self.clock.sleep(POLL_S)

    def _why(self, name: str, container_id: str, err: ComposeLiteError) -> str:
        try:
            tail = b"".join(self.engine.container_logs(container_id, tail=LOG_LINES)).decode(errors="replace")
        except ComposeLiteError:
            tail = ""
        lines = [f"  {name}: the replacement failed: {err}; {name} keeps running the previous version"]
        lines += [f"    | {line}" for line in tail.splitlines()[-LOG_LINES:]]
        return "\n".join(lines)

    # -- rollback ---------------------------------------------------------------------------------

    def _roll_back(self, replaced: list[_Replaced]) -> None:
        """Put the previous containers back in service (``rollback_config``) and remove the new ones."""
        policy = self.service.rollback_config
        for index, batch in enumerate(_batches(replaced, policy.parallelism)):
            if index and policy.delay_ns:
                self.clock.sleep(policy.delay_ns / 1e9)
            for outcome in parallel_map(lambda done: self._restore(done, policy), batch, name="cl-rollout"):
                if isinstance(outcome, str):
                    raise OperationFailedError(f"rollback of service {self.service.name} failed: {outcome}")

    def _restore(self, done: _Replaced, policy: UpdatePolicy) -> str | None:
        step, old_id = done.step, done.step.old.id
        self.progress.event("Container", step.name, "Rolling back")
        try:
            own = step.spec.networks if step.spec.network_mode is None else ()
            if policy.start_first:  # back beside the new one, unnamed until ready, as on the way out
                for attachment in own:  # a stopped container keeps its endpoints' settings: reset them
                    self.engine.disconnect_network(attachment.name, old_id)
                    self.engine.connect_network(old_id, replace(attachment, aliases=()))
                self.engine.start_container(old_id)
                self._ready(step.name, old_id, policy)
                self._hand_over(step, old_id, done.new_id)
            else:
                self.engine.stop_container(done.new_id, self.op.stop_timeout)
                self.engine.start_container(old_id)  # it rejoins its networks with its own aliases
                self._ready(step.name, old_id, policy)
            self.engine.remove_container(done.new_id, volumes=self.op.remove_volumes)
            self.engine.rename_container(old_id, step.name)
        except ComposeLiteError as err:
            return f"{step.name}: {err}"
        self.record(step.name, old_id)
        self.progress.event("Container", step.name, "Rolled back", done=True)
        return None


def _parked(step: RolloutStep) -> str:
    """The old container's name while it is kept for a rollback; a later `up` removes it as a
    duplicate of its replica if this run is interrupted."""
    return f"{step.old.id[:12]}_previous_{step.name}"


def _batches(items: list[T], parallelism: int) -> list[list[T]]:
    size = parallelism if parallelism > 0 else max(1, len(items))
    return [items[i:i + size] for i in range(0, len(items), size)]
