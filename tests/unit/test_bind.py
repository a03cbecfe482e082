from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from compose_lite.errors import ConfigError, ConfigErrors
from compose_lite.loader import LoadRequest, load
from compose_lite.loader.bind import bind
from compose_lite.model import Condition, DependsOn, Hook, IpamPool, Mount, Port, ServiceNetwork, Ulimit

# `docker compose config --format json` of a small demo project (paths rewritten to /proj).
DEMO = json.loads((Path(__file__).parent / "fixtures" / "bind_demo.json").read_text())


def demo() -> Any:
    return bind(DEMO, working_dir="/proj", config_files=("/proj/compose.yaml",))


def test_project_level_names_and_defaults() -> None:
    project = demo()
    assert project.name == "demo"
    assert project.config_files == ("/proj/compose.yaml",)
    assert {k: n.name for k, n in project.networks.items()} == {
        "back": "demo_back", "default": "demo_default", "front": "front"}
    assert project.networks["front"].external
    assert project.networks["back"].ipam_config == (IpamPool("10.5.0.0/16"),)
    assert project.volumes["dbdata"].name == "demo_dbdata"
    assert project.volumes["dbdata"].labels == {"keep": "yes"}
    assert project.secrets["pw"].file == "/proj/pw.txt"


def test_service_units_and_long_forms() -> None:
    db = demo().services["db"]
    assert db.environment == {"EMPTY": None, "POSTGRES_DB": "app"}
    assert db.healthcheck is not None
    assert db.healthcheck.test == ("CMD-SHELL", "pg_isready")
    assert db.healthcheck.interval_ns == 90_000_000_000
    assert db.healthcheck.timeout_ns == 500_000_000
    assert db.stop_grace_period_ns == 20_000_000_000
    assert db.shm_size == 256 * 1024 * 1024
    assert db.resources.cpus == 0.5
    assert db.resources.memory == 512 * 1024 * 1024
    assert db.resources.memory_reservation == 128 * 1024 * 1024
    assert db.replicas == 2
    assert db.ulimits == (Ulimit("nofile", 20000, 40000), Ulimit("nproc", 65535, 65535))
    assert db.networks == (ServiceNetwork("back", aliases=("database",), ipv4_address="10.5.0.5"),)
    assert db.mounts == (
        Mount(type="volume", target="/var/lib/postgresql/data", source="dbdata"),
        Mount(type="bind", target="/docker-entrypoint-initdb.d", source="/proj/init", read_only=True),
        Mount(type="volume", target="/anon"),
        Mount(type="tmpfs", target="/run", tmpfs_size=64 * 1024 * 1024, tmpfs_options="size=64m"),
    )
    assert db.secrets[0].target == "/run/secrets/pw"


def test_web_ports_depends_on_and_unsupported_keys() -> None:
    web = demo().services["web"]
    assert web.ports == (Port(80, "8080", "127.0.0.1"), Port(9000))
    assert web.depends_on == (
        DependsOn("cache", Condition.STARTED, restart=False, required=False),
        DependsOn("db", Condition.HEALTHY, restart=True, required=True),
    )
    assert web.command == ("python", "app.py", "--debug")
    assert web.extra_hosts == ("somehost:162.242.195.82",)
    assert web.build is not None and web.build.context == "/proj/web"
    assert web.unsupported == () and web.post_start == (Hook(("echo", "hi")),)
    assert [n.key for n in web.networks] == ["back", "front"]


def test_service_refs_and_default_network() -> None:
    side = demo().services["side"]
    assert side.network_mode == "service:web"
    assert side.networks == ()
    assert side.service_refs() == ("web", "db")
    assert demo().services["cache"].networks == (ServiceNetwork("default"),)


def test_relative_bind_paths_are_resolved_against_the_project_dir() -> None:
    model = {"name": "p", "services": {"a": {"image": "x", "volumes": [
        {"type": "bind", "source": "./data", "target": "/d"}]}}}
    assert bind(model, working_dir="/w").services["a"].mounts[0].source == "/w/data"


@pytest.mark.parametrize(("service", "message", "path"), [
    ({"image": "x", "networks": {"nope": None}},
     "network 'nope' is not declared", "services.a.networks.nope"),
    ({"image": "x", "volumes": ["gone:/d"]}, "volume 'gone' is not declared", "services.a.volumes[0]"),
    ({"image": "x", "depends_on": ["ghost"]},
     "service 'a' depends on undefined service 'ghost'", "services.a.depends_on.ghost"),
    ({"image": "x", "volumes_from": ["ghost:ro"]},  # an implied dependency, as in Compose
     "service 'a' depends on undefined service 'ghost'", "services.a.depends_on.ghost"),
])
def test_broken_references_are_refused_by_the_loader_naming_the_path(
        tmp_path: Path, service: dict[str, Any], message: str, path: str) -> None:
    """The loader's one reference check (the binder trusts what the loader lets through)."""
    (tmp_path / "compose.yaml").write_text(json.dumps({"services": {"a": service}}))
    with pytest.raises(ConfigErrors) as info:
        load(LoadRequest(cwd=str(tmp_path), project_name="p"))
    assert [(e.message, e.path) for e in info.value.errors] == [(message, path)]


def test_optional_dependency_on_a_missing_service_is_accepted() -> None:
    model = {"name": "p", "services": {"a": {"image": "x", "depends_on": {
        "ghost": {"condition": "service_started", "required": False}}}}}
    assert bind(model, working_dir="/w").services["a"].depends_on[0].required is False


def test_bad_duration_is_a_config_error() -> None:
    model = {"name": "p", "services": {"a": {"image": "x", "stop_grace_period": "soon"}}}
    with pytest.raises(ConfigError) as info:
        bind(model, working_dir="/w")
    assert info.value.path == "services.a.stop_grace_period"


def test_extension_keys_are_not_unsupported_but_start_interval_is() -> None:
    model = {"name": "p", "services": {"web": {
        "image": "x", "x-team": "core", "x-cl-watch": False,
        "healthcheck": {"test": ["CMD", "true"], "interval": "1s", "start_interval": "200ms"},
    }}}
    web = bind(model, working_dir="/proj", config_files=("/proj/compose.yaml",)).services["web"]
    assert web.unsupported == ("healthcheck.start_interval",)
    assert web.watch_bind_mounts is False


def test_build_tags_are_bound() -> None:
    model = {"name": "p", "services": {"web": {"build": {"context": ".", "tags": ["web:1", "web:latest"]}}}}
    web = bind(model, working_dir="/proj", config_files=("/proj/compose.yaml",)).services["web"]
    assert web.build is not None and web.build.tags == ("web:1", "web:latest")


def test_security_opts_are_sent_as_compose_sends_them(tmp_path: Path) -> None:
    (tmp_path / "profile.json").write_text('{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": []\n}\n')
    opts = ["seccomp=./profile.json", "systempaths=unconfined", "no-new-privileges:true",
            "apparmor=unconfined"]
    model = {"name": "p", "services": {"web": {"image": "x", "security_opt": opts}}}
    web = bind(model, working_dir=str(tmp_path)).services["web"]
    assert web.security_opt == ('seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}',
                                "no-new-privileges:true", "apparmor=unconfined")
    assert web.unconfined_paths
    for bad, message in (("seccomp=./absent.json", "opening seccomp profile (./absent.json) failed"),
                         ("label", "invalid security-opt: 'label'")):
        with pytest.raises(ConfigError, match=re.escape(message)) as err:
            bind({**model, "services": {"web": {"image": "x", "security_opt": [bad]}}},
                 working_dir=str(tmp_path))
        assert err.value.path == "services.web.security_opt"


def test_cdi_device_names_become_a_cdi_device_request_in_composes_order() -> None:
    model = {"name": "p", "services": {"web": {
        "image": "x",
        "devices": [{"source": "/dev/null", "target": "/dev/n", "permissions": "rwm"},
                    {"source": "nvidia.com/gpu=all", "target": "nvidia.com/gpu=all", "permissions": "rwm"}],
        "gpus": [{"count": 1}],
        "deploy": {"resources": {"reservations": {"devices": [{"capabilities": ["tpu"], "driver": "x"}]}}}}}}
    web = bind(model, working_dir="/w").services["web"]
    assert [d.source for d in web.devices] == ["/dev/null"]
    assert [r["Driver"] for r in web.resources.device_requests] == ["x", "cdi", ""]
    assert web.resources.device_requests[1]["DeviceIDs"] == ["nvidia.com/gpu=all"]


def test_a_remote_build_context_stays_a_url() -> None:
    model = {"name": "p", "services": {
        "git": {"build": {"context": "https://github.com/org/repo.git#main", "dockerfile": "Dockerfile"}},
        "ssh": {"build": {"context": "git@github.com:org/repo.git"}},
        "dir": {"build": {"context": "/proj/app"}}}}
    services = bind(model, working_dir="/proj", config_files=("/proj/compose.yaml",)).services
    builds = {name: svc.build for name, svc in services.items()}
    assert {name: (b.context, b.remote) for name, b in builds.items() if b is not None} == {
        "git": ("https://github.com/org/repo.git#main", True), "ssh": ("git@github.com:org/repo.git", True),
        "dir": ("/proj/app", False)}
