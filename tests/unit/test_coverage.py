"""The key-coverage contract (loader.coverage): every schema key is named, and every key said to be
applied changes what the Docker adapter sends to the engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docker
import pytest

from compose_lite.engine.docker_request import create_config
from compose_lite.loader import coverage
from compose_lite.loader.bind import bind
from compose_lite.loader.pipeline import load
from compose_lite.loader.request import LoadRequest
from compose_lite.planner import Desired, container_spec

SCHEMA = json.loads((Path(__file__).parents[2] / "schemas" / "compose.schema.json").read_text())

# One value per applied key: what a user writes (top-level resources it needs are always declared).
SAMPLES: dict[str, str] = {
    "blkio_config": "{weight: 300}",
    "cap_add": "[NET_ADMIN]",
    "cap_drop": "[MKNOD]",
    "cgroup": "private",
    "cgroup_parent": "/p",
    "command": "[run]",
    "configs": "[conf]",
    "container_name": "named",
    "cpu_period": "100000",
    "cpu_quota": "50000",
    "cpu_rt_period": "1000",
    "cpu_rt_runtime": "500",
    "cpu_shares": "512",
    "cpus": "0.5",
    "cpuset": "'0'",
    "deploy": "{resources: {limits: {memory: 64m}}}",
    "device_cgroup_rules": "['c 1:3 mr']",
    "devices": "[/dev/null:/dev/n]",
    "dns": "[127.0.0.53]",
    "dns_opt": "['ndots:2']",
    "dns_search": "[example.com]",
    "domainname": "example.com",
    "entrypoint": "[/bin/sh]",
    "env_file": "[app.env]",
    "environment": "{A: '1'}",
    "expose": "['3000']",
    "external_links": "[other:alias]",
    "extra_hosts": "['h:127.0.0.2']",
    "gpus": "all",
    "group_add": "[mail]",
    "healthcheck": "{test: [CMD, 'true']}",
    "hostname": "h",
    "image": "other",
    "init": "true",
    "ipc": "host",
    "label_file": "[app.env]",
    "labels": "{a: b}",
    "links": "[db]",
    "logging": "{driver: local}",
    "mac_address": "02:42:ac:11:00:99",
    "mem_limit": "64m",
    "mem_reservation": "32m",
    "mem_swappiness": "10",
    "memswap_limit": "128m",
    "network_mode": "host",
    "networks": "[back]",
    "oom_kill_disable": "true",
    "oom_score_adj": "100",
    "pid": "host",
    "pids_limit": "100",
    "platform": "linux/arm64",
    "ports": "['80']",
    "privileged": "true",
    "read_only": "true",
    "restart": "always",
    "runtime": "runc",
    "secrets": "[token]",
    "security_opt": "['no-new-privileges:true']",
    "shm_size": "16m",
    "stdin_open": "true",
    "stop_grace_period": "7s",
    "stop_signal": "SIGINT",
    "storage_opt": "{size: 1G}",
    "sysctls": "{net.core.somaxconn: 1024}",
    "tmpfs": "[/run]",
    "tty": "true",
    "ulimits": "{nproc: 512}",
    "use_api_socket": "true",
    "user": "'1000'",
    "userns_mode": "host",
    "uts": "host",
    "volumes": "[data:/data]",
    "volumes_from": "['container:other']",
    "working_dir": "/srv",
}
PROJECT = """
services:
  web:
{extra}
  db:
    image: img
networks: {{back: {{}}}}
volumes: {{data: {{}}}}
secrets: {{token: {{file: ./token.txt}}}}
configs: {{conf: {{file: ./token.txt}}}}
"""


def _schema_keys(definition: str) -> set[str]:
    return set(SCHEMA["definitions"][definition]["properties"])


def test_every_service_key_of_the_schema_is_in_the_contract() -> None:
    assert _schema_keys("service") == set(coverage.SERVICE_KEYS)


def test_every_deploy_key_of_the_schema_is_in_the_contract() -> None:
    assert _schema_keys("deploy") == set(coverage.DEPLOY_KEYS)


def test_every_applied_key_has_a_sample() -> None:
    applied = {k for k, v in coverage.SERVICE_KEYS.items() if v == coverage.APPLIED}
    assert applied == set(SAMPLES)


def _request_body(tmp_path: Path, extra: str) -> dict[str, Any]:
    image = "" if extra.strip().startswith("image:") else "    image: img\n"
    (tmp_path / "compose.yaml").write_text(PROJECT.format(extra=image + extra))
    (tmp_path / "token.txt").write_text("t\n")
    (tmp_path / "app.env").write_text("X=1\n")
    loaded = load(LoadRequest(cwd=str(tmp_path), environ={"HOME": "/h"}, project_name="p"))
    project = bind(loaded.model, working_dir=loaded.working_dir, environment=loaded.environment)
    svc = project.services["web"]
    desired = Desired(project, {n: s.image or "img" for n, s in project.services.items()}, {}, str(tmp_path))
    spec = container_spec(desired, svc, 1, svc.container_name or "p-web-1", "hash", "{}")
    api = docker.APIClient(base_url="unix:///nonexistent.sock", version="1.41")  # never connects
    body = create_config(spec, api)
    body["Labels"] = {k: v for k, v in body["Labels"].items() if "config-hash" not in k}
    # what create_container_from_config takes besides the body: the name and the platform
    return {**body, "files": [f.target for f in spec.files], "name": spec.name, "platform": svc.platform}


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_an_applied_key_changes_the_engine_request(tmp_path: Path, key: str) -> None:
    baseline = _request_body(tmp_path, "")
    assert _request_body(tmp_path, f"    {key}: {SAMPLES[key]}") != baseline, f"{key} reached no engine field"


def test_the_features_page_lists_every_key_without_effect() -> None:
    page = (Path(__file__).parents[2] / "docs" / "compose-features.md").read_text()
    ignored = [k for k in coverage.SERVICE_KEYS if coverage.reason(k)]
    ignored += [f"deploy.{k}" for k in coverage.DEPLOY_KEYS if coverage.reason(k, coverage.DEPLOY_KEYS)]
    assert [k for k in ignored if f"| `{k}` |" not in page] == []


BUILD_SAMPLES: dict[str, Any] = {
    "context": "./other", "dockerfile": "web.Dockerfile", "dockerfile_inline": "FROM x", "args": {"A": "1"},
    "target": "prod", "labels": {"l": "v"}, "network": "host", "shm_size": "64m",
    "extra_hosts": ["h=1.2.3.4"], "no_cache": True, "pull": True, "tags": ["extra:1"],
    "cache_from": ["type=local,src=/c"], "isolation": "default", "secrets": ["token"],
    "ssh": {"default": None},
    "platforms": ["linux/amd64"], "ulimits": {"nofile": {"soft": 1024, "hard": 2048}},
    "cache_to": ["type=local,dest=/c"], "additional_contexts": {"base": "docker-image://x"},
    "entitlements": ["network.host"], "privileged": True, "provenance": "mode=max", "sbom": True,
}


def test_every_build_key_of_the_schema_is_in_the_contract_and_reaches_the_build() -> None:
    from compose_lite.engine.buildkit import BuildCli, argv
    from compose_lite.loader.bind import _build
    from compose_lite.model import FileObject

    def line(raw: dict[str, Any]) -> list[str]:
        build = _build(raw, "/w", {"token": FileObject("token", "p_token", file="/w/token.txt")})
        return argv(BuildCli("docker", "buildx"), "t", build, {}, "/i", {})

    [long_syntax] = [form for form in SCHEMA["definitions"]["build"]["anyOf"] if form["type"] == "object"]
    assert set(long_syntax["properties"]) == set(coverage.BUILD_KEYS) == set(BUILD_SAMPLES)
    baseline = line({"context": "."})
    unchanged = [key for key, value in BUILD_SAMPLES.items()
                 if line({"context": ".", key: value}) == baseline]
    assert unchanged == []


@pytest.mark.parametrize("kind", ["network", "volume", "secret", "config"])
def test_every_top_level_resource_key_of_the_schema_is_in_the_contract(kind: str) -> None:
    assert _schema_keys(kind) == set(coverage.RESOURCE_KEYS[f"{kind}s"])


def test_resource_keys_without_effect_are_warned_about_by_every_command_that_creates() -> None:
    from compose_lite import app
    from compose_lite.loader.bind import bind

    model = {
        "name": "p",
        "services": {"web": {"image": "x", "secrets": [{"source": "s"}]}},
        "networks": {"v6only": {"enable_ipv4": False}, "plain": {"enable_ipv4": True}},
        "secrets": {"s": {"file": "/s", "driver": "vault", "labels": {"a": "b"}}},
    }
    warned = app.unsupported_warnings(bind(model, working_dir="/w"))
    assert warned == [
        "networks.v6only: 'enable_ipv4' is ignored (turning IPv4 off needs Engine API 1.48 (Docker 28))",
        "secrets.s: 'driver' is ignored (Swarm's: here a secret or config is a file in the container)",
        "secrets.s: 'labels' is ignored (Swarm's: here a secret or config is a file in the container)",
    ]


def test_ipam_pool_aux_addresses_and_options_are_bound() -> None:
    from compose_lite.loader.bind import bind

    model = {"name": "p", "services": {"web": {"image": "x", "networks": {"n": None}}},
             "networks": {"n": {"ipam": {"driver": "default", "options": {"o": "1"}, "config": [
                 {"subnet": "10.9.0.0/24", "aux_addresses": {"host1": "10.9.0.5"}}]}}}}
    net = bind(model, working_dir="/w").networks["n"]
    assert net.ipam_options == {"o": "1"} and net.ipam_config[0].aux_addresses == {"host1": "10.9.0.5"}
