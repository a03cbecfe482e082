"""Over ssh:// one command keeps its ssh sessions: an `up`, `ps` and `down` open as many
`ssh … docker system dial-stdio` processes as they run API calls at once, not one per call (the
SDK's behaviour: ~27 for this `up`, each a full handshake), and none is left running after. A
handshake a busy sshd refuses is retried, as nothing was sent through it yet."""

from __future__ import annotations

from pathlib import Path

from tests.integration.cl_helpers import TWO_SLEEPERS as STACK
from tests.integration.cl_helpers import cl, free_port, spawn, wait_until, write
from tests.integration.sshd import running_sshd


def _running(pids: list[int]) -> list[int]:
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()
            and "zombie" not in Path(f"/proc/{pid}/status").read_text(errors="replace")]


def test_a_command_reuses_its_ssh_sessions(project_name: str, tmp_path: Path) -> None:
    write(tmp_path, STACK)
    with running_sshd(tmp_path / "ssh") as endpoint:
        for args in (["up", "-d"], ["ps"], ["down", "-t", "1"]):
            cl(project_name, tmp_path, "-H", endpoint.host_url, *args, env=endpoint.env)
        opened = endpoint.ssh_pids()
        assert 3 <= len(opened) <= 3 * 3, f"{len(opened)} ssh sessions for up, ps and down of two services"
        wait_until(lambda: _running(opened) == [], "every ssh session ended with its command", timeout=10)


def test_handshakes_a_busy_sshd_refuses_are_retried(project_name: str, tmp_path: Path) -> None:
    """MaxStartups 1:100:1 refuses every handshake while another is pending, as a loaded sshd
    refuses some: four commands at once still all get through."""
    write(tmp_path, STACK)
    with running_sshd(tmp_path / "ssh", extra_config="MaxStartups 1:100:1\n") as endpoint:
        runs = [spawn(project_name, tmp_path, "-H", endpoint.host_url, "ps", env=endpoint.env)
                for _ in range(4)]
        outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, outputs


def test_exec_over_ssh_passes_stdin_to_its_end_and_exits_with_the_command(project_name: str,
                                                                         tmp_path: Path) -> None:
    """The end of a piped stdin reaches the command (it used to wait forever), and closing a
    session whose ssh had already ended is no broken pipe (it used to exit 141)."""
    write(tmp_path, STACK)
    with running_sshd(tmp_path / "ssh") as endpoint:
        host = ("-H", endpoint.host_url)
        cl(project_name, tmp_path, *host, "up", "-d", env=endpoint.env)
        counted = cl(project_name, tmp_path, *host, "exec", "-T", "a", "wc", "-c", env=endpoint.env,
                     input="hello\n", timeout=60)
        assert counted.stdout.strip() == "6"
        cl(project_name, tmp_path, *host, "down", "-t", "1", env=endpoint.env)


def test_a_wrong_ssh_target_fails_at_once_with_what_ssh_said(project_name: str, tmp_path: Path) -> None:
    """Only a handshake refused by a busy sshd is retried: a closed port (or a wrong key or user)
    is reported after one attempt, with a hint in ssh's own syntax."""
    with running_sshd(tmp_path / "ssh") as endpoint:
        closed = free_port()
        failed = cl(project_name, tmp_path, "-H", f"ssh://root@127.0.0.1:{closed}", "ps", env=endpoint.env,
                    check=False)
        assert failed.returncode != 0
        assert "connection refused" in failed.stderr.lower(), failed.stderr
        assert f"`ssh -p {closed} root@127.0.0.1 docker version`" in failed.stderr
        assert len(endpoint.ssh_pids()) == 1
