from __future__ import annotations

import io

import pytest

from compose_lite import app, control
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import ComposeLiteError, NotFoundError
from compose_lite.model import Condition, DependsOn, Healthcheck, Project, Service
from compose_lite.operations import StartContainer, StopContainer
from compose_lite.output import PlainReporter, QuietReporter
from compose_lite.state import ContainerState


def stack() -> Project:
    return Project("p", "/w", services={
        "db": Service("db", image="img"),
        "api": Service("api", image="img", depends_on=(DependsOn("db"),)),
        "web": Service("web", image="img", depends_on=(DependsOn("api"),)),
        "tool": Service("tool", image="img")})


def up(engine: FakeEngine, proj: Project) -> None:
    app.up(proj, engine, app.UpRequest(), QuietReporter(io.StringIO()), environ={})
    engine.calls.clear()


def test_each_container_waits_only_for_the_services_it_must_follow() -> None:
    """A DAG, not levels: web waits for api (and db), tool for nothing; stopping reverses it."""
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, stack())
    found = control.containers(engine, stack(), stack().services)
    starting = control.plan(stack(), found, control.Step(StartContainer, lambda c: True)).operations
    assert {op.target: sorted(op.deps) for op in starting.values()} == {
        "p-db-1": [], "p-tool-1": [], "p-api-1": ["start:p-db-1"],
        "p-web-1": ["start:p-api-1", "start:p-db-1"]}
    stop_all = control.Step(StopContainer, lambda c: True, reverse=True)
    stopping = control.plan(stack(), found, stop_all).operations
    assert {op.target: sorted(op.deps) for op in stopping.values()} == {
        "p-web-1": [], "p-tool-1": [], "p-api-1": ["stop:p-web-1"],
        "p-db-1": ["stop:p-api-1", "stop:p-web-1"]}


def test_stop_goes_dependents_first_and_reports_each_container() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, stack())
    out = io.StringIO()
    control.stop(stack(), engine, (), None, PlainReporter(out))
    order = [c.split()[1] for c in engine.calls]
    assert order.index("p-web-1") < order.index("p-api-1") < order.index("p-db-1")
    assert " Container p-web-1  Stopping\n" in out.getvalue()
    assert all(c.state == "exited" for c in engine.containers.values())


def test_start_goes_dependencies_first_and_skips_running_ones() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, stack())
    for name in ("p-db-1", "p-api-1", "p-web-1"):
        engine.set_state(name, state="exited")
    control.start(stack(), engine, (), QuietReporter(io.StringIO()))
    assert engine.calls == ["start_container p-db-1", "start_container p-api-1", "start_container p-web-1"]


def test_start_without_containers_is_an_error() -> None:
    with pytest.raises(NotFoundError) as info:
        control.start(stack(), FakeEngine(), ("web",), QuietReporter(io.StringIO()))
    assert info.value.message == "no container found for project 'p' (services web)"


def test_restart_takes_the_dependents_that_ask_for_it_unless_no_deps() -> None:
    """As Compose: only a ``restart: true`` link brings a dependent along."""
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, stack())
    control.restart(stack(), engine, ("db",), None, QuietReporter(io.StringIO()))
    assert engine.calls == ["restart_container p-db-1"]
    engine.calls.clear()
    linked = stack()
    linked.services["web"] = Service("web", image="img", depends_on=(DependsOn("api", restart=True),))
    control.restart(linked, engine, ("api",), None, QuietReporter(io.StringIO()))
    assert engine.calls == ["restart_container p-api-1", "restart_container p-web-1"]
    engine.calls.clear()
    control.restart(linked, engine, ("api",), None, QuietReporter(io.StringIO()), with_dependents=False)
    assert engine.calls == ["restart_container p-api-1"]


def test_start_brings_the_dependencies_up_first_and_waits_for_their_conditions() -> None:
    """As Compose: `start web` starts db too, and web only once db is healthy."""
    proj = Project("p", "/w", services={
        "db": Service("db", image="img", healthcheck=Healthcheck(("CMD", "true"))),
        "web": Service("web", image="img", depends_on=(DependsOn("db", Condition.HEALTHY),))})
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, proj)
    for name in ("p-db-1", "p-web-1"):
        engine.set_state(name, state="exited")
    out = io.StringIO()
    control.start(proj, engine, ("web",), PlainReporter(out))
    assert [c for c in engine.calls if c.startswith("start_container")] == [
        "start_container p-db-1", "start_container p-web-1"]
    events = [" ".join(line.split()[1:3]) for line in out.getvalue().splitlines()]
    assert events.index("p-db-1 Healthy") < events.index("p-web-1 Starting")
    engine.calls.clear()
    engine.set_state("p-web-1", state="exited")  # db runs: it is waited for all the same, not started
    control.start(proj, engine, ("web",), QuietReporter(io.StringIO()))
    assert [c for c in engine.calls if c.startswith("start_container")] == ["start_container p-web-1"]
    engine.calls.clear()
    engine.set_state("p-web-1", state="exited")
    engine.states["p-db-1"] = [ContainerState("running", health="unhealthy")]
    with pytest.raises(ComposeLiteError, match="unhealthy"):
        control.start(proj, engine, ("web",), QuietReporter(io.StringIO()))
    assert "start_container p-web-1" not in engine.calls


def test_kill_pause_unpause_and_rm() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, stack())
    quiet = QuietReporter(io.StringIO())
    control.pause(stack(), engine, ("db",), quiet)
    control.unpause(stack(), engine, ("db",), quiet)
    control.kill(stack(), engine, ("tool",), "SIGTERM", quiet)
    assert engine.calls == ["pause_container p-db-1", "unpause_container p-db-1",
                            "kill_container p-tool-1 SIGTERM"]
    assert [c.name for c in control.removable(stack(), engine, (), stopped_too=False)] == ["p-tool-1"]
    targets = control.removable(stack(), engine, ("web", "db"), stopped_too=True)
    engine.calls.clear()
    control.remove(stack(), engine, targets, stop_first=True, volumes=True, timeout=1, reporter=quiet)
    assert engine.calls == ["stop_container p-web-1", "remove_container p-web-1", "stop_container p-db-1",
                            "remove_container p-db-1"]


def test_unknown_service_is_an_error() -> None:
    with pytest.raises(NotFoundError):
        control.stop(stack(), FakeEngine(), ("nope",), None, QuietReporter(io.StringIO()))


def test_remove_orphans_removes_only_undeclared_services() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, stack())
    smaller = Project("p", "/w", services={k: v for k, v in stack().services.items() if k != "tool"})
    control.remove_orphans(smaller, engine, QuietReporter(io.StringIO()))
    assert sorted(c.name for c in engine.containers.values()) == ["p-api-1", "p-db-1", "p-web-1"]


def test_pause_and_unpause_say_only_what_they_did_as_compose_does() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, stack())
    out = io.StringIO()
    control.pause(stack(), engine, ("db",), PlainReporter(out))
    engine.set_state("p-db-1", state="paused")
    control.unpause(stack(), engine, ("db",), PlainReporter(out))
    assert [line.split()[1:3] for line in out.getvalue().splitlines()] == [
        ["p-db-1", "Paused"], ["p-db-1", "Unpaused"]]


def test_start_refuses_a_service_whose_required_dependency_has_no_container() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    app.up(stack(), engine, app.UpRequest(services=("web",), no_deps=True), QuietReporter(io.StringIO()),
           environ={})
    engine.set_state("p-web-1", state="exited")
    with pytest.raises(NotFoundError) as info:
        control.start(stack(), engine, ("web",), QuietReporter(io.StringIO()))
    assert info.value.message == "web is missing dependency api"  # as Compose words it
