"""`cl logs` on the real engine: both streams, prefixes, tail, timestamps, follow across a recreate."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, containers, spawned, wait_until, write

STACK = """
services:
  web:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "echo out-$$MARK; echo err-$$MARK >&2; sleep 300"]
    environment: {MARK: "${MARK:-one}"}
  longer-name:
    image: cl-busybox
    command: ["sh", "-c", "echo first; echo second; echo third"]
"""


def test_logs_prefixes_streams_tail_and_timestamps(tmp_path: Path, project_name: str) -> None:
    d = write(tmp_path, STACK)
    cl(project_name, d, "up", "-d")
    time.sleep(0.5)
    out = cl(project_name, d, "logs").stdout
    lines = out.splitlines()
    assert "web-1          | out-one" in lines and "web-1          | err-one" in lines
    assert [ln for ln in lines if ln.startswith("longer-name-1")] == [
        "longer-name-1  | first", "longer-name-1  | second", "longer-name-1  | third"]
    assert "\x1b[" not in out  # not a terminal: no colours
    assert cl(project_name, d, "logs", "--tail", "1", "--no-log-prefix", "longer-name").stdout == "third\n"
    stamped = cl(project_name, d, "logs", "-t", "--tail", "1", "longer-name").stdout
    assert re.fullmatch(r"longer-name-1  \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z third\n", stamped)
    coloured = cl(project_name, d, "--ansi", "always", "logs", "longer-name").stdout
    assert coloured.startswith("\x1b[")
    plain = cl(project_name, d, "--ansi", "always", "logs", "--no-color", "longer-name").stdout
    assert "\x1b" not in plain
    assert cl(project_name, d, "logs", "--until", "1000").stdout == ""
    assert cl(project_name, d, "logs", "--since", "1h", "longer-name").stdout.count("\n") == 3


def test_logs_follow_picks_up_a_recreated_container(tmp_path: Path, project_name: str,
                                                     docker_client: Any) -> None:
    d = write(tmp_path, STACK.replace("longer-name", "other").replace('"echo first; echo second; echo third"',
                                                                       '"echo done"'))
    cl(project_name, d, "up", "-d", "web")
    with spawned(project_name, d, "logs", "-f", "web") as follower:
        time.sleep(1.0)
        (d / ".env").write_text("MARK=two\n")  # a changed environment: web is recreated
        cl(project_name, d, "up", "-d", "web")
        wait_until(lambda: "two" in _containers_output(docker_client, project_name),
                   "the recreated web's output", timeout=15, interval=0.2)
        time.sleep(1.5)  # at least two polls of the follower
        docker_client.api.stop(f"{project_name}-web-1", timeout=2)
        out, err = follower.communicate(timeout=20)
    assert follower.returncode == 0, err
    lines = out.splitlines()
    assert "web-1  | out-one" in lines and "web-1  | out-two" in lines, out
    assert lines[-1].startswith("web-1 exited with code "), out


def _containers_output(client: Any, project: str) -> str:
    running = containers(client, project, include_stopped=False).values()
    return "".join(client.api.logs(c["Id"]).decode() for c in running)


def test_a_quiet_followed_stream_outlives_the_client_timeout(docker_client: Any, project_name: str) -> None:
    import threading

    from compose_lite.engine.docker_engine import DockerEngine

    api = docker_client.api
    cid = api.create_container("cl-busybox", ["sh", "-c", "echo one; sleep 2.5; echo two; sleep 30"],
                               labels={"com.docker.compose.project": project_name},
                               host_config=api.create_host_config(init=True))["Id"]
    api.start(cid)
    engine = DockerEngine(os.environ["DOCKER_HOST"], environ={}, timeout=1)  # requests time out after 1 s
    got: list[object] = []

    def read() -> None:
        try:
            got.extend(engine.container_logs(cid, follow=True))
        except Exception as err:  # recorded: the assertion below shows it
            got.append(err)

    threading.Thread(target=read, daemon=True).start()
    time.sleep(4)
    assert got == [b"one\n", b"two\n"]
