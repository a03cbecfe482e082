"""Connections to an ``ssh://`` engine that last: one ``ssh … docker system dial-stdio`` process
serves many API calls, as one TCP connection does for a tcp:// engine.

The SDK's shelling-out ssh adapter builds a new connection pool for every request because its
connection cannot carry a second response: the first response closes the ssh process's stdout.
So every API call paid a full ssh handshake and left an ssh process behind; a 3-service `up`
opened ~30 sessions, and five deploys at once overran sshd's MaxStartups (handshakes beyond ten
pending are refused). Here each response borrows stdout without closing it, and the client keeps
one pool per host, so a command opens as many ssh sessions as it runs calls at once.

A new session proves itself with a ping before it carries a request, so a handshake that sshd
refused (busy) is retried after a pause instead of failing the call: nothing was sent yet; any
other failure (host, key, user) is reported at once, in ssh's own words. One
handshake at a time per command keeps several commands at once within sshd's MaxStartups. Dead
links are noticed by ssh's keepalives (the session ends) instead of a read that waits forever.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import signal
import socket
import subprocess
import tempfile
import threading
import time
from typing import Any

import requests.exceptions

HANDSHAKE_ATTEMPTS = 8
BACKOFF_S = 0.2  # doubled per attempt up to BACKOFF_MAX_S, jittered so refused peers do not return together
BACKOFF_MAX_S = 2.0
# A command opens its sessions one after the other: sshd counts every handshake in progress against
# MaxStartups (10 by default), and a burst of parallel calls would otherwise open many at once.
_ONE_HANDSHAKE_AT_A_TIME = threading.Lock()
# How ssh reports a handshake that sshd refused because too many were in progress (MaxStartups).
BUSY_SERVER = ("kex_exchange_identification", "Connection closed by remote host", "Connection reset by peer")
SSH_OPTIONS = ("-o", "ConnectTimeout=20", "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3")


class _LentStream:
    """The ssh process's stdout lent to one HTTP response: closing the response keeps it open."""

    def __init__(self, stream: Any, channel: Any) -> None:
        self._stream = stream
        self.channel = channel  # where the SDK finds the socket of a hijacked (attach, exec) stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def close(self) -> None:
        """The connection, not the response, owns the stream."""


def _ssh_environment() -> dict[str, str]:
    """As the SDK runs ssh: without the library and certificate paths a bundled Python sets."""
    return {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "SSL_CERT_FILE")}


def _ignore_sigint() -> None:
    """Ctrl-C is ours to handle: ssh keeps the session until we close it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def reuse_ssh_connections(client: Any) -> None:
    """Mount an ssh adapter on ``client`` that keeps its connections across calls."""
    from docker.transport import sshconn

    # Typed loosely: these extend the SDK's internals, whose attributes its stubs do not describe.
    SSHSocket: Any = sshconn.SSHSocket
    SSHConnection: Any = sshconn.SSHConnection
    SSHConnectionPool: Any = sshconn.SSHConnectionPool
    SSHHTTPAdapter: Any = sshconn.SSHHTTPAdapter

    class ReusableSocket(SSHSocket):
        def connect(self, **kwargs: Any) -> None:
            said = ""
            for attempt in range(HANDSHAKE_ATTEMPTS):
                if attempt:
                    time.sleep(min(BACKOFF_MAX_S, BACKOFF_S * 2 ** (attempt - 1)) * (1 + random.random()))
                # ssh's own messages go to a file, read if the session fails (ssh keeps its handle)
                with tempfile.TemporaryFile() as errors:
                    with _ONE_HANDSHAKE_AT_A_TIME:
                        self.proc = subprocess.Popen(self._argv(), env=_ssh_environment(),
                                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                     stderr=errors, preexec_fn=_ignore_sigint)
                        if self._answers_ping():
                            return
                    self.proc.kill()
                    self.proc.wait()
                    errors.seek(0)
                    said = " ".join(errors.read().decode(errors="replace").split())
                if not any(sign in said for sign in BUSY_SERVER):  # a wrong host, key or user: say so now
                    break
            raise requests.exceptions.ConnectionError(f"ssh to {self.host} failed: {said or 'no answer'}")

        def _argv(self) -> list[str]:
            user = ["-l", self.user] if self.user else []
            port = ["-p", self.port] if self.port else []
            return ["ssh", *SSH_OPTIONS, *user, *port, "--", self.host, "docker system dial-stdio"]

        def _answers_ping(self) -> bool:
            try:
                stdin: Any = self.proc.stdin
                stdin.write(b"GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n")
                stdin.flush()
                reply = http.client.HTTPResponse(self)  # reads through makefile: the lent stdout
                reply.begin()
                reply.read()
            except (OSError, ValueError, http.client.HTTPException):
                return False
            return reply.status == 200

        def makefile(self, mode: str) -> Any:
            if not self.proc:
                self.connect()
            return _LentStream(self.proc.stdout, self)

        def shutdown(self, how: int) -> None:
            """Half-close (end of an attached stdin): ssh passes the EOF on, and dial-stdio to the engine."""
            if self.proc is not None and how in (socket.SHUT_WR, socket.SHUT_RDWR):
                stdin: Any = self.proc.stdin
                stdin.close()

        def close(self) -> None:
            if self.proc is None:
                return
            with contextlib.suppress(OSError, ValueError):  # its ssh may have ended, stdin closed
                super().close()
            self.proc.terminate()
            self.proc.wait()  # reap it: a long `watch` would otherwise collect zombies

    class ReusableConnection(SSHConnection):
        def connect(self) -> None:
            sock = ReusableSocket(self.ssh_host)
            sock.connect()
            self.sock = sock

    class LivePool(SSHConnectionPool):
        def _new_conn(self) -> Any:
            return ReusableConnection(timeout=self.timeout, host=self.ssh_host)

        def _get_conn(self, timeout: float | None = None) -> Any:
            conn = super()._get_conn(timeout)
            proc = getattr(conn.sock, "proc", None)
            if proc is not None and proc.poll() is not None:  # its ssh ended (link lost): a new one
                conn.close()
                return self._new_conn()
            return conn

    class OnePoolPerHost(SSHHTTPAdapter):
        def get_connection(self, url: str | bytes, proxies: Any = None) -> Any:
            with self.pools.lock:
                pool = self.pools.get("ssh")
                if pool is None:
                    pool = self.pools["ssh"] = LivePool(timeout=self.timeout, maxsize=self.max_pool_size,
                                                        host=self.ssh_host)
            return pool

    given = client.get_adapter("http+docker://ssh")
    client.mount("http+docker://ssh", OnePoolPerHost(f"ssh://{given.ssh_host}", given.timeout,
                                                     max_pool_size=given.max_pool_size, shell_out=True))
    given.close()
