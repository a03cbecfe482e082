"""`bridge`: hand the Compose model to transformation images (Kubernetes manifests, Helm charts…).

As Docker Compose does: the model, completed with what a transformation cannot look up itself
(each service's image name, the ports it exposes, the content of secrets and of file configs), is
written as ``/in/compose.yaml``; each transformation image runs once, as the calling user, with
``/out`` the output directory and ``/templates`` the user's templates if given. A transformation
is an image labelled ``com.docker.compose.bridge=transformation``.
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from compose_lite.copy import extract
from compose_lite.engine.base import Engine, ImageInfo
from compose_lite.errors import ConfigError, OperationFailedError
from compose_lite.model import Mount, Service
from compose_lite.state import ContainerSpec

DEFAULT_TRANSFORMATION = "docker/compose-bridge-kubernetes"
TRANSFORMER_LABEL = "com.docker.compose.bridge"
TEMPLATES = "/templates"
DOCKERFILE = f"""FROM docker/compose-bridge-transformer
LABEL {TRANSFORMER_LABEL}=transformation
COPY templates /templates
"""

Warn = Callable[[str], None]


def complete_model(model: Mapping[str, Any], engine: Engine, environ: Mapping[str, str],
                   warn: Warn) -> dict[str, Any]:
    """The model a transformation reads: image names defaulted, exposed ports gathered from the
    image, the `expose:` list and the published ports, secret and config contents read in."""
    project = str(model.get("name", ""))
    services = {}
    for name, svc in (model.get("services") or {}).items():
        image = svc.get("image") or f"{project}-{name}"
        info = _image(engine, name, image, buildable="build" in svc and not svc.get("image"), warn=warn)
        exposed = {str(e) for e in svc.get("expose") or ()}
        exposed |= {port.split("/", 1)[0] for port in (info.exposed_ports if info else ())}
        exposed |= {str(p["target"]) for p in svc.get("ports") or () if "target" in p}
        services[name] = {**svc, "image": image, **({"expose": sorted(exposed)} if exposed else {})}
    completed = {**model, "services": services}
    for kind in ("secrets", "configs"):
        if model.get(kind):
            completed[kind] = {key: _with_content(entry, environ, secret=kind == "secrets")
                               for key, entry in model[kind].items()}
    return completed


def _image(engine: Engine, service: str, image: str, *, buildable: bool, warn: Warn) -> ImageInfo | None:
    info = engine.image_info(image)
    if info is not None:
        return info
    if buildable:  # as newer Compose: a build not run yet costs only the image's EXPOSE entries
        warn(f"image {image} for service {service} not found locally; Dockerfile-exposed ports will "
             "not be included (run `cl build` first to include them)")
        return None
    engine.pull_image(image)
    return engine.image_info(image)


def _with_content(entry: Mapping[str, Any], environ: Mapping[str, str], *, secret: bool) -> dict[str, Any]:
    """File contents for both; an environment variable's value for secrets only (Compose's YAML
    writer keeps a config's content only when it came from a file)."""
    if entry.get("external"):
        return dict(entry)
    if entry.get("environment"):
        return {**entry, "content": environ.get(entry["environment"], "")} if secret else dict(entry)
    if entry.get("file"):
        try:
            return {**entry, "content": Path(entry["file"]).read_text()}
        except OSError as err:
            raise ConfigError(f"cannot read {entry['file']}: {err.strerror}") from None
    return dict(entry)


def convert(model_yaml: str, engine: Engine, *, output: str, transformations: tuple[str, ...],
            templates: str | None, show: Callable[[bytes], None]) -> None:
    """Run each transformation on ``model_yaml``; ``output`` is emptied first, as Compose does."""
    out = os.path.abspath(output)
    if output:
        _empty_dir(out)
    with tempfile.TemporaryDirectory(prefix="compose-convert-") as workdir:
        model = Path(workdir) / "compose.yaml"
        model.write_text(model_yaml)
        model.chmod(0o600)
        mounts = [Mount("bind", "/in", workdir), Mount("bind", "/out", out)]
        if templates:
            mounts.append(Mount("bind", TEMPLATES, os.path.abspath(templates)))
        for image in transformations or (DEFAULT_TRANSFORMATION,):
            if engine.image_id(image) is None:
                engine.pull_image(image)
            code = _run(engine, image, tuple(mounts), show)
            if code != 0:
                raise OperationFailedError(f"transformation {image} failed (exit code {code})",
                                           hint="its output above says why")


def _empty_dir(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    try:
        os.makedirs(path, 0o744, exist_ok=True)
    except OSError as err:
        raise ConfigError(f"cannot create output folder {path}: {err.strerror}") from None


def _run(engine: Engine, image: str, mounts: tuple[Mount, ...], show: Callable[[bytes], None]) -> int:
    """One transformation container, its output streamed, removed at the end (`--rm`)."""
    service = Service("bridge", image=image, environment={"LICENSE_AGREEMENT": "true"},
                      user=str(os.getuid()), mounts=mounts)
    spec = ContainerSpec(f"cl-bridge-{uuid.uuid4().hex[:12]}", service, 1, image, {}, network_mode="none",
                         mounts=mounts)
    cid = engine.create_container(spec)
    try:
        engine.start_container(cid)
        for chunk in engine.container_logs(cid, follow=True):
            show(chunk)
        return engine.wait_container(cid)
    finally:
        engine.remove_container(cid)


def transformations(engine: Engine) -> list[ImageInfo]:
    return engine.images_labelled(f"{TRANSFORMER_LABEL}=transformation")


def create_transformation(engine: Engine, dest: str, source: str | None) -> str:
    """Copy ``source``'s templates into ``dest``/templates, with a Dockerfile that rebuilds it;
    returns the absolute destination."""
    out = os.path.abspath(dest)
    if os.path.exists(out):
        raise ConfigError(f"output folder {out} already exists", hint="pick a new folder name")
    image = source or DEFAULT_TRANSFORMATION
    os.makedirs(os.path.join(out, "templates"), 0o744)
    spec = ContainerSpec(f"cl-bridge-{uuid.uuid4().hex[:12]}", Service("bridge", image=image), 1, image, {},
                         network_mode="none")
    cid = engine.create_container(spec)
    try:
        archive = engine.get_archive(cid, TEMPLATES)
    finally:
        engine.remove_container(cid)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        extract(tar, out)  # the image chooses the archive: nothing may land outside ``out``
    Path(out, "Dockerfile").write_text(DOCKERFILE)
    Path(out, "Dockerfile").chmod(0o700)
    return out
