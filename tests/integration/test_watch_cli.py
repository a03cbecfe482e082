"""`cl watch` and `cl up --watch` as real processes, stopped with SIGINT (Ctrl-C)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.integration.watch_support import HTTPD, fetch, free_port, wait_until


def project(tmp_path: Path, port: int) -> Path:
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text("v1")
    (tmp_path / "api").mkdir()
    (tmp_path / "compose.yaml").write_text(f"""
services:
  web:
    image: cl-busybox
    init: true
    command: {HTTPD.format(prep="")}
    ports: ["127.0.0.1:{port}:80"]
    develop:
      watch:
        - {{path: ./www, action: sync, target: /www, initial_sync: true}}
""")
    return tmp_path


def start(project_name: str, wd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "compose_lite", "-p", project_name, "--progress", "plain", *args],
        cwd=wd, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def interrupt(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"did not stop on SIGINT:\n{err}") from None
    return proc.returncode, err


def test_cl_watch_until_ctrl_c(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    port = free_port()
    wd = project(tmp_path, port)
    proc = start(project_name, wd, "watch", "--stats", "--debounce", "30ms")
    try:
        wait_until(lambda: fetch(port) == "v1", "the initial sync served", timeout=30)
        time.sleep(0.2)
        (wd / "www" / "index.html").write_text("v2")
        wait_until(lambda: fetch(port) == "v2", "the change served")
    finally:
        code, err = interrupt(proc)
    assert code == 0, err
    lines = err.splitlines()
    assert "Watching 3 paths for changes (Ctrl-C to stop)" in lines
    assert any(line.startswith("web     initial sync → synced 1 (") for line in lines), err
    assert any(line.startswith("web     1 file changed → synced 1 (") for line in lines), err
    assert "watch stopped; the services keep running (`cl down` removes them)" in lines
    assert "watch latency, file change → action done:" in lines
    assert any(line.startswith("  sync  n=1  p50 ") for line in lines), err
    # `cl watch` leaves the stack running.
    assert docker_client.api.inspect_container(f"{project_name}-web-1")["State"]["Running"] is True


def test_up_watch_attached_ctrl_c_stops_the_stack(docker_client: Any, project_name: str,
                                                   tmp_path: Path) -> None:
    port = free_port()
    wd = project(tmp_path, port)
    proc = start(project_name, wd, "up", "--watch")
    try:
        wait_until(lambda: fetch(port) == "v1", "the initial sync served", timeout=30)
        time.sleep(0.2)
        (wd / "www" / "index.html").write_text("v2")
        wait_until(lambda: fetch(port) == "v2", "the change served")
    finally:
        code, err = interrupt(proc)
    assert code == 130, err
    assert "Gracefully stopping... (press Ctrl+C again to force)" in err
    assert any(line.startswith("web     1 file changed → synced 1 (") for line in err.splitlines()), err
    assert docker_client.api.inspect_container(f"{project_name}-web-1")["State"]["Running"] is False
