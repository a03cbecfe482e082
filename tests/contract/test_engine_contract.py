"""What every Engine must do, checked on the fake and on the Docker adapter alike, so the fake the
unit tests lean on cannot drift from the engine it stands for."""

from __future__ import annotations

import dataclasses
import io
import tarfile
import threading
import time

import pytest

from compose_lite.errors import AlreadyExistsError, InUseError, NotFoundError
from compose_lite.model import Healthcheck, Mount, Network, Volume
from compose_lite.state import NetworkAttachment, ObservedContainer, ObservedMount
from tests.archives import tar_of
from tests.contract.conftest import BUSYBOX, World

SECOND = 1_000_000_000


def _only(world: World) -> ObservedContainer:
    [seen] = world.engine.list_containers(world.project)
    return seen


def _until(check: object, what: str, seconds: float = 30) -> None:
    """Bounded poll: the real engine reaches some states a moment after the call returns."""
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"not reached in {seconds} s: {what}")
        time.sleep(0.2)


def test_a_created_container_is_listed_with_its_identity(world: World) -> None:
    spec = world.spec("web", 2)
    cid = world.engine.create_container(spec)
    seen = _only(world)
    assert (seen.id, seen.name, seen.project, seen.service, seen.number) == (
        cid, spec.name, world.project, "web", 2)
    assert (seen.state, seen.oneoff, seen.image) == ("created", False, BUSYBOX)
    assert seen.image_id == world.engine.image_id(BUSYBOX)
    assert dict(seen.labels).items() >= dict(spec.labels).items()
    assert [c.id for c in world.engine.list_all_containers() if c.project == world.project] == [cid]


def test_a_one_off_is_listed_as_one(world: World) -> None:
    world.engine.create_container(world.spec("job", 1, oneoff=True))
    assert _only(world).oneoff is True


def test_start_then_stop_reports_running_then_a_clean_exit(world: World) -> None:
    cid = world.engine.create_container(world.spec())
    world.engine.start_container(cid)
    assert _only(world).state == "running"
    state = world.engine.inspect_container(cid)
    assert (state.status, state.health) == ("running", None)
    world.engine.stop_container(cid, timeout=5)
    seen = _only(world)
    assert (seen.state, seen.exit_code) == ("exited", 0)
    assert world.engine.inspect_container(cid).exit_code == 0


def test_a_killed_container_exits_137_and_wait_returns_it(world: World) -> None:
    cid = world.engine.create_container(world.spec())
    world.engine.start_container(cid)
    world.engine.kill_container(cid)
    assert world.engine.wait_container(cid) == 137
    seen = _only(world)
    assert (seen.state, seen.exit_code) == ("exited", 137)
    state = world.engine.inspect_container(cid)
    assert (state.status, state.exit_code) == ("exited", 137)


def test_pause_and_unpause(world: World) -> None:
    cid = world.engine.create_container(world.spec())
    world.engine.start_container(cid)
    world.engine.pause_container(cid)
    assert _only(world).state == "paused"
    world.engine.unpause_container(cid)
    assert _only(world).state == "running"


def test_restart_rename_and_remove_a_running_container(world: World) -> None:
    cid = world.engine.create_container(world.spec())
    world.engine.start_container(cid)
    world.engine.restart_container(cid, timeout=5)
    assert _only(world).state == "running"
    world.engine.rename_container(cid, f"{world.project}-app-1-old")
    assert _only(world).name == f"{world.project}-app-1-old"
    world.engine.remove_container(cid)  # running: removed all the same, as `down` needs
    assert world.engine.list_containers(world.project) == []


def test_a_container_is_listed_on_the_networks_it_was_created_on(world: World) -> None:
    names = [f"{world.project}_{key}" for key in ("front", "back")]
    for key, name in zip(("front", "back"), names, strict=True):
        world.engine.create_network(Network(key, name), {"com.docker.compose.project": world.project})
    spec = world.spec()
    spec = dataclasses.replace(spec, networks=tuple(NetworkAttachment(n, aliases=("app",)) for n in names))
    world.engine.create_container(spec)
    assert sorted(_only(world).networks) == sorted(names)


def test_a_taken_name_is_an_engine_error_and_a_missing_image_not_found(world: World) -> None:
    world.engine.create_container(world.spec())
    with pytest.raises(AlreadyExistsError, match="already in use"):
        world.engine.create_container(world.spec())
    missing = dataclasses.replace(world.spec("other"), image="cl-contract-absent:1")
    with pytest.raises(NotFoundError):
        world.engine.create_container(missing)


@pytest.mark.parametrize("operation", ["start_container", "inspect_container", "remove_container",
                                       "pause_container", "kill_container"])
def test_operations_on_a_missing_container_raise_not_found(world: World, operation: str) -> None:
    with pytest.raises(NotFoundError):
        getattr(world.engine, operation)(f"{world.project}-ghost-1")


def test_stop_of_a_missing_container_raises_not_found(world: World) -> None:
    with pytest.raises(NotFoundError):
        world.engine.stop_container(f"{world.project}-ghost-1", timeout=1)


def test_networks_are_created_once_listed_by_project_and_removed(world: World) -> None:
    name = f"{world.project}_default"
    labels = {"com.docker.compose.project": world.project, "com.docker.compose.network": "default"}
    world.engine.create_network(Network("default", name), labels)
    [seen] = world.engine.list_networks(world.project)
    assert (seen.name, dict(seen.labels)) == (name, labels)
    assert world.engine.network_exists(name)
    with pytest.raises(AlreadyExistsError):
        world.engine.create_network(Network("default", name), labels)
    world.engine.remove_network(name)
    assert not world.engine.network_exists(name)
    assert world.engine.list_networks(world.project) == []
    with pytest.raises(NotFoundError):
        world.engine.remove_network(name)


def test_volumes_are_created_idempotently_listed_by_project_and_removed(world: World) -> None:
    name = f"{world.project}_data"
    labels = {"com.docker.compose.project": world.project, "com.docker.compose.volume": "data"}
    world.engine.create_volume(Volume("data", name), labels)
    world.engine.create_volume(Volume("data", name), labels)  # a second create is not an error
    [seen] = world.engine.list_volumes(world.project)
    assert (seen.name, dict(seen.labels)) == (name, labels)
    assert world.engine.volume_exists(name)
    assert world.engine.volume_sizes()[name] == 0  # empty, and known
    world.engine.remove_volume(name)
    assert not world.engine.volume_exists(name)
    with pytest.raises(NotFoundError):
        world.engine.remove_volume(name)


def test_a_named_volume_mount_is_observed_by_name_and_destination(world: World) -> None:
    name = f"{world.project}_data"
    world.engine.create_volume(Volume("data", name), {"com.docker.compose.project": world.project})
    world.engine.create_container(world.spec(mounts=(Mount("volume", "/data", source=name),)))
    [mount] = _only(world).mounts
    assert ObservedMount(mount.type, mount.name, "", mount.destination) == ObservedMount(
        "volume", name, "", "/data")


def test_the_api_version_is_reported(world: World) -> None:
    major, minor = world.engine.api_version().split(".")
    assert (int(major), int(minor)) >= (1, 41)


def test_images_unknown_and_known(world: World) -> None:
    assert world.engine.image_id("cl-contract-absent:1") is None
    assert world.engine.image_info("cl-contract-absent:1") is None
    info = world.engine.image_info(BUSYBOX)
    assert info is not None and BUSYBOX in info.repo_tags
    assert info.id == world.engine.image_id(BUSYBOX)
    assert info.exposed_ports == ()  # busybox exposes nothing
    assert world.engine.images_labelled(f"cl.contract.{world.project}") == []


def test_the_lock_is_taken_once_reports_its_holder_and_is_released(world: World) -> None:
    name = f"{world.project}-cl-lock"
    holder = {"io.compose-lite.lock.pid": "123", "com.docker.compose.project": world.project}
    assert world.engine.try_lock(name, holder) is None
    second = world.engine.try_lock(name, {"io.compose-lite.lock.pid": "456"})
    assert second is not None and dict(second).items() >= holder.items()
    world.engine.unlock(name)
    world.engine.unlock(name)  # releasing a free lock is not an error
    assert world.engine.try_lock(name, holder) is None
    world.engine.unlock(name)



def test_files_copied_in_are_read_back_and_stat_ed(world: World) -> None:
    cid = world.engine.create_container(world.spec())
    world.engine.put_archive(cid, "/", tar_of({"contract/hello.txt": b"hello"}))
    with tarfile.open(fileobj=io.BytesIO(world.engine.get_archive(cid, "/contract/hello.txt"))) as tar:
        member = tar.getmember("hello.txt")
        assert tar.extractfile(member).read() == b"hello"  # type: ignore[union-attr]
    file_stat = world.engine.path_stat(cid, "/contract/hello.txt")
    assert file_stat is not None and (file_stat.name, file_stat.size, file_stat.is_dir) == (
        "hello.txt", 5, False)
    dir_stat = world.engine.path_stat(cid, "/contract")
    assert dir_stat is not None and dir_stat.is_dir
    assert world.engine.path_stat(cid, "/contract/absent") is None
    with pytest.raises(NotFoundError):
        world.engine.get_archive(cid, "/contract/absent")
    link = tarfile.TarInfo("contract/latest")
    link.type, link.linkname = tarfile.SYMTYPE, "hello.txt"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        tar.addfile(link)
    world.engine.put_archive(cid, "/", buf.getvalue())
    link_stat = world.engine.path_stat(cid, "/contract/latest")
    assert link_stat is not None and link_stat.link_target == "/contract/hello.txt"  # resolved, absolute
    assert file_stat.link_target == ""


def test_a_passing_healthcheck_is_reported_healthy(world: World) -> None:
    check = Healthcheck(("CMD", "true"), interval_ns=SECOND, timeout_ns=SECOND, retries=3)
    cid = world.engine.create_container(world.spec(healthcheck=check))
    world.engine.start_container(cid)
    _until(lambda: _only(world).health == "healthy", "the list call says (healthy)")
    assert world.engine.inspect_container(cid).health == "healthy"


def test_a_subscriber_sees_the_container_die_when_it_is_stopped(world: World) -> None:
    cid = world.engine.create_container(world.spec())
    world.engine.start_container(cid)
    stream = world.engine.events(world.project)
    seen: list[tuple[str, str]] = []

    def read() -> None:
        for event in stream:
            seen.append((event.action, event.id))
            if event.action == "die":
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    world.engine.stop_container(cid, timeout=5)
    reader.join(timeout=30)
    stream.close()
    assert ("die", cid) in seen


def test_a_running_container_is_an_endpoint_that_keeps_its_network(world: World) -> None:
    name = f"{world.project}_default"
    world.engine.create_network(Network("default", name), {"com.docker.compose.project": world.project})
    spec = dataclasses.replace(world.spec(), networks=(NetworkAttachment(name),))
    cid = world.engine.create_container(spec)
    assert world.engine.network_endpoints(name) == {}  # endpoints come with the start
    world.engine.start_container(cid)
    assert world.engine.network_endpoints(name) == {cid: spec.name}
    with pytest.raises(InUseError, match="active endpoints"):
        world.engine.remove_network(name)
    world.engine.disconnect_network(name, cid)
    assert world.engine.network_endpoints(name) == {}
    assert _only(world).networks == ()
    world.engine.remove_network(name)
    with pytest.raises(NotFoundError):
        world.engine.network_endpoints(name)
