"""`publish`: the project's Compose files as an OCI artifact in a registry, as Docker Compose
publishes them (`docker compose -f oci://… up` and Docker Desktop read it back).

Before anything leaves the machine: a service with only a build section is refused (its image
cannot be named), environment variables and env files are refused unless `--with-env` (they
often hold secrets), and bind mounts and environment values are shown for a yes/no first unless
`-y`. Then the services' images are pushed (failures are warnings), and one manifest is pushed
whose layers are the files: each Compose file (env_file and extends paths replaced by content
hashes, so the artifact carries no paths of this machine), the files it extends, the env files
with `--with-env`, and an image-digest override with `--resolve-image-digests`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from compose_lite import __version__
from compose_lite.errors import ConfigError, OperationFailedError
from compose_lite.oci import Reference, Registry, RegistryRefusal, digest_of

ARTIFACT_TYPE = "application/vnd.docker.compose.project"
COMPOSE_FILE = "application/vnd.docker.compose.file+yaml"
ENV_FILE = "application/vnd.docker.compose.envfile"
EMPTY_CONFIG_1_0 = "application/vnd.docker.compose.config.empty.v1+json"
EMPTY_JSON = "application/vnd.oci.empty.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
VERSION_ANNOTATION = "com.docker.compose.version"

Confirm = Callable[[str], bool]


@dataclass(frozen=True)
class PublishRequest:
    repository: str
    oci_version: str | None = None  # "1.0", "1.1", or None: 1.1, then 1.0 if the registry refuses it
    resolve_image_digests: bool = False
    with_env: bool = False
    yes: bool = False


@dataclass
class Layer:
    media_type: str
    data: bytes
    annotations: dict[str, str] = field(default_factory=dict)

    def descriptor(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "digest": digest_of(self.data), "size": len(self.data),
                "annotations": self.annotations, "data": base64.b64encode(self.data).decode()}


def check(model: Mapping[str, Any], request: PublishRequest, confirm: Confirm | None) -> bool:
    """Compose's checks before publishing; False when the user said no to a question."""
    services = model.get("services") or {}
    build_only = [name for name, svc in services.items() if svc.get("build") and not svc.get("image")]
    if build_only:
        raise ConfigError("your Compose stack cannot be published as it only contains a build section for "
                          "service(s): " + ", ".join(f'"{n}"' for n in sorted(build_only)),
                          hint="give each an `image:` name (pushed along with the artifact)")
    declared = _environment_declarations(model)
    if declared and not request.with_env:
        raise ConfigError("\n".join(line for line, _ in declared) + "\nTo avoid leaking sensitive data, you "
                          "must either explicitly allow the sending of environment variables by using the "
                          "--with-env flag,\nor remove sensitive data from your Compose configuration")
    if request.yes:
        return True
    questions = []
    binds = [f"{name}: {v.get('source')}:{v.get('target')}" for name, svc in sorted(services.items())
             for v in svc.get("volumes") or () if v.get("type") == "bind"]
    if binds:
        questions.append("you are about to publish bind mounts declaration within your OCI artifact.\n"
                         "only the bind mount declarations will be added to the OCI artifact (not content)\n"
                         "please double check that you are not mounting potential user's sensitive "
                         "directories or data\n" + "\n".join(binds) +
                         "\nAre you ok to publish these bind mount declarations?")
    values = [f"{k}={v}" for _, env in declared for k, v in env.items()]
    if values:
        questions.append("you are about to publish environment variables within your OCI artifact.\n"
                         "please double check that you are not leaking sensitive data\n" + "\n".join(values) +
                         "\nAre you ok to publish these environment variables?")
    if questions and confirm is None:
        raise OperationFailedError("publish needs a yes to go on, and there is no terminal to ask on:\n"
                                   + "\n".join(questions), hint="pass -y once you have checked them")
    return all(confirm(q) for q in questions) if confirm is not None else True


def _environment_declarations(model: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for name, svc in sorted((model.get("services") or {}).items()):
        if svc.get("env_file"):
            found.append((f'service "{name}" has env_file declared.', {}))
        if svc.get("environment"):
            found.append((f'service "{name}" has environment variable(s) declared.',
                          dict(svc["environment"])))
    for name, config in sorted((model.get("configs") or {}).items()):
        if config.get("environment"):
            found.append((f'config "{name}" is declare as an environment variable.',
                          {name: config["environment"]}))
    return found


def layers(config_files: tuple[str, ...], working_dir: str, *, with_env: bool,
           image_digests: Mapping[str, str] | None) -> list[Layer]:
    """The artifact's layers: each Compose file, the files they extend, the env files (with
    --with-env), the image-digest override (with --resolve-image-digests)."""
    out: list[Layer] = []
    env_files: dict[str, str] = {}  # path → its name in the artifact
    extended: dict[str, str] = {}
    for path in config_files:
        out.append(_file_layer(path, os.path.basename(path), working_dir, env_files, extended))
    seen: set[str] = set()
    while pending := [p for p in extended if p not in seen]:
        for path in pending:
            seen.add(path)
            layer = _file_layer(path, extended[path], working_dir, {}, extended)
            layer.annotations["com.docker.compose.extends"] = "true"
            out.append(layer)
    if with_env:
        for path, name in env_files.items():
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue  # an optional env file that is not there
            out.append(Layer(ENV_FILE, data, {VERSION_ANNOTATION: __version__,
                                              "com.docker.compose.envfile": name}))
    if image_digests:
        text = "services:\n" + "".join(f"    {name}:\n        image: {ref}\n"
                                       for name, ref in sorted(image_digests.items()))
        out.append(Layer(COMPOSE_FILE, text.encode(), {VERSION_ANNOTATION: __version__,
                                                         "com.docker.compose.file": "image-digests.yaml"}))
    return out


def _file_layer(path: str, name: str, working_dir: str, env_files: dict[str, str],
                extended: dict[str, str]) -> Layer:
    with open(path, "rb") as handle:
        data = handle.read()
    data = _without_local_paths(data, working_dir, env_files, extended)
    return Layer(COMPOSE_FILE, data, {VERSION_ANNOTATION: __version__, "com.docker.compose.file": name})


def _hashed(path: str, suffix: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest() + suffix


def _without_local_paths(data: bytes, working_dir: str, env_files: dict[str, str],
                         extended: dict[str, str]) -> bytes:
    """The file with its services' env_file and extends.file paths replaced by content-address
    names (the file is written back only when something was replaced)."""
    import yaml

    root = yaml.compose(data.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    services = _child(root, "services")
    replaced = False
    for service in (v for _, v in (services.value if isinstance(services, yaml.MappingNode) else ())):
        entries = _child(service, "env_file")
        scalars = [entries] if isinstance(entries, yaml.ScalarNode) else [
            _child(e, "path") if isinstance(e, yaml.MappingNode) else e
            for e in (entries.value if isinstance(entries, yaml.SequenceNode) else ())]
        for scalar in (s for s in scalars if isinstance(s, yaml.ScalarNode)):
            absolute = os.path.normpath(os.path.join(working_dir, scalar.value))
            scalar.value = env_files.setdefault(absolute, _hashed(absolute, ".env"))
            replaced = True
        target = _child(_child(service, "extends"), "file")
        if isinstance(target, yaml.ScalarNode):
            absolute = os.path.normpath(os.path.join(working_dir, target.value))
            if os.path.exists(absolute):
                target.value = extended.setdefault(absolute, _hashed(absolute, ".yaml"))
                replaced = True
    if not replaced:
        return data
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.serialize(root, Dumper=dumper, width=1 << 30, allow_unicode=True)).encode()


def _child(node: Any, key: str) -> Any:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def push(reference: Reference, artifact: list[Layer], environ: Mapping[str, str], *,
         oci_version: str | None) -> str:
    """Push the layers and the manifest under ``reference``; the manifest's digest."""
    registry = Registry(reference.host, environ)
    for layer in artifact:
        registry.push_blob(reference.repository, layer.data)
    if oci_version is not None:
        return _push_manifest(registry, reference, artifact, oci_version)
    try:
        return _push_manifest(registry, reference, artifact, "1.1")
    except RegistryRefusal as err:
        if not 400 <= err.status < 500 or err.status in (401, 403, 407):
            raise
        return _push_manifest(registry, reference, artifact, "1.0")  # a registry without OCI 1.1


def _push_manifest(registry: Registry, reference: Reference, artifact: list[Layer], oci_version: str) -> str:
    if oci_version not in ("1.0", "1.1"):
        raise ConfigError(f"unsupported OCI version: {oci_version}", hint="use 1.0 or 1.1")
    config = Layer(EMPTY_CONFIG_1_0 if oci_version == "1.0" else EMPTY_JSON, b"{}")
    registry.push_blob(reference.repository, config.data)
    manifest: dict[str, Any] = {"schemaVersion": 2, "mediaType": MANIFEST}
    if oci_version == "1.1":
        manifest["artifactType"] = ARTIFACT_TYPE
    config_descriptor = {k: v for k, v in config.descriptor().items() if k != "annotations"}
    manifest.update(config=config_descriptor, layers=[layer.descriptor() for layer in artifact],
                    annotations={"org.opencontainers.image.created": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                   time.gmtime())})
    body = json.dumps(manifest, separators=(",", ":")).encode()
    return registry.push_manifest(reference.repository, reference.tag, body, MANIFEST)
