"""A second Docker engine on this machine, for drills that stop and start an engine: the suite's
main engine is never restarted. It has its own containerd (started apart, as Debian's and most
distributions' services run it, so stopping dockerd leaves containerd up), its own data and exec
roots, and a network namespace of its own: its bridges, `docker0` included, never touch the main
engine's (a dockerd restarted on the host deletes the host's `docker0`)."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.integration.cl_helpers import wait_until


@dataclass
class OwnEngine:
    root: Path  # short: unix socket paths under it must stay within 108 bytes
    netns: str  # the network namespace dockerd runs in
    proc: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        return f"unix://{self.root / 'docker.sock'}"

    def docker(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["docker", "-H", self.host, *args], input=stdin, capture_output=True,
                              timeout=120, check=False)

    def start(self) -> None:
        # A killed dockerd leaves its pid file; a restart after a crash (systemd, a reboot) starts clean.
        (self.root / "docker.pid").unlink(missing_ok=True)
        log = (self.root / "dockerd.log").open("ab")
        self.proc = subprocess.Popen(
            # nsenter, not `ip netns exec`: that remounts /sys, and dockerd would find no cgroups.
            ["nsenter", f"--net=/run/netns/{self.netns}", "dockerd",
             "--containerd", str(self.root / "containerd.sock"), "--data-root", str(self.root / "data"),
             "--exec-root", str(self.root / "exec"),
             "--pidfile", str(self.root / "docker.pid"), "-H", self.host, "--iptables=false"],
            stdout=log, stderr=log)
        wait_until(lambda: self.docker("info").returncode == 0, timeout=60, what=lambda: (
            "the drill engine answering; its log ends:\n"
            + "\n".join((self.root / "dockerd.log").read_text().splitlines()[-8:])))

    def stop(self, sig: int = signal.SIGTERM) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)
        self.proc.wait(timeout=60)
        self.proc = None


def _containerd(root: Path) -> subprocess.Popen[bytes]:
    config = root / "containerd.toml"
    config.write_text(
        f'version = 2\nroot = "{root / "containerd-root"}"\nstate = "{root / "containerd-state"}"\n'
        f'[grpc]\n  address = "{root / "containerd.sock"}"\n'
        f'[ttrpc]\n  address = "{root / "containerd.sock.ttrpc"}"\n'
        f'[debug]\n  address = "{root / "containerd-debug.sock"}"\n')
    log = (root / "containerd.log").open("ab")
    proc = subprocess.Popen(["containerd", "--config", str(config)], stdout=log, stderr=log)
    wait_until(lambda: (root / "containerd.sock").exists(), "the drill containerd listening", timeout=30)
    return proc


@contextmanager
def own_engine(root: Path, image: str) -> Iterator[OwnEngine]:
    """Started, with ``image`` copied in from the main engine; stopped and its files removed after."""
    root.mkdir(parents=True, exist_ok=True)
    netns = root.name
    subprocess.run(["ip", "netns", "add", netns], check=True)
    subprocess.run(["ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up"], check=True)
    containerd = _containerd(root)
    engine = OwnEngine(root, netns)
    try:
        engine.start()
        saved = subprocess.run(["docker", "save", image], capture_output=True, check=True, timeout=120).stdout
        loaded = engine.docker("load", stdin=saved)
        assert loaded.returncode == 0, loaded.stderr
        yield engine
    finally:
        if engine.proc is not None:
            engine.stop()
        containerd.terminate()
        containerd.wait(timeout=30)
        # Shims of containers that were running when dockerd died outlive containerd: end them too.
        subprocess.run(["pkill", "-KILL", "-f", str(root)], check=False)
        subprocess.run(["sh", "-c", f"grep -o ' {root}/[^ ]*' /proc/mounts | sort -r | xargs -r umount -l"],
                       check=False)
        subprocess.run(["rm", "-rf", str(root)], check=False)
        subprocess.run(["ip", "netns", "delete", netns], check=False)
