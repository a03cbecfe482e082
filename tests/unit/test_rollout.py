"""Start-first rollouts (deploy.update_config) against the fake engine: the replacement is ready
before it is found by the service's name, the old container stops only then, a failed replacement
leaves the old one serving, and failure_action pause / continue / rollback keep Swarm's meanings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from compose_lite import app
from compose_lite.clock import FakeClock
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import EngineError, OperationFailedError
from compose_lite.model import Healthcheck, Network, Port, Project, Service, ServiceNetwork, UpdatePolicy
from compose_lite.operations import Kind
from compose_lite.output import QuietReporter
from compose_lite.state import ContainerState

START_FIRST = UpdatePolicy(order="start-first")
HEALTH = Healthcheck(("CMD", "true"))


class Warnings:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.lines.append(text)
        return len(text)


class Null:
    def write(self, _: str) -> int:
        return 0


def project(version: str, *, replicas: int = 1, policy: UpdatePolicy = START_FIRST,
            rollback: UpdatePolicy = START_FIRST, **svc: object) -> Project:
    web = Service("web", image="img", environment={"VERSION": version}, healthcheck=HEALTH,
                  networks=(ServiceNetwork("default", aliases=("www",)),), scale=replicas,
                  update_config=policy, rollback_config=rollback)
    return Project("p", "/w", services={"web": replace(web, **svc)},  # type: ignore[arg-type]
                   networks={"default": Network("default", "p_default")})


def up(engine: FakeEngine, proj: Project, clock: FakeClock | None = None, **kw: object) -> app.UpOutcome:
    return app.up(proj, engine, app.UpRequest(**kw), QuietReporter(Null()),  # type: ignore[arg-type]
                  environ={}, clock=clock or FakeClock())


def deployed(replicas: int = 1, **kw: object) -> FakeEngine:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, project("1", replicas=replicas, **kw))  # type: ignore[arg-type]
    engine.calls.clear()
    return engine


def versions(engine: FakeEngine) -> dict[str, tuple[str, str | None]]:
    """Each container's name → (state, VERSION it runs)."""
    return {c.name: (c.state, c.spec.service.environment.get("VERSION")) for c in engine.containers.values()}


def temp(engine: FakeEngine, name: str) -> str:
    old = next(c for c in engine.containers.values() if c.name == name)
    return f"{old.id[:12]}_{name}"


def test_a_changed_start_first_service_is_planned_as_one_rollout_with_each_cause() -> None:
    engine = deployed(replicas=2)
    plan = up(engine, project("2", replicas=2), dry_run=True).plan
    rollouts = [op for op in plan.operations.values() if op.kind == Kind.ROLL_OUT]
    assert [op.target for op in rollouts] == ["web"]
    assert plan.text().splitlines() == [
        "roll out web: start-first, 1 at a time, each replacement ready before the old container stops",
        "  replace p-web-1: environment.VERSION changed",
        "  replace p-web-2: environment.VERSION changed",
    ]


def test_the_replacement_is_found_by_the_service_name_only_once_ready_and_the_old_stops_in_place() -> None:
    """Stopped where it is (not taken off the network first), the old container can finish what it
    serves while clients are refused by it and retry on the replacement."""
    engine = deployed()
    new = temp(engine, "p-web-1")
    answers: dict[str, list[str]] = {}
    original_start, original_stop = engine.start_container, engine.stop_container

    def start(cid: str) -> None:
        original_start(cid)
        answers["after the replacement started"] = engine.resolve("p_default", "web")

    def stop(cid: str, timeout: int | None) -> None:
        answers["as the old one stops"] = engine.resolve("p_default", "www")
        original_stop(cid, timeout)

    engine.start_container, engine.stop_container = start, stop  # type: ignore[method-assign]
    clock = FakeClock()
    up(engine, project("2"), clock=clock)
    new_id = engine._get("p-web-1").id
    assert answers == {"after the replacement started": ["p-web-1"],
                       "as the old one stops": sorted(["p-web-1", new])}
    assert engine.calls == [
        f"create_container {new}", f"start_container {new}", f"disconnect_network p_default {new_id}",
        f"connect_network p_default {new} p-web-1,web,www", "stop_container p-web-1",
        f"rename_container p-web-1->{engine_parked(new)}", f"rename_container {new}->p-web-1",
        f"remove_container {engine_parked(new)}"]
    assert 2.0 in clock.slept  # resolvers that cache for a second see the replacement first
    assert versions(engine) == {"p-web-1": ("running", "2")}
    assert engine.resolve("p_default", "web") == ["p-web-1"]


def engine_parked(temp_name: str) -> str:
    old_id, _, name = temp_name.partition("_")
    return f"{old_id}_previous_{name}"


def test_a_replacement_that_never_gets_healthy_is_removed_and_the_old_one_keeps_serving() -> None:
    engine = deployed()
    new = temp(engine, "p-web-1")
    engine.states[new] = [ContainerState("running", "starting"),
                          ContainerState("running", "unhealthy", health_log="connection refused")]
    engine.logs[new] = [b"booting\n", b"cannot open /data/db: permission denied\n"]
    with pytest.raises(OperationFailedError) as failed:
        up(engine, project("2"))
    message = str(failed.value)
    assert "rollout of service web failed (pause)" in message
    assert "unhealthy" in message and "connection refused" in message
    assert "| cannot open /data/db: permission denied" in message
    assert "p-web-1 keeps running the previous version" in message
    assert versions(engine) == {"p-web-1": ("running", "1")}
    assert "stop_container p-web-1" not in engine.calls
    assert engine.resolve("p_default", "web") == ["p-web-1"]


def test_pause_keeps_what_was_rolled_out_and_leaves_the_rest() -> None:
    engine = deployed(replicas=3)
    engine.states[temp(engine, "p-web-2")] = [ContainerState("exited", None, exit_code=3)]
    with pytest.raises(OperationFailedError) as failed:
        up(engine, project("2", replicas=3))
    assert versions(engine) == {"p-web-1": ("running", "2"), "p-web-2": ("running", "1"),
                                "p-web-3": ("running", "1")}
    assert "1 replica(s) already run the new version" in str(failed.value)
    assert "1 replica(s) were not rolled out" in str(failed.value)


def test_rollback_puts_the_previous_containers_back() -> None:
    policy = replace(START_FIRST, failure_action="rollback")
    engine = deployed(replicas=2, policy=policy)
    engine.states[temp(engine, "p-web-2")] = [ContainerState("exited", None, exit_code=1)]
    with pytest.raises(OperationFailedError):
        up(engine, project("2", replicas=2, policy=policy))
    assert versions(engine) == {"p-web-1": ("running", "1"), "p-web-2": ("running", "1")}
    assert engine.resolve("p_default", "web") == ["p-web-1", "p-web-2"]


def test_continue_within_the_failure_ratio_rolls_out_the_rest_and_only_warns() -> None:
    policy = replace(START_FIRST, failure_action="continue", max_failure_ratio=0.5)
    engine = deployed(replicas=2, policy=policy)
    engine.states[temp(engine, "p-web-1")] = [ContainerState("exited", None, exit_code=1)]
    out = Warnings()
    app.up(project("2", replicas=2, policy=policy), engine, app.UpRequest(), QuietReporter(out),  # type: ignore[arg-type]
           environ={}, clock=FakeClock())
    assert versions(engine) == {"p-web-1": ("running", "1"), "p-web-2": ("running", "2")}
    assert "1 of 2 replacements failed" in "".join(out.lines)


def test_batches_follow_parallelism_and_delay() -> None:
    policy = replace(START_FIRST, parallelism=2, delay_ns=3 * 10**9)
    engine = deployed(replicas=3, policy=policy)
    clock = FakeClock()
    up(engine, project("2", replicas=3, policy=policy), clock=clock)
    assert clock.slept.count(3.0) == 1  # between the batch of two and the third
    assert set(versions(engine).values()) == {("running", "2")}


def test_without_a_healthcheck_a_replacement_must_keep_running_for_monitor() -> None:
    policy = replace(START_FIRST, monitor_ns=4 * 10**9)
    engine = deployed(policy=policy, healthcheck=None)
    clock = FakeClock()
    up(engine, project("2", policy=policy, healthcheck=None), clock=clock)
    assert sum(s for s in clock.slept if s < 1) >= 4.0
    new = temp_of_version(engine)
    engine.states[new] = [ContainerState("running", None), ContainerState("exited", None, exit_code=2)]
    with pytest.raises(OperationFailedError, match=r"container p-web-1 exited \(2\)"):
        up(engine, project("3", policy=policy, healthcheck=None), clock=clock)


def temp_of_version(engine: FakeEngine) -> str:
    return temp(engine, "p-web-1")


@pytest.mark.parametrize(("change", "reason"), [
    ({"ports": (Port(8000, published="8080"),)}, "publishes host port 8080"),
    ({"container_name": "web"}, "container_name 'web'"),
    ({"network_mode": "host", "networks": ()}, "network_mode host"),
])
def test_where_two_containers_cannot_coexist_the_plan_says_so_and_goes_stop_first(
        change: dict[str, object], reason: str) -> None:
    engine = deployed(**change)
    outcome = up(engine, project("2", **change), dry_run=True)  # type: ignore[arg-type]
    assert [op.kind for op in outcome.plan.operations.values() if op.service == "web"] == [Kind.RECREATE]
    assert any(reason in w and "stop-first" in w and "reverse proxy" in w for w in outcome.plan.warnings)


def test_an_interrupted_rollout_converges_with_the_old_container_serving_throughout() -> None:
    engine = deployed()
    new = temp(engine, "p-web-1")
    # The engine lost while the replacement was ready but not yet found by the service's name.
    engine.fail[("connect_network", f"p_default {new} p-web-1,web,www")] = EngineError("connection lost")
    with pytest.raises(EngineError):
        up(engine, project("2"))
    assert versions(engine) == {"p-web-1": ("running", "1"), new: ("running", "2")}
    engine.fail.clear()
    engine.calls.clear()
    up(engine, project("2"))
    # the unfinished replacement goes first, not the old one
    assert engine.calls[:2] == [f"stop_container {new}", f"remove_container {new}"]
    assert versions(engine) == {"p-web-1": ("running", "2")}
    assert engine.resolve("p_default", "web") == ["p-web-1"]
