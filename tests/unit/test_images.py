from __future__ import annotations

import io

import pytest

from compose_lite import images
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import EngineError
from compose_lite.model import Build, Project, Service
from compose_lite.output import PlainReporter, QuietReporter


class Null:
    def write(self, _: str) -> int:
        return 0


def proj() -> Project:
    return Project("p", "/w", services={
        "app": Service("app", build=Build("/w/app", args={"A": "file", "B": "file"})),
        "named": Service("named", image="reg/x:1", build=Build("/w/x")),
        "tool": Service("tool", image="cl-busybox")})


def test_build_names_images_like_compose_and_applies_overrides() -> None:
    engine = FakeEngine()
    out: list[str] = []
    request = images.BuildRequest(no_cache=True, build_args={"B": "cli"})
    assert images.build(proj(), engine, request, out.append, QuietReporter(Null())) == ["p-app", "reg/x:1"]  # type: ignore[arg-type]
    assert engine.built["p-app"] == Build("/w/app", args={"A": "file", "B": "cli"}, no_cache=True)
    assert out == ["Step 1/1 : FROM p-app-base\n", "Step 1/1 : FROM reg/x:1-base\n"]


def test_parse_build_args() -> None:
    assert images.parse_build_args(("A=1", "B", "C", "D=1", "D"), {"B": "env"}) == {
        "A": "1", "B": "env", "C": None, "D": None}


def test_build_arg_unset_in_the_environment_drops_the_build_s_own() -> None:
    engine = FakeEngine()
    request = images.BuildRequest(services=("app",), build_args={"A": None, "C": None})
    images.build(proj(), engine, request, lambda _t: None, QuietReporter(Null()))  # type: ignore[arg-type]
    assert engine.built["p-app"].args == {"B": "file"}


def test_built_images_are_labelled_as_compose_labels_them() -> None:
    from compose_lite import __version__

    project = Project("p", "/w", services={
        "app": Service("app", build=Build("/w/app",
                                          labels={"mine": "1", "com.docker.compose.project": "x"}))})
    engine = FakeEngine()
    images.build(project, engine, images.BuildRequest(), lambda _t: None, QuietReporter(Null()))  # type: ignore[arg-type]
    assert engine.image_labels["p-app"] == {"mine": "1", "com.docker.compose.project": "p",
                                            "com.docker.compose.service": "app",
                                            "com.docker.compose.version": __version__}


def test_pull_without_registry_is_one_line_saying_the_local_image_is_used() -> None:
    engine = FakeEngine(images={"cl-busybox": "sha256:1"})
    engine.fail[("pull_image", "cl-busybox")] = EngineError(
        'pull cl-busybox: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: '
        "no such host")
    with pytest.raises(EngineError) as info:
        images.pull(proj(), engine, ("tool",), QuietReporter(Null()))  # type: ignore[arg-type]
    assert info.value.message == (
        "cannot pull cl-busybox for service 'tool': no registry reachable (Get \"https://registry-1.docker.io"
        "/v2/\": dial tcp: lookup registry-1.docker.io: no such host); the image exists locally and is used "
        "as it is")
    assert images.pull(proj(), engine, ("tool",), QuietReporter(Null()), ignore_failures=True) == []  # type: ignore[arg-type]


def test_pull_skips_as_compose_does_and_says_why() -> None:
    project = Project("p", "/w", services={
        "built": Service("built", build=Build("/w/b")),
        "buildable": Service("buildable", image="reg/b:1", build=Build("/w/b")),
        "never": Service("never", image="reg/n:1", pull_policy="never"),
        "here": Service("here", image="reg/h:1", pull_policy="missing"),
        "latest": Service("latest", image="reg/l", pull_policy="missing"),  # :latest is pulled anyway
        "first": Service("first", image="reg/s:1"),
        "second": Service("second", image="reg/s:1")})
    engine = FakeEngine(images={"reg/h:1": "sha256:h", "reg/l": "sha256:l"},
                        pullable={"reg/h:1", "reg/l", "reg/s:1"})
    out = io.StringIO()
    pulled = images.pull(project, engine, (), PlainReporter(out), ignore_buildable=True)
    assert pulled == ["reg/s:1", "reg/l"]
    assert [line.rstrip() for line in out.getvalue().splitlines() if "Skipped" in line] == [
        " Image buildable  Skipped - Image can be built 0.0s",
        " Image built  Skipped - No image to be pulled 0.0s",
        " Image here  Skipped - Image is already present locally 0.0s",
        " Image never  Skipped 0.0s",
        " Image second  Skipped - Image is already being pulled by first 0.0s"]
    assert " Image first  Pulling" in out.getvalue().splitlines()
    always = images.pull(project, engine, ("here",), PlainReporter(io.StringIO()), policy="always")
    assert always == ["reg/h:1"]


def test_push_failure_and_ignore() -> None:
    engine = FakeEngine()
    with pytest.raises(EngineError) as info:
        images.push(proj(), engine, ("tool",), QuietReporter(Null()))  # type: ignore[arg-type]
    assert info.value.message == ("cannot push cl-busybox for service 'tool': no registry reachable (dial "
                                  "tcp: lookup registry: no such host)")
    assert images.push(proj(), engine, (), QuietReporter(Null()), ignore_failures=True) == []  # type: ignore[arg-type]
    assert engine.calls == ["push_image cl-busybox", "push_image reg/x:1", "push_image cl-busybox"]


def test_build_with_dependencies_and_print() -> None:
    from compose_lite.model import DependsOn

    project = Project("p", "/w", services={
        "web": Service("web", build=Build("/w/web"), depends_on=(DependsOn("api"),)),
        "api": Service("api", build=Build("/w/api", target="prod")),
    })
    engine = FakeEngine()
    only = images.build(project, engine, images.BuildRequest(services=("web",)), lambda _t: None,
                        QuietReporter(io.StringIO()))
    both = images.build(project, engine, images.BuildRequest(services=("web",), with_dependencies=True),
                        lambda _t: None, QuietReporter(io.StringIO()))
    assert (only, both) == (["p-web"], ["p-api", "p-web"])
    printed = images.build_definitions(project, images.BuildRequest(with_dependencies=True))
    assert printed["group"] == {"default": {"targets": ["api", "web"]}}
    assert printed["target"]["api"]["target"] == "prod"  # type: ignore[index]
