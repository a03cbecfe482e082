"""Attached `cl up` on the real engine: output, exit codes, abort flags, restart policies, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, containers, spawned, wait_until, write

SERVER = ('["sh", "-c", "trap \'exit 0\' TERM; echo {name} ready; while true; do sleep 0.2; done"]')


def wait_for(proc: subprocess.Popen[str], client: Any, project: str, count: int, timeout: float = 20) -> None:
    def started() -> bool:
        found = containers(client, project)
        if len(found) == count and all(c["State"] == "running" for c in found.values()):
            return True
        assert proc.poll() is None, proc.communicate()
        return False

    wait_until(started, f"{count} running containers", timeout, interval=0.1)
    time.sleep(0.5)  # let the session attach its readers


def test_exit_code_from_and_aligned_plain_output(tmp_path: Path, project_name: str,
                                                  docker_client: Any) -> None:
    d = write(tmp_path, f"""
services:
  server-long:
    image: cl-busybox
    command: {SERVER.format(name="server")}
  job:
    image: cl-busybox
    command: ["sh", "-c", "sleep 1; echo job says hi; echo to stderr >&2; exit 5"]
""")
    done = cl(project_name, d, "up", "--exit-code-from", "job", check=False, timeout=60)
    assert done.returncode == 5, done.stderr
    lines = done.stdout.splitlines()
    assert "job-1          | job says hi" in lines and "job-1          | to stderr" in lines
    assert "server-long-1  | server ready" in lines
    assert "job-1 exited with code 5" in lines
    assert "\x1b[" not in done.stdout
    assert "Aborting on container exit..." in done.stderr
    assert f"Container {project_name}-server-long-1  Stopped" in done.stderr
    assert {c["State"] for c in containers(docker_client, project_name).values()} == {"exited"}


def test_abort_on_failure_but_not_for_a_crash_under_a_restart_policy(tmp_path: Path, project_name: str,
                                                                    docker_client: Any) -> None:
    d = write(tmp_path, f"""
services:
  server:
    image: cl-busybox
    command: {SERVER.format(name="server")}
  flaky:
    image: cl-busybox
    restart: always
    command: ["sh", "-c", "echo crashing; sleep 0.3; exit 1"]
""")
    with spawned(project_name, d, "up", "--abort-on-container-failure") as proc:
        time.sleep(5)  # the flaky service crashes and is restarted several times meanwhile
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert out.count("flaky-1 exited with code 1") >= 2, out
    assert out.count("flaky-1   | crashing") >= 2, out


def test_abort_on_container_exit_returns_that_code(tmp_path: Path, project_name: str) -> None:
    d = write(tmp_path, f"""
services:
  server:
    image: cl-busybox
    command: {SERVER.format(name="server")}
  once:
    image: cl-busybox
    command: ["sh", "-c", "sleep 1; exit 0"]
""")
    done = cl(project_name, d, "up", "--abort-on-container-exit", "--no-attach", "server", check=False)
    assert done.returncode == 0, done.stderr
    assert "server ready" not in done.stdout and "once-1 exited with code 0" in done.stdout
    assert done.stdout.startswith("Attaching to once-1\n")  # stdout, as Compose writes it


def test_json_progress_carries_the_session_notices_and_stdout_only_the_output(tmp_path: Path,
                                                                             project_name: str) -> None:
    d = write(tmp_path, """
services:
  once:
    image: cl-busybox
    command: ["sh", "-c", "echo hi; exit 3"]
""")
    done = cl(project_name, d, "up", "--abort-on-container-exit", check=False, progress="json")
    assert done.returncode == 3, done.stderr
    records = [json.loads(line) for line in done.stderr.splitlines()]  # every line is JSON
    assert {"level": "info", "message": "Aborting on container exit..."} in records
    assert done.stdout.splitlines() == ["Attaching to once-1", "once-1  | hi", "once-1 exited with code 3"]


def test_what_a_post_start_hook_prints_is_shown_under_the_container_with_an_arrow(
        tmp_path: Path, project_name: str) -> None:
    d = write(tmp_path, """
services:
  once:
    image: cl-busybox
    command: ["sh", "-c", "sleep 1; echo hi"]
    post_start:
      - command: ["echo", "hook says hi"]
""")
    done = cl(project_name, d, "up")
    # one exit line: the engine lists the container as running a moment after its output ended,
    # which once resumed its reader and printed the line twice
    assert done.stdout.splitlines() == ["Attaching to once-1", "once-1 ->  | hook says hi",
                                        "once-1     | hi", "once-1 exited with code 0"]


def test_sigint_to_the_process_group_stops_everything(tmp_path: Path, project_name: str,
                                                       docker_client: Any) -> None:
    d = write(tmp_path, f"""
services:
  db:
    image: cl-busybox
    command: {SERVER.format(name="db")}
  web:
    image: cl-busybox
    command: {SERVER.format(name="web")}
    depends_on: [db]
""")
    with spawned(project_name, d, "up") as proc:
        wait_for(proc, docker_client, project_name, 2)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Gracefully stopping... (press Ctrl+C again to force)" in err
    assert err.index(f"Container {project_name}-web-1  Stopped") < err.index(
        f"Container {project_name}-db-1  Stopping")
    assert "db-1   | db ready" in out and "web-1 exited with code 0" in out
    assert {c["State"] for c in containers(docker_client, project_name).values()} == {"exited"}


def test_second_sigint_kills_at_once(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    d = write(tmp_path, """
services:
  stubborn:
    image: cl-busybox
    command: ["sleep", "300"]   # PID 1 without a TERM handler: SIGTERM is ignored
    stop_grace_period: 60s
""")
    with spawned(project_name, d, "up") as proc:
        wait_for(proc, docker_client, project_name, 1)
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(1.0)
        assert proc.poll() is None  # still waiting for the graceful stop
        began = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - began
    assert proc.returncode == 130, err
    assert took < 5, took
    assert "Killing..." in err
    assert {c["State"] for c in containers(docker_client, project_name).values()} == {"exited"}


def test_sigterm_stops_gracefully(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    d = write(tmp_path, f"""
services:
  web:
    image: cl-busybox
    command: {SERVER.format(name="web")}
""")
    with spawned(project_name, d, "up") as proc:
        wait_for(proc, docker_client, project_name, 1)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert {c["State"] for c in containers(docker_client, project_name).values()} == {"exited"}


def test_named_services_show_only_their_output_unless_attach_dependencies(tmp_path: Path, project_name: str,
                                                                          docker_client: Any) -> None:
    d = write(tmp_path, """
services:
  db:
    image: cl-busybox
    command: ["sh", "-c", "echo db says hi; sleep 0.5; exit 2"]
  web:
    image: cl-busybox
    command: ["sh", "-c", "sleep 1.5; echo web says hi"]
    depends_on: [db]
""")
    done = cl(project_name, d, "up", "--abort-on-container-exit", "web", check=False)
    assert done.returncode == 0, done.stderr  # db's exit did not abort: only web is attached
    assert "web-1  | web says hi" in done.stdout.splitlines() and "db says hi" not in done.stdout
    done = cl(project_name, d, "up", "--attach-dependencies", "--no-log-prefix", "web", check=False)
    assert done.returncode == 0, done.stderr
    assert {"db says hi", "web says hi"} <= set(done.stdout.splitlines())


def test_colours_on_request_and_timestamps(tmp_path: Path, project_name: str) -> None:
    d = write(tmp_path, """
services:
  job:
    image: cl-busybox
    command: ["sh", "-c", "echo painted"]
""")
    coloured = cl(project_name, d, "--ansi", "always", "up", check=False).stdout
    assert "\x1b[36mjob-1  | \x1b[0mpainted" in coloured.splitlines()
    plain = cl(project_name, d, "--ansi", "always", "up", "--no-color", "--timestamps", check=False).stdout
    stamped = [ln for ln in plain.splitlines() if ln.endswith(" painted")]
    assert "\x1b" not in plain and stamped and stamped[-1].startswith("job-1  | 20")
