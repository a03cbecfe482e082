"""`cl build --print`: Compose's Bake definition, byte for byte.

The expected texts are `docker compose build --print` (v2.40.3) on the same project, run from ``DIR``
with FOO=foo C=cval MYENV unset; ``com.docker.compose.version`` holds cl's own version where Compose's
holds 2.40.3, as on cl's containers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from compose_lite import __version__, images
from compose_lite.cli import cli
from compose_lite.model import Build, Project, Service

COMPOSE_FILE = r"""
name: bp
services:
  web:
    image: reg.example/web:1
    build:
      context: .
      dockerfile: linked/Dockerfile.dev
      args:
        A: "1"
        B: x${FOO}y
        C:
        D: $${literal} <&>
      labels:
        z.label: "1"
        com.docker.compose.project: mine
      target: final
      tags: ["extra:1"]
      cache_from: ["type=local,src=/tmp/c"]
      cache_to: ["type=local,dest=/tmp/c"]
      secrets:
        - file_secret
        - source: env_secret
          target: tgt
      ssh: ["key=/tmp/key"]
      network: host
      shm_size: 64m
      ulimits:
        nofile: {soft: 1024, hard: 2048}
      extra_hosts: ["somehost=162.242.195.82", "other:10.0.0.1"]
      additional_contexts:
        base: ./other
        lib: service:lib.y
      pull: true
      entitlements: [network.host]
      privileged: true
      provenance: true
      sbom: generator=foo
    depends_on: [worker]
  lib.y:
    build:
      dockerfile_inline: |
        FROM cl-busybox
        RUN echo $${Y}
      platforms: [linux/amd64, linux/arm64]
  worker:
    build: ./sub
    platform: linux/amd64
  lone:
    build:
      context: ./sub
      no_cache: true
  db:
    image: cl-busybox
secrets:
  file_secret:
    file: ./secret.txt
  env_secret:
    environment: MYENV
"""


def print_build(tmp_path: Path, *args: str) -> str:
    (tmp_path / "sub").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "sub" / "Dockerfile.dev").write_text("FROM cl-busybox\n")
    (tmp_path / "linked").symlink_to("sub")
    (tmp_path / "secret.txt").write_text("s\n")
    (tmp_path / "compose.yaml").write_text(COMPOSE_FILE)
    result = CliRunner().invoke(cli, ["-f", str(tmp_path / "compose.yaml"), "build", "--print", *args],
                                env={"FOO": "foo", "C": "cval", "MYENV": None})
    assert result.exit_code == 0, result.output
    return result.stdout


def expected(text: str, tmp_path: Path) -> str:
    return text.replace("DIR", str(tmp_path)).replace('"2.40.3"', f'"{__version__}"')


ALL = r"""{
  "group": {
    "default": {
      "targets": [
        "lib_y",
        "lone",
        "web",
        "worker"
      ]
    }
  },
  "target": {
    "lib_y": {
      "context": "DIR",
      "dockerfile-inline": "FROM cl-busybox\nRUN echo $${Y}\n",
      "labels": {
        "com.docker.compose.project": "bp",
        "com.docker.compose.service": "lib.y",
        "com.docker.compose.version": "2.40.3"
      },
      "tags": [
        "bp-lib.y"
      ],
      "platforms": [
        "linux/amd64",
        "linux/arm64"
      ],
      "output": [
        "type=image,push=false"
      ]
    },
    "lone": {
      "context": "DIR/sub",
      "dockerfile": "DIR/sub/Dockerfile",
      "labels": {
        "com.docker.compose.project": "bp",
        "com.docker.compose.service": "lone",
        "com.docker.compose.version": "2.40.3"
      },
      "tags": [
        "bp-lone"
      ],
      "no-cache": true,
      "output": [
        "type=docker"
      ]
    },
    "web": {
      "context": "DIR",
      "contexts": {
        "base": "DIR/other",
        "lib": "target:lib_y"
      },
      "dockerfile": "DIR/sub/Dockerfile.dev",
      "args": {
        "A": "1",
        "B": "xfooy",
        "C": "cval",
        "D": "$${literal} \u003c\u0026\u003e"
      },
      "labels": {
        "com.docker.compose.project": "bp",
        "com.docker.compose.service": "web",
        "com.docker.compose.version": "2.40.3",
        "z.label": "1"
      },
      "tags": [
        "extra:1",
        "reg.example/web:1"
      ],
      "cache-from": [
        "type=local,src=/tmp/c"
      ],
      "cache-to": [
        "type=local,dest=/tmp/c"
      ],
      "target": "final",
      "secret": [
        "id=file_secret,type=file,src=DIR/secret.txt",
        "id=tgt,type=env,env=MYENV"
      ],
      "ssh": [
        "key=/tmp/key"
      ],
      "pull": true,
      "network": "host",
      "shm-size": "67108864",
      "ulimits": [
        "nofile=1024:2048"
      ],
      "entitlements": [
        "network.host",
        "security.insecure"
      ],
      "extra-hosts": {
        "other": "10.0.0.1",
        "somehost": "162.242.195.82"
      },
      "output": [
        "type=docker"
      ],
      "attest": [
        "type=provenance",
        "type=sbom,generator=foo"
      ]
    },
    "worker": {
      "context": "DIR/sub",
      "dockerfile": "DIR/sub/Dockerfile",
      "labels": {
        "com.docker.compose.project": "bp",
        "com.docker.compose.service": "worker",
        "com.docker.compose.version": "2.40.3"
      },
      "tags": [
        "bp-worker"
      ],
      "platforms": [
        "linux/amd64"
      ],
      "output": [
        "type=docker"
      ]
    }
  }
}
"""


def test_print_all_services(tmp_path: Path) -> None:
    tmp_path = tmp_path.resolve()
    assert print_build(tmp_path) == expected(ALL, tmp_path)


# web needs lib.y's image (additional_contexts service:lib.y): both are built; worker, which web
# depends on, has a target but is not built
def test_print_selected_service_with_flags(tmp_path: Path) -> None:
    """The flags' effect on what `test_print_all_services` pins byte for byte (as Compose prints it)."""
    tmp_path = tmp_path.resolve()
    flags = ("--no-cache", "--pull", "--build-arg", "A=9", "--build-arg", "C", "--build-arg", "E=new",
             "--ssh", "k=/p", "--push")
    printed = json.loads(print_build(tmp_path, *flags, "web"))
    want = json.loads(expected(ALL, tmp_path))
    del want["target"]["lone"]  # neither web nor what it depends on
    want["group"]["default"]["targets"] = ["lib_y", "web"]
    for name in ("lib_y", "worker"):  # C from the project's environment
        want["target"][name].update({"ssh": ["k=/p"], "args": {"A": "9", "C": "cval", "E": "new"},
                                     "no-cache": True, "pull": True})
    web = want["target"]["web"]
    web["ssh"].append("k=/p")
    web["args"].update(A="9", E="new")
    web.update({"output": ["type=registry"], "no-cache": True})
    assert printed == want


def test_print_check_lints_and_outputs_nothing(tmp_path: Path) -> None:
    """--check: each target calls the linter instead of writing an image (else as pinned above)."""
    tmp_path = tmp_path.resolve()
    printed = json.loads(print_build(tmp_path, "--check", "lone", "lib.y"))
    want = json.loads(expected(ALL, tmp_path))
    want["group"]["default"]["targets"] = ["lib_y", "lone"]
    want["target"] = {name: {**{k: v for k, v in target.items() if k != "output"}, "call": "lint"}
                      for name, target in want["target"].items() if name in ("lib_y", "lone")}
    assert printed == want


def test_print_nothing_when_nothing_is_buildable(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  db:\n    image: cl-busybox\n")
    result = CliRunner().invoke(cli, ["-f", str(tmp_path / "compose.yaml"), "build", "--print"])
    assert (result.exit_code, result.stdout) == (0, "")


def test_dotted_names_share_a_target_as_in_compose() -> None:
    """Compose means to make ``a.b``'s target name unique, but does not: both services list
    ``a_b``, which holds the settings of the one written last."""
    project = Project("p", "/w", services={"a.b": Service("a.b", build=Build("/nowhere/1")),
                                           "a_b": Service("a_b", build=Build("/nowhere/2"))})
    printed = images.build_definitions(project, images.BuildRequest())
    assert printed is not None
    assert printed["group"] == {"default": {"targets": ["a_b", "a_b"]}}
    assert printed["target"] == {"a_b": {
        "context": "/nowhere/2", "dockerfile": "/nowhere/2/Dockerfile",
        "labels": {"com.docker.compose.project": "p", "com.docker.compose.service": "a_b",
                   "com.docker.compose.version": __version__},
        "tags": ["p-a_b"], "output": ["type=docker"]}}


@pytest.mark.parametrize(("context", "dockerfile", "printed"), [  # as Compose prints these
    ("https://github.com/docker/foo.git#main", "Dockerfile.x", "Dockerfile.x"),  # git: the repository's
    ("git@github.com:docker/foo", "Dockerfile.x", "Dockerfile.x"),
    ("/nowhere", "sub/Dockerfile.x", "/nowhere/sub/Dockerfile.x"),  # no such directory: joined only
    ("https://example.com/ctx.tar.gz", "Dockerfile.x", "https:/example.com/ctx.tar.gz/Dockerfile.x"),
])
def test_dockerfile_path(context: str, dockerfile: str, printed: str) -> None:
    project = Project("p", "/w", services={"s": Service("s", build=Build(context, dockerfile=dockerfile))})
    definitions = images.build_definitions(project, images.BuildRequest())
    assert definitions is not None
    assert definitions["target"]["s"]["dockerfile"] == printed  # type: ignore[index]


def test_multi_platform_image_is_pushed_by_bake_with_push() -> None:
    project = Project("p", "/w", services={
        "s": Service("s", image="reg/s:1",
                     build=Build("/nowhere", platforms=("linux/amd64", "linux/arm64")))})
    printed = images.build_definitions(project, images.BuildRequest(push=True))
    assert printed is not None
    assert printed["target"]["s"]["output"] == ["type=image,push=true"]  # type: ignore[index]
