from __future__ import annotations

from typing import Any

import pytest

from compose_lite.errors import ConfigError
from compose_lite.loader.canonical import canonicalize
from compose_lite.loader.defaults import set_defaults
from compose_lite.loader.resolve import resolve_paths
from compose_lite.loader.short_syntax import parse_port, parse_volume


def _svc(**fields: Any) -> dict[str, Any]:
    return canonicalize({"services": {"web": fields}})["services"]["web"]


def test_ports_short_syntax_and_ranges() -> None:
    assert parse_port("127.0.0.1:8080:80/udp") == [
        {"mode": "ingress", "protocol": "udp", "host_ip": "127.0.0.1", "published": "8080", "target": 80}
    ]
    assert [p["published"] for p in parse_port("80-81:8080-8081")] == ["80", "81"]
    assert parse_port("6005-6015:80") == [
        {"mode": "ingress", "protocol": "tcp", "published": "6005-6015", "target": 80}
    ]
    assert [p["target"] for p in parse_port("3000-3001")] == [3000, 3001]
    assert _svc(ports=[80, {"target": "81", "published": 8081}]) == {
        "ports": [{"target": 80}, {"target": 81, "published": "8081"}]
    }


def test_bad_port_is_a_config_error_with_path() -> None:
    with pytest.raises(ConfigError) as info:
        _svc(ports=["80-82:90-91"])
    assert str(info.value) == (
        "services.web.ports: invalid port range '80-82:90-91': host and container ranges differ in length"
    )


def test_volumes_short_syntax() -> None:
    assert parse_volume("db:/var/lib/db/") == {
        "source": "db", "target": "/var/lib/db", "type": "volume", "volume": {}
    }
    assert parse_volume("./src:/app:ro,z") == {
        "source": "./src", "target": "/app", "read_only": True, "type": "bind",
        "bind": {"selinux": "z", "create_host_path": True},
    }
    assert parse_volume("/cache") == {"target": "/cache", "type": "volume", "volume": {}}


def test_an_extra_host_with_several_addresses_is_one_entry_each_as_compose_go_reads_it() -> None:
    svc = _svc(extra_hosts=["multi=162.242.195.82,10.0.0.2", "old:[::1]", "v6=::2,[::3]"])
    assert svc["extra_hosts"] == ["multi=162.242.195.82", "multi=10.0.0.2", "old=::1", "v6=::2", "v6=::3"]


def test_service_fields_to_long_syntax() -> None:
    svc = _svc(
        command="sh -c 'echo hi'", environment=["A=1", "B"], labels={"x": True},
        depends_on=["db"], healthcheck={"test": "curl x", "interval": "90s"},
        secrets=["token"], configs=[{"source": "c", "mode": 0o440, "uid": 1}], expose=[3000],
        extra_hosts={"h": "1.2.3.4"}, env_file="a.env", networks=["front"], tmpfs="/run",
        devices=["/dev/x"], deploy={"resources": {"limits": {"memory": "50M", "cpus": "0.5"}}},
    )
    assert svc["command"] == ["sh", "-c", "echo hi"]
    assert svc["environment"] == {"A": "1", "B": None}
    assert svc["labels"] == {"x": "true"}
    assert svc["depends_on"] == {"db": {"condition": "service_started", "required": True}}
    assert svc["healthcheck"] == {"test": ["CMD-SHELL", "curl x"], "interval": "1m30s"}
    assert svc["secrets"] == [{"source": "token"}]
    assert svc["configs"] == [{"source": "c", "mode": "0440", "uid": "1"}]
    assert svc["expose"] == ["3000"]
    assert svc["extra_hosts"] == ["h=1.2.3.4"]
    assert svc["env_file"] == [{"path": "a.env", "required": True}]
    assert svc["networks"] == {"front": None}
    assert svc["tmpfs"] == ["/run"]
    assert svc["devices"] == [{"source": "/dev/x", "target": "/dev/x", "permissions": "rwm"}]
    assert svc["deploy"]["resources"]["limits"] == {"memory": "52428800", "cpus": 0.5}


def test_extensions_are_left_alone() -> None:
    assert canonicalize({"services": {"web": {"x-ports": "80"}}}) == {"services": {"web": {"x-ports": "80"}}}


def test_relative_paths_resolve_against_base_dir() -> None:
    model = canonicalize({
        "services": {"web": {"build": "app", "volumes": ["./data:/d", "~/c:/c", "named:/n"],
                             "env_file": "e.env"}},
        "secrets": {"s": {"file": "./s.txt"}},
    })
    out = resolve_paths(model, base_dir="/proj", home="/home/u")
    web = out["services"]["web"]
    assert web["build"] == {"context": "/proj/app"}
    assert [v.get("source") for v in web["volumes"]] == ["/proj/data", "/home/u/c", "named"]
    assert web["env_file"] == [{"path": "/proj/e.env", "required": True}]
    assert out["secrets"]["s"]["file"] == "/proj/s.txt"


def test_defaults_fill_names_networks_and_targets() -> None:
    model = canonicalize({
        "services": {"web": {"build": ".", "secrets": ["tok"], "ports": [{"target": 80}],
                             "network_mode": "service:db"}, "db": {"image": "pg"}},
        "volumes": {"data": None, "ext": {"external": True}},
    })
    out = set_defaults(model, project_name="p")
    assert out["services"]["web"]["build"] == {"context": ".", "dockerfile": "Dockerfile"}
    assert out["services"]["web"]["secrets"] == [{"source": "tok", "target": "/run/secrets/tok"}]
    assert out["services"]["web"]["ports"] == [{"mode": "ingress", "protocol": "tcp", "target": 80}]
    assert out["services"]["web"]["depends_on"] == {
        "db": {"condition": "service_started", "required": True, "restart": True}
    }
    assert "networks" not in out["services"]["web"]
    assert out["services"]["db"]["networks"] == {"default": None}
    assert out["networks"] == {"default": {"ipam": {}, "name": "p_default"}}
    assert out["volumes"] == {"data": {"name": "p_data"}, "ext": {"external": True, "name": "ext"}}
