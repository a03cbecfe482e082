"""A throwaway registry (Debian's docker-registry) on 127.0.0.1 or another address of this machine,
so `publish`, `push` and the test cluster's nodes have somewhere to go that is not outside it."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.integration.cl_helpers import free_port, http, wait_until


@contextmanager
def running_registry(workdir: Path, address: str = "127.0.0.1") -> Iterator[str]:
    """The registry's ``host:port``, listening on ``address``; stopped afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = workdir / "config.yml"
    config.write_text(f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {workdir / 'data'}\n"
                      f"http:\n  addr: {address}:{port}\n")
    proc = subprocess.Popen(["docker-registry", "serve", str(config)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: _answers(f"{address}:{port}"), f"the registry on {address}:{port}", timeout=20)
        yield f"{address}:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _answers(where: str) -> bool:
    """The registry's API answering; on an address other than loopback (the gateway of a test
    network, this machine's own address there) listening is enough: tests speak HTTP to loopback only."""
    host, _, port = where.rpartition(":")
    try:
        if host == "127.0.0.1":
            return http("GET", f"http://{where}/v2/")[0] == 200
        socket.create_connection((host, int(port)), timeout=1).close()
        return True
    except OSError:
        return False
