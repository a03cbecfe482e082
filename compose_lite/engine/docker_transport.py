"""Reaching the engine: which host (-H, DOCKER_HOST, contexts), connection reuse on a unix
socket, keeping paramiko out unless ssh:// is used, and the raw terminal pump of attached
sessions."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Mapping
from typing import Any

from compose_lite.engine.base import Session
from compose_lite.errors import EngineUnavailableError

log = logging.getLogger(__name__)
DEFAULT_SOCKET = "unix:///var/run/docker.sock"
START_HINT = ("start the engine (`sudo systemctl start docker`, or `sudo dockerd`), "
              "or point -H / DOCKER_HOST at one")
# The version a client is made with when it is to negotiate one: it negotiates once our connection
# reuse is mounted, as the SDK would negotiate through a connection (an ssh session) it then drops.
UNNEGOTIATED = "1.24"
SSH_HINT = ("check the ssh link (`ssh {target} docker version`); what was done so far stays, and running "
            "the command again goes on from there")


def ssh_target(base_url: str) -> str:
    """``ssh://user@host:2222`` as ssh's own command line says it: ``-p 2222 user@host``."""
    from urllib.parse import urlsplit

    url = urlsplit(base_url)
    where = f"{url.username}@{url.hostname}" if url.username else str(url.hostname)
    return f"-p {url.port} {where}" if url.port else where


def resolve_host(host: str | None, environ: Mapping[str, str]) -> tuple[str, str]:
    """(base_url, how it was chosen): -H / DOCKER_HOST, else DOCKER_CONTEXT, else the docker CLI's
    current context (``currentContext`` in its config.json), else the default socket."""
    if host:
        return host, "DOCKER_HOST" if host == environ.get("DOCKER_HOST") else "-H"
    context = environ.get("DOCKER_CONTEXT") or _current_context(environ)
    if context and context != "default":
        from docker.context import ContextAPI

        ctx = ContextAPI.get_context(context)
        if ctx is None:
            where = "DOCKER_CONTEXT" if environ.get("DOCKER_CONTEXT") else "the docker CLI's current context"
            raise EngineUnavailableError(f"Docker context {context!r} ({where}) does not exist",
                                         hint="list contexts with `docker context ls`")
        return str(ctx.Host), f"context {context}"
    return DEFAULT_SOCKET, "default socket"


def _current_context(environ: Mapping[str, str]) -> str | None:
    """The docker CLI's ``currentContext``, read from its config file (cheap: no SDK import)."""
    directory = environ.get("DOCKER_CONFIG") or os.path.join(environ.get("HOME") or os.path.expanduser("~"),
                                                             ".docker")
    try:
        with open(os.path.join(directory, "config.json"), encoding="utf-8") as handle:
            current = json.load(handle).get("currentContext")
    except (OSError, ValueError, AttributeError):
        return None
    return str(current) if current else None


def reuse_unix_connections(client: Any) -> None:
    """Give the client one connection pool for its socket instead of one per request URL.

    The SDK's unix-socket adapter keys its pools by the whole URL, so every call about one container
    (start, stop, inspect of an id) opens a new connection in a new pool and evicts an older pool:
    ~180 pools for a 30-service `up`, each built, connected and torn down. One pool per socket keeps
    the connections alive across calls, as the SDK's TCP transport (through requests) already does.
    """
    from docker.transport import UnixHTTPAdapter

    class OnePoolPerSocket(UnixHTTPAdapter):
        def get_connection(self, url: str | bytes, proxies: Any = None) -> Any:
            return super().get_connection("http+docker://localhost", proxies)

    negotiated = client.get_adapter("http+docker://localhost")
    client.mount("http+docker://", OnePoolPerSocket(
        f"http+unix://{negotiated.socket_path}", negotiated.timeout, max_pool_size=negotiated.max_pool_size))
    negotiated.close()


def skip_paramiko_unless_ssh() -> None:
    """Keep the SDK from importing paramiko (~90 ms): called only for hosts that are not ssh://.

    docker.transport imports its ssh adapter, and with it paramiko, whenever paramiko can be
    imported, although only ssh:// hosts use it.  A ``None`` entry in sys.modules makes that
    import fail fast, which the SDK handles by leaving the ssh adapter out.  One process talks to
    one host, so nothing else in it needs paramiko.
    """
    if "docker" not in sys.modules:
        sys.modules.setdefault("paramiko", None)  # type: ignore[arg-type]


def pump(sock: Any, session: Session) -> None:
    """Copy stdin into a hijacked connection and its output to the session's streams until it ends."""

    from docker.utils.socket import frames_iter

    if session.stdin:
        threading.Thread(target=feed, args=(getattr(sock, "_sock", sock), session.stdin_fd), daemon=True,
                         name="cl-stdin").start()
    try:
        with RawTerminal(session.stdin_fd if session.tty else None):
            for stream_id, data in frames_iter(sock, session.tty):
                out = session.stderr if stream_id == 2 else session.stdout
                if out is not None:
                    out.write(data)
                    out.flush()
    finally:
        sock.close()


def feed(raw: Any, fd: int) -> None:
    """stdin → container; end of input half-closes the connection so the process sees EOF."""
    import socket

    try:
        while data := os.read(fd, 4096):
            raw.sendall(data)
        raw.shutdown(socket.SHUT_WR)
    except OSError as err:  # the container ended first, or stdin is closed
        log.debug("stdin copy ended: %s", err)


class RawTerminal:
    """Puts a terminal in raw mode for a TTY session (keys go to the container) and restores it."""

    def __init__(self, fd: int | None) -> None:
        self._saved: Any = None
        self._fd = fd

    def __enter__(self) -> None:
        if self._fd is not None and os.isatty(self._fd):
            import termios
            import tty

            self._saved = termios.tcgetattr(self._fd)
            tty.setraw(self._fd)

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None and self._fd is not None:
            import termios

            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
