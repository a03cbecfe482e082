"""``config --no-interpolate`` prints compose-go's raw model (LoadModel); the expected texts are
Docker Compose 2.40.3's."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from compose_lite.cli import cli

COMPOSE = """\
services:
  web:
    image: nginx
    ports: ["${PORT:-8080}:80", 90]
    command: echo hi
    environment: [A=1, B]
    volumes: ["./data:/data:ro", "named:/x"]
    depends_on: [db]
    secrets: [s]
    dns: 8.8.8.8
    healthcheck:
      test: curl x
    labels: [a=b]
    expose: [80]
    mem_limit: 1g
    profiles: [off]
  db:
    image: pg
    ports: ["127.0.0.1:5432:5432/udp"]
    networks: [back]
    build:
      context: .
      args: [A, B=1]
    links: [web]
    volumes_from: [web]
    gpus: all
    depends_on:
      web: {condition: service_healthy}
networks:
  back:
    external: {name: foo}
volumes:
  named:
  unused:
secrets:
  s:
    file: ./s.txt
"""

# Only compose-go's transformers apply (a port it cannot parse keeps the list as written; command,
# environment, healthcheck, labels, expose, mem_limit as written); Normalize's defaults follow; no
# profiles, no consistency check (links + depends_on is a cycle), unused resources kept, bare build
# args dropped.
EXPECTED = """\
name: demo
networks:
  back:
    external: true
    name: foo
  default:
    name: demo_default
secrets:
  s:
    file: {dir}/s.txt
    name: demo_s
services:
  db:
    build:
      args:
        - B=1
      context: {dir}
      dockerfile: Dockerfile
    depends_on:
      web:
        condition: service_healthy
        required: true
    gpus:
      - count: all
    image: pg
    links:
      - web
    networks:
      back: null
    ports:
      - host_ip: 127.0.0.1
        mode: ingress
        protocol: udp
        published: "5432"
        target: 5432
    volumes_from:
      - web
  web:
    command: echo hi
    depends_on:
      db:
        condition: service_started
        required: true
    dns:
      - 8.8.8.8
    environment:
      - A=1
      - B
    expose:
      - 80
    healthcheck:
      test: curl x
    image: nginx
    labels:
      - a=b
    mem_limit: 1g
    networks:
      default: null
    ports:
      - ${PORT:-8080}:80
      - 90
    profiles:
      - "off"
    secrets:
      - source: s
        target: /run/secrets/s
    volumes:
      - bind:
          create_host_path: true
        read_only: true
        source: {dir}/data
        target: /data
        type: bind
      - source: named
        target: /x
        type: volume
        volume: {}
volumes:
  named:
    name: demo_named
  unused:
    name: demo_unused
"""


def test_no_interpolate_prints_the_raw_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "s.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["-p", "demo", "config", "--no-interpolate"],
                                env={"HOME": "/home/u", "A": "1"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EXPECTED.replace("{dir}", str(tmp_path))
