"""`cl config`'s text, byte for byte as Docker Compose 2.40.3 prints it (expected texts taken from
`docker compose -p demo config [--format json]` on COMPOSE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from compose_lite.cli import cli
from compose_lite.cli.config_layout import arrange, go_yaml_float, yaml_quotes

COMPOSE = r"""services:
  web:
    image: nginx:1.27
    build:
      context: .
      target: prod
      args: {b: "2", A: "1"}
    command: ["sh", "-c", "test -f /a && echo <ok>"]
    ports: ["8080:80", "127.0.0.1:9000:9000/udp"]
    volumes: ["/srv/data:/data:ro", "cache:/cache"]
    environment:
      DEBUG: "yes"
      PORT: "8080"
      EMPTY: ""
      UNSET_LAYOUT:
      MOTD: "hello\nworld\n"
    labels:
      a10: x
      a9: x
      _b: x
      Z: x
    healthcheck:
      test: ["CMD", "true"]
      interval: 10s
      timeout: 5s
      retries: 3
    deploy:
      resources:
        limits: {cpus: "1", memory: 1G}
    depends_on: [db]
    models: [m]
    x-note: {b: 1, a: 2}
  db:
    image: postgres
    entrypoint: []
volumes:
  cache: {}
models:
  m: {model: ai/smollm2}
x-top: "$$x"
"""

# Fields in compose-go's struct order, maps in yaml.v3's order (digit runs as numbers, "_" before
# letters), sequences indented under their key, strings quoted only where they would read back as
# another type, a multi-line string as a literal block, extensions after the fields.
EXPECTED_YAML = """\
name: demo
services:
  db:
    entrypoint: []
    image: postgres
    networks:
      default: null
  web:
    build:
      context: {dir}
      dockerfile: Dockerfile
      args:
        A: "1"
        b: "2"
      target: prod
    command:
      - sh
      - -c
      - test -f /a && echo <ok>
    depends_on:
      db:
        condition: service_started
        required: true
    deploy:
      resources:
        limits:
          cpus: 1
          memory: "1073741824"
    environment:
      DEBUG: "yes"
      EMPTY: ""
      MOTD: |
        hello
        world
      PORT: "8080"
      UNSET_LAYOUT: null
    healthcheck:
      test:
        - CMD
        - "true"
      timeout: 5s
      interval: 10s
      retries: 3
    image: nginx:1.27
    labels:
      _b: x
      Z: x
      a9: x
      a10: x
    models:
      m: null
    networks:
      default: null
    ports:
      - mode: ingress
        target: 80
        published: "8080"
        protocol: tcp
      - mode: ingress
        host_ip: 127.0.0.1
        target: 9000
        published: "9000"
        protocol: udp
    volumes:
      - type: bind
        source: /srv/data
        target: /data
        read_only: true
        bind:
          create_host_path: true
      - type: volume
        source: cache
        target: /cache
        volume: {{}}
    x-note:
      a: 2
      b: 1
networks:
  default:
    name: demo_default
volumes:
  cache:
    name: demo_cache
models:
  m:
    model: ai/smollm2
x-top: $$x
"""

# Top level and maps sorted bytewise; unset ShellCommands as null and struct values as {}; <, >, &
# escaped; extensions below the top level and the models dropped; no final newline.
EXPECTED_JSON = r"""{{
  "name": "demo",
  "networks": {{
    "default": {{
      "name": "demo_default",
      "ipam": {{}}
    }}
  }},
  "services": {{
    "db": {{
      "command": null,
      "entrypoint": [],
      "image": "postgres",
      "networks": {{
        "default": null
      }}
    }},
    "web": {{
      "build": {{
        "context": "{dir}",
        "dockerfile": "Dockerfile",
        "args": {{
          "A": "1",
          "b": "2"
        }},
        "target": "prod"
      }},
      "command": [
        "sh",
        "-c",
        "test -f /a \u0026\u0026 echo \u003cok\u003e"
      ],
      "depends_on": {{
        "db": {{
          "condition": "service_started",
          "required": true
        }}
      }},
      "deploy": {{
        "resources": {{
          "limits": {{
            "cpus": 1,
            "memory": "1073741824"
          }}
        }},
        "placement": {{}}
      }},
      "entrypoint": null,
      "environment": {{
        "DEBUG": "yes",
        "EMPTY": "",
        "MOTD": "hello\nworld\n",
        "PORT": "8080",
        "UNSET_LAYOUT": null
      }},
      "healthcheck": {{
        "test": [
          "CMD",
          "true"
        ],
        "timeout": "5s",
        "interval": "10s",
        "retries": 3
      }},
      "image": "nginx:1.27",
      "labels": {{
        "Z": "x",
        "_b": "x",
        "a10": "x",
        "a9": "x"
      }},
      "models": {{
        "m": null
      }},
      "networks": {{
        "default": null
      }},
      "ports": [
        {{
          "mode": "ingress",
          "target": 80,
          "published": "8080",
          "protocol": "tcp"
        }},
        {{
          "mode": "ingress",
          "host_ip": "127.0.0.1",
          "target": 9000,
          "published": "9000",
          "protocol": "udp"
        }}
      ],
      "volumes": [
        {{
          "type": "bind",
          "source": "/srv/data",
          "target": "/data",
          "read_only": true,
          "bind": {{
            "create_host_path": true
          }}
        }},
        {{
          "type": "volume",
          "source": "cache",
          "target": "/cache",
          "volume": {{}}
        }}
      ]
    }}
  }},
  "volumes": {{
    "cache": {{
      "name": "demo_cache"
    }}
  }},
  "x-top": "$$x"
}}"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _config(project: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-p", "demo", "config", *args],
                                env={"HOME": str(project), "CL_NO_CACHE": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_yaml_text_is_composes(project: Path) -> None:
    assert _config(project) == EXPECTED_YAML.format(dir=project)


def test_json_text_is_composes(project: Path) -> None:
    assert _config(project, "--format", "json") == EXPECTED_JSON.format(dir=project)


def test_unset_fields_per_writer() -> None:
    watch = {"watch": [{"path": "/a", "action": "sync"}]}
    service = {"image": "i", "develop": watch, "deploy": {"replicas": 1}, "x-e": 1}
    model = {"name": "p", "services": {"s": service},
             "networks": {"n": {"name": "p_n"}}, "models": {"m": {}}}
    json_tree = arrange(model, "json")
    service = json_tree["services"]["s"]
    assert list(service) == ["develop", "command", "deploy", "entrypoint", "image"]
    assert service["develop"]["watch"] == [{"path": "/a", "action": "sync", "exec": {"command": None}}]
    assert service["deploy"] == {"replicas": 1, "resources": {}, "placement": {}}
    assert json_tree["networks"] == {"n": {"name": "p_n", "ipam": {}}} and "models" not in json_tree
    yaml_tree = arrange({**model, **json_tree}, "yaml")  # what JSON prints unset, YAML leaves out
    assert yaml_tree["services"]["s"] == {"develop": watch, "deploy": {"replicas": 1}, "image": "i"}
    assert yaml_tree["networks"] == {"n": {"name": "p_n"}}


def test_extensions_follow_the_fields_in_yaml() -> None:
    service = {"x-b": 1, "x-a": 2, "image": "i", "build": {"x-z": 0, "context": "."}}
    model = {"services": {"s": service}, "name": "p"}
    assert arrange(model, "yaml") == {"name": "p", "services": {"s": {
        "build": {"context": ".", "x-z": 0}, "image": "i", "x-a": 2, "x-b": 1}}}


def test_an_uninterpolated_model_is_a_plain_map() -> None:
    model = {"services": {"s": {"image": "i", "build": {"target": "t", "context": "."}}}, "name": "p"}
    assert arrange(model, "yaml", typed=False) == {"name": "p", "services": {"s": {
        "build": {"context": ".", "target": "t"}, "image": "i"}}}


def test_yaml_map_order() -> None:  # as Compose sorts these labels
    expected = ["_x", "80", "Z", "a 1", "a-b", "a.b", "a_b", "a0", "a00", "a1", "a01", "a9", "a10", "ab", "b",
                "x1y2", "x1y10", "x01y1"]
    ordered = list(arrange({"services": {}, "x-m": dict.fromkeys(reversed(expected))}, "yaml")["x-m"])
    assert ordered == expected


@pytest.mark.parametrize(("text", "quoted"), [
    ("4200", True), ("1.5", True), (".5", True), ("1e5", True), ("0x1F", True), ("1_000", True),
    ("true", True), ("Y", True), ("yes", True), ("off", True), ("null", True), ("~", True), ("", True),
    ("1:20", True), ("2001-12-14", True), ("2001-12-14 21:59:43", True), ("\U0001F600", True),
    ("-c", False), ("nginx:1.27", False), ("2001-13-01", False), ("a b", False), ("é", False),
    ("two\nlines", False), ("=", False), ("- x", False),
])
def test_which_strings_yaml_v3_double_quotes(text: str, quoted: bool) -> None:
    assert yaml_quotes(text) is quoted


@pytest.mark.parametrize(("value", "text"), [
    (2.0, "2"), (0.5, "0.5"), (123456.0, "123456"), (1e6, "1e+06"), (1234567.0, "1.234567e+06"),
    (0.0001, "0.0001"), (1e-05, "1e-05"), (-2.5, "-2.5"),
])
def test_floats_as_yaml_v3_writes_them(value: float, text: str) -> None:
    assert go_yaml_float(value) == text
