"""`cl down`: what goes, what stays (named volumes without -v, external resources always)."""

from __future__ import annotations

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
