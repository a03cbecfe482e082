"""The project lock on the fake engine with a fake clock: wait, say who holds it, time out, take over
from a dead holder, release on the way out; and `up` takes it only when it changes something."""

from __future__ import annotations

import os
import time

import pytest

from compose_lite import app
from compose_lite.clock import FakeClock
from compose_lite.engine.fake import FakeEngine
from compose_lite.lock import Holder, LockTimeoutError, lock_name, project_lock, this_process
from compose_lite.model import Network, Project, Service, ServiceNetwork
from compose_lite.output import QuietReporter


class Null:
    def write(self, _: str) -> int:
        return 0


def _held_by(engine: FakeEngine, holder: Holder, project: str = "p") -> None:
    engine.locks[lock_name(project)] = holder.labels()


def test_waits_saying_who_holds_the_lock_then_times_out() -> None:
    engine, clock, told = FakeEngine(), FakeClock(), []
    other = Holder("down", "elsewhere", 42, float(int(time.time())), "another-boot")
    _held_by(engine, other)
    with (
        pytest.raises(LockTimeoutError) as info,
        project_lock(engine, "p", "up", wait=2, on_wait=told.append, clock=clock),
    ):
        pass
    assert told == [other]  # said once, not at every poll
    assert "project p is still locked by `cl down` (pid 42 on elsewhere" in info.value.message
    assert sum(clock.slept) >= 2
    assert engine.locks[lock_name("p")] == other.labels()  # someone else's lock is never removed


def test_goes_on_when_the_holder_releases() -> None:
    engine, clock = FakeEngine(), FakeClock()
    _held_by(engine, Holder("up", "elsewhere", 42, time.time(), "b"))
    polls = []

    def release_after_two_polls(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 2:
            engine.locks.clear()

    clock.sleep = release_after_two_polls  # type: ignore[method-assign]
    with project_lock(engine, "p", "up", wait=60, on_wait=lambda _h: None, clock=clock):
        assert Holder.from_labels(engine.locks[lock_name("p")]).pid == os.getpid()
    assert engine.locks == {} and len(polls) == 2


def test_a_dead_holder_on_this_machine_is_taken_over() -> None:
    engine = FakeEngine()
    me = this_process("up", time.time())
    dead_pid = 2**22 + 12345  # above pid_max on Linux: no such process
    _held_by(engine, Holder("up", me.host, dead_pid, time.time(), me.boot))
    with project_lock(engine, "p", "up", wait=0, on_wait=lambda _h: pytest.fail("should not wait")):
        assert Holder.from_labels(engine.locks[lock_name("p")]).pid == os.getpid()


def test_a_lock_older_than_its_time_to_live_is_taken_over() -> None:
    engine = FakeEngine()
    _held_by(engine, Holder("up", "elsewhere", 42, time.time() - 7200, "b"))
    with project_lock(engine, "p", "up", wait=0, on_wait=lambda _h: pytest.fail("should not wait"), ttl=3600):
        pass
    assert engine.locks == {}


def test_released_when_the_command_fails() -> None:
    engine = FakeEngine()
    with pytest.raises(RuntimeError), project_lock(engine, "p", "up", wait=0, on_wait=lambda _h: None):
        raise RuntimeError("boom")
    assert engine.locks == {}


def test_an_engine_lost_mid_command_reports_the_commands_error_not_the_release() -> None:
    from compose_lite.errors import EngineUnavailableError

    engine = FakeEngine()
    engine.fail[("unlock", lock_name("p"))] = EngineUnavailableError("cannot reach the Docker Engine")
    with pytest.raises(EngineUnavailableError, match="lost in the middle"), \
            project_lock(engine, "p", "up", wait=0, on_wait=lambda _h: None):
        raise EngineUnavailableError("lost in the middle")
    assert engine.calls[-1] == f"unlock {lock_name('p')}"  # it tried; a later command takes the lock over


def test_up_takes_the_lock_only_to_change_something() -> None:
    project = Project(
        "p",
        "/w",
        services={"web": Service("web", image="img", networks=(ServiceNetwork("default"),))},
        networks={"default": Network("default", "p_default")},
    )
    engine = FakeEngine(images={"img": "sha256:1"})
    taken: list[str] = []

    def lock() -> object:
        taken.append("lock")
        return project_lock(engine, "p", "up", wait=0, on_wait=lambda _h: None)

    reporter = QuietReporter(Null())  # type: ignore[arg-type]
    app.up(project, engine, app.UpRequest(), reporter, environ={}, clock=FakeClock(), lock=lock)  # type: ignore[arg-type]
    assert taken == ["lock"] and "create_container p-web-1" in engine.calls
    app.up(project, engine, app.UpRequest(), reporter, environ={}, clock=FakeClock(), lock=lock)  # type: ignore[arg-type]
    assert taken == ["lock"]  # the second up changed nothing: no lock taken


def test_down_leaves_a_same_named_projects_containers_from_another_directory() -> None:
    from compose_lite import labels as L
    from compose_lite.state import ContainerSpec

    project = Project(
        "p",
        "/w",
        config_files=("/w/compose.yaml",),
        services={"web": Service("web", image="img", networks=(ServiceNetwork("default"),))},
        networks={"default": Network("default", "p_default")},
    )
    engine = FakeEngine(images={"img": "sha256:1"})
    reporter = QuietReporter(Null())  # type: ignore[arg-type]
    app.up(project, engine, app.UpRequest(), reporter, environ={}, clock=FakeClock())  # type: ignore[arg-type]
    theirs = {L.PROJECT: "p", L.SERVICE: "api", L.NUMBER: "1", L.PROJECT_DIR: "/elsewhere"}
    engine.create_container(ContainerSpec("p-api-1", Service("api", image="img"), 1, "img", theirs))
    warnings: list[str] = []
    reporter.warning = warnings.append  # type: ignore[method-assign]
    app.down(project, engine, app.DownRequest(remove_orphans=True), reporter, environ={})
    assert [c.name for c in engine.list_containers("p")] == ["p-api-1"]
    assert warnings == ["kept p-api-1: it belongs to the project in /elsewhere, not this one"]
    assert "p_default" in engine.networks  # still used by their container


def _with_volume() -> tuple[Project, FakeEngine]:
    from compose_lite.model import Mount, Volume

    web = Service(
        "web", image="img", networks=(ServiceNetwork("default"),), mounts=(Mount("volume", "/d", "data"),)
    )
    project = Project(
        "p",
        "/w",
        services={"web": web},
        networks={"default": Network("default", "p_default")},
        volumes={"data": Volume("data", "p_data")},
    )
    engine = FakeEngine(images={"img": "sha256:1"})
    app.up(project, engine, app.UpRequest(), QuietReporter(Null()), environ={}, clock=FakeClock())  # type: ignore[arg-type]
    return project, engine


def test_down_v_asks_before_deleting_volumes_and_no_removes_nothing() -> None:
    from compose_lite.errors import OperationFailedError

    project, engine = _with_volume()
    engine.volume_bytes["p_data"] = 12_345_678
    asked: list[list[app.DoomedVolume]] = []

    def refuse(volumes: list[app.DoomedVolume]) -> bool:
        asked.append(volumes)
        return False

    with pytest.raises(OperationFailedError, match="nothing was removed"):
        app.down(
            project,
            engine,
            app.DownRequest(volumes=True),
            QuietReporter(Null()),
            environ={},  # type: ignore[arg-type]
            confirm=refuse,
        )
    assert asked == [[app.DoomedVolume("p_data", 12_345_678, ("p-web-1",))]]
    assert "p_data" in engine.volumes and engine.list_containers("p")


def test_down_v_keeps_a_volume_another_projects_container_uses() -> None:
    from compose_lite import labels as L
    from compose_lite.model import Mount
    from compose_lite.state import ContainerSpec

    project, engine = _with_volume()
    other = Service("x", image="img", mounts=(Mount("volume", "/d", "p_data"),))
    engine.create_container(
        ContainerSpec("q-x-1", other, 1, "img", {L.PROJECT: "q", L.SERVICE: "x"}, mounts=other.mounts)
    )
    warnings: list[str] = []
    reporter = QuietReporter(Null())  # type: ignore[arg-type]
    reporter.warning = warnings.append  # type: ignore[method-assign]
    app.down(project, engine, app.DownRequest(volumes=True), reporter, environ={})
    assert "p_data" in engine.volumes
    assert warnings == ["kept volume p_data: container q-x-1 of another project uses it"]


def test_the_down_v_question_shows_each_volumes_size_and_users() -> None:
    from click.testing import CliRunner

    from compose_lite.cli.down_cmd import _confirm_volumes

    volumes = [app.DoomedVolume("p_data", 12_345_678, ("p-db-1", "p-worker-1")),
               app.DoomedVolume("p_cache_volume", -1, ())]
    with CliRunner().isolation(input="n\n") as streams:
        assert _confirm_volumes(volumes) is False
    assert streams[1].getvalue().decode().splitlines() == [
        "These volumes and their data will be deleted:",
        "  p_data             12.3MB  used by p-db-1, p-worker-1",
        "  p_cache_volume  size unknown  used by no container",
        "Delete them? [y/N]: n",
    ]
