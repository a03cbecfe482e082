"""One rich file created by `cl` and by Docker Compose: the engine's view of the containers is the
same, field by field (ids, generated hostnames, our own labels and the tools' versions aside)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.differential.reference import required_reference
from tests.integration.cl_helpers import cl, write
from tests.integration.conftest import remove_project_resources

COMPOSE = """
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    entrypoint: ["/bin/sh", "-c", "exec \\"$$@\\"", "--"]
    working_dir: /srv
    user: "1000:1000"
    hostname: apphost
    domainname: example.com
    environment: {A: "1", B: x}
    labels: {tier: app}
    ports: ["127.0.0.1::80", "127.0.0.1::81/udp"]
    expose: ["3000", "4000-4001"]
    volumes:
      - data:/data
      - ./src:/src:ro
      - {type: tmpfs, target: /cache, tmpfs: {size: 1m, mode: 0755}}
      - /anon
    tmpfs: ["/run:size=1m,noexec"]
    extra_hosts: ["b.local:127.0.0.2"]
    dns: [127.0.0.53]
    dns_search: [example.com]
    dns_opt: ["ndots:2"]
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    security_opt: ["no-new-privileges:true", "seccomp=./seccomp.json", "systempaths=unconfined"]
    sysctls: {net.core.somaxconn: 1024}
    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
    init: true
    read_only: true
    tty: true
    stdin_open: true
    stop_signal: SIGINT
    stop_grace_period: 7s
    restart: on-failure:3
    healthcheck: {test: ["CMD", "true"], interval: 5s, timeout: 2s, retries: 4, start_period: 1s}
    logging: {driver: json-file, options: {max-size: 1m, max-file: "2"}}
    mem_limit: 64m
    mem_reservation: 32m
    memswap_limit: 128m
    cpus: 0.5
    cpu_shares: 512
    pids_limit: 100
    shm_size: 16m
    oom_score_adj: 100
    group_add: ["mail"]
    devices: ["/dev/null:/dev/mynull:rwm", "vendor.example/gpu=card0"]
    secrets: [token]
    networks:
      default:
      back:
        aliases: [api]
        link_local_ips: ["169.254.10.10"]
        driver_opts: {com.example.endpoint: "1"}
        gw_priority: 1
    depends_on: [db]
  db:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    networks: [back]
    ipc: shareable
volumes:
  data: {labels: {purpose: t}}
networks:
  back: {labels: {n: b}}
secrets:
  token: {file: ./token.txt}
"""
MORE_KEYS = """
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    annotations: {com.example.a: "1"}
    blkio_config:
      weight: 300
      device_read_bps: [{path: /dev/null, rate: 1mb}]
      device_write_iops: [{path: /dev/null, rate: 100}]
    cpu_period: 100000
    cpu_quota: 50000
    cpuset: "0"
    mem_swappiness: 10
    oom_kill_disable: true
    userns_mode: host
    cgroup_parent: /clparent
    cgroup: private
    mac_address: 02:42:ac:11:00:99
    labels: [a=b]
    label_file: l.env
    device_cgroup_rules: ["c 1:3 mr"]
    stop_signal: SIGUSR1
    healthcheck: {test: "true", interval: 3s, start_period: 2s}
    volumes_from: [db]
    links: [db:database]
    cap_add: [ALL]
    extra_hosts: {x.local: 127.0.0.9}
    environment: [A, B=, C=c]
    env_file: [e.env]
    volumes:
      - {type: volume, source: named, target: /n, volume: {nocopy: true}}
      - type: bind
        source: ./dir
        target: /b
        bind: {create_host_path: false, propagation: rslave}
        read_only: true
      - {type: bind, source: ./src, target: /nr, bind: {recursive: disabled}}
  db:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    volumes: [/dbdata]
volumes:
  named:
    driver_opts: {type: tmpfs, device: tmpfs, o: size=1m}
networks:
  default:
    driver_opts: {com.docker.network.driver.mtu: "1400"}
    attachable: true
"""
DEPLOY_AND_FILES = """
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    deploy:
      resources:
        limits: {cpus: "0.25", memory: 48m, pids: 50}
        reservations: {memory: 16m}
      restart_policy: {condition: on-failure, max_attempts: 2}
    ports:
      - "127.0.0.1:18411-18412:80-81"
      - {target: 90, host_ip: 127.0.0.1, protocol: tcp, app_protocol: http, name: web}
    configs:
      - source: inline
        target: /etc/inline.conf
      - source: fromenv
        mode: 0440
    secrets:
      - source: envsecret
        target: /run/secrets/custom
        uid: "1000"
    privileged: true
    uts: host
    pid: host
    runtime: runc
    platform: linux/amd64
    stop_grace_period: 1m30s
    environment:
      HTTP_PROXY: ""
    entrypoint: /bin/sh -c 'exec "$$@"' --
    external_links: [other:alias]
  tools:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    use_api_socket: true
  none:
    image: cl-busybox
    command: ["sleep", "1"]
    network_mode: none
    restart: unless-stopped
    scale: 2
configs:
  inline: {content: "key=${A}"}
  fromenv: {environment: A}
secrets:
  envsecret: {environment: A}
"""
# Differ by nature: ids, generated hostnames, the tool's version, hashes of the project name.
IGNORED = (
    "Hostname",
    "Image",
    "VolumesFrom",  # the other container's id
    "com.docker.compose.version",
    "io.compose-lite",
    "com.docker.compose.project",
    "com.docker.compose.config-hash",
    "com.docker.compose.image",
)


def _view(client: Any, name: str, project: str) -> dict[str, Any]:
    attrs = client.containers.get(name).attrs
    text = json.dumps(
        {
            "Config": attrs["Config"],
            "HostConfig": attrs["HostConfig"],
            "Aliases": {
                n.replace(project, "P"): sorted(a for a in v.get("Aliases") or [] if len(a) != 12)
                for n, v in attrs["NetworkSettings"]["Networks"].items()
            },
            "Endpoints": {
                n.replace(project, "P"): {"IPAMConfig": v.get("IPAMConfig"),
                                          "DriverOpts": v.get("DriverOpts"),
                                          "Links": sorted(v.get("Links") or [])}  # the engine's order
                for n, v in attrs["NetworkSettings"]["Networks"].items()
            },
        }
    )
    view = json.loads(text.replace(project, "P"))
    # lists Compose builds from Go maps come in random order
    view["Config"]["Env"] = sorted(view["Config"]["Env"] or [])
    view["HostConfig"]["Ulimits"] = sorted(view["HostConfig"]["Ulimits"] or [], key=lambda u: u["Name"])
    if view["HostConfig"].get("Binds"):  # Compose collects them from a map as well (seen in CI)
        view["HostConfig"]["Binds"] = sorted(view["HostConfig"]["Binds"])
    mounts = view["HostConfig"].pop("Mounts", None) or []
    view["Mounts"] = sorted(
        ({k: v for k, v in m.items() if v not in ({}, None)} for m in mounts), key=lambda m: m["Target"]
    )
    return view


def _differences(ours: Any, theirs: Any, path: str = "") -> list[str]:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return [
            d
            for k in sorted(set(ours) | set(theirs))
            if not any(i in k for i in IGNORED)
            for d in _differences(ours.get(k), theirs.get(k), f"{path}.{k}")
        ]
    return [] if ours == theirs else [f"{path}: cl {json.dumps(ours)}, Compose {json.dumps(theirs)}"]


@pytest.mark.parametrize("text", [COMPOSE, MORE_KEYS, DEPLOY_AND_FILES],
                         ids=["common-keys", "more-keys", "deploy-and-files"])
def test_containers_are_the_ones_compose_creates(
    docker_client: Any, project_name: str, tmp_path: Path, text: str
) -> None:
    write(tmp_path, text)
    for directory in ("src", "dir"):
        (tmp_path / directory).mkdir()
    (tmp_path / "token.txt").write_text("t\n")
    (tmp_path / "seccomp.json").write_text('{\n  "defaultAction": "SCMP_ACT_ALLOW"\n}\n')
    (tmp_path / "l.env").write_text("L1=v\n")
    (tmp_path / "e.env").write_text("E1=e\n")
    cl(project_name, tmp_path, "create", env={"A": "from-shell"})
    reference = required_reference()
    theirs = f"{project_name}-ref"
    try:
        subprocess.run(
            [*reference, "-p", theirs, "create"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            timeout=120,
            env={**os.environ, "A": "from-shell"},
        )
        for service in yaml.safe_load(text)["services"]:
            ours_view = _view(docker_client, f"{project_name}-{service}-1", project_name)
            theirs_view = _view(docker_client, f"{theirs}-{service}-1", theirs)
            assert _differences(ours_view, theirs_view) == [], service
    finally:
        remove_project_resources(docker_client, theirs)
