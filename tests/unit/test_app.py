from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from compose_lite import app
from compose_lite.clock import FakeClock
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import EngineError, NotFoundError, OperationFailedError
from compose_lite.model import Network, Project, Service, ServiceNetwork
from compose_lite.output import QuietReporter


class Null:
    def write(self, _: str) -> int:
        return 0


def project(working_dir: str = "/w", image: str = "img", unsupported: tuple[str, ...] = ()) -> Project:
    return Project("p", working_dir, services={"a": Service(
        "a", image=image, networks=(ServiceNetwork("default"),), unsupported=unsupported)},
        networks={"default": Network("default", "p_default")})


def up(engine: FakeEngine, proj: Project, **kw: object) -> app.UpOutcome:
    return app.up(proj, engine, app.UpRequest(**kw), QuietReporter(Null()), environ={})  # type: ignore[arg-type]


def test_same_name_from_another_directory_is_refused(tmp_path: os.PathLike[str]) -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, project(str(tmp_path)))
    with pytest.raises(OperationFailedError) as info:
        up(engine, project("/somewhere/else"))
    assert info.value.message == (f"project 'p' already exists for directory {os.path.realpath(tmp_path)} "
                                  "(container p-a-1); refusing to take over its containers")


def test_missing_image_with_pull_never() -> None:
    with pytest.raises(NotFoundError) as info:
        up(FakeEngine(), project(), pull="never")
    assert info.value.message == ("image img for service 'a' is not present locally and --pull never "
                                  "forbids getting it")


def test_missing_image_that_cannot_be_pulled() -> None:
    with pytest.raises(EngineError) as info:
        up(FakeEngine(), project())
    # the same words as `cl pull` (compose_lite.registry)
    assert info.value.message == ("cannot pull img for service 'a': pull access denied for img, "
                                  "repository does not exist")
    assert info.value.hint == "build or load the image locally (cl build / docker load)"


def test_pull_always_without_a_registry_warns_and_uses_the_local_image() -> None:
    warned: list[str] = []
    reporter = QuietReporter(Null())  # type: ignore[arg-type]
    reporter.warning = warned.append  # type: ignore[method-assign]
    engine = FakeEngine(images={"img": "sha256:1"})
    app.up(project(), engine, app.UpRequest(pull="always"), reporter, environ={}, clock=FakeClock())
    assert warned == ["cannot pull img for service 'a': pull access denied for img, repository does not "
                      "exist; the image exists locally and is used as it is"]
    assert engine.list_containers("p")[0].image_id == "sha256:1"


def test_unsupported_keys_become_warnings() -> None:
    assert app.unsupported_warnings(project(unsupported=("credential_spec", "deploy.placement"))) == [
        "service 'a': 'credential_spec' is ignored (Windows containers only)",
        "service 'a': 'deploy.placement' is ignored (placement is Swarm's)"]


def test_down_removes_containers_and_network_but_keeps_volumes() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, project())
    app.down(project(), engine, app.DownRequest(), QuietReporter(Null()), environ={})
    assert engine.containers == {} and engine.networks == {}


def test_ps_lists_running_then_all() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    up(engine, project())
    assert [c.name for c in app.ps(project(), engine)] == ["p-a-1"]
    engine.set_state("p-a-1", state="exited")
    assert app.ps(project(), engine) == []
    assert [c.name for c in app.ps(project(), engine, all_states=True)] == ["p-a-1"]


def test_unreachable_engine_is_one_clear_line(tmp_path: os.PathLike[str]) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  a:\n    image: img\n")  # type: ignore[operator]
    env = {**os.environ, "DOCKER_HOST": "unix:///nonexistent.sock"}
    done = subprocess.run([sys.executable, "-m", "compose_lite", "ps"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "error: cannot reach the Docker Engine at unix:///nonexistent.sock (DOCKER_HOST): no such socket",
        "hint: start the engine (`sudo systemctl start docker`, or `sudo dockerd`), "
        "or point -H / DOCKER_HOST at one",
    ]


def test_quiet_pull_hides_the_pull_not_the_rest() -> None:
    import io

    from compose_lite.output import PlainReporter

    def shown(**kw: object) -> str:
        out = io.StringIO()
        engine = FakeEngine(pullable={"img"})
        app.up(project(), engine, app.UpRequest(**kw), PlainReporter(out), environ={})  # type: ignore[arg-type]
        return out.getvalue()

    assert "Pulling" in shown()
    quiet = shown(quiet_pull=True)
    assert "Pulling" not in quiet and "Pulled" not in quiet and "Started" in quiet


def test_a_refresh_pull_policy_pulls_an_image_last_pulled_longer_ago_than_its_interval() -> None:
    import time

    from compose_lite.engine.base import ImageInfo

    class Tagged(FakeEngine):  # pulled three days ago
        tagged = time.strftime("%Y-%m-%dT%H:%M:%S.123456789Z", time.gmtime(time.time() - 3 * 86400))

        def image_info(self, ref: str) -> ImageInfo | None:
            return ImageInfo("sha256:1", (ref,), 1, "", "", last_tag_time=self.tagged)

    for policy, pulled in (("daily", True), ("weekly", False), ("every_2d", True), ("every_4d", False)):
        proj = project()
        proj = Project(proj.name, proj.working_dir, networks=proj.networks, services={
            "a": Service("a", image="img", networks=(ServiceNetwork("default"),), pull_policy=policy)})
        engine = Tagged(images={"img": "sha256:1"}, pullable={"img"})
        up(engine, proj)
        assert ("pull_image img" in engine.calls) is pulled, policy
    assert app.refresh_interval("every_1d12h") == 129600.0 and app.refresh_interval("missing") is None
    with pytest.raises(Exception, match="invalid pull_policy 'every_soon'"):
        app.refresh_interval("every_soon")


def test_the_services_platform_is_pulled_and_built_for() -> None:
    from compose_lite.model import Build

    engine = FakeEngine(pullable={"img"})
    proj = project()
    pulled = Project(proj.name, proj.working_dir, networks=proj.networks, services={
        "a": Service("a", image="img", networks=(ServiceNetwork("default"),), platform="linux/arm64")})
    up(engine, pulled)
    assert "pull_image img linux/arm64" in engine.calls
    built = Project(proj.name, proj.working_dir, networks=proj.networks, services={
        "b": Service("b", build=Build("/ctx"), networks=(ServiceNetwork("default"),),
                     platform="linux/arm64")})
    up(engine, built)
    assert engine.built["p-b"].platform == "linux/arm64"
    assert app.for_platform(Build("/c", platforms=("linux/amd64",)), "linux/arm64").platform is None


def test_a_closed_stdout_ends_a_command_quietly_with_sigpipes_code(tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "compose.yaml")
    with open(path, "w") as handle:
        handle.write("services:\n  web:\n    image: x\n")
    proc = subprocess.Popen([sys.executable, "-m", "compose_lite", "-f", path, "config"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written (`cl config | true`)
    assert (proc.wait(timeout=60), proc.stderr.read()) == (141, "")


def test_images_down_removes_are_named_as_compose_names_them() -> None:
    assert app.familiar_tagged("proj-web") == "proj-web:latest"
    assert app.familiar_tagged("docker.io/library/redis") == "redis:latest"
    assert app.familiar_tagged("docker.io/team/app:2") == "team/app:2"
    assert app.familiar_tagged("localhost:5000/app") == "localhost:5000/app:latest"
    assert app.familiar_tagged("app@sha256:" + "a" * 64) == "app@sha256:" + "a" * 64


def test_an_image_up_builds_is_labelled_as_cl_build_and_compose_label_it() -> None:
    from compose_lite import __version__
    from compose_lite.model import Build

    project = Project("p", "/w", services={"web": Service("web", build=Build("/w", labels={"mine": "1"}))})
    engine = FakeEngine()
    app.up(project, engine, app.UpRequest(), QuietReporter(io.StringIO()), environ={})
    assert engine.image_labels["p-web"] == {"mine": "1", "com.docker.compose.project": "p",
                                            "com.docker.compose.service": "web",
                                            "com.docker.compose.version": __version__}


def test_a_kept_container_is_said_running_only_when_it_runs() -> None:
    from compose_lite.output import PlainReporter

    project = Project("p", "/w", services={"web": Service("web", image="img")})
    engine = FakeEngine(images={"img": "sha256:1"})
    app.up(project, engine, app.UpRequest(no_start=True), QuietReporter(io.StringIO()), environ={})
    out = io.StringIO()
    app.up(project, engine, app.UpRequest(no_start=True), PlainReporter(out), environ={})
    assert "Running" not in out.getvalue()  # created, not started: Compose says nothing of it
    app.up(project, engine, app.UpRequest(), QuietReporter(io.StringIO()), environ={})
    app.up(project, engine, app.UpRequest(), PlainReporter(out), environ={})
    assert " Container p-web-1  Running" in out.getvalue()
