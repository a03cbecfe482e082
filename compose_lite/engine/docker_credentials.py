"""The docker CLI's registry credentials, as its config.json and credential stores hold them."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping


def cli_auths(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """registry → its config.json ``auths`` entry (``auth`` = base64 of user:password, or an
    ``identitytoken``), credential stores and helpers resolved by the SDK; ``DOCKER_CONFIG`` or
    ``~/.docker`` of the given environment."""
    from docker.auth import load_config

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
    return auths
