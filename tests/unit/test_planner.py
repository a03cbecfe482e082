"""Golden plan texts for the convergence matrix, on states produced by running plans on the fake engine."""

from __future__ import annotations

from dataclasses import replace

import pytest

from compose_lite import app
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import NotFoundError
from compose_lite.model import Condition, DependsOn, Healthcheck, Mount, Network, Project, Service, Volume
from compose_lite.operations import Kind
from compose_lite.output import QuietReporter


def stack(*, restart: bool = False, debug: str = "0", db_image: str = "db-img") -> Project:
    """front → back → db (healthy), the middle tier with a DEBUG variable."""
    health = Healthcheck(("CMD", "true"), interval_ns=100_000_000)
    return Project("p", "/w", services={
        "db": Service("db", image=db_image, healthcheck=health, mounts=(Mount("volume", "/data", "data"),),
                      networks=()),
        "back": Service("back", image="app", environment={"DEBUG": debug},
                        depends_on=(DependsOn("db", Condition.HEALTHY, restart=restart),)),
        "front": Service("front", image="app", depends_on=(DependsOn("back", restart=restart),)),
    }, networks={"default": Network("default", "p_default")}, volumes={"data": Volume("data", "p_data")})


def with_default_network(project: Project) -> Project:
    from compose_lite.model import ServiceNetwork

    services = {k: replace(s, networks=(ServiceNetwork("default"),)) for k, s in project.services.items()}
    return replace(project, services=services)


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine(images={"db-img": "sha256:db", "db-img2": "sha256:db2", "app": "sha256:app"})


def up(engine: FakeEngine, project: Project, **kw: object) -> str:
    request = app.UpRequest(**kw)  # type: ignore[arg-type]
    outcome = app.up(with_default_network(project), engine, request, QuietReporter(_Null()), environ={})
    return outcome.plan.text()


def dry(engine: FakeEngine, project: Project, **kw: object) -> str:
    return up(engine, project, dry_run=True, **kw)


class _Null:
    def write(self, _: str) -> int:
        return 0


def test_cold_plan(engine: FakeEngine) -> None:
    assert dry(engine, stack()) == """\
create network p_default
create volume p_data
create p-db-1
create p-back-1
wait for db: service_healthy
create p-front-1
start p-back-1
wait for back: service_started
start p-front-1"""


def test_new_containers_start_after_conditions_but_are_created_after_their_dependencies() -> None:
    from compose_lite.planner import Desired, UpOptions, plan_up
    from compose_lite.state import ObservedState

    project = stack()
    desired = Desired(project, {s: project.services[s].image or "" for s in project.services}, {}, "/w")
    ops = plan_up(desired, ObservedState(), UpOptions(frozenset(project.services))).operations
    assert ops["container:p-back-1"].deps == {"container:p-db-1"}
    assert ops["start:p-back-1"].deps == {"container:p-back-1", "await:db:service_healthy"}
    assert ops["container:p-back-1"].start is False and ops["container:p-db-1"].start is True


def test_no_change_keeps_everything(engine: FakeEngine) -> None:
    """Kept containers the snapshot shows running (and healthy) need no wait at all."""
    up(engine, stack())
    assert dry(engine, stack()) == "keep p-db-1\nkeep p-back-1\nkeep p-front-1"
    engine.set_state("p-db-1", state="restarting")
    assert "wait for db: service_healthy" in dry(engine, stack()).splitlines()


def test_leaf_change_recreates_only_the_leaf(engine: FakeEngine) -> None:
    up(engine, stack())
    project = stack()
    project = replace(project, services={**project.services, "front": replace(
        project.services["front"], environment={"MODE": "x"})})
    assert "recreate p-front-1: environment.MODE changed" in dry(engine, project).splitlines()
    assert [line for line in dry(engine, project).splitlines() if line.startswith("recreate")] == [
        "recreate p-front-1: environment.MODE changed"]


def test_middle_change_without_restart_flag(engine: FakeEngine) -> None:
    up(engine, stack())
    assert dry(engine, stack(debug="1")) == """\
keep p-db-1
recreate p-back-1: environment.DEBUG changed
wait for back: service_started
keep p-front-1"""


def test_root_change_with_restart_flag_restarts_dependents(engine: FakeEngine) -> None:
    up(engine, stack(restart=True))
    assert dry(engine, stack(restart=True, db_image="db-img2")) == """\
recreate p-db-1: image changed
wait for db: service_healthy
restart p-back-1: dependency db was recreated
wait for back: service_started
keep p-front-1"""


def test_a_dependent_that_does_not_require_its_dependency_waits_on_its_own() -> None:
    """Its wait fails as a warning, not for the dependents that require the same condition."""
    from compose_lite.operations import AwaitCondition
    from compose_lite.planner import Desired, UpOptions, plan_up
    from compose_lite.state import ObservedState

    project = stack()
    optional = replace(project.services["back"], name="opt",
                       depends_on=(DependsOn("db", Condition.HEALTHY, required=False),))
    project = replace(project, services={**project.services, "opt": optional})
    desired = Desired(project, {s: project.services[s].image or "" for s in project.services}, {}, "/w")
    ops = plan_up(desired, ObservedState(), UpOptions(frozenset(project.services))).operations
    waits = {op.id: op.required for op in ops.values() if isinstance(op, AwaitCondition)}
    assert waits == {"await:db:service_healthy": True, "await:db:service_healthy:optional": False,
                     "await:back:service_started": True}
    assert "await:db:service_healthy:optional" in ops["start:p-opt-1"].deps
    assert "await:db:service_healthy" not in ops["start:p-opt-1"].deps


def test_root_change_without_restart_flag_keeps_dependents(engine: FakeEngine) -> None:
    up(engine, stack())
    plan = dry(engine, stack(db_image="db-img2")).splitlines()
    assert plan[0] == "recreate p-db-1: image changed"
    assert "keep p-back-1" in plan and "keep p-front-1" in plan


def test_force_and_no_recreate(engine: FakeEngine) -> None:
    up(engine, stack())
    assert "recreate p-front-1: forced" in dry(engine, stack(), force_recreate=True).splitlines()
    assert "keep p-back-1" in dry(engine, stack(debug="1"), no_recreate=True).splitlines()


def test_force_recreate_and_renew_anon_volumes_apply_to_the_services_asked_for(engine: FakeEngine) -> None:
    """As Compose: their dependencies are recreated only when they diverged, or with
    --always-recreate-deps; -V recreates (new anonymous volumes need new containers)."""
    up(engine, stack())
    forced = dry(engine, stack(), services=("front",), force_recreate=True).splitlines()
    assert "recreate p-front-1: forced" in forced
    assert "keep p-back-1" in forced and "keep p-db-1" in forced
    renewed = dry(engine, stack(), renew_anon_volumes=True).splitlines()
    assert {line.split(":")[0] for line in renewed if line.startswith("recreate")} == {
        "recreate p-db-1", "recreate p-back-1", "recreate p-front-1"}
    deps = dry(engine, stack(), services=("front",), always_recreate_deps=True).splitlines()
    assert "keep p-front-1" in deps and "recreate p-back-1: forced" in deps


def test_stopped_container_is_started(engine: FakeEngine) -> None:
    up(engine, stack())
    engine.set_state("p-front-1", state="exited")
    assert "start p-front-1: was exited" in dry(engine, stack()).splitlines()


def test_orphans_warned_then_removed(engine: FakeEngine) -> None:
    up(engine, stack())
    project = stack()
    project = replace(project, services={k: v for k, v in project.services.items() if k != "front"})
    assert "remove p-front-1: orphan" not in dry(engine, project).splitlines()
    assert "remove p-front-1: orphan" in dry(engine, project, remove_orphans=True).splitlines()


def test_scale_up_and_down(engine: FakeEngine) -> None:
    up(engine, stack())
    assert "create p-front-3" in dry(engine, stack(), scale={"front": 3}).splitlines()
    up(engine, stack(), scale={"front": 3})
    lines = dry(engine, stack(), scale={"front": 1}).splitlines()
    assert "remove p-front-2: scale down" in lines and "remove p-front-3: scale down" in lines


def test_interrupted_recreate_converges(engine: FakeEngine) -> None:
    """A replacement created under its temporary name, old one still there: keep the new, drop the old."""
    up(engine, stack())
    old = next(c for c in engine.containers.values() if c.name == "p-back-1")
    desired = stack(debug="1")
    engine.fail[("stop_container", "p-back-1")] = NotFoundError("simulated crash")
    with pytest.raises(NotFoundError):
        up(engine, desired)
    engine.fail.clear()
    assert {c.name for c in engine.containers.values()} >= {"p-back-1", f"{old.id[:12]}_p-back-1"}
    lines = dry(engine, desired).splitlines()
    assert "remove p-back-1: duplicate left by an interrupted run" in lines
    assert "start p-back-1: was created" in lines
    up(engine, desired)
    assert sorted(c.name for c in engine.containers.values()) == ["p-back-1", "p-db-1", "p-front-1"]


def test_anonymous_volumes_are_carried_over(engine: FakeEngine) -> None:
    project = stack()
    project = replace(project, services={**project.services, "front": replace(
        project.services["front"], mounts=(Mount("volume", "/cache"),))})
    up(engine, project)
    old = next(c for c in engine.containers.values() if c.name == "p-front-1")
    up(engine, project, force_recreate=True)
    new = next(c for c in engine.containers.values() if c.name == "p-front-1")
    assert new.id != old.id
    assert [m.source for m in new.spec.mounts] == [old.mounts[0].name]


def test_no_deps_and_selection(engine: FakeEngine) -> None:
    plan = dry(engine, stack(), services=("front",), no_deps=True)
    assert plan == "create network p_default\ncreate p-front-1"


def test_external_network_missing_is_an_error(engine: FakeEngine) -> None:
    project = stack()
    project = replace(project, networks={"default": Network("default", "shared", external=True)})
    with pytest.raises(NotFoundError) as info:
        dry(engine, project)
    assert info.value.message == "network shared declared as external, but could not be found"


def test_wait_adds_ready_operations(engine: FakeEngine) -> None:
    plan = dry(engine, stack(), wait=True).splitlines()
    assert "wait until ready p-db-1" in plan and "wait until ready p-front-1" in plan


def test_operations_kinds_are_closed() -> None:
    assert Kind("recreate") is Kind.RECREATE
