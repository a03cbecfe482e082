"""The Docker adapter's pure parts: request mapping, host resolution, error wording (no engine needed)."""

from __future__ import annotations

from typing import Any

import docker
import pytest

from compose_lite.engine.docker_engine import DockerEngine
from compose_lite.engine.docker_request import create_arguments, create_config
from compose_lite.engine.docker_transport import resolve_host, ssh_target
from compose_lite.errors import EngineUnavailableError
from compose_lite.model import Healthcheck, Mount, Port, Resources, Service, Ulimit
from compose_lite.state import ContainerSpec, NetworkAttachment


@pytest.fixture(scope="module")
def api() -> Any:
    return docker.APIClient(base_url="unix:///nonexistent.sock", version="1.41")  # never connects


def test_create_arguments_map_the_service(api: Any) -> None:
    svc = Service(
        "web",
        image="img",
        command=("sh", "-c", "x"),
        environment={"A": "1", "UNSET": None},
        ports=(Port(80, "8080", "127.0.0.1"), Port(53, None, None, "udp")),
        expose=("9000",),
        mounts=(
            Mount("volume", "/data", "p_data"),
            Mount("bind", "/src", "/host/src", read_only=True),
            Mount("volume", "/anon"),
            Mount("tmpfs", "/run", tmpfs_size=1024),
        ),
        healthcheck=Healthcheck(("CMD", "true"), interval_ns=500_000_000, retries=3),
        restart="on-failure:3",
        init=True,
        stop_grace_period_ns=20_000_000_000,
        cap_add=("NET_ADMIN",),
        resources=Resources(cpus=0.5, memory=64 << 20, pids=100),
        ulimits=(Ulimit("nofile", 10, 20),),
        extra_hosts=("h:1.2.3.4",),
    )
    spec = ContainerSpec(
        "p-web-1",
        svc,
        1,
        "img",
        {"k": "v"},
        networks=(NetworkAttachment("p_default", ("p-web-1", "web")), NetworkAttachment("p_other")),
        mounts=svc.mounts,
    )
    args = create_arguments(spec, api)
    host = args["host_config"]
    assert args["environment"] == ["A=1"]
    assert args["stop_timeout"] == 20
    assert args["healthcheck"] == {"test": ["CMD", "true"], "interval": 500_000_000, "retries": 3}
    assert sorted(args["ports"]) == ["53/udp", "80/tcp", "9000"]
    assert host["PortBindings"] == {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}],
        "53/udp": [{"HostIp": "", "HostPort": ""}],
    }
    assert host["Binds"] == ["p_data:/data:rw", "/host/src:/src:ro"]
    assert [(m["Type"], m["Target"]) for m in host["Mounts"]] == [("volume", "/anon"), ("tmpfs", "/run")]
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    limits = (host["NanoCpus"], host["Memory"], host["PidsLimit"], host["Init"])
    assert limits == (500_000_000, 64 << 20, 100, True)
    assert host["NetworkMode"] == "p_default"
    assert args["networking_config"] == {"EndpointsConfig": {"p_default": {"Aliases": ["p-web-1", "web"]}}}
    assert host["CapAdd"] == ["CAP_NET_ADMIN"]


def test_create_config_sends_exposed_ports_as_written_and_short_tmpfs_options(api: Any) -> None:
    # as Docker Compose sends them: `expose` entries unformatted (the engine expands "4000-4001"),
    # a `tmpfs:` entry with every option it was given (noexec, uid...), stdout and stderr attached
    svc = Service(
        "web",
        image="img",
        ports=(Port(80, "8080"),),
        expose=("3000", "4000-4001", "5000/udp"),
        mounts=(Mount("tmpfs", "/run", tmpfs_size=1 << 20, tmpfs_options="size=1m,noexec,uid=1000"),),
    )
    spec = ContainerSpec("p-web-1", svc, 1, "img", {}, mounts=svc.mounts)
    config = create_config(spec, api)
    assert config["ExposedPorts"] == {"80/tcp": {}, "3000": {}, "4000-4001": {}, "5000/udp": {}}
    assert config["HostConfig"]["Tmpfs"] == {"/run": "size=1m,noexec,uid=1000"}
    assert "Mounts" not in config["HostConfig"]
    assert (config["AttachStdout"], config["AttachStderr"], config["StdinOnce"]) == (True, True, False)
    one_off = create_config(ContainerSpec("p-web-run", svc, 1, "img", {}, stdin_once=True), api)
    assert (one_off["AttachStdin"], one_off["StdinOnce"]) == (True, True)


def test_network_mode_container_has_no_endpoints(api: Any) -> None:
    spec = ContainerSpec("p-side-1", Service("side"), 1, "img", {}, network_mode="container:p-web-1")
    args = create_arguments(spec, api)
    assert args["host_config"]["NetworkMode"] == "container:p-web-1"
    assert args["networking_config"] is None


def test_host_resolution() -> None:
    assert resolve_host("tcp://h:2375", {}) == ("tcp://h:2375", "-H")
    env = {"DOCKER_HOST": "unix:///x.sock"}
    assert resolve_host("unix:///x.sock", env) == ("unix:///x.sock", "DOCKER_HOST")
    assert resolve_host(None, {}) == ("unix:///var/run/docker.sock", "default socket")


def test_unreachable_engine_names_what_was_tried() -> None:
    engine = DockerEngine("unix:///nonexistent.sock", environ={})
    with pytest.raises(EngineUnavailableError) as info:
        engine.list_containers("p")
    assert info.value.message == (
        "cannot reach the Docker Engine at unix:///nonexistent.sock (-H): no such socket"
    )


def test_paramiko_is_not_imported_for_a_unix_socket_engine() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from compose_lite.engine.docker_engine import DockerEngine\n"
        "engine = DockerEngine(environ={'DOCKER_HOST': 'unix:///nonexistent.sock'})\n"
        "import docker\n"
        "print(sys.modules.get('paramiko') is None, 'docker.transport.sshconn' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_the_docker_clis_current_context_is_followed(tmp_path: Any, monkeypatch: Any) -> None:
    import hashlib
    import json

    meta = tmp_path / "contexts" / "meta" / hashlib.sha256(b"remote").hexdigest()
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({
        "Name": "remote", "Metadata": {}, "Endpoints": {"docker": {"Host": "tcp://10.0.0.9:2375"}}}))
    (tmp_path / "config.json").write_text(json.dumps({"currentContext": "remote"}))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    environ = {"DOCKER_CONFIG": str(tmp_path)}
    assert resolve_host(None, environ) == ("tcp://10.0.0.9:2375", "context remote")
    assert resolve_host("unix:///x.sock", environ) == ("unix:///x.sock", "-H")  # -H first
    (tmp_path / "config.json").write_text(json.dumps({"currentContext": "gone"}))
    with pytest.raises(EngineUnavailableError, match="current context"):
        resolve_host(None, environ)


def test_common_engine_refusals_come_with_what_to_do() -> None:
    from compose_lite.engine.docker_reply import refusal_hint

    port = ("driver failed programming external connectivity on endpoint p-web-1: Error starting userland "
            "proxy: listen tcp4 127.0.0.1:8080: bind: address already in use")
    hint = refusal_hint(port)
    assert hint is not None and "`ports:`" in hint
    name = 'Conflict. The container name "/x" is already in use by container "da18". You have to remove it'
    hint = refusal_hint(name)
    assert hint is not None and "container_name" in hint
    assert refusal_hint("No such image: cl-absent:1") is None


def test_the_engines_refusals_become_the_error_types_that_name_them() -> None:
    from compose_lite.engine.docker_reply import refusal
    from compose_lite.errors import AlreadyExistsError, EngineError, InUseError, StaleEndpointError

    stale = refusal("start container 1a2b", "endpoint with name p-web-1 already exists in network p_default")
    assert isinstance(stale, StaleEndpointError)
    assert (stale.endpoint, stale.network) == ("p-web-1", "p_default")
    assert type(refusal("create network n", "network with name n already exists")) is AlreadyExistsError
    assert type(refusal("remove volume v", "remove v: volume is in use - [1a2b]")) is InUseError
    endpoints = refusal("remove network n", "error while removing network: n has active endpoints")
    assert type(endpoints) is InUseError
    other = refusal("start container 1a2b", "bind: address already in use")
    assert type(other) is EngineError and other.hint is not None


@pytest.mark.parametrize(("grace_ns", "seconds"), [(1_500_000_000, 1), (2_999_000_000, 2), (400_000_000, 0)])
def test_stop_grace_period_is_cut_to_whole_seconds_as_compose_cuts_it(api: Any, grace_ns: int,
                                                                       seconds: int) -> None:
    svc = Service("web", image="img", stop_grace_period_ns=grace_ns)
    spec = ContainerSpec("p-web-1", svc, 1, "img", {})
    assert create_arguments(spec, api)["stop_timeout"] == seconds == svc.stop_timeout_s


def test_every_network_attachment_key_is_in_the_contract() -> None:
    import json
    from pathlib import Path

    from compose_lite.loader import coverage

    schema = json.loads((Path(__file__).parents[2] / "schemas" / "compose.schema.json").read_text())
    [mapping] = [f for f in schema["definitions"]["service_networks"]["anyOf"] if f.get("type") == "object"]
    assert set(mapping["additionalProperties"]["properties"]) == set(coverage.SERVICE_NETWORK_KEYS)


def _on_networks(*attachments: NetworkAttachment, mac: str | None = None) -> ContainerSpec:
    return ContainerSpec("p-web-1", Service("web", image="img", mac_address=mac), 1, "img", {},
                         networks=attachments)


def test_an_endpoint_carries_link_local_ips_driver_options_and_gateway_priority(api: Any) -> None:
    spec = _on_networks(NetworkAttachment("p_front", link_local_ips=("169.254.8.8",), driver_opts={"o": "1"},
                                          gw_priority=5, interface_name="eth7"))
    newer = docker.APIClient(base_url="unix:///nonexistent.sock", version="1.49")
    [endpoint] = create_config(spec, newer)["NetworkingConfig"]["EndpointsConfig"].values()
    assert endpoint["IPAMConfig"]["LinkLocalIPs"] == ["169.254.8.8"]
    assert endpoint["DriverOpts"] == {"o": "1", "com.docker.network.endpoint.ifname": "eth7"}
    assert endpoint["GwPriority"] == 5


def test_mac_addresses_follow_composes_rule_for_the_engines_api(api: Any) -> None:
    from compose_lite.errors import ConfigError

    primary = NetworkAttachment("p_front", mac_address="02:42:ac:11:00:09")
    assert create_config(_on_networks(primary), api)["MacAddress"] == "02:42:ac:11:00:09"  # API 1.41
    newer = docker.APIClient(base_url="unix:///nonexistent.sock", version="1.44")
    config = create_config(_on_networks(primary), newer)
    assert config["MacAddress"] is None
    assert config["NetworkingConfig"]["EndpointsConfig"]["p_front"]["MacAddress"] == "02:42:ac:11:00:09"
    with pytest.raises(ConfigError, match="requires Docker Engine v25"):
        second = NetworkAttachment("p_back", mac_address="02:42:ac:11:00:0a")
        create_config(_on_networks(primary, second), api)
    with pytest.raises(ConfigError, match="should have the same value as network p_front"):
        create_config(_on_networks(primary, mac="02:42:ac:11:00:01"), api)


def test_the_ssh_hint_spells_the_target_as_ssh_takes_it() -> None:
    assert ssh_target("ssh://deploy@server:2222") == "-p 2222 deploy@server"
    assert ssh_target("ssh://server") == "server"


def test_a_container_being_removed_is_a_gone_error() -> None:
    from compose_lite.engine.docker_reply import refusal
    from compose_lite.errors import GoneError

    said = "can not get logs from container which is dead or marked for removal"
    assert isinstance(refusal("logs of abc", said), GoneError)
