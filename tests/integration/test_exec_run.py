"""`cl exec` and `cl run` on the real engine: exit codes, options, one-off labels, dependencies."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, cl_argv, containers, free_port, write

STACK = """
services:
  db:
    image: cl-busybox
    init: true
    command: ["sleep", "300"]
  app:
    image: cl-busybox
    init: true
    command: ["sleep", "300"]
    environment: {FROM_FILE: "yes"}
    depends_on: [db]
    ports: ["127.0.0.1:{port}:80"]
"""


def test_exec_exit_code_and_options(tmp_path: Path, project_name: str) -> None:
    d = write(tmp_path, STACK.replace("{port}", str(free_port())))
    cl(project_name, d, "up", "-d")
    done = cl(project_name, d, "exec", "-T", "app", "sh", "-c", "echo out; echo err >&2; exit 7", check=False)
    assert (done.returncode, done.stdout, done.stderr) == (7, "out\n", "err\n")
    done = cl(project_name, d, "exec", "-T", "-e", "A=1", "-w", "/bin", "-u", "65534", "app",
              "sh", "-c", 'echo "$A $(pwd) $(id -u) $FROM_FILE"')
    assert done.stdout == "1 /bin 65534 yes\n"
    assert cl(project_name, d, "exec", "-T", "app", "cat", input="piped\n").stdout == "piped\n"
    cl(project_name, d, "exec", "-d", "app", "sh", "-c", "echo detached > /d")
    time.sleep(0.3)
    assert cl(project_name, d, "exec", "-T", "app", "cat", "/d").stdout == "detached\n"
    missing = cl(project_name, d, "exec", "-T", "--index", "2", "app", "true", check=False)
    assert missing.returncode == 1 and missing.stderr.startswith('error: service "app" is not running')


def test_run_one_off_containers(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    port = free_port()
    d = write(tmp_path, STACK.replace("{port}", str(port)))
    (d / "data").mkdir()
    (d / "data" / "in.txt").write_text("from host\n")
    done = cl(project_name, d, "run", "--rm", "app", "sh", "-c", "echo $FROM_FILE; exit 4", check=False)
    assert (done.returncode, done.stdout) == (4, "yes\n"), done.stderr
    found = containers(docker_client, project_name)
    assert list(found) == [f"{project_name}-db-1"]  # the dependency was started, the one-off removed
    assert found[f"{project_name}-db-1"]["State"] == "running"

    done = cl(project_name, d, "run", "--no-deps", "--name", f"{project_name}-x", "-e", "B=2",
              "-v", "./data:/data:ro", "-w", "/data", "-u", "65534", "--entrypoint", "sh -c",
              "app", 'echo "$B $(cat in.txt) $(id -u)"')
    assert done.stdout == "2 from host 65534\n"
    oneoff = containers(docker_client, project_name)[f"{project_name}-x"]
    assert oneoff["Labels"]["com.docker.compose.oneoff"] == "True"
    assert oneoff["Labels"]["com.docker.compose.service"] == "app"
    assert oneoff["Ports"] == []  # no service ports without --service-ports
    ps = cl(project_name, d, "ps", "-a", "--format", "json").stdout
    assert f"{project_name}-x" not in ps

    cid = cl(project_name, d, "run", "-d", "--service-ports", "app").stdout.strip()
    assert len(cid) == 64  # the whole id, as Compose prints it
    name = docker_client.containers.get(cid).name
    slug = docker_client.containers.get(cid).labels["com.docker.compose.slug"]  # as Compose labels one-offs
    assert len(slug) == 64 and name == f"{project_name}-app-run-{slug[:12]}"
    ports = containers(docker_client, project_name)[name]["Ports"]
    assert [(p["PrivatePort"], p.get("PublicPort")) for p in ports] == [(80, port)]
    # detached, stdin stays open (as Compose's -i default): a shell waits for input instead of exiting
    shell = cl(project_name, d, "run", "-d", "--no-deps", "app", "sh").stdout.strip()
    time.sleep(1)
    assert docker_client.containers.get(shell).status == "running"


def run_in_pty(argv: list[str], cwd: Path, answer: bytes, timeout: float = 30) -> tuple[int, bytes]:
    """Run ``argv`` on a pseudo-terminal, typing ``answer`` once it prints READY."""
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes `cl` with the terminal as stdin/stdout/stderr
        os.chdir(cwd)
        os.execvp(argv[0], argv)
    out, sent = b"", False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                data = os.read(fd, 4096)
            except OSError:  # the terminal closed with the child
                break
            if not data:
                break
            out += data
        if not sent and b"READY" in out:
            os.write(fd, answer)
            sent = True
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out


def test_exec_and_run_on_a_terminal_get_a_tty(tmp_path: Path, project_name: str) -> None:
    d = write(tmp_path, STACK.replace("{port}", str(free_port())))
    cl(project_name, d, "up", "-d", "db")
    script = "tty; echo READY; read x; echo got-$x; exit 3"
    for argv in (["exec", "db"], ["run", "--rm", "--no-deps", "db"]):
        code, out = run_in_pty(cl_argv(project_name, *argv, "sh", "-c", script, progress=None), d,
                               b"hello\r")
        assert code == 3, out
        assert b"/dev/pts/" in out and b"got-hello" in out
        assert b"\x1b" not in out.split(b"/dev/pts/", 1)[1]  # no progress display drawn over the session
