"""`cl publish` to a registry on 127.0.0.1, read back through the distribution API and set against
what Docker Compose publishes from the same files: the same layers (each Compose file with its
env_file and extends paths replaced by content names, the extended file, the env file), media
types and manifest shape; and the checks Compose makes before anything leaves the machine."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.archives import tar_of
from tests.differential.reference import required_reference
from tests.integration.cl_helpers import cl, http, write
from tests.integration.conftest import PROJECT_LABEL
from tests.integration.registry import running_registry

STACK = """
services:
  web:
    image: {registry}/{project}/web:1
    env_file: app.env
    volumes: ["./data:/data"]
    extends: {{file: base.yaml, service: base}}
"""
MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def _manifest(registry: str, repository: str, tag: str) -> dict[str, Any]:
    status, body = http("GET", f"http://{registry}/v2/{repository}/manifests/{tag}",
                        headers={"Accept": MANIFEST})
    assert status == 200, body
    return dict(json.loads(body))


def _layers(manifest: dict[str, Any]) -> list[tuple[str, dict[str, str], bytes]]:
    """(media type, annotations but the publisher's version, content) of each layer."""
    return [(layer["mediaType"],
             {k: v for k, v in layer["annotations"].items() if k != "com.docker.compose.version"},
             base64.b64decode(layer["data"])) for layer in manifest["layers"]]


def test_publish_pushes_the_files_compose_pushes(docker_client: Any, project_name: str,
                                                  tmp_path: Path) -> None:
    with running_registry(tmp_path / "registry") as registry:
        write(tmp_path, STACK.format(registry=registry, project=project_name))
        (tmp_path / "base.yaml").write_text("services:\n  base:\n    environment:\n      TIER: web\n")
        (tmp_path / "app.env").write_text("MODE=prod\n")
        # An image of its own: a push records a registry digest on the image it pushes, and
        # cl-busybox must keep none (test_container_cmds relies on that).
        own = tar_of({"Dockerfile": f"FROM cl-busybox\nLABEL {PROJECT_LABEL}={project_name}\n".encode()})
        docker_client.images.build(fileobj=io.BytesIO(own), custom_context=True,
                                   tag=f"{registry}/{project_name}/web:1", rm=True)
        try:
            refused = cl(project_name, tmp_path, "publish", f"{registry}/{project_name}/app:cl", check=False)
            assert refused.returncode != 0
            assert 'service "web" has env_file declared.' in refused.stderr and "--with-env" in refused.stderr

            cl(project_name, tmp_path, "publish", "--with-env", "-y", f"{registry}/{project_name}/app:cl")
            cl(project_name, tmp_path, "publish", "--with-env", "-y", "--resolve-image-digests",
               f"{registry}/{project_name}/app:pinned")
            subprocess.run([*required_reference(), "-p", project_name, "publish", "--with-env", "-y",
                            f"{registry}/{project_name}/app:compose"], cwd=tmp_path, check=True,
                           capture_output=True, timeout=120,
                           env={**os.environ, "__TEST__INSECURE__REGISTRY__": "1"})  # else HTTPS only
        finally:
            docker_client.images.remove(f"{registry}/{project_name}/web:1")
        ours = _manifest(registry, f"{project_name}/app", "cl")
        theirs = _manifest(registry, f"{project_name}/app", "compose")
        assert {k: v for k, v in ours.items() if k not in ("layers", "annotations")} == {
            k: v for k, v in theirs.items() if k not in ("layers", "annotations")}
        mine, compose = _layers(ours), _layers(theirs)
        assert [(t, a) for t, a, _ in mine] == [(t, a) for t, a, _ in compose]
        # Compose 2.40 cuts an edited file at its old length; the rest is the same, and ours loads
        compose_file, extended, env_file = (data for _, _, data in mine)
        assert compose[1][2] == extended and compose[2][2] == env_file == b"MODE=prod\n"
        web = yaml.safe_load(compose_file)["services"]["web"]
        assert web["env_file"] == compose[2][1]["com.docker.compose.envfile"]
        assert web["extends"] == {"file": compose[1][1]["com.docker.compose.file"], "service": "base"}
        status, _ = http("GET", f"http://{registry}/v2/{project_name}/web/manifests/1")
        assert status == 200  # the service's image went first
        *_, (_, annotations, digests) = _layers(_manifest(registry, f"{project_name}/app", "pinned"))
        assert annotations["com.docker.compose.file"] == "image-digests.yaml"
        pinned = yaml.safe_load(digests)["services"]["web"]["image"]
        assert pinned.startswith(f"{registry}/{project_name}/web@sha256:")


def test_a_service_with_only_a_build_section_cannot_be_published(project_name: str, tmp_path: Path) -> None:
    write(tmp_path, "services:\n  app:\n    build: .\n")
    done = cl(project_name, tmp_path, "publish", "-y", "127.0.0.1:1/x/app:1", check=False)
    assert done.returncode != 0
    assert 'only contains a build section for service(s): "app"' in done.stderr
