"""The executor on the fake engine: ordering, health gating, injected faults, timeouts."""

from __future__ import annotations

import io
import threading
from dataclasses import replace

import pytest

from compose_lite import app, executor
from compose_lite.clock import FakeClock
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import EngineError, OperationFailedError
from compose_lite.model import Condition, DependsOn, Healthcheck, Network, Project, Service, ServiceNetwork
from compose_lite.output import PlainReporter, QuietReporter
from compose_lite.state import ContainerState

NET = (ServiceNetwork("default"),)
HEALTH = Healthcheck(("CMD", "true"))


class Null:
    def write(self, _: str) -> int:
        return 0


def project(condition: Condition = Condition.HEALTHY, required: bool = True) -> Project:
    return Project("p", "/w", services={
        "db": Service("db", image="img", healthcheck=HEALTH, networks=NET),
        "web": Service("web", image="img", networks=NET,
                       depends_on=(DependsOn("db", condition, required=required),)),
    }, networks={"default": Network("default", "p_default")})


def up(engine: FakeEngine, proj: Project, clock: FakeClock | None = None, **kw: object) -> app.UpOutcome:
    return app.up(proj, engine, app.UpRequest(**kw), QuietReporter(Null()),  # type: ignore[arg-type]
                  environ={}, clock=clock or FakeClock())


def test_dependency_order_is_respected() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, project())
    assert engine.calls == ["create_network p_default", "create_container p-db-1", "start_container p-db-1",
                            "create_container p-web-1", "start_container p-web-1"]


def test_unhealthy_dependency_fails_with_its_health_output_and_dependent_is_not_started() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.states["p-db-1"] = [ContainerState("running", "starting"),
                               ContainerState("running", "unhealthy", health_log="connection refused")]
    with pytest.raises(OperationFailedError) as info:
        up(engine, project())
    assert str(info.value) == ("dependency db failed: container p-db-1 is unhealthy\n"
                               "last health check output: connection refused")
    # Created ahead (as Compose does), never started: the next `up` starts it once db is healthy.
    assert "start_container p-web-1" not in engine.calls


def test_exited_dependency_fails() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.states["p-db-1"] = [ContainerState("exited", None, exit_code=3)]
    with pytest.raises(OperationFailedError) as info:
        up(engine, project())
    assert info.value.message == "dependency db failed: container p-db-1 exited (3)"


def test_completed_successfully_gates_the_dependent() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.states["p-db-1"] = [ContainerState("running"), ContainerState("running"),
                               ContainerState("exited", exit_code=0)]
    up(engine, project(Condition.COMPLETED))
    assert engine.calls[-1] == "start_container p-web-1"


def test_optional_dependency_failure_is_a_warning() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.states["p-db-1"] = [ContainerState("running", "unhealthy")]
    shown = io.StringIO()
    outcome = app.up(project(required=False), engine, app.UpRequest(), PlainReporter(shown), environ={},
                     clock=FakeClock())
    assert "p-web-1" in {c.name for c in engine.containers.values()}
    assert outcome.containers["web"]
    warning = "warning: optional dependency db failed: container p-db-1 is unhealthy; its dependents go on"
    assert warning in shown.getvalue().splitlines()


def test_container_ids_are_in_replica_order() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    outcome = up(engine, project(), scale={"web": 11})
    names = {c.id: c.name for c in engine.containers.values()}
    assert [names[cid] for cid in outcome.containers["web"]] == [f"p-web-{n}" for n in range(1, 12)]


def test_engine_fault_stops_new_work_and_is_raised() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.fail[("create_container", "p-db-1")] = EngineError("create container p-db-1: disk full")
    with pytest.raises(EngineError) as info:
        up(engine, project())
    assert info.value.message == "create container p-db-1: disk full"
    assert "start_container p-web-1" not in engine.calls


def test_wait_timeout_uses_the_clock() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.states["p-db-1"] = [ContainerState("running", "starting")]
    clock = FakeClock(start=0.0)
    proj = replace(project(), services={"db": project().services["db"]})
    with pytest.raises(OperationFailedError) as info:
        up(engine, proj, clock, wait=True, wait_timeout=3)
    assert info.value.message == "timed out waiting for container p-db-1 (service db)"
    assert 3.0 <= clock.monotonic() < 3.2


def test_wait_takes_a_running_container_the_engine_runs_without_a_healthcheck_as_ready() -> None:
    # `healthcheck:` without a test inherits the image's; with none there, Compose's --wait settles
    # for running, where a service_healthy dependency is an error.
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.states["p-db-1"] = [ContainerState("running", None)]
    proj = replace(project(), services={"db": project().services["db"]})
    up(engine, proj, wait=True, wait_timeout=3)
    with pytest.raises(OperationFailedError, match="container p-db-1 has no healthcheck configured"):
        up(engine, project(), force_recreate=True)


def test_wait_waits_for_a_healthcheck_the_image_brings_as_compose_does() -> None:
    engine = _CountingEngine(images={"img": "sha256:1"})
    engine.states["p-web-1"] = [ContainerState("running", "starting"), ContainerState("running", "starting"),
                                ContainerState("running", "healthy")]
    proj = replace(project(), services={"web": Service("web", image="img", networks=NET)})  # none in the file
    clock = FakeClock(start=0.0)
    up(engine, proj, clock, wait=True, wait_timeout=60)
    assert engine.inspects == 3 and len(clock.slept) == 2  # until healthy, not done once running


def test_independent_operations_overlap() -> None:
    """Two independent services are created concurrently (not one after the other)."""
    engine = FakeEngine(images={"img": "sha256:1"})
    both = threading.Barrier(2, timeout=5)
    original = engine.create_container

    def create(spec):  # type: ignore[no-untyped-def]
        both.wait()  # deadlocks (BrokenBarrierError) if the executor ran them one by one
        return original(spec)

    engine.create_container = create  # type: ignore[method-assign]
    proj = Project("p", "/w", services={"a": Service("a", image="img", networks=NET),
                                        "b": Service("b", image="img", networks=NET)},
                   networks={"default": Network("default", "p_default")})
    up(engine, proj)
    assert {c.name for c in engine.containers.values()} == {"p-a-1", "p-b-1"}


def test_parallel_limit_from_environment() -> None:
    assert executor.parallel_limit({"COMPOSE_PARALLEL_LIMIT": "4"}) == 4
    assert executor.parallel_limit({"COMPOSE_PARALLEL_LIMIT": "zero"}) == executor.DEFAULT_LIMIT


def test_each_wait_is_shown_once_and_a_one_shot_job_as_exited() -> None:
    # db is waited on by web and by --wait; the job is waited on by --wait: one line pair each
    import io

    from compose_lite.output import PlainReporter

    web = Service("web", image="img", networks=NET, depends_on=(
        DependsOn("db", Condition.HEALTHY), DependsOn("job", Condition.COMPLETED)))
    proj = Project("p", "/w", services={"db": project().services["db"], "web": web,
                                        "job": Service("job", image="img", networks=NET)},
                   networks=project().networks)
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.states["p-job-1"] = [ContainerState("exited", exit_code=0)]
    stream = io.StringIO()
    app.up(proj, engine, app.UpRequest(wait=True), PlainReporter(stream), environ={}, clock=FakeClock())
    lines = [line.split("  ")[1].split(" ")[0] for line in stream.getvalue().splitlines() if "p-db-1" in line]
    assert lines.count("Waiting") == 1 and lines.count("Healthy") == 1
    job = [line.split("  ")[1].split(" ")[0] for line in stream.getvalue().splitlines() if "p-job-1" in line]
    assert "Running" not in job and job[-1] == "Exited"


class _SlowFakeClock(FakeClock):
    """Fake time, plus a real pause per sleep so a signal from another thread can arrive."""

    def sleep(self, seconds: float) -> None:
        import time

        time.sleep(0.005)
        super().sleep(seconds)


class _CountingEngine(FakeEngine):
    inspects: int = 0

    def inspect_container(self, container_id: str) -> ContainerState:
        self.inspects += 1
        return super().inspect_container(container_id)


def test_ctrl_c_during_a_health_wait_ends_the_wait_at_its_next_poll() -> None:
    import signal

    engine = _CountingEngine(images={"img": "sha256:1"})
    engine.states["p-db-1"] = [ContainerState("running", "starting")]  # never healthy
    seen_at_interrupt: list[int] = []

    def interrupt() -> None:
        seen_at_interrupt.append(engine.inspects)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    timer = threading.Timer(0.3, interrupt)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        up(engine, project(), _SlowFakeClock(), wait=True, wait_timeout=60)
    timer.join()
    assert engine.inspects - seen_at_interrupt[0] <= 2  # without the cancel: polls on to the timeout
    assert "start_container p-web-1" not in engine.calls


def test_every_kind_of_operation_has_its_handler() -> None:
    from compose_lite import operations

    kinds = {cls for cls in vars(operations).values()
             if isinstance(cls, type) and issubclass(cls, operations.Operation) and "kind" in vars(cls)}
    assert {cls.kind for cls in kinds} == set(operations.Kind)  # one class per verb
    assert set(executor.HANDLERS) == kinds - {operations.AwaitExit}  # exit waits are the scheduler's
