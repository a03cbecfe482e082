from __future__ import annotations

import io
import tarfile

import pytest

from compose_lite.engine.base import ExecResult
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import EngineError, NotFoundError
from compose_lite.model import Service
from compose_lite.state import ContainerSpec, ContainerState

SPEC = ContainerSpec("p-a-1", Service("a", image="img"), 1, "img", {"com.docker.compose.project": "p"})


def test_lifecycle_and_listing() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    cid = engine.create_container(SPEC)
    engine.start_container(cid)
    [seen] = engine.list_containers("p")
    assert (seen.name, seen.state, seen.status) == ("p-a-1", "running", "Up 1 second")
    assert seen.image_id == "sha256:1"
    engine.stop_container(cid, None)
    assert engine.list_containers("p")[0].exit_code == 0
    engine.remove_container(cid)
    assert engine.list_containers("p") == []
    assert engine.calls == ["create_container p-a-1", "start_container p-a-1", "stop_container p-a-1",
                            "remove_container p-a-1"]


def test_name_conflict_and_missing_image() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.create_container(SPEC)
    with pytest.raises(EngineError, match="already in use"):
        engine.create_container(SPEC)
    with pytest.raises(NotFoundError, match="No such image: other"):
        engine.create_container(ContainerSpec("p-b-1", Service("b"), 1, "other", {}))


def test_injected_fault_and_scripted_health() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    engine.fail[("start_container", "p-a-1")] = EngineError("boom")
    cid = engine.create_container(SPEC)
    with pytest.raises(EngineError, match="boom"):
        engine.start_container(cid)
    engine.states["p-a-1"] = [ContainerState("running", "starting"), ContainerState("running", "healthy")]
    assert [engine.inspect_container(cid).health for _ in range(3)] == ["starting", "healthy", "healthy"]


def test_pull_only_what_is_pullable() -> None:
    engine = FakeEngine(pullable={"nginx"})
    assert engine.pull_image("nginx") == "sha256:nginx"
    with pytest.raises(EngineError, match="pull access denied"):
        engine.pull_image("private")



def test_put_archive_and_rm_exec_track_files() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    cid = engine.create_container(SPEC)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("app/a.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    engine.put_archive(cid, "/", buf.getvalue())
    assert engine.containers[cid].files == {"/app/a.txt": b"x"}
    assert engine.exec_run(cid, ["rm", "-rf", "/app"]) == ExecResult(0)
    assert engine.containers[cid].files == {}
    engine.restart_container(cid, timeout=1)
    assert engine.calls[-3:] == [
        "put_archive p-a-1:/", "exec_run p-a-1: rm -rf /app", "restart_container p-a-1",
    ]


def test_build_streams_output_and_applies_extra_tags() -> None:
    from compose_lite.model import Build

    engine = FakeEngine()
    lines: list[str] = []
    image = engine.build_image("p-app", Build("/ctx", tags=("p-app:v1", "mirror/app:1")), {}, lines.append)
    assert lines == ["Step 1/1 : FROM p-app-base\n"]
    assert engine.images["p-app:v1"] == engine.images["mirror/app:1"] == image
