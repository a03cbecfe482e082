"""Builds go through BuildKit (the docker CLI) when one can: `RUN --mount=type=cache`, build
secrets from a file and from the environment, and an inline Dockerfile that COPYs from its context."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, write

COMPOSE = """
services:
  app:
    image: {project}-app
    build:
      context: .
      secrets: [token, from_env]
  inline:
    image: {project}-inline
    build:
      context: .
      dockerfile_inline: |
        FROM cl-busybox
        COPY token.txt /copied
secrets:
  token: {{file: ./token.txt}}
  from_env: {{environment: BUILD_SECRET}}
"""
DOCKERFILE = """FROM cl-busybox
RUN --mount=type=cache,target=/cache sh -c 'date > /cache/stamp; cp /cache/stamp /built'
RUN --mount=type=secret,id=token cat /run/secrets/token > /token-copy
RUN --mount=type=secret,id=from_env cat /run/secrets/from_env > /env-copy
"""


def test_buildkit_features_build(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    write(tmp_path, COMPOSE.format(project=project_name))
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "token.txt").write_text("s3cret\n")
    built = cl(project_name, tmp_path, "build", env={"BUILD_SECRET": "from-the-shell"})
    assert "with BuildKit" in built.stderr
    try:

        def read(image: str, path: str) -> str:
            """A file of the image, read from a created (never started) container."""
            container = docker_client.containers.create(image, ["true"])
            try:
                chunks, _ = container.get_archive(path)
                with tarfile.open(fileobj=io.BytesIO(b"".join(chunks))) as tar:
                    member = tar.extractfile(tar.getmembers()[0])
                    assert member is not None
                    return member.read().decode()
            finally:
                container.remove(force=True)

        assert read(f"{project_name}-app", "/token-copy") == "s3cret\n"
        assert read(f"{project_name}-app", "/env-copy") == "from-the-shell"
        assert read(f"{project_name}-inline", "/copied") == "s3cret\n"
    finally:
        for image in (f"{project_name}-app", f"{project_name}-inline"):
            docker_client.images.remove(image, force=True)
