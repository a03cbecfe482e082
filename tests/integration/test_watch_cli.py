"""`cl watch` and `cl up --watch` as real processes, stopped with SIGINT (Ctrl-C)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl_argv, fetch, free_port, spawn, wait_for_line, wait_until
from tests.integration.watch_support import sync_project


def project(tmp_path: Path, port: int) -> Path:
    wd = sync_project(tmp_path, port)
    (wd / "api").mkdir()
    return wd


def initial_sync_then_an_edit_served(port: int, wd: Path) -> None:
    wait_until(lambda: fetch(port) == "v1", "the initial sync served", timeout=30)
    time.sleep(0.2)
    (wd / "www" / "index.html").write_text("v2")
    wait_until(lambda: fetch(port) == "v2", "the change served")


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
    proc = spawn(project_name, wd, "watch", "--stats", "--debounce", "30ms")
    try:
        initial_sync_then_an_edit_served(port, wd)
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
    proc = spawn(project_name, wd, "up", "--watch")
    try:
        initial_sync_then_an_edit_served(port, wd)
    finally:
        code, err = interrupt(proc)
    assert code == 130, err
    assert "Gracefully stopping... (press Ctrl+C again to force)" in err
    assert any(line.startswith("web     1 file changed → synced 1 (") for line in err.splitlines()), err
    assert docker_client.api.inspect_container(f"{project_name}-web-1")["State"]["Running"] is False


def test_watch_started_as_a_background_job_still_stops_on_sigint_and_sigterm(project_name: str,
                                                                            tmp_path: Path) -> None:
    # a shell starts `cl watch &` with SIGINT ignored; the watch must stop on it all the same
    port = free_port()
    wd = project(tmp_path, port)
    for sig in (signal.SIGINT, signal.SIGTERM):
        log = tmp_path / f"watch-{sig.name}.log"
        with open(log, "w") as sink:
            proc = subprocess.Popen(
                cl_argv(project_name, "watch"), cwd=wd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=sink, text=True, start_new_session=True,
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        try:
            wait_for_line(log, "Watching")  # the loop runs (and has its handlers) from here on
            proc.send_signal(sig)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert "watch stopped" in log.read_text(), log.read_text()
