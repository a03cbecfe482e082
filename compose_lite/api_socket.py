"""``use_api_socket: true``: the engine's socket and the user's registry credentials in the
container, the transformation the docker CLI's ``--use-api-socket`` and Compose make on the client.

The socket is bind-mounted at the same path, ``DOCKER_CONFIG`` points at a config.json holding
only the credentials (credential stores resolved), unless the service sets ``DOCKER_CONFIG``
itself: then it is assumed to bring its own.
"""

from __future__ import annotations

import base64
import json
import os
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


def config_json(environ: Mapping[str, str]) -> str:
    """The docker CLI's credentials as a config.json of ``auths`` only, written as the CLI writes
    it (tab-indented, each entry's user and password as one base64 ``auth``)."""
    from docker.auth import load_config  # the SDK reads config.json and runs credential helpers

    directory = environ.get("DOCKER_CONFIG") or os.path.join(environ.get("HOME") or "~", ".docker")
    path = os.path.expanduser(os.path.join(directory, "config.json"))
    config = load_config(config_path=path if os.path.isfile(path) else None)
    auths: dict[str, dict[str, str]] = {}
    for registry, creds in sorted(config.get_all_credentials().items()):
        if creds is None:  # a credential store that knows nothing for it
            continue
        # config.json entries come lowercased, credential-store answers capitalised
        found = {key.lower(): value for key, value in creds.items() if value}
        entry = {}
        if found.get("username"):
            pair = f"{found['username']}:{found.get('password', '')}"
            entry["auth"] = base64.b64encode(pair.encode()).decode()
        if found.get("identitytoken"):
            entry["identitytoken"] = found["identitytoken"]
        auths[registry] = entry
    return json.dumps({"auths": auths}, indent="\t")
