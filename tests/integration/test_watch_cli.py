"""`cl watch` and `cl up --watch` as real processes, stopped with SIGINT (Ctrl-C)."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl_argv, fetch, free_port, spawn, wait_for_line, wait_until
from tests.integration.watch_support import sync_project


def project(tmp_path: Path, port: int) -> Path:
    wd = sync_project(tmp_path, port)
    (wd / "api").mkdir()
    return wd


def edited_while_watching(project_name: str, wd: Path, port: int, *args: str) -> tuple[int, str]:
    """Run `cl ARGS`; once it says it is watching (an edit before that is the initial sync's), change
    a watched file, see the change served, then Ctrl-C. Its exit code and standard error."""
    log = wd.parent / f"{wd.name}-cl-stderr.log"  # outside the watched tree
    with log.open("w") as sink:
        proc = spawn(project_name, wd, *args, stderr=sink)
        try:
            wait_for_line(log, "Watching ", timeout=60)
            wait_until(lambda: fetch(port) == "v1", "the initial sync served", timeout=30)
            (wd / "www" / "index.html").write_text("v2")
            wait_until(lambda: fetch(port) == "v2", "the change served")
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise AssertionError(f"did not stop on SIGINT:\n{log.read_text()}") from None
    return proc.returncode, log.read_text()


def test_cl_watch_until_ctrl_c(docker_client: Any, project_name: str, tmp_path: Path) -> None:
    port = free_port()
    wd = project(tmp_path, port)
    code, err = edited_while_watching(project_name, wd, port, "watch", "--stats", "--debounce", "30ms")
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
    code, err = edited_while_watching(project_name, wd, port, "up", "--watch")
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
