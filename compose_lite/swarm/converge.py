"""`stack deploy --wait`: follow the services a deploy changed until each has converged or failed.

A service has converged when its update (if any) completed and as many tasks run as it wants —
a task with a healthcheck only counts as running once healthy, as Swarm holds it in "starting"
until then. It has failed when Swarm rolled its update back or paused it, when its new tasks
failed ``FAILURES_PER_REPLICA`` times per replica before converging outside an update (an image no
node has, a command that exits: Swarm would retry forever; an update's failures are its failure
action's to judge), or when the time is up. Each error a new task reports (no suitable node,
image not found, unhealthy) is passed on once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compose_lite.clock import Clock
from compose_lite.swarm.cluster import Swarm

FAILURES_PER_REPLICA = 3
POLL_S = 1.0
_FAILED_UPDATES = {"rollback_completed": "the update failed and was rolled back",
                   "rollback_paused": "the update failed and its rollback paused",
                   "paused": "the update failed and was paused"}
_UPDATING = {"updating", "rollback_started"}
_FAILED_TASK_STATES = {"failed", "rejected"}


@dataclass(frozen=True)
class Outcome:
    service: str
    converged: bool
    reason: str = ""


def wait_converged(swarm: Swarm, stack: str, services: Sequence[str], *, earlier_tasks: Collection[str],
                   clock: Clock, timeout_s: float, on_task_error: Callable[[str], None]) -> list[Outcome]:
    """Wait for ``services`` (by name); the outcome of each, in order."""
    deadline = clock.monotonic() + timeout_s
    outcomes: dict[str, Outcome] = {}
    reported: set[str] = set()
    nodes: dict[str, str] = {}
    while True:
        current = {s["Spec"]["Name"]: s for s in swarm.services(stack)}
        pending = [name for name in services if name not in outcomes]
        ids = tuple(current[n]["ID"] for n in pending if n in current)
        tasks = swarm.tasks(stack, ids) if ids else []
        for task in tasks:
            error = _task_error(task)
            if error and task["ID"] not in reported and task["ID"] not in earlier_tasks:
                reported.add(task["ID"])
                if not nodes:
                    nodes = {n["ID"]: n["Description"]["Hostname"] for n in swarm.nodes()}
                on_task_error(_describe(task, current, nodes, error))
        for name in pending:
            service = current.get(name)
            if service is None:
                outcomes[name] = Outcome(name, False, "the service was removed")
                continue
            outcome = _judge(service, [t for t in tasks if t["ServiceID"] == service["ID"]], earlier_tasks)
            if outcome is not None:
                outcomes[name] = outcome
        if len(outcomes) == len(services):
            break
        if clock.monotonic() >= deadline:
            for name in services:
                outcomes.setdefault(name, Outcome(name, False, f"not converged after {timeout_s:g}s"))
            break
        clock.sleep(POLL_S)
    return [outcomes[name] for name in services]


def _judge(service: Mapping[str, Any], tasks: Sequence[Mapping[str, Any]],
           earlier_tasks: Collection[str]) -> Outcome | None:
    name = service["Spec"]["Name"]
    update = service.get("UpdateStatus") or {}
    state = update.get("State", "")
    if state in _FAILED_UPDATES:
        message = update.get("Message") or ""
        return Outcome(name, False, f"{_FAILED_UPDATES[state]}{': ' + message if message else ''}")
    mode = service["Spec"].get("Mode") or {}
    # a task counts once it runs the service's current spec: right after an update, before Swarm
    # marks it as updating, the old tasks still run and would look converged
    template = _comparable(service["Spec"].get("TaskTemplate") or {})
    states = [t["Status"]["State"] for t in tasks if t.get("DesiredState") in ("running", "complete")
              and _comparable(t.get("Spec") or {}) == template]
    if "ReplicatedJob" in mode or "GlobalJob" in mode:
        wanted = (mode.get("ReplicatedJob") or {}).get("TotalCompletions")
        done = states.count("complete")
        if (wanted is not None and done >= wanted) or (wanted is None and states and done == len(states)):
            return Outcome(name, True)
    elif state not in _UPDATING:
        running = states.count("running")
        wanted = (mode.get("Replicated") or {}).get("Replicas")
        if (wanted is not None and running == wanted and len(states) == wanted) or \
                (wanted is None and states and running == len(states)):
            return Outcome(name, True)
    if state in _UPDATING:  # Swarm's own failure action (pause, rollback) decides an update's fate
        return None
    failures = sum(t["Status"]["State"] in _FAILED_TASK_STATES and t["ID"] not in earlier_tasks
                   for t in tasks)
    replicas = (mode.get("Replicated") or {}).get("Replicas") or 1
    if failures >= FAILURES_PER_REPLICA * max(1, replicas):
        return Outcome(name, False, f"its tasks failed {failures} times")
    return None


def _comparable(task_spec: Mapping[str, Any]) -> dict[str, Any]:
    """A task's spec as the service's template reads: the engine adds the runtime to the latter only."""
    return {k: v for k, v in task_spec.items() if k != "Runtime"}


def _task_error(task: Mapping[str, Any]) -> str:
    status = task.get("Status") or {}
    if status.get("Err"):
        return str(status["Err"])
    if status.get("State") in _FAILED_TASK_STATES:
        return str(status.get("Message") or status["State"])
    return ""


def _describe(task: Mapping[str, Any], services: Mapping[str, Mapping[str, Any]], nodes: Mapping[str, str],
              error: str) -> str:
    service = next((n for n, s in services.items() if s["ID"] == task["ServiceID"]), task["ServiceID"][:12])
    node = task.get("NodeID", "")
    slot = task.get("Slot") or node[:12]
    where = f" on {nodes.get(node, node[:12])}" if node else ""
    return f"{service}.{slot}{where}: {error}"
