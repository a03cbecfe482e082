"""The one place integration tests run `cl` as a subprocess, and their shared probes and bounded waits."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from tests.integration.conftest import PROJECT_LABEL

CL = [sys.executable, "-m", "compose_lite"]

Output = int | IO[Any] | None  # what subprocess accepts for stdout/stderr


# Two services that stop at once on SIGTERM, b after a: the smallest stack with an order to keep.
TWO_SLEEPERS = """
services:
  a:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  b:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on: [a]
"""

def cl_argv(project: str | None, *args: str, progress: str | None = "plain") -> list[str]:
    """`cl [-p PROJECT] [--progress MODE] ARGS…`; None leaves the option out."""
    argv = [*CL]
    if project is not None:
        argv += ["-p", project]
    if progress is not None:
        argv += ["--progress", progress]
    return [*argv, *args]


def _env(extra: Mapping[str, str] | None) -> dict[str, str]:
    return {**os.environ, **(extra or {})}


def cl(project: str | None, cwd: Path, *args: str, env: Mapping[str, str] | None = None,
       timeout: float = 120, check: bool = True, input: str = "",
       progress: str | None = "plain") -> subprocess.CompletedProcess[str]:
    """Run `cl` to completion, output captured; with check, a non-zero exit fails the test with both streams.
    ``env`` is added to this process's environment."""
    done = subprocess.run(cl_argv(project, *args, progress=progress), cwd=cwd, env=_env(env),
                          capture_output=True, text=True, timeout=timeout, input=input, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"cl {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def spawn(project: str | None, cwd: Path, *args: str, env: Mapping[str, str] | None = None,
          progress: str | None = "plain", stdout: Output = subprocess.PIPE,
          stderr: Output = subprocess.PIPE) -> subprocess.Popen[str]:
    """`cl` in the background, in its own process group (so a test can signal it as a terminal would)."""
    return subprocess.Popen(cl_argv(project, *args, progress=progress), cwd=cwd, env=_env(env),
                            stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, text=True,
                            start_new_session=True)


@contextmanager
def spawned(project: str | None, cwd: Path, *args: str, env: Mapping[str, str] | None = None,
            progress: str | None = "plain", stdout: Output = subprocess.PIPE,
            stderr: Output = subprocess.PIPE) -> Iterator[subprocess.Popen[str]]:
    """spawn(), and its process group SIGKILLed on the way out if the test left it running."""
    proc = spawn(project, cwd, *args, env=env, progress=progress, stdout=stdout, stderr=stderr)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)


def write(workdir: Path, text: str) -> Path:
    """workdir/compose.yaml holding text; returns workdir."""
    (workdir / "compose.yaml").write_text(text)
    return workdir


def containers(client: Any, project: str, *, include_stopped: bool = True) -> dict[str, Any]:
    """The project's containers (by label) keyed by name."""
    found = client.api.containers(all=include_stopped, filters={"label": f"{PROJECT_LABEL}={project}"})
    return {c["Names"][0].lstrip("/"): c for c in found}


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


def fetch(port: int, path: str = "/index.html", timeout: float = 0.5) -> str | None:
    """The text served at 127.0.0.1:port/path, or None while nothing (good) is served there."""
    try:
        status, body = http("GET", f"http://127.0.0.1:{port}{path}", timeout=timeout)
    except OSError:  # refused, reset, timed out: not serving yet
        return None
    return body.decode() if 200 <= status < 300 else None


def wait_until(check: Callable[[], bool], what: str | Callable[[], str], timeout: float = 20,
               interval: float = 0.05) -> None:
    """Poll check until it holds; after timeout seconds fail with what (called then, if callable)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what() if callable(what) else what}")


def wait_for_json(url: str, predicate: Callable[[Any], bool], timeout: float = 30) -> Any:
    """Poll url until its JSON answer satisfies predicate; return that answer."""
    last: list[Any] = [None]

    def satisfied() -> bool:
        try:
            status, body = http("GET", url, timeout=2)
            if status != 200:
                return False
            last[0] = json.loads(body)
            return bool(predicate(last[0]))
        except (OSError, ValueError):
            return False

    wait_until(satisfied, lambda: f"{url} to satisfy the condition; last answer: {last[0]!r}", timeout,
               interval=0.1)
    return last[0]


def wait_for_line(log: Path, needle: str, timeout: float = 30) -> str:
    """The first line of a log file holding needle, once there is one."""
    found: list[str] = []

    def seen() -> bool:
        found[:] = [line for line in log.read_text().splitlines() if needle in line][:1]
        return bool(found)

    wait_until(seen, lambda: f"{needle!r} in {log}:\n{log.read_text()}", timeout, interval=0.1)
    return found[0]
