"""Lifecycle hooks on the fake engine: post_start once a container started, pre_stop before it is
stopped, from the commands Compose runs them in."""

from __future__ import annotations

import io

import pytest

from compose_lite import app, control
from compose_lite.engine.base import ExecResult
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import OperationFailedError
from compose_lite.model import Hook, Network, Project, Service, ServiceNetwork
from compose_lite.output import QuietReporter

NET = (ServiceNetwork("default"),)
WARM = Hook(("sh", "-c", "warm cache"), user="root", environment={"LEVEL": "2"})
DRAIN = Hook(("drain",))


def project() -> Project:
    return Project("p", "/w", services={
        "web": Service("web", image="img", networks=NET, post_start=(WARM,), pre_stop=(DRAIN,)),
        "db": Service("db", image="img", networks=NET),
    }, networks={"default": Network("default", "p_default")})


def quiet() -> QuietReporter:
    return QuietReporter(io.StringIO())


def up(engine: FakeEngine, proj: Project) -> None:
    app.up(proj, engine, app.UpRequest(), quiet(), environ={})


def test_post_start_runs_in_the_started_container_and_a_failure_fails_up() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, project())
    web = engine.calls.index("start_container p-web-1")
    assert engine.calls[web + 1] == "exec_run p-web-1: sh -c warm cache"
    assert not any(c.startswith("exec_run p-db-1") for c in engine.calls)  # db has no hooks

    engine = FakeEngine(images={"img": "sha256:1"})
    engine.exec_results["p-web-1"] = ExecResult(127, b"sh: warm: not found\n")
    with pytest.raises(OperationFailedError) as info:
        up(engine, project())
    assert info.value.message == "web hook exited with status 127: sh: warm: not found"


def test_pre_stop_runs_before_stop_down_and_restart_and_post_start_after_start_and_restart() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    proj = project()
    up(engine, proj)

    engine.calls.clear()
    control.stop(proj, engine, (), None, quiet())
    assert engine.calls.index("exec_run p-web-1: drain") < engine.calls.index("stop_container p-web-1")
    engine.calls.clear()
    control.stop(proj, engine, (), None, quiet())
    assert "exec_run p-web-1: drain" not in engine.calls  # not running: nothing to drain

    engine.calls.clear()
    control.start(proj, engine, (), quiet())
    warm = "exec_run p-web-1: sh -c warm cache"
    assert engine.calls.index("start_container p-web-1") < engine.calls.index(warm)

    engine.calls.clear()
    control.restart(proj, engine, ("web",), None, quiet())
    assert [c for c in engine.calls if "p-web-1" in c] == [
        "exec_run p-web-1: drain", "restart_container p-web-1", warm]

    engine.calls.clear()
    app.down(proj, engine, app.DownRequest(), quiet(), environ={})
    assert engine.calls.index("exec_run p-web-1: drain") < engine.calls.index("stop_container p-web-1")


def test_a_failing_pre_stop_fails_down_and_leaves_the_container_running() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    proj = project()
    up(engine, proj)
    engine.exec_results["p-web-1"] = ExecResult(1)
    with pytest.raises(OperationFailedError, match=r"^web hook exited with status 1$"):
        app.down(proj, engine, app.DownRequest(), quiet(), environ={})
    assert "stop_container p-web-1" not in engine.calls
