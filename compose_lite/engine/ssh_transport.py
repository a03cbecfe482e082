"""Connections to an ``ssh://`` engine that last: one ``ssh … docker system dial-stdio`` process
serves many API calls, as one TCP connection does for a tcp:// engine.

The SDK's shelling-out ssh adapter builds a new connection pool for every request because its
connection cannot carry a second response: the first response closes the ssh process's stdout.
So every API call paid a full ssh handshake and left an ssh process behind; a 3-service `up`
opened ~30 sessions, and five deploys at once overran sshd's MaxStartups (handshakes beyond ten
pending are refused). Here each response borrows stdout without closing it, and the client keeps
one pool per host, so a command opens as many ssh sessions as it runs calls at once.
"""

from __future__ import annotations

from typing import Any


class _LentStream:
    """The ssh process's stdout lent to one HTTP response: closing the response keeps it open."""

    def __init__(self, stream: Any, channel: Any) -> None:
        self._stream = stream
        self.channel = channel  # where the SDK finds the socket of a hijacked (attach, exec) stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def close(self) -> None:
        """The connection, not the response, owns the stream."""


def reuse_ssh_connections(client: Any) -> None:
    """Mount an ssh adapter on ``client`` that keeps its connections across calls."""
    from docker.transport import sshconn

    # Typed loosely: these extend the SDK's internals, whose attributes its stubs do not describe.
    SSHSocket: Any = sshconn.SSHSocket
    SSHConnection: Any = sshconn.SSHConnection
    SSHConnectionPool: Any = sshconn.SSHConnectionPool
    SSHHTTPAdapter: Any = sshconn.SSHHTTPAdapter

    class ReusableSocket(SSHSocket):
        def makefile(self, mode: str) -> Any:
            if not self.proc:
                self.connect()
            return _LentStream(self.proc.stdout, self)

        def close(self) -> None:
            super().close()
            if self.proc is not None:
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
