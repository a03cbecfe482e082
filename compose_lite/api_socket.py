"""``use_api_socket: true``: the engine's socket and the user's registry credentials in the
container, the transformation the docker CLI's ``--use-api-socket`` and Compose make on the client.

The socket is bind-mounted at the same path, ``DOCKER_CONFIG`` points at a config.json holding
only the credentials (credential stores resolved), unless the service sets ``DOCKER_CONFIG``
itself: then it is assumed to bring its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace

from compose_lite.model import Mount, Service
from compose_lite.state import FileCopy

SOCKET = "/var/run/docker.sock"
CONFIG_DIR = "/run/secrets/docker"


def with_api_socket(svc: Service) -> Service:
    """The service with the socket mounted and DOCKER_CONFIG set (a service without the key as it is)."""
    if not svc.use_api_socket:
        return svc
    environment = dict(svc.environment)
    environment.setdefault("DOCKER_CONFIG", CONFIG_DIR)
    socket = Mount(type="bind", source=SOCKET, target=SOCKET)
    return replace(svc, mounts=(*svc.mounts, socket), environment=environment)


def credentials_file(config_json: str) -> FileCopy:
    return FileCopy(target=f"{CONFIG_DIR}/config.json", content=config_json.encode(), mode=0o444)


def config_json(auths: Mapping[str, Mapping[str, str]]) -> str:
    """The credentials as the docker CLI writes a config.json of ``auths`` only (tab-indented)."""
    return json.dumps({"auths": dict(sorted(auths.items()))}, indent="\t")
