"""Pushing OCI artifacts to a registry over the distribution API (what `publish` needs).

A small client over ``requests`` (already installed with the docker SDK): blobs are uploaded in
one request each (POST for an upload URL, then PUT with the digest), a manifest by tag. A
registry that answers 401 is asked again with the credentials of the docker CLI's config
(``~/.docker/config.json`` ``auths``): basic auth, or the token its Bearer challenge points to.
HTTPS always; a registry on this machine (localhost, 127.0.0.1, ::1) that does not speak TLS is
spoken to over plain HTTP, as the docker engine treats loopback registries.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compose_lite.errors import ConfigError, EngineError

DOCKER_HUB = "registry-1.docker.io"
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
# the distribution reference grammar's path: components joined by "/", separators ".", "_", "__", "-"+
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")


@dataclass(frozen=True)
class Reference:
    """``[host[:port]/]repository[:tag]``, with Docker's defaults filled in."""

    host: str
    repository: str
    tag: str

    @classmethod
    def parse(cls, text: str) -> Reference:
        name, tag = text, "latest"
        if "@" in text:
            raise ConfigError(f"invalid reference {text!r}: publish to a tag, not a digest",
                              hint="e.g. registry.example.com/team/app:1.0")
        last = text.rsplit("/", 1)[-1]
        if ":" in last:
            name, tag = text.rsplit(":", 1)
        first, _, rest = name.partition("/")
        if rest and ("." in first or ":" in first or first == "localhost"):
            host, repository = first, rest
        else:
            host, repository = DOCKER_HUB, name if "/" in name else f"library/{name}"
        if not _REPOSITORY.fullmatch(repository) or not re.fullmatch(r"[\w][\w.-]{0,127}", tag):
            raise ConfigError(f"invalid reference {text!r}",
                              hint="a lowercase repository path and an optional :tag, "
                                   "e.g. registry.example.com/team/app:1.0")
        return cls(host, repository, tag)

    def __str__(self) -> str:
        return f"{self.host}/{self.repository}:{self.tag}"


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class RegistryRefusal(EngineError):
    """The registry answered, with an HTTP status that says no."""

    def __init__(self, message: str, *, status: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class Registry:
    """One registry host; errors are EngineError with the registry's own words."""

    def __init__(self, host: str, environ: Mapping[str, str]) -> None:
        import requests

        self._host = host
        self._local = host.split(":")[0] in _LOCAL_HOSTS or host.startswith("[::1]")
        self._base = f"https://{host}"
        self._session = requests.Session()
        self._credentials = _credentials(host, environ)
        self._token: str | None = None

    def blob_exists(self, repository: str, digest: str) -> bool:
        return self._request("HEAD", f"/v2/{repository}/blobs/{digest}", ok=(200, 404)).status_code == 200

    def push_blob(self, repository: str, data: bytes) -> str:
        digest = digest_of(data)
        if self.blob_exists(repository, digest):
            return digest
        started = self._request("POST", f"/v2/{repository}/blobs/uploads/", ok=(202,))
        location = started.headers.get("Location", "")
        url = location if location.startswith("http") else f"{self._base}{location}"
        url += ("&" if "?" in url else "?") + f"digest={digest}"
        self._request("PUT", url, ok=(201,), data=data, headers={"Content-Type": "application/octet-stream"})
        return digest

    def push_manifest(self, repository: str, reference: str, manifest: bytes, media_type: str) -> str:
        self._request("PUT", f"/v2/{repository}/manifests/{reference}", ok=(201,), data=manifest,
                      headers={"Content-Type": media_type})
        return digest_of(manifest)

    def _request(self, method: str, path_or_url: str, *, ok: tuple[int, ...], **kwargs: Any) -> Any:
        import requests

        url = path_or_url if path_or_url.startswith("http") else f"{self._base}{path_or_url}"
        headers = dict(kwargs.pop("headers", {}))
        for attempt in range(2):
            if self._token:
                headers["Authorization"] = self._token
            try:
                response = self._session.request(method, url, headers=headers, timeout=60, **kwargs)
            except requests.exceptions.SSLError as err:
                if not (self._local and url.startswith("https://")):
                    raise EngineError(f"registry {self._host}: {err}",
                                      hint="check the registry's TLS certificate") from None
                self._base = f"http://{self._host}"  # a loopback registry without TLS
                return self._request(method, url.replace("https://", "http://", 1), ok=ok, headers=headers,
                                     **kwargs)
            except requests.RequestException as err:
                raise EngineError(f"registry {self._host}: {err}",
                                  hint="check the registry address and that it is reachable") from None
            if response.status_code == 401 and attempt == 0 and self._authenticate(response):
                continue
            if response.status_code not in ok:
                status = response.status_code
                raise RegistryRefusal(f"registry {self._host}: {method} {url.split('?')[0]} answered "
                                      f"{status} {_said(response)}", status=status,
                                      hint="`docker login` to it first" if status in (401, 403) else None)
            return response
        raise AssertionError("unreachable")

    def _authenticate(self, refused: Any) -> bool:
        """Answer the registry's challenge once; False when there is nothing to answer it with."""
        import requests

        challenge = refused.headers.get("WWW-Authenticate", "")
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() == "basic":
            if self._credentials is None:
                return False
            self._token = f"Basic {self._credentials}"
            return True
        if scheme.lower() != "bearer":
            return False
        fields = dict(re.findall(r'(\w+)="([^"]*)"', params))
        realm = fields.pop("realm", "")
        headers = {"Authorization": f"Basic {self._credentials}"} if self._credentials else {}
        try:
            answer = self._session.get(realm, params=fields, headers=headers, timeout=60)
        except requests.RequestException as err:
            raise EngineError(f"registry {self._host}: token from {realm}: {err}") from None
        if answer.status_code != 200:
            return False
        body = answer.json()
        token = body.get("token") or body.get("access_token")
        self._token = f"Bearer {token}" if token else None
        return bool(token)


def _said(response: Any) -> str:
    try:
        errors = response.json().get("errors") or []
        return "; ".join(str(e.get("message", e)) for e in errors) or response.reason
    except ValueError:
        return str(response.reason)


def _credentials(host: str, environ: Mapping[str, str]) -> str | None:
    """``user:password`` in base64 for ``host``, from the docker CLI's config (None when absent)."""
    config_dir = environ.get("DOCKER_CONFIG") or os.path.join(environ.get("HOME", os.path.expanduser("~")),
                                                             ".docker")
    try:
        with open(os.path.join(config_dir, "config.json"), encoding="utf-8") as handle:
            auths = (json.load(handle) or {}).get("auths") or {}
    except (OSError, ValueError):
        return None
    keys = [host, f"https://{host}", f"http://{host}"]
    if host == DOCKER_HUB:
        keys += ["https://index.docker.io/v1/", "docker.io", "index.docker.io"]
    for key in keys:
        entry = auths.get(key) or {}
        if entry.get("auth"):
            return str(entry["auth"])
        if entry.get("username") and entry.get("password"):
            return base64.b64encode(f"{entry['username']}:{entry['password']}".encode()).decode()
    return None
