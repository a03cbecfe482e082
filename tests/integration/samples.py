"""Helpers for running the repository's samples through `cl` in throwaway copies."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"


def copy_sample(name: str, dest: Path) -> Path:
    """A private copy, so tests may edit files without touching the repository."""
    target = dest / name
    shutil.copytree(SAMPLES / name, target, symlinks=True)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cl(*args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 180,
       check: bool = True) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "compose_lite", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"cl {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def http(method: str, url: str, body: bytes | None = None, timeout: float = 5,
         headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
    """One request to a 127.0.0.1 URL; HTTP errors are returned, not raised."""
    assert url.startswith("http://127.0.0.1:"), "tests talk to published loopback ports only"
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def wait_for_json(url: str, predicate: object, timeout: float = 30) -> object:
    """Poll (every 100 ms, bounded) until the JSON at url satisfies predicate; return it."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            status, body = http("GET", url, timeout=2)
            if status == 200:
                last = json.loads(body)
                if callable(predicate) and predicate(last):
                    return last
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never satisfied the condition within {timeout}s; last answer: {last!r}")


def wait_for_line(log: Path, needle: str, timeout: float = 30) -> str:
    """The first line of a log file holding needle (bounded wait)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if needle in line:
                return line
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} never appeared in {log}:\n{log.read_text()}")
