"""The BuildKit command line compose-lite runs for a build, and which docker CLI it picks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compose_lite.engine.buildkit import BuildCli, argv, find_cli
from compose_lite.model import Build


def test_every_build_key_reaches_the_command_line() -> None:
    build = Build(
        "/ctx",
        dockerfile="web.Dockerfile",
        args={"A": "1"},
        target="prod",
        labels={"l": "v"},
        network="host",
        shm_size=1024,
        extra_hosts=("h:1.2.3.4",),
        no_cache=True,
        pull=True,
        tags=("extra:1",),
        secrets=(("tok", "file", "/s/tok.txt"), ("env-one", "env", "TOKEN")),
        ssh=("default",),
        cache_from=("type=local,src=/c",),
        platforms=("linux/amd64",),
    )
    classic = argv(
        BuildCli("/usr/bin/docker", "classic"),
        "p-web",
        build,
        {"com.docker.compose.project": "p"},
        "/tmp/iid",
        {"env-one": "/tmp/secret-0"},
    )
    assert classic == [
        "/usr/bin/docker",
        "build",
        "--progress",
        "plain",
        "--iidfile",
        "/tmp/iid",
        "-t",
        "p-web",
        "-t=extra:1",
        "-f",
        "/ctx/web.Dockerfile",
        "--build-arg=A=1",
        "--label=l=v",
        "--label=com.docker.compose.project=p",
        "--target=prod",
        "--network=host",
        "--shm-size=1024",
        "--add-host=h:1.2.3.4",
        "--no-cache",
        "--pull",
        "--cache-from=type=local,src=/c",
        "--platform=linux/amd64",
        "--ssh=default",
        "--secret=id=tok,src=/s/tok.txt",
        "--secret=id=env-one,src=/tmp/secret-0",
        "/ctx",
    ]
    buildx = argv(BuildCli("/x/docker", "buildx"), "p-web", build, {}, "/tmp/iid", {"env-one": "/tmp/s"})
    assert buildx[:4] == ["/x/docker", "buildx", "build", "--load"]


BUILDX_ONLY = Build("/ctx", cache_to=("type=local,dest=/c",),
                    additional_contexts={"base": "docker-image://x"},
                    entitlements=("network.host", "security.insecure"), provenance="mode=max", sbom="true",
                    ulimits=("nofile=1024:2048",))


def test_what_only_buildx_does_reaches_its_command_line() -> None:
    line = argv(BuildCli("/x/docker", "buildx"), "t", BUILDX_ONLY, {}, "/i", {})
    flags = ("--cache-to", "--build-context", "--allow", "--provenance", "--sbom", "--ulimit")
    assert [a for a in line if a.startswith(flags)] == [
        "--cache-to=type=local,dest=/c", "--build-context=base=docker-image://x", "--allow=network.host",
        "--allow=security.insecure", "--provenance=mode=max", "--sbom=true", "--ulimit=nofile=1024:2048"]


def test_a_classic_buildkit_cli_refuses_what_only_buildx_does_naming_the_keys() -> None:
    from compose_lite.errors import EngineError

    with pytest.raises(EngineError) as err:
        argv(BuildCli("/usr/bin/docker", "classic"), "t", BUILDX_ONLY, {}, "/i", {})
    assert err.value.message == ("build t: cache_to, additional_contexts, entitlements, provenance, sbom, "
                                 "ulimits need the docker buildx plugin")


def test_an_inline_dockerfile_comes_on_stdin_with_the_real_context() -> None:
    line = argv(BuildCli("docker", "classic"), "t", Build("/ctx", dockerfile_inline="FROM x"), {}, "/i", {})
    assert line[line.index("-f") + 1] == "-" and line[-1] == "/ctx"


def test_a_remote_context_is_handed_on_with_its_dockerfile_read_inside_it() -> None:
    remote = Build("https://github.com/org/repo.git#main", dockerfile="sub/Dockerfile")
    line = argv(BuildCli("docker", "classic"), "t", remote, {}, "/i", {})
    assert line[line.index("-f") + 1] == "sub/Dockerfile" and line[-1] == "https://github.com/org/repo.git#main"


def test_the_first_docker_on_path_that_has_buildkit_is_picked(tmp_path: Path) -> None:
    def fake_docker(directory: str, version: str, buildx: bool) -> None:
        path = tmp_path / directory / "docker"
        path.parent.mkdir()
        path.write_text(
            "#!/bin/sh\n"
            f'[ "$1" = buildx ] && exit {0 if buildx else 1}\n'
            f'echo "Docker version {version}, build x"\n'
        )
        path.chmod(0o755)

    fake_docker("new", "28.2.2", buildx=False)  # refuses BuildKit without buildx
    fake_docker("old", "20.10.24", buildx=False)  # classic BuildKit
    fake_docker("plugin", "28.0.0", buildx=True)
    path = os.pathsep.join(str(tmp_path / d) for d in ("new", "old", "plugin"))
    assert find_cli({"PATH": path}) == BuildCli(str(tmp_path / "old" / "docker"), "classic")
    path = os.pathsep.join(str(tmp_path / d) for d in ("new", "plugin", "old"))
    assert find_cli({"PATH": path}) == BuildCli(str(tmp_path / "plugin" / "docker"), "buildx")
    assert find_cli({"PATH": str(tmp_path / "new")}) is None
    assert find_cli({"PATH": path, "CL_BUILDKIT": "0"}) is None


def test_memory_and_buildx_only_flags() -> None:
    import pytest

    from compose_lite.errors import EngineError

    spec = Build("/ctx", memory=1 << 30, buildx_flags=("--check",))
    line = argv(BuildCli("/x/docker", "buildx"), "t", spec, {}, "/i", {})
    assert "--memory=1073741824" in line and "--check" in line
    with pytest.raises(EngineError, match="need the docker buildx plugin"):
        argv(BuildCli("/usr/bin/docker", "classic"), "t", spec, {}, "/i", {})


def test_without_a_buildkit_cli_buildkit_only_keys_are_refused_before_any_engine_call() -> None:
    # CL_BUILDKIT=0 forces the legacy builder; the socket does not exist, so any API call would fail
    # with a connection error instead of this refusal
    from compose_lite.engine.docker_engine import DockerEngine
    from compose_lite.errors import EngineError

    engine = DockerEngine("unix:///nonexistent/docker.sock", environ={"CL_BUILDKIT": "0"})
    build = Build("/ctx", secrets=(("tok", "file", "/s/tok.txt"),), platforms=("linux/arm64",))
    with pytest.raises(EngineError) as refused:
        engine.build_image("app:dev", build, {})
    assert refused.value.message == (
        "build app:dev: secrets, platforms need BuildKit, and no docker CLI here has it"
    )
    assert "docker buildx plugin" in (refused.value.hint or "")
