"""A throwaway registry on 127.0.0.1 (Debian's docker-registry), so `publish` and `push` have
somewhere to go that is not outside this machine."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.integration.cl_helpers import free_port, http, wait_until


@contextmanager
def running_registry(workdir: Path) -> Iterator[str]:
    """The registry's ``host:port``; stopped and its storage gone afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = workdir / "config.yml"
    config.write_text(f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {workdir / 'data'}\n"
                      f"http:\n  addr: 127.0.0.1:{port}\n")
    proc = subprocess.Popen(["docker-registry", "serve", str(config)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: _answers(port), f"the registry on 127.0.0.1:{port}", timeout=20)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        return http("GET", f"http://127.0.0.1:{port}/v2/")[0] == 200
    except OSError:
        return False
