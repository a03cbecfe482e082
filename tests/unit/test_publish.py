"""What `publish` sends and refuses, without a registry (the wire is tests/integration/test_publish.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from compose_lite.errors import ConfigError, OperationFailedError
from compose_lite.oci import DOCKER_HUB, Reference
from compose_lite.publish import COMPOSE_FILE, ENV_FILE, PublishRequest, check, layers


def test_references_get_dockers_defaults() -> None:
    assert Reference.parse("127.0.0.1:5000/team/app:1.0") == Reference("127.0.0.1:5000", "team/app", "1.0")
    assert Reference.parse("app") == Reference(DOCKER_HUB, "library/app", "latest")
    assert Reference.parse("me/my--app") == Reference(DOCKER_HUB, "me/my--app", "latest")
    for bad in ("Team/App", "app@sha256:" + "0" * 64, "host:5000/app:bad tag"):
        with pytest.raises(ConfigError):
            Reference.parse(bad)


def test_environment_is_refused_without_with_env_and_bind_mounts_need_a_yes() -> None:
    model = {"services": {"web": {"image": "x", "environment": {"TOKEN": "s3cret"},
                                  "volumes": [{"type": "bind", "source": "/home/me", "target": "/d"}]}}}
    with pytest.raises(ConfigError, match='service "web" has environment variable'):
        check(model, PublishRequest("r"), None)
    with pytest.raises(OperationFailedError, match="no terminal to ask on") as err:
        check(model, PublishRequest("r", with_env=True), None)
    assert "web: /home/me:/d" in err.value.message and "TOKEN=s3cret" in err.value.message
    asked: list[str] = []
    assert check(model, PublishRequest("r", with_env=True), lambda q: asked.append(q) is not None) is False
    assert check(model, PublishRequest("r", with_env=True, yes=True), None) is True


def test_layers_carry_the_files_with_content_names_for_local_paths(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: x\n    env_file: [a.env]\n"
                                           "    extends: {file: base.yaml, service: b}\n")
    (tmp_path / "base.yaml").write_text("services:\n  b: {image: y}\n")
    (tmp_path / "a.env").write_text("A=1\n")
    done = layers((str(tmp_path / "compose.yaml"),), str(tmp_path), with_env=True,
                  image_digests={"web": "x@sha256:1"})
    env_name = hashlib.sha256(str(tmp_path / "a.env").encode()).hexdigest() + ".env"
    base_name = hashlib.sha256(str(tmp_path / "base.yaml").encode()).hexdigest() + ".yaml"
    assert [(layer.media_type, layer.annotations.get("com.docker.compose.file")) for layer in done] == [
        (COMPOSE_FILE, "compose.yaml"), (COMPOSE_FILE, base_name), (ENV_FILE, None),
        (COMPOSE_FILE, "image-digests.yaml")]
    web = yaml.safe_load(done[0].data)["services"]["web"]
    assert web["env_file"] == [env_name] and web["extends"] == {"file": base_name, "service": "b"}
    assert done[2].data == b"A=1\n" and done[2].annotations["com.docker.compose.envfile"] == env_name
    assert yaml.safe_load(done[3].data) == {"services": {"web": {"image": "x@sha256:1"}}}
    untouched = layers((str(tmp_path / "base.yaml"),), str(tmp_path), with_env=False, image_digests=None)
    assert untouched[0].data == (tmp_path / "base.yaml").read_bytes()  # nothing to replace: as written


def test_a_registry_that_refuses_an_oci_1_1_manifest_gets_1_0_and_auth_refusals_stand(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from compose_lite import oci, publish
    from compose_lite.publish import Layer

    sent: list[dict[str, object]] = []

    def push_blob(self: object, repository: str, data: bytes) -> str:
        return oci.digest_of(data)

    def push_manifest(self: object, repository: str, reference: str, manifest: bytes, media_type: str) -> str:
        sent.append(json.loads(manifest))
        if "artifactType" in sent[-1]:
            raise oci.RegistryRefusal("registry r: PUT answered 400 manifest invalid", status=refusal)
        return oci.digest_of(manifest)

    monkeypatch.setattr(oci.Registry, "push_blob", push_blob)
    monkeypatch.setattr(oci.Registry, "push_manifest", push_manifest)
    artifact = [Layer(publish.COMPOSE_FILE, b"services: {}\n")]
    refusal = 400
    publish.push(Reference.parse("127.0.0.1:5000/a/b:1"), artifact, {}, oci_version=None)
    assert [m["config"]["mediaType"] for m in sent] == [publish.EMPTY_JSON, publish.EMPTY_CONFIG_1_0]
    refusal = 401
    with pytest.raises(oci.RegistryRefusal):
        publish.push(Reference.parse("127.0.0.1:5000/a/b:1"), artifact, {}, oci_version=None)
