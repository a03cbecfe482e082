"""`cl down`: what goes, what stays (named volumes without -v, external resources always)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, write

STACK = """
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    volumes: [data:/data, shared:/shared]
    networks: [inner, outer]
networks:
  inner: {}
  outer: {external: true, name: EXTNET}
volumes:
  data: {}
  shared: {external: true, name: EXTVOL}
"""


def test_down_keeps_named_and_external_volumes_until_v(docker_client: Any, project_name: str,
                                                        tmp_path: Path) -> None:
    p = project_name
    ext_net, ext_vol = f"{p}-extnet", f"{p}-extvol"
    docker_client.api.create_network(ext_net)
    docker_client.api.create_volume(ext_vol)
    try:
        write(tmp_path, STACK.replace("EXTNET", ext_net).replace("EXTVOL", ext_vol))
        cl(p, tmp_path, "up", "-d")
        cl(p, tmp_path, "down", "-t", "1")
        flt = {"label": f"com.docker.compose.project={p}"}
        assert docker_client.api.containers(all=True, filters=flt) == []
        assert docker_client.api.networks(filters=flt) == []
        assert [v["Name"] for v in docker_client.api.volumes(filters=flt)["Volumes"] or []] == [f"{p}_data"]
        cl(p, tmp_path, "up", "-d")
        cl(p, tmp_path, "down", "-v")
        assert docker_client.api.volumes(filters=flt)["Volumes"] in (None, [])
        assert docker_client.api.inspect_network(ext_net)["Name"] == ext_net
        assert docker_client.api.inspect_volume(ext_vol)["Name"] == ext_vol
    finally:
        docker_client.api.remove_network(ext_net)
        docker_client.api.remove_volume(ext_vol)


CHAIN = """
x-sleeper: &sleeper
  image: cl-busybox
  command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
services:
  front: {<<: *sleeper, depends_on: [api]}
  api: {<<: *sleeper, depends_on: [db, cache]}
  db: *sleeper
  cache: *sleeper
"""


def test_down_signals_each_dependency_only_after_its_dependents_exited(docker_client: Any, project_name: str,
                                                                       tmp_path: Path) -> None:
    p = project_name
    cl(p, write(tmp_path, CHAIN), "up", "-d")
    began = time.time()
    cl(p, tmp_path, "down")
    flt = {"label": f"com.docker.compose.project={p}", "type": "container"}
    events = list(docker_client.api.events(since=began, until=time.time(), filters=flt, decode=True))
    when = {(e["Action"], e["Actor"]["Attributes"]["com.docker.compose.service"]): e["timeNano"]
            for e in events if e["Action"] in ("kill", "die")}
    for dependent, dependency in [("front", "api"), ("api", "db"), ("api", "cache")]:
        assert when[("kill", dependency)] > when[("die", dependent)], (dependent, dependency)
    assert docker_client.api.containers(all=True, filters={"label": flt["label"]}) == []
    assert docker_client.api.networks(filters={"label": flt["label"]}) == []


def test_down_keeps_a_network_another_container_still_uses_and_a_rerun_converges(
        docker_client: Any, project_name: str, tmp_path: Path) -> None:
    """Compose's rule: a network some other running container is attached to is kept ("Resource is
    still in use") and `down` still succeeds; once that container is gone, the next `down` removes it."""
    p = project_name
    write(tmp_path, "services:\n  app:\n    image: cl-busybox\n"
                    "    command: [\"sh\", \"-c\", \"trap 'exit 0' TERM; sleep 3600 & wait\"]\n")
    cl(p, tmp_path, "up", "-d")
    stranger = docker_client.containers.run(
        "cl-busybox", ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"], detach=True,
        name=f"{p}-stranger", network=f"{p}_default")
    try:
        down = cl(p, tmp_path, "down", "-t", "1")
        assert f"network {p}_default kept: still in use by {p}-stranger" in down.stdout + down.stderr
        mine = {"label": f"com.docker.compose.project={p}"}
        assert docker_client.api.containers(all=True, filters=mine) == []
        assert docker_client.api.inspect_network(f"{p}_default")["Name"] == f"{p}_default"
    finally:
        stranger.remove(force=True)
    cl(p, tmp_path, "down")
    assert docker_client.api.networks(names=[f"{p}_default"]) == []


def test_down_rmi_local_removes_the_built_image_and_all_the_named_ones_too(
        docker_client: Any, project_name: str, tmp_path: Path) -> None:
    p = project_name
    named = f"{p}-named"  # a tag of this test's own on the local busybox image
    docker_client.images.get("cl-busybox").tag(named)
    write(tmp_path, f"""
services:
  built:
    build: .
    command: ["true"]
  named:
    image: {named}
    command: ["true"]
""")
    (tmp_path / "Dockerfile").write_text("FROM cl-busybox\nRUN echo built > /built\n")
    tags = lambda: {t for image in docker_client.images.list() for t in image.tags}  # noqa: E731
    try:
        cl(p, tmp_path, "up", "-d")
        local = cl(p, tmp_path, "down", "--rmi", "local")
        assert f" Image {p}-built:latest  Removed" in local.stderr, local.stderr  # named as Compose names it
        assert f"{p}-built:latest" not in tags() and f"{named}:latest" in tags()
        cl(p, tmp_path, "up", "-d")
        every = cl(p, tmp_path, "down", "--rmi", "all")
        assert f" Image {named}:latest  Removed" in every.stderr, every.stderr
        assert not {f"{p}-built:latest", f"{named}:latest"} & tags()
        assert "cl-busybox:latest" in tags()
    finally:
        if f"{named}:latest" in tags():
            docker_client.images.remove(named)
