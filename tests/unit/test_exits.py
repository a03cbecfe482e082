"""Shutdown order on die events: a dependency is signalled once its dependents exited (fake engine)."""

from __future__ import annotations

import io
import threading
import time

import pytest

from compose_lite import app, executor, observe, planner
from compose_lite.engine.base import EngineEvent
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import EngineError
from compose_lite.exits import ExitWatch
from compose_lite.model import DependsOn, Network, Project, Service, ServiceNetwork
from compose_lite.operations import Kind, Operation
from compose_lite.output import QuietReporter

NET = (ServiceNetwork("default"),)


def stack() -> Project:
    return Project("p", "/w", services={
        "db": Service("db", image="img", networks=NET),
        "web": Service("web", image="img", networks=NET, depends_on=(DependsOn("db"),)),
    }, networks={"default": Network("default", "p_default")})


def running_stack() -> FakeEngine:
    engine = FakeEngine(images={"img": "sha256:1"})
    app.up(stack(), engine, app.UpRequest(), QuietReporter(io.StringIO()), environ={})
    engine.calls.clear()
    return engine


def down_in_background(engine: FakeEngine) -> threading.Thread:
    thread = threading.Thread(target=app.down, args=(stack(), engine, app.DownRequest(),
                                                     QuietReporter(io.StringIO())), kwargs={"environ": {}})
    thread.start()
    return thread


def called_within(engine: FakeEngine, call: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if call in engine.calls:
            return True
        time.sleep(0.01)
    return call in engine.calls


def test_dependency_is_stopped_once_its_dependent_exited_before_that_stop_call_returns() -> None:
    engine = running_stack()
    engine.stop_hold["p-web-1"] = release = threading.Event()  # the engine still cleaning web up
    thread = down_in_background(engine)
    try:
        assert called_within(engine, "stop_container p-db-1", 5)
        assert "remove_container p-web-1" not in engine.calls  # its removal waits for its stop call
    finally:
        release.set()
        thread.join(timeout=10)
    assert engine.calls[:3] == ["events p", "stop_container p-web-1", "stop_container p-db-1"]
    assert engine.containers == {} and engine.networks == {}


def test_without_events_a_dependency_waits_for_the_dependents_stop_call() -> None:
    engine = running_stack()
    engine.fail[("events", "p")] = EngineError("events: not supported")
    engine.stop_hold["p-web-1"] = release = threading.Event()
    thread = down_in_background(engine)
    try:
        assert called_within(engine, "stop_container p-web-1", 5)
        assert not called_within(engine, "stop_container p-db-1", 0.3)
    finally:
        release.set()
        thread.join(timeout=10)
    assert engine.calls[:2] == ["events p", "stop_container p-web-1"]
    assert "stop_container p-db-1" in engine.calls and engine.containers == {}


def test_one_worker_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    run_by_workers: list[Kind] = []
    execute = executor._Runner.execute

    def recording(runner: executor._Runner, op: Operation) -> None:
        run_by_workers.append(op.kind)
        execute(runner, op)

    monkeypatch.setattr(executor._Runner, "execute", recording)
    engine = running_stack()
    app.down(stack(), engine, app.DownRequest(), QuietReporter(io.StringIO()),
             environ={"COMPOSE_PARALLEL_LIMIT": "1"})
    assert engine.calls[:2] == ["events p", "stop_container p-web-1"]
    assert sorted(engine.calls[2:5]) == ["remove_container p-db-1", "remove_container p-web-1",
                                         "stop_container p-db-1"]
    assert engine.calls[5:] == ["remove_network p_default"] and engine.containers == {}
    assert Kind.STOP in run_by_workers and Kind.AWAIT_EXIT not in run_by_workers  # the waits hold none


def test_networks_go_only_after_the_containers_are_removed() -> None:
    # A stop can be answered before the engine released the endpoints; a removal cannot.
    engine = running_stack()
    plan = planner.plan_down(stack(), observe.snapshot(engine, stack()), planner.DownOptions())
    assert {"remove:p-web-1", "remove:p-db-1"} <= plan.operations["rmnet:default"].deps


def test_a_failed_stop_signals_no_dependency() -> None:
    engine = running_stack()
    engine.fail[("stop_container", "p-web-1")] = EngineError("stop container p-web-1: simulated")
    with pytest.raises(EngineError):
        app.down(stack(), engine, app.DownRequest(), QuietReporter(io.StringIO()), environ={})
    assert "stop_container p-db-1" not in engine.calls


def event(engine: FakeEngine, action: str, container_id: str) -> None:
    engine._publish(EngineEvent(0, "container", action, container_id, {"com.docker.compose.project": "p"}))


def test_a_die_counts_only_after_the_kill_of_our_stop() -> None:
    engine = FakeEngine()
    reported: list[tuple[str, BaseException | None]] = []
    c3_exited = threading.Event()
    with ExitWatch(engine, "p") as watch:
        for cid in ("c1", "c2"):
            watch.on_exit(cid, lambda err, cid=cid: reported.append((cid, err)))
        watch.on_exit("c3", lambda err: c3_exited.set())
        event(engine, "die", "c1")  # exited on its own before we asked: not our stop
        watch.stopping("c2")
        event(engine, "die", "c2")  # a crash-loop's die read late: no kill of ours came before it
        watch.stopping("c3")
        event(engine, "kill", "c3")
        event(engine, "die", "c3")
        assert c3_exited.wait(5)
        assert reported == []  # events are read in order: c1's and c2's dies came first, ignored
        failure = EngineError("simulated")
        watch.settled("c1")  # its stop call ended
        watch.settled("c2", failure)
        watch.settled("c1")
        assert reported == [("c1", None), ("c2", failure)]  # once each
        watch.on_exit("c3", lambda err: reported.append(("c3", err)))  # already exited: at once
        assert reported[-1] == ("c3", None)


@pytest.mark.parametrize("project", [None, "p"])
def test_leaving_the_watch_ends_its_subscription(project: str | None) -> None:
    engine = FakeEngine()
    before = set(threading.enumerate())
    with ExitWatch(engine, project):
        readers = [t for t in threading.enumerate() if t not in before]
    assert engine.calls == ([] if project is None else ["events p"])
    assert len(readers) == (0 if project is None else 1)
    for reader in readers:
        reader.join(timeout=5)
        assert not reader.is_alive()
