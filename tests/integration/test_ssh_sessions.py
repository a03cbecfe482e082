"""Over ssh:// one command keeps its ssh sessions: an `up`, `ps` and `down` open as many
`ssh … docker system dial-stdio` processes as they run API calls at once, not one per call (the
SDK's behaviour: ~27 for this `up`, each a full handshake), and none is left running after."""

from __future__ import annotations

from pathlib import Path

from tests.integration.cl_helpers import cl, wait_until, write
from tests.integration.sshd import running_sshd

STACK = """
services:
  a:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
  b:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on: [a]
"""


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
