from __future__ import annotations

from dataclasses import replace

import pytest

from compose_lite import oneoff
from compose_lite.engine.base import Session
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import ConfigError, OperationFailedError
from compose_lite.model import DependsOn, Network, Port, Project, Service, ServiceNetwork
from compose_lite.output import QuietReporter


class Null:
    def write(self, _: str) -> int:
        return 0


def stack() -> Project:
    return Project(
        "p",
        "/w",
        services={
            "db": Service("db", image="img", networks=(ServiceNetwork("default"),)),
            "app": Service(
                "app",
                image="img",
                depends_on=(DependsOn("db"),),
                ports=(Port(80, "8080"),),
                restart="always",
                environment={"A": "1"},
                networks=(ServiceNetwork("default"),),
            ),
        },
        networks={"default": Network("default", "p_default")},
    )


def run(engine: FakeEngine, **kw: object) -> int:
    request = oneoff.RunRequest(**{"service": "app", **kw})  # type: ignore[arg-type]
    return oneoff.run(stack(), engine, request, Session(), QuietReporter(Null()), environ={})  # type: ignore[arg-type]


def test_run_starts_dependencies_and_labels_the_one_off() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    assert run(engine, name="p-app-x", command=("echo", "hi"), environment={"B": "2"}) == 0
    assert engine.calls[-2:] == ["create_container p-app-x", "run_attached p-app-x tty=False"]
    assert "start_container p-db-1" in engine.calls and "create_network p_default" in engine.calls
    one = engine.containers[next(i for i, c in engine.containers.items() if c.name == "p-app-x")]
    assert one.spec.labels["com.docker.compose.oneoff"] == "True"
    assert one.spec.service.command == ("echo", "hi")
    assert dict(one.spec.service.environment) == {"A": "1", "B": "2"}
    assert (one.spec.service.ports, one.spec.service.restart) == ((), None)


def test_run_no_deps_rm_and_exit_code() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    code = run(
        engine,
        no_deps=True,
        remove=True,
        service_ports=True,
        publish=("127.0.0.1:9000:90",),
        volumes=("./d:/d:ro", "named:/n"),
    )
    assert code == 0
    assert not any(c.startswith("start_container p-db-1") for c in engine.calls)
    assert engine.calls[-1].startswith("remove_container p-app-run-")
    created = [c for c in engine.calls if c.startswith("create_container")]
    assert len(created) == 1


def test_oneoff_service_overrides() -> None:
    svc = stack().services["app"]
    req = oneoff.RunRequest("app", publish=("127.0.0.1:9000:90",), service_ports=True, workdir="/x", user="1")
    one = oneoff.oneoff_service(svc, req, Session(tty=True))
    assert one.ports == (Port(80, "8080"), Port(90, "9000", "127.0.0.1"))
    assert (one.working_dir, one.user, one.tty, one.stdin_open) == ("/x", "1", True, True)


def test_parse_env_and_errors() -> None:
    assert oneoff.parse_env(("A=1", "B", "C"), {"B": "from-env"}) == {"A": "1", "B": "from-env"}
    with pytest.raises(ConfigError) as info:
        oneoff.parse_env(("=x",), {})
    assert info.value.message == "invalid environment variable '=x'"
    with pytest.raises(ConfigError) as info:
        run(FakeEngine(images={"img": "sha256:1"}), no_deps=True, publish=("nonsense:a:b:c",))
    assert info.value.message.startswith("invalid --publish value: ")


def test_exec_target_needs_a_running_replica() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    with pytest.raises(OperationFailedError) as info:
        oneoff.exec_target(engine, stack(), "app", 1)
    assert info.value.message == 'service "app" is not running'
    with pytest.raises(OperationFailedError) as info:
        oneoff.exec_target(engine, stack(), "app", 2)
    assert info.value.message == 'service "app" is not running container #2'  # as Compose words it


def test_oneoff_capabilities_and_network_aliases() -> None:
    svc = Service(
        "api", image="img", cap_add=("NET_ADMIN",), networks=(ServiceNetwork("default", ("api-alias",)),)
    )
    plain = oneoff.oneoff_service(
        svc, oneoff.RunRequest("api", cap_add=("SYS_TIME", "NET_ADMIN"), cap_drop=("MKNOD",)), Session()
    )
    assert (plain.cap_add, plain.cap_drop) == (("NET_ADMIN", "SYS_TIME"), ("MKNOD",))
    assert plain.networks[0].aliases == ()  # a one-off is not the service: no alias unless asked
    aliased = oneoff.oneoff_service(svc, oneoff.RunRequest("api", use_aliases=True), Session())
    assert aliased.networks[0].aliases == ("api-alias",)


def test_the_one_off_answers_to_its_name_not_the_services_unless_use_aliases() -> None:
    engine = FakeEngine(images={"img": "sha256:1"})
    run(engine, name="p-app-x", no_deps=True)
    run(engine, name="p-app-y", no_deps=True, use_aliases=True)
    specs = {c.name: c.spec for c in engine.containers.values()}
    assert specs["p-app-x"].networks[0].aliases == ("p-app-x",)
    assert "app" in specs["p-app-y"].networks[0].aliases


def test_run_warns_about_keys_without_effect() -> None:
    warnings: list[str] = []
    reporter = QuietReporter(Null())  # type: ignore[arg-type]
    reporter.warning = warnings.append  # type: ignore[method-assign]
    proj = stack()
    proj = replace(
        proj, services={**proj.services,
                        "app": replace(proj.services["app"], unsupported=("credential_spec",))}
    )
    oneoff.run(
        proj,
        FakeEngine(images={"img": "sha256:1"}),
        oneoff.RunRequest("app", no_deps=True),
        Session(),
        reporter,
        environ={},
    )
    assert warnings == [
        "service 'app': 'credential_spec' is ignored (Windows containers only)"
    ]
