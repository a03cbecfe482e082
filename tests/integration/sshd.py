"""A throwaway sshd on 127.0.0.1 so tests can drive this machine's engine through `ssh://`.

The Docker SDK (use_ssh_client=True) runs the system `ssh`; a wrapper first on PATH adds our own
config (throwaway key, no host-key prompts) so nothing in ~/.ssh is touched.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.integration.cl_helpers import free_port, wait_until


@dataclass(frozen=True)
class SshEndpoint:
    host_url: str  # e.g. ssh://root@127.0.0.1:40222
    env: dict[str, str]  # environment with the ssh wrapper first on PATH
    sshd_pid: int  # the listening daemon; each connection is served by a child of it
    runs_log: Path  # a line per ssh process started through the wrapper

    def ssh_pids(self) -> list[int]:
        """The ssh processes started so far (the wrapper execs ssh, so its pid is theirs)."""
        return [int(pid) for pid in self.runs_log.read_text().split()] if self.runs_log.exists() else []


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def running_sshd(workdir: Path, extra_config: str = "") -> Iterator[SshEndpoint]:
    """``extra_config``: more sshd_config lines (e.g. a tight MaxStartups)."""
    workdir.mkdir(parents=True, exist_ok=True)
    key = workdir / "id_ed25519"
    host_key = workdir / "host_ed25519"
    for path in (key, host_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    (workdir / "authorized_keys").write_text(Path(f"{key}.pub").read_text())
    port = free_port()
    sshd_config = workdir / "sshd_config"
    sshd_config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {host_key}\n"
        f"AuthorizedKeysFile {workdir / 'authorized_keys'}\nPidFile {workdir / 'sshd.pid'}\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\nUsePAM no\nStrictModes no\n"
        "SetEnv DOCKER_HOST=unix:///var/run/docker.sock\n" + extra_config
    )
    ssh_config = workdir / "ssh_config"
    ssh_config.write_text(
        f"Host 127.0.0.1\n  IdentityFile {key}\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n"
        f"  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  BatchMode yes\n"
    )
    bin_dir = workdir / "bin"
    bin_dir.mkdir(exist_ok=True)
    wrapper = bin_dir / "ssh"
    runs_log = workdir / "ssh-runs"
    wrapper.write_text(f'#!/bin/sh\necho "$$" >> {runs_log}\nexec /usr/bin/ssh -F {ssh_config} "$@"\n')
    wrapper.chmod(0o755)
    Path("/run/sshd").mkdir(exist_ok=True)  # privilege separation directory sshd insists on
    # Its log goes to a file: a pipe nobody reads fills after ~700 sessions, and sshd then hangs.
    log = (workdir / "sshd.log").open("wb")
    proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(sshd_config)],
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_until(lambda: _listening(port), f"sshd listening on 127.0.0.1:{port}", timeout=10)
        env = dict(os.environ)
        env["PATH"] = f"{bin_dir}:{env.get('PATH', '/usr/bin:/bin')}"
        yield SshEndpoint(host_url=f"ssh://root@127.0.0.1:{port}", env=env, sshd_pid=proc.pid,
                          runs_log=runs_log)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
