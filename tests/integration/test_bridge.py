"""`cl bridge` against Docker Compose's own on the same files: the model a transformation reads,
how it runs (as the caller, LICENSE_AGREEMENT set, templates mounted), the transformation list,
and a transformation copied out to be edited."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.archives import tar_of
from tests.differential.reference import required_reference
from tests.integration.cl_helpers import cl, write

STACK = """
services:
  web:
    image: cl-busybox
    ports: ["127.0.0.1:18080:80"]
    expose: ["3000"]
    environment: {PRICE: "5$$"}
    secrets: [token]
  api:
    image: cl-busybox
    configs: [conf, fconf]
    secrets: [esecret]
secrets:
  token: {file: ./token.txt}
  esecret: {environment: CONF_VALUE}
configs:
  conf: {environment: CONF_VALUE}
  fconf: {file: ./token.txt}
"""
# Copies the model out, and says what it was given.
TRANSFORMER = """FROM cl-busybox
LABEL com.docker.compose.bridge=transformation com.docker.compose.project={project}
COPY templates /templates
CMD ["sh", "-c", "cp /in/compose.yaml /out/model.yaml; ls /templates > /out/templates.txt; \\
id -u > /out/uid; echo LICENSE_AGREEMENT=$LICENSE_AGREEMENT"]
"""


def _transformer(client: Any, project: str, dockerfile: str = TRANSFORMER) -> str:
    tag = f"{project}-transformer:1"
    context = tar_of({"Dockerfile": dockerfile.format(project=project).encode(),
                      "templates/deployment.tmpl": b"kind: Deployment\n"})
    client.images.build(fileobj=io.BytesIO(context), custom_context=True, tag=tag, rm=True)
    return tag


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _model(out: Path) -> dict[str, Any]:
    model = yaml.safe_load((out / "model.yaml").read_text())
    for svc in model["services"].values():  # Compose lists `expose` in a set's (random) order
        svc["expose"] = sorted(svc.get("expose", []))
    return dict(model)


def test_convert_hands_the_transformation_what_compose_hands_it(docker_client: Any, project_name: str,
                                                                  tmp_path: Path) -> None:
    write(tmp_path, STACK)
    (tmp_path / "token.txt").write_text("s3cret\n")
    image = _transformer(docker_client, project_name)
    env = {"CONF_VALUE": "from the shell"}
    ours = cl(project_name, tmp_path, "bridge", "convert", "-t", image, "-o", "out-cl", env=env)
    assert "LICENSE_AGREEMENT=true" in ours.stdout
    # Compose 2.40 writes the model to $TMPDIR/compose.yaml, mounts all of $TMPDIR and leaves the
    # file there (where a later upward search for a compose file would find it): a TMPDIR of its own.
    (tmp_path / "tmp").mkdir()
    subprocess.run([*required_reference(), "-p", project_name, "bridge", "convert", "-t", image, "-o",
                    "out-compose"], cwd=tmp_path, check=True, capture_output=True, timeout=120,
                   env={**os.environ, **env, "TMPDIR": str(tmp_path / "tmp")})
    mine, theirs = _model(tmp_path / "out-cl"), _model(tmp_path / "out-compose")
    assert mine == theirs
    assert mine["services"]["web"]["expose"] == ["3000", "80"]
    assert mine["secrets"]["token"]["content"] == mine["configs"]["fconf"]["content"] == "s3cret\n"
    assert mine["secrets"]["esecret"]["content"] == "from the shell"
    assert "content" not in mine["configs"]["conf"]  # an environment config: Compose leaves it out
    for out in ("out-cl", "out-compose"):
        assert (tmp_path / out / "templates.txt").read_text() == "deployment.tmpl\n"
        assert (tmp_path / out / "uid").read_text() == f"{os.getuid()}\n"
    assert docker_client.containers.list(all=True, filters={"ancestor": image}) == []  # removed after


def test_a_failing_transformation_fails_the_convert(docker_client: Any, project_name: str,
                                                     tmp_path: Path) -> None:
    write(tmp_path, STACK)
    (tmp_path / "token.txt").write_text("s3cret\n")
    broken = TRANSFORMER.split("CMD")[0] + 'CMD ["sh", "-c", "echo no templates for this >&2; exit 3"]\n'
    image = _transformer(docker_client, project_name, broken)
    done = cl(project_name, tmp_path, "bridge", "convert", "-t", image, check=False)
    assert done.returncode != 0
    assert "no templates for this" in done.stdout
    assert f"transformation {image} failed (exit code 3)" in done.stderr
    assert docker_client.containers.list(all=True, filters={"ancestor": image}) == []


def test_transformations_are_listed_and_copied_out_as_compose_does(docker_client: Any, project_name: str,
                                                                     tmp_path: Path) -> None:
    image = _transformer(docker_client, project_name)
    reference = required_reference()
    listed = cl(None, tmp_path, "bridge", "transformations", "list", progress=None).stdout
    theirs = subprocess.run([*reference, "bridge", "transformations", "list"], capture_output=True, text=True,
                            check=True, timeout=60).stdout
    assert listed == theirs and image.split(":")[0] in listed
    quiet = cl(None, tmp_path, "bridge", "transformations", "ls", "-q", progress=None).stdout
    assert image in quiet.split()

    made = cl(None, tmp_path, "bridge", "transformations", "create", "-f", image, "mine", progress=None)
    subprocess.run([*reference, "bridge", "transformations", "create", "-f", image, "theirs"], cwd=tmp_path,
                   check=True, capture_output=True, timeout=60)
    assert made.stdout == f'Transformer created in "{tmp_path / "mine"}"\n'
    assert _tree(tmp_path / "mine") == _tree(tmp_path / "theirs")
    assert _tree(tmp_path / "mine")["templates/deployment.tmpl"] == b"kind: Deployment\n"
    again = cl(None, tmp_path, "bridge", "transformations", "create", "-f", image, "mine", check=False,
               progress=None)
    assert again.returncode != 0 and "already exists" in again.stderr
