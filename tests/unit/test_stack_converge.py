"""`stack deploy --wait` and the `stack ls/services/ps` rows, on a fake cluster and a fake clock."""

from __future__ import annotations

from typing import Any

from compose_lite.clock import FakeClock, human_duration
from compose_lite.swarm import labels as SL
from compose_lite.swarm.converge import FAILURES_PER_REPLICA, wait_converged
from compose_lite.swarm.listing import service_rows, stacks, task_rows
from tests.unit.fake_swarm import FakeSwarm

TEMPLATE = {"ContainerSpec": {"Image": "app:2"}}


def service(swarm: FakeSwarm, name: str = "s_web", replicas: int = 2, **extra: Any) -> dict[str, Any]:
    made = {"ID": f"id-{name}", "Version": {"Index": 1}, **extra,
            "Spec": {"Name": name, "Labels": {SL.NAMESPACE: "s"}, "TaskTemplate": TEMPLATE,
                     "Mode": {"Replicated": {"Replicas": replicas}}}}
    swarm.service_list.append(made)
    return made


def task(service_id: str, state: str, *, slot: int = 1, desired: str = "running", spec: Any = None,
         err: str = "", tid: str | None = None) -> dict[str, Any]:
    return {"ID": tid or f"t-{service_id}-{slot}-{state}", "ServiceID": service_id, "Slot": slot,
            "NodeID": "node1", "DesiredState": desired, "Spec": TEMPLATE if spec is None else spec,
            "CreatedAt": "2026-12-06T10:00:00.000000001Z",
            "Status": {"State": state, "Err": err, "Timestamp": "2026-12-06T10:00:00Z"}}


def wait(swarm: FakeSwarm, names: list[str], *, earlier: frozenset[str] = frozenset(),
         timeout: float = 30) -> tuple[list[Any], list[str]]:
    errors: list[str] = []
    outcomes = wait_converged(swarm, "s", names, earlier_tasks=earlier, clock=FakeClock(), timeout_s=timeout,
                              on_task_error=errors.append)
    return outcomes, errors


def test_converged_when_every_replica_runs_the_current_spec() -> None:
    swarm = FakeSwarm()
    svc = service(swarm)
    swarm.task_list = [task(svc["ID"], "running", slot=1), task(svc["ID"], "running", slot=2)]
    [outcome], errors = wait(swarm, ["s_web"])
    assert outcome.converged and errors == []


def test_old_tasks_still_running_right_after_an_update_do_not_count() -> None:
    swarm = FakeSwarm()
    svc = service(swarm, replicas=1)
    old = {"ContainerSpec": {"Image": "app:1"}}
    swarm.task_list = [task(svc["ID"], "running", spec=old)]
    [outcome], _ = wait(swarm, ["s_web"], timeout=5)
    assert not outcome.converged and outcome.reason == "not converged after 5s"


def test_a_rolled_back_update_is_a_failure_with_swarms_message() -> None:
    swarm = FakeSwarm()
    service(swarm, UpdateStatus={"State": "rollback_completed",
                                 "Message": "update rolled back due to failure"})
    [outcome], _ = wait(swarm, ["s_web"])
    assert not outcome.converged
    assert outcome.reason == "the update failed and was rolled back: update rolled back due to failure"


def test_each_new_task_error_is_reported_once_and_repeated_failures_end_the_wait() -> None:
    swarm = FakeSwarm()
    svc = service(swarm, replicas=1)
    earlier = task(svc["ID"], "failed", err="an old failure", tid="old")
    failing = [task(svc["ID"], "rejected", err="No such image: app:2", tid=f"new{i}")
               for i in range(FAILURES_PER_REPLICA)]
    swarm.task_list = [earlier, *failing]
    [outcome], errors = wait(swarm, ["s_web"], earlier=frozenset({"old"}))
    assert not outcome.converged and outcome.reason == f"its tasks failed {FAILURES_PER_REPLICA} times"
    assert errors == ["s_web.1 on n1: No such image: app:2"] * FAILURES_PER_REPLICA


def test_a_pending_task_is_reported_and_waited_for_until_the_time_is_up() -> None:
    swarm = FakeSwarm()
    svc = service(swarm, replicas=1)
    swarm.task_list = [task(svc["ID"], "pending", err="no suitable node (1 node not available)")]
    clock = FakeClock()
    errors: list[str] = []
    [outcome] = wait_converged(swarm, "s", ["s_web"], earlier_tasks=(), clock=clock, timeout_s=10,
                               on_task_error=errors.append)
    assert not outcome.converged
    assert errors == ["s_web.1 on n1: no suitable node (1 node not available)"]
    assert 10 <= sum(clock.slept) <= 11


def test_a_replicated_job_converges_when_its_completions_are_done() -> None:
    swarm = FakeSwarm()
    svc = service(swarm)
    svc["Spec"]["Mode"] = {"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 2}}
    swarm.task_list = [task(svc["ID"], "complete", slot=1, desired="complete"),
                       task(svc["ID"], "complete", slot=2, desired="complete")]
    [outcome], _ = wait(swarm, ["s_web"])
    assert outcome.converged


def test_listing_rows_read_like_docker_stack() -> None:
    swarm = FakeSwarm()
    svc = service(swarm, replicas=2, Endpoint={"Ports": [
        {"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"},
        {"Protocol": "tcp", "TargetPort": 81, "PublishedPort": 8081, "PublishMode": "host"}]})
    service(swarm, name="s_db", replicas=1)
    swarm.task_list = [task(svc["ID"], "running", slot=1),
                       task(svc["ID"], "shutdown", slot=1, desired="shutdown"),
                       task(svc["ID"], "pending", slot=2, err="no suitable node (host-mode port in use)")]
    swarm.task_list[1]["CreatedAt"] = "2026-12-06T09:00:00Z"
    assert stacks(swarm.service_list) == [("s", "2")]
    assert service_rows(swarm.service_list, swarm.task_list) == [
        ("id-s_db", "s_db", "replicated", "0/1", "app:2", ""),
        ("id-s_web", "s_web", "replicated", "1/2", "app:2", "*:8080->80/tcp")]
    now = 1_796_551_205.0  # 2026-12-06T10:00:05Z
    rows = task_rows(swarm.task_list, swarm.service_list, swarm.node_list, now)
    assert [r[1] for r in rows] == ["s_web.1", " \\_ s_web.1", "s_web.2"]
    assert rows[0][3:6] == ("n1", "Running", "Running 5 seconds ago")
    assert rows[2][6] == '"no suitable node (host-mode p…"'


def test_human_duration_words_it_as_the_docker_cli() -> None:
    cases = {0.5: "Less than a second", 1: "1 second", 59: "59 seconds", 60: "About a minute",
             150: "2 minutes", 3600: "About an hour", 3 * 3600: "3 hours", 3 * 86400: "3 days",
             20 * 86400: "2 weeks", 90 * 86400: "3 months", 800 * 86400: "2 years"}
    assert {k: human_duration(k) for k in cases} == cases


def test_failed_tasks_during_an_update_are_left_to_swarms_failure_action() -> None:
    swarm = FakeSwarm()
    svc = service(swarm, replicas=1, UpdateStatus={"State": "rollback_started"})
    swarm.task_list = [task(svc["ID"], "failed", err="task: non-zero exit (3)", tid=f"f{i}")
                       for i in range(FAILURES_PER_REPLICA)]
    clock = FakeClock()
    [outcome] = wait_converged(swarm, "s", ["s_web"], earlier_tasks=(), clock=clock, timeout_s=3,
                               on_task_error=lambda _: None)
    assert outcome.reason == "not converged after 3s"  # not "its tasks failed 3 times"
