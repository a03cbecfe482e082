"""A real Swarm cluster on this machine: Docker engines in containers (the cl-dind image, built from
Debian's docker.io by scripts/engine.sh --cluster) on a network of their own, and a registry the
nodes pull from.

`--privileged` fails here (the host's capability bounding set lacks CAP_SYS_RESOURCE), so a node
gets every capability the host has, explicitly, with seccomp, AppArmor and the masked paths off,
every device allowed and the host's cgroups writable (under a parent of its own). Each engine's
API is published on 127.0.0.1 for the tests; the registry (Debian's docker-registry) listens on
the network's gateway, the host's address on that network, where every node can reach it.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.integration.cl_helpers import wait_until
from tests.integration.registry import running_registry

IMAGE = "cl-dind:latest"
# capability names by bit number, as far as the engine here (20.10) knows them
_CAPABILITIES = (
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
    "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
    "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
    "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
)


@dataclass(frozen=True)
class Node:
    hostname: str
    container: str
    address: str  # on the cluster's network
    port: int  # its engine's API on 127.0.0.1

    @property
    def host(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def docker(self, *args: str, stdin: bytes | None = None, check: bool = True,
               timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
        done = subprocess.run(["docker", "-H", self.host, *args], input=stdin, capture_output=True,
                              timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} on {self.hostname}: {done.stderr.decode()}")
        return done

    def out(self, *args: str) -> str:
        return self.docker(*args).stdout.decode().strip()


@dataclass(frozen=True)
class Cluster:
    nodes: tuple[Node, ...]
    registry: str  # host:port every node pulls from and the manager pushes to

    @property
    def manager(self) -> Node:
        return self.nodes[0]


@contextmanager
def swarm_cluster(workdir: Path, size: int = 3,
                  images: tuple[str, ...] = ("cl-busybox:latest",)) -> Iterator[Cluster]:
    """``size`` engines joined into a swarm (the first one its manager), ``images`` loaded into each;
    every container, volume, network and cgroup it made removed afterwards."""
    tag = f"clc-{uuid.uuid4().hex[:6]}"
    with ExitStack() as cleanup:
        _run(["docker", "network", "create", "--label", f"cl-test-cluster={tag}", tag])
        cleanup.callback(_run, ["docker", "network", "rm", tag], check=False)
        gateway = _run(["docker", "network", "inspect", tag, "-f", "{{(index .IPAM.Config 0).Gateway}}"])
        registry = cleanup.enter_context(running_registry(workdir / "registry", gateway))
        cleanup.callback(_remove_nodes, tag)
        names = [f"{tag}-n{i}" for i in range(size)]
        for i, name in enumerate(names):
            _start_node(name, f"n{i}", tag, registry)
        nodes = tuple(_node(name, f"n{i}", tag) for i, name in enumerate(names))
        saved = subprocess.run(["docker", "save", *images], capture_output=True, check=True,
                               timeout=120).stdout
        for node in nodes:
            wait_until(lambda n=node: n.docker("info", check=False).returncode == 0,  # type: ignore[misc]
                       f"the engine of {node.hostname} answering", timeout=90)
            node.docker("load", stdin=saved)
        manager = nodes[0]
        manager.docker("swarm", "init", "--advertise-addr", manager.address)
        token = manager.out("swarm", "join-token", "-q", "worker")
        for node in nodes[1:]:
            node.docker("swarm", "join", "--token", token, f"{manager.address}:2377")
        wait_until(lambda: manager.out("node", "ls", "--format", "{{.Status}}").split() == ["Ready"] * size,
                   "every node ready", timeout=60)
        yield Cluster(nodes, registry)


def _start_node(name: str, hostname: str, tag: str, registry: str) -> None:
    caps = [arg for cap in _host_capabilities() for arg in ("--cap-add", cap)]
    _run(["docker", "run", "-d", "--name", name, "--hostname", hostname, "--network", tag,
          "--label", f"cl-test-cluster={tag}", *caps,
          "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
          "--security-opt", "systempaths=unconfined", "--device-cgroup-rule", "a *:* rwm",
          "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "-v", "/var/lib/docker", "-p", "127.0.0.1::2375",
          IMAGE, "dockerd", "-H", "unix:///var/run/docker.sock", "-H", "tcp://0.0.0.0:2375", "--tls=false",
          "--cgroup-parent", f"/{name}", "--insecure-registry", registry])


def _node(name: str, hostname: str, tag: str) -> Node:
    address = _run(["docker", "inspect", name, "-f",
                    f"{{{{(index .NetworkSettings.Networks \"{tag}\").IPAddress}}}}"])
    port = _run(["docker", "port", name, "2375/tcp"]).splitlines()[0].rsplit(":", 1)[1]
    return Node(hostname, name, address, int(port))


def _host_capabilities() -> list[str]:
    bounding = next(int(line.split()[1], 16) for line in Path("/proc/self/status").read_text().splitlines()
                    if line.startswith("CapBnd:"))
    return [name for bit, name in enumerate(_CAPABILITIES) if bounding >> bit & 1]


def _remove_nodes(tag: str) -> None:
    found = _run(["docker", "ps", "-aq", "--filter", f"label=cl-test-cluster={tag}"]).split()
    if found:
        _run(["docker", "rm", "-f", "-v", *found], check=False)
    # the cgroups the nodes' engines made for their containers, empty now: deepest first
    for root in Path("/sys/fs/cgroup").glob(f"*/{tag}-n*"):
        for directory in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            directory.rmdir()
        root.rmdir()


def _run(argv: list[str], *, check: bool = True) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(argv)}: {done.stderr}")
    return done.stdout.strip()
