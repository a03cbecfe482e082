from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compose_lite.errors import ConfigError, Position
from compose_lite.loader.parse import parse_yaml
from compose_lite.loader.schema import SCHEMA_PATH, PathKey, validate

F = "compose.yaml"


def errors(data: Any, **kwargs: Any) -> list[str]:
    return [str(e) for e in validate(data, file=F, **kwargs)]


def only(data: Any) -> ConfigError:
    found = validate(data, file=F)
    assert len(found) == 1, [str(e) for e in found]
    return found[0]


def service(**keys: Any) -> dict[str, Any]:
    return {"services": {"web": {"image": "nginx", **keys}}}


# --- the schema itself -------------------------------------------------------


def test_schema_is_valid_draft7() -> None:
    schema = json.loads(Path(SCHEMA_PATH).read_text())
    jsonschema.Draft7Validator.check_schema(schema)


def test_every_ref_points_at_a_definition() -> None:
    text = Path(SCHEMA_PATH).read_text()
    schema = json.loads(text)
    refs = {part.split('"')[0] for part in text.split('"$ref": "#/definitions/')[1:]}
    assert refs <= set(schema["definitions"])


SPEC_SERVICE_KEYS = [
    "annotations",
    "attach",
    "blkio_config",
    "build",
    "cap_add",
    "cap_drop",
    "cgroup",
    "cgroup_parent",
    "command",
    "configs",
    "container_name",
    "cpu_count",
    "cpu_percent",
    "cpu_shares",
    "cpu_quota",
    "cpu_period",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpus",
    "cpuset",
    "credential_spec",
    "depends_on",
    "deploy",
    "develop",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "domainname",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "extends",
    "external_links",
    "extra_hosts",
    "gpus",
    "group_add",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "ipc",
    "isolation",
    "labels",
    "label_file",
    "links",
    "logging",
    "mac_address",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "models",
    "network_mode",
    "networks",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "post_start",
    "pre_stop",
    "privileged",
    "profiles",
    "provider",
    "pull_policy",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "use_api_socket",
    "user",
    "userns_mode",
    "uts",
    "volumes",
    "volumes_from",
    "working_dir",
]

SPEC_BUILD_KEYS = [
    "context",
    "dockerfile",
    "dockerfile_inline",
    "args",
    "ssh",
    "labels",
    "cache_from",
    "cache_to",
    "no_cache",
    "additional_contexts",
    "network",
    "pull",
    "target",
    "shm_size",
    "extra_hosts",
    "isolation",
    "privileged",
    "secrets",
    "tags",
    "ulimits",
    "platforms",
    "entitlements",
    "provenance",
    "sbom",
]


def test_schema_knows_every_compose_service_and_build_key() -> None:
    definitions = json.loads(Path(SCHEMA_PATH).read_text())["definitions"]
    assert set(SPEC_SERVICE_KEYS) <= set(definitions["service"]["properties"])
    assert set(SPEC_BUILD_KEYS) <= set(definitions["build"]["anyOf"][1]["properties"])


FULL: dict[str, Any] = {
    "version": "3.8",
    "name": "demo",
    "include": ["other.yaml", {"path": ["a.yaml", "b.yaml"], "env_file": ".env", "project_directory": "."}],
    "x-common": {"anything": [1, 2]},
    "services": {
        "web": {
            "x-meta": {"owner": "me"},
            "annotations": {"a": "b"},
            "attach": False,
            "blkio_config": {
                "weight": 300,
                "device_read_bps": [{"path": "/dev/sda", "rate": "12mb"}],
                "weight_device": [{"path": "/dev/sda", "weight": 400}],
            },
            "build": {
                "context": ".",
                "dockerfile": "Dockerfile",
                "args": ["A=1"],
                "ssh": ["default"],
                "labels": {"l": "v"},
                "cache_from": ["a"],
                "cache_to": ["b"],
                "no_cache": True,
                "additional_contexts": {"base": "../base"},
                "network": "host",
                "pull": "true",
                "target": "dev",
                "shm_size": "2g",
                "extra_hosts": {"h": "1.2.3.4"},
                "isolation": "default",
                "privileged": False,
                "secrets": ["s"],
                "tags": ["t:1"],
                "ulimits": {"nofile": 1024},
                "platforms": ["linux/amd64"],
                "entitlements": ["network.host"],
                "provenance": True,
                "sbom": "true",
                "x-b": 1,
            },
            "cap_add": ["NET_ADMIN"],
            "cap_drop": ["ALL"],
            "cgroup": "private",
            "cgroup_parent": "p",
            "command": ["run", "--fast"],
            "configs": ["c", {"source": "c", "target": "/c", "uid": "1000", "gid": "1000", "mode": 0o440}],
            "container_name": "my-web.1",
            "cpu_count": 2,
            "cpu_percent": 50,
            "cpu_shares": 512,
            "cpu_quota": "50000",
            "cpu_period": 100000,
            "cpu_rt_period": "1400us",
            "cpu_rt_runtime": 950000,
            "cpus": 1.5,
            "cpuset": "0-3",
            "credential_spec": {"file": "spec.json"},
            "depends_on": {
                "db": {"condition": "service_healthy", "restart": True, "required": False},
                "cache": {"condition": "service_started"},
            },
            "deploy": {
                "mode": "replicated",
                "replicas": "2",
                "labels": ["a=b"],
                "endpoint_mode": "vip",
                "update_config": {"parallelism": 2, "delay": "10s", "order": "start-first"},
                "rollback_config": {"parallelism": 1, "failure_action": "pause", "max_failure_ratio": 0.1},
                "resources": {
                    "limits": {"cpus": "0.5", "memory": "512M", "pids": 100},
                    "reservations": {
                        "cpus": 0.25,
                        "memory": "256M",
                        "devices": [{"capabilities": ["gpu"], "driver": "nvidia", "count": "all"}],
                        "generic_resources": [{"discrete_resource_spec": {"kind": "SSD", "value": 1}}],
                    },
                },
                "restart_policy": {
                    "condition": "on-failure",
                    "delay": "5s",
                    "max_attempts": 3,
                    "window": "1m",
                },
                "placement": {"constraints": ["node.role==manager"], "preferences": [{"spread": "zone"}]},
                "x-d": True,
            },
            "develop": {
                "watch": [
                    {"path": "./src", "action": "sync", "target": "/app", "ignore": ["node_modules/"]},
                    {"path": "package.json", "action": "rebuild", "include": "*.json", "initial_sync": True},
                    {
                        "path": "conf",
                        "action": "sync+exec",
                        "target": "/etc/app",
                        "exec": {"command": "reload"},
                    },
                ],
                "x-w": 1,
            },
            "device_cgroup_rules": ["c 1:3 mr"],
            "devices": ["/dev/ttyUSB0:/dev/ttyUSB0", {"source": "/dev/sda", "target": "/dev/xvda"}],
            "dns": "8.8.8.8",
            "dns_opt": ["use-vc"],
            "dns_search": ["example.com"],
            "domainname": "example.com",
            "entrypoint": "/bin/sh -c",
            "env_file": [".env", {"path": "local.env", "required": False, "format": "raw"}],
            "environment": {"A": "1", "B": 2, "C": True, "D": None},
            "expose": [3000, "4000-4005"],
            "external_links": ["redis:cache"],
            "extra_hosts": ["somehost=162.242.195.82"],
            "gpus": "all",
            "group_add": ["mail", 42],
            "healthcheck": {
                "test": ["CMD", "curl", "-f", "http://localhost"],
                "interval": "1m30s",
                "timeout": "10s",
                "retries": 3,
                "start_period": "40s",
                "start_interval": "5s",
                "disable": False,
            },
            "hostname": "web",
            "init": True,
            "ipc": "shareable",
            "isolation": "default",
            "label_file": ["./labels"],
            "labels": ["com.example=1"],
            "links": ["db"],
            "logging": {"driver": "json-file", "options": {"max-size": "10m", "max-file": 3}},
            "mac_address": "02:42:ac:11:65:43",
            "mem_limit": "1g",
            "mem_reservation": 1073741824,
            "mem_swappiness": 60,
            "memswap_limit": -1,
            "models": ["llm"],
            "networks": {
                "front": {"aliases": ["w"], "ipv4_address": "172.16.238.10", "priority": 10},
                "back": None,
            },
            "oom_kill_disable": "false",
            "oom_score_adj": -500,
            "pid": None,
            "pids_limit": 10,
            "platform": "linux/amd64",
            "ports": [
                3000,
                "8080:80",
                "127.0.0.1:9000-9001:9000-9001/udp",
                {"target": 80, "published": "8081", "host_ip": "0.0.0.0", "protocol": "tcp", "mode": "host"},
                {"name": "web", "target": "443", "app_protocol": "https"},
            ],
            "post_start": [{"command": ["echo", "up"], "user": "root", "privileged": True}],
            "pre_stop": [{"command": "./drain.sh", "environment": ["A=1"], "working_dir": "/app"}],
            "privileged": False,
            "profiles": ["dev"],
            "pull_policy": "every_12h",
            "read_only": "true",
            "restart": "unless-stopped",
            "runtime": "runc",
            "scale": 2,
            "secrets": [{"source": "s", "target": "token", "mode": "0400"}],
            "security_opt": ["label:user:USER"],
            "shm_size": "64M",
            "stdin_open": True,
            "stop_grace_period": "1m30s",
            "stop_signal": "SIGUSR1",
            "storage_opt": {"size": "1G"},
            "sysctls": {"net.core.somaxconn": 1024},
            "tmpfs": ["/run", "/tmp"],
            "tty": True,
            "ulimits": {"nproc": 65535, "nofile": {"soft": 20000, "hard": "40000"}},
            "use_api_socket": False,
            "user": "1000:1000",
            "userns_mode": "host",
            "uts": "host",
            "volumes": [
                "./src:/app:ro",
                {
                    "type": "volume",
                    "source": "data",
                    "target": "/data",
                    "volume": {"nocopy": True, "subpath": "x"},
                },
                {
                    "type": "bind",
                    "source": ".",
                    "target": "/b",
                    "read_only": True,
                    "bind": {"propagation": "rshared", "create_host_path": True, "selinux": "z"},
                },
                {"type": "tmpfs", "target": "/t", "tmpfs": {"size": "64m", "mode": 1777}},
                {"type": "image", "source": "busybox", "target": "/img", "image": {"subpath": "bin"}},
            ],
            "volumes_from": ["db:ro"],
            "working_dir": "/app",
        },
        "db": {
            "image": "postgres",
            "extends": {"service": "base", "file": "base.yaml"},
            "provider": {"type": "model", "options": {"model": "ai/x", "flags": ["a", 1]}},
        },
        "cache": {
            "build": "./cache",
            "extends": "base",
            "depends_on": ["db"],
            "networks": ["back"],
            "gpus": [{"driver": "nvidia", "count": 1}],
            "env_file": "x.env",
            "command": None,
            "models": {"llm": {"endpoint_var": "URL"}},
        },
    },
    "networks": {
        "front": {
            "driver": "bridge",
            "driver_opts": {"com.docker.network.bridge.name": "br0", "mtu": 1500},
            "ipam": {
                "driver": "default",
                "config": [{"subnet": "172.16.238.0/24", "aux_addresses": {"h": "1.2.3.4"}}],
            },
            "internal": False,
            "attachable": "true",
            "enable_ipv6": True,
            "labels": {"a": "b"},
            "x-n": 1,
        },
        "back": None,
        "outside": {"external": True, "name": "real"},
    },
    "volumes": {
        "data": None,
        "old": {"external": {"name": "legacy"}},
        "local": {"driver": "local", "labels": ["a=b"]},
    },
    "secrets": {"s": {"file": "./s.txt"}, "t": {"environment": "TOKEN"}, "u": {"external": True}},
    "configs": {"c": {"content": "hello"}, "d": {"file": "./d.conf", "x-c": 1}},
    "models": {
        "llm": {"model": "ai/smollm2", "context_size": 4096, "runtime_flags": ["--verbose"], "x-any": 1}
    },
}


def test_a_file_using_every_feature_is_valid() -> None:
    assert errors(FULL) == []


def test_strings_left_by_interpolation_are_accepted_where_compose_casts() -> None:
    data = service(
        ports=["8080"],
        privileged="true",
        scale="3",
        cpus="0.5",
        mem_limit="1073741824",
        healthcheck={"retries": "3"},
        deploy={"replicas": "2"},
        ulimits={"nofile": "1024"},
    )
    assert errors(data) == []


def test_an_empty_file_body_and_x_extensions_only_are_valid() -> None:
    assert errors({}) == []
    assert errors({"x-anchors": {"a": 1}, "services": {}}) == []


# --- messages ----------------------------------------------------------------


def test_unknown_service_key_with_suggestion() -> None:
    err = only(service(enviroment={"A": "1"}))
    assert str(err) == "compose.yaml:1:1: services.web: additional property 'enviroment' is not allowed"
    assert err.path == "services.web"
    assert err.hint == "did you mean 'environment'?"


def test_unknown_key_lists_the_allowed_keys_when_few_and_nothing_is_close() -> None:
    err = only(service(healthcheck={"test": "true", "command": "x"}))
    assert err.message == "additional property 'command' is not allowed"
    assert err.hint == (
        "allowed keys: test, interval, timeout, retries, start_period, start_interval, disable"
    )


def test_unknown_key_without_close_match_among_many_keys_has_no_hint() -> None:
    assert only(service(zzzz=1)).hint is None


def test_unknown_top_level_key() -> None:
    err = only({"servces": {}})
    assert str(err) == "compose.yaml:1:1: additional property 'servces' is not allowed"
    assert err.path is None
    assert err.hint == "did you mean 'services'?"


def test_each_unknown_key_is_its_own_error() -> None:
    assert errors(service(imagee="x", portz=[])) == [
        "compose.yaml:1:1: services.web: additional property 'imagee' is not allowed",
        "compose.yaml:1:1: services.web: additional property 'portz' is not allowed",
    ]


def test_enum_lists_the_allowed_values_and_suggests() -> None:
    err = only(service(develop={"watch": [{"path": ".", "action": "synk"}]}))
    assert str(err) == (
        "compose.yaml:1:1: services.web.develop.watch[0].action: invalid value 'synk': "
        "must be one of: sync, rebuild, restart, sync+restart, sync+exec"
    )
    assert err.hint == "did you mean 'sync'?"


def test_enum_suggests_the_full_name_of_a_shortened_value() -> None:
    err = only(service(depends_on={"db": {"condition": "healthy"}}))
    assert err.path == "services.web.depends_on.db.condition"
    assert err.hint == "did you mean 'service_healthy'?"


def test_required_key() -> None:
    err = only(service(develop={"watch": [{"action": "sync"}]}))
    assert str(err) == "compose.yaml:1:1: services.web.develop.watch[0]: 'path' is required"


def test_each_missing_key_is_its_own_error() -> None:
    assert errors(service(develop={"watch": [{}]})) == [
        "compose.yaml:1:1: services.web.develop.watch[0]: 'path' is required",
        "compose.yaml:1:1: services.web.develop.watch[0]: 'action' is required",
    ]


def test_type_error_of_an_any_of_is_one_line_listing_every_accepted_type() -> None:
    err = only(service(ports=[["8080"]]))
    assert (
        str(err)
        == "compose.yaml:1:1: services.web.ports[0]: expected a string, number or mapping, got a list"
    )


@pytest.mark.parametrize(
    ("keys", "line"),
    [
        ({"build": 3}, "services.web.build: expected a string or mapping, got a number"),
        ({"depends_on": "db"}, "services.web.depends_on: expected a mapping or list, got a string"),
        (
            {"healthcheck": {"interval": 30}},
            "services.web.healthcheck.interval: expected a string, got a number",
        ),
        ({"privileged": ["x"]}, "services.web.privileged: expected a string or boolean, got a list"),
        ({"scale": 1.5}, "services.web.scale: expected a string or integer, got a number"),
        (
            {"environment": {"A": {"x": 1}}},
            "services.web.environment.A: expected a string, number, boolean or null, got a mapping",
        ),
        ({"image": None}, "services.web.image: expected a string, got null"),
        (
            {"networks": {"front": {"aliases": "w"}}},
            "services.web.networks.front.aliases: expected a list, got a string",
        ),
    ],
)
def test_type_errors(keys: dict[str, Any], line: str) -> None:
    assert errors(service(**keys)) == [f"compose.yaml:1:1: {line}"]


def test_errors_inside_the_long_form_of_an_any_of_are_reported_not_the_any_of() -> None:
    assert errors(service(ports=[{"target": 80, "publised": 8080}])) == [
        "compose.yaml:1:1: services.web.ports[0]: additional property 'publised' is not allowed"
    ]
    assert errors(service(build={"context": ".", "dockerfil": "D"})) == [
        "compose.yaml:1:1: services.web.build: additional property 'dockerfil' is not allowed"
    ]
    assert errors(service(volumes=[{"source": "data", "target": "/d"}])) == [
        "compose.yaml:1:1: services.web.volumes[0]: 'type' is required"
    ]


def test_root_must_be_a_mapping() -> None:
    assert errors(["a"]) == ["compose.yaml:1:1: expected a mapping, got a list"]
    assert errors(None) == ["compose.yaml:1:1: expected a mapping, got null"]


def test_invalid_names() -> None:
    err = only({"services": {"my web": {"image": "x"}}})
    assert str(err) == (
        "compose.yaml:1:1: services: invalid key 'my web': "
        "a name may contain only letters, digits, '.', '_' and '-'"
    )
    assert errors(service(ulimits={"NOFILE": 1})) == [
        "compose.yaml:1:1: services.web.ulimits: invalid key 'NOFILE': "
        "ulimit names are lowercase letters, such as nofile"
    ]


def test_pattern_with_a_described_rule() -> None:
    assert errors(service(pull_policy="sometimes")) == [
        "compose.yaml:1:1: services.web.pull_policy: invalid value 'sometimes': "
        "must be one of: always, never, missing, if_not_present, build, refresh, daily, weekly, "
        "every_<duration>"
    ]


def test_bounds_and_duplicates() -> None:
    assert errors(service(cpu_percent=150, ports=["80:80", "81:81", "80:80"])) == [
        "compose.yaml:1:1: services.web.cpu_percent: must be at most 100, got 150",
        "compose.yaml:1:1: services.web.ports[2]: duplicate entry '80:80'",
    ]
    assert errors(service(oom_score_adj=-2000)) == [
        "compose.yaml:1:1: services.web.oom_score_adj: must be at least -1000, got -2000"
    ]


# --- positions and order -----------------------------------------------------


def pos(line: int, col: int) -> Position:
    return Position(F, line, col)


def test_position_of_the_offending_node_or_its_nearest_ancestor() -> None:
    data = {"services": {"web": {"image": "x", "ports": [["1"], "2"], "tty": []}}}
    positions: dict[PathKey, Position] = {
        (): pos(1, 1),
        ("services",): pos(2, 3),
        ("services", "web"): pos(3, 5),
        ("services", "web", "ports"): pos(5, 7),
        ("services", "web", "ports", 0): pos(5, 9),
    }
    found = validate(data, file=F, positions=positions)
    assert [(e.path, e.position) for e in found] == [
        ("services.web.tty", pos(3, 5)),  # no position of its own: the service's
        ("services.web.ports[0]", pos(5, 9)),
    ]


def test_key_errors_point_at_the_key_when_its_position_is_known() -> None:
    data = service(enviroment={})
    positions: dict[PathKey, Position] = {
        (): pos(1, 1),
        ("services", "web"): pos(3, 5),
        ("services", "web", "enviroment"): pos(4, 17),
    }
    key_positions: dict[PathKey, Position] = {("services", "web", "enviroment"): pos(4, 5)}
    assert validate(data, file=F, positions=positions, key_positions=key_positions)[0].position == pos(4, 5)
    # without key positions: the value's position
    assert validate(data, file=F, positions=positions)[0].position == pos(4, 17)


def test_shallower_errors_come_first_then_document_order() -> None:
    data = {
        "services": {
            "web": {"image": "x", "ports": [[1]], "tty": []},
            "db": {"image": "y", "imagee": "z"},
        },
        "volumez": {},
    }
    positions: dict[PathKey, Position] = {
        ("services", "web", "ports", 0): pos(4, 9),
        ("services", "web", "tty"): pos(5, 10),
        ("services", "db"): pos(6, 3),
        ("volumez",): pos(9, 1),
    }
    assert [e.path for e in validate(data, file=F, positions=positions)] == [
        None,
        "services.db",
        "services.web.tty",
        "services.web.ports[0]",
    ]


# --- cost --------------------------------------------------------------------


def test_importing_the_module_does_not_import_jsonschema() -> None:
    code = "import sys, compose_lite.loader.schema; print('jsonschema' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- with the parse stage ----------------------------------------------------


def test_errors_of_a_parsed_file_point_at_the_yaml_source() -> None:
    text = (
        "services:\n"
        "  web:\n"
        "    image: nginx\n"
        "    enviroment:\n"
        "      A: '1'\n"
        "    ports:\n"
        "      - [8080]\n"
        "    develop:\n"
        "      watch:\n"
        "        - action: synk\n"
        "          path: ./src\n"
    )
    doc = parse_yaml(text, F)
    found = validate(doc.data, file=F, positions=doc.positions, key_positions=doc.key_positions)
    assert [str(e) for e in found] == [
        "compose.yaml:4:5: services.web: additional property 'enviroment' is not allowed",
        "compose.yaml:7:9: services.web.ports[0]: expected a string, number or mapping, got a list",
        "compose.yaml:10:19: services.web.develop.watch[0].action: invalid value 'synk': "
        "must be one of: sync, rebuild, restart, sync+restart, sync+exec",
    ]


def test_reset_keys_are_skipped_and_override_values_are_checked() -> None:
    doc = parse_yaml("services:\n  web:\n    ports: !reset null\n    tty: !override [1]\n", F)
    assert [str(e) for e in validate(doc.data, file=F, positions=doc.positions)] == [
        "compose.yaml:4:10: services.web.tty: expected a string or boolean, got a list"
    ]


def test_long_depends_on_needs_a_condition_like_compose() -> None:
    assert errors(service(depends_on={"db": {"restart": True}})) == [
        "compose.yaml:1:1: services.web.depends_on.db: 'condition' is required"
    ]


KEYS = st.sampled_from(
    ["services", "web", "ports", "build", "develop", "watch", "path", "action", "x-a", "zz", ""]
)
TREES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(tree=TREES)
def test_any_tree_gives_errors_never_a_crash(tree: Any) -> None:
    for data in (
        tree,
        {"services": {"web": tree}},
        service(build=tree, ports=[tree], develop={"watch": [tree]}),
    ):
        for err in validate(data, file=F):
            assert isinstance(err, ConfigError)
            assert err.message
