"""Shutdown order on die events: a dependency is signalled once its dependents exited (fake engine)."""

from __future__ import annotations

import io
import threading
import time

import pytest

from compose_lite import app, observe, planner
from compose_lite.engine.base import EngineEvent
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import EngineError
from compose_lite.exits import ExitWatch
from compose_lite.model import DependsOn, Network, Project, Service, ServiceNetwork
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


def test_one_worker_is_enough() -> None:  # exit waits hold no worker
    engine = running_stack()
    app.down(stack(), engine, app.DownRequest(), QuietReporter(io.StringIO()),
             environ={"COMPOSE_PARALLEL_LIMIT": "1"})
    assert engine.calls[:2] == ["events p", "stop_container p-web-1"]
    assert sorted(engine.calls[2:5]) == ["remove_container p-db-1", "remove_container p-web-1",
                                         "stop_container p-db-1"]
    assert engine.calls[5:] == ["remove_network p_default"] and engine.containers == {}


def test_networks_go_only_after_the_containers_are_removed() -> None:
    # A stop can be answered before the engine released the endpoints; a removal cannot.
    engine = running_stack()
    plan = planner.plan_down(stack(), observe.snapshot(engine, stack()), planner.DownOptions())
    assert {"remove:p-web-1", "remove:p-db-1"} <= plan.operations["rmnet:default"].deps


def die(engine: FakeEngine, container_id: str) -> None:
    engine._publish(EngineEvent(0, "container", "die", container_id, {"com.docker.compose.project": "p"}))


def test_only_a_die_after_the_stop_was_sent_counts() -> None:
    engine = FakeEngine()
    reported: list[str] = []
    c2_exited = threading.Event()
    with ExitWatch(engine, "p") as watch:
        watch.on_exit("c1", lambda: reported.append("c1"))
        watch.on_exit("c2", c2_exited.set)
        die(engine, "c1")  # exited on its own before we asked: not our stop
        watch.stopping("c2")
        die(engine, "c2")
        assert c2_exited.wait(5)
        assert reported == []  # events are read in order: c1's die came first and was ignored
        watch.settled("c1")  # its stop call ended
        watch.settled("c1")
        assert reported == ["c1"]  # once only
        watch.on_exit("c2", lambda: reported.append("c2"))  # already exited: called at once
        assert reported == ["c1", "c2"]


@pytest.mark.parametrize("project", [None, "p"])
def test_leaving_the_watch_ends_its_subscription(project: str | None) -> None:
    engine = FakeEngine()
    watch = ExitWatch(engine, project)
    with watch:
        pass
    assert engine.calls == ([] if project is None else ["events p"])
    deadline = time.monotonic() + 5
    while any(t.name == "cl-exits" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(t.name == "cl-exits" for t in threading.enumerate())
