#!/usr/bin/env python3
"""Hot-reload latency: file write → new content served, compose-lite against Docker Compose v2.

    bench/bench_reload.py [--n 20] [--orch cl --orch "docker compose"] [--json FILE]

One generated workload (in a temp dir), run by each orchestrator's `watch` in turn:

- ``web`` (built from cl-busybox, serves /www on 127.0.0.1) with develop.watch rules
  ``sync`` ./hot → /www/hot (served directly), ``sync+restart`` ./src → /src (copied into /www
  only at start) and ``restart`` on ./conf (bind-mounted, read only at start);
  a plain bind mount ./live → /www/live, no rule: the floor of any file-based reload;
- ``bind`` (cl-busybox): a bind mount ./bconf → /conf read only at start and no rules.
  compose-lite restarts it on change; Compose v2 does not watch bind mounts, so for Compose that
  service gives the engine floor instead: a bare restart through the Engine API.

Every sample writes a unique token at T0 and polls HTTP every 10 ms until it is served.  For
restart-based modes the HTTP polling starts once the engine reports the container started after
T0: polling a container IP during its downtime makes the kernel's ARP resolution fail and retry
after ~1 s, which would add the same noise to every restart-based sample whatever the
orchestrator does.  Modes are interleaved within each round so machine noise hits them alike.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

POLL = 0.01
TIMEOUT = 30.0
SETTLE = 0.6  # after each sample: let the orchestrator's own follow-up (if any) finish

COMPOSE = """
services:
  web:
    build: ./ctx
    init: true
    ports: ["127.0.0.1:{web_port}:80"]
    volumes: ["./conf:/conf:ro", "./live:/www/live:ro"]
    develop:
      watch:
        - {{path: ./hot, action: sync, target: /www/hot}}
        - {{path: ./src, action: sync+restart, target: /src}}
        - {{path: ./conf, action: restart}}
  bind:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "mkdir -p /www; cp /conf/token /www/index.html; exec httpd -f -p 80 -h /www"]
    ports: ["127.0.0.1:{bind_port}:80"]
    volumes: ["./bconf:/conf:ro"]
"""
START = """#!/bin/sh
mkdir -p /www/hot /www/src
cp /src/index.html /www/src/index.html
cp /conf/token /www/conf.txt
exec httpd -f -p 80 -h /www
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(port: int, path: str) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=0.25) as r:
            return str(r.read().decode(errors="replace"))
    except (urllib.error.URLError, OSError):
        return ""


def write_workload(root: Path, web_port: int, bind_port: int) -> None:
    for d in ("ctx", "hot", "src", "conf", "live", "bconf"):
        (root / d).mkdir()
    dockerfile = 'FROM cl-busybox\nCOPY start.sh /start.sh\nCMD ["sh", "/start.sh"]\n'
    (root / "ctx" / "Dockerfile").write_text(dockerfile)
    (root / "ctx" / "start.sh").write_text(START)
    for d, name in (("hot", "index.html"), ("src", "index.html"), ("conf", "token"), ("live", "index.html"),
                    ("bconf", "token")):
        (root / d / name).write_text("boot")
    (root / "compose.yaml").write_text(COMPOSE.format(web_port=web_port, bind_port=bind_port))


class Run:
    def __init__(self, client: Any, orch: str, root: Path, project: str, ports: dict[str, int]) -> None:
        self.client = client
        self.orch = orch
        self.root = root
        self.project = project
        self.ports = ports

    def argv(self, *args: str) -> list[str]:
        return [*shlex.split(self.orch), "-p", self.project, "-f", str(self.root / "compose.yaml"), *args]

    def started_at(self, service: str) -> str:
        return str(self.client.api.inspect_container(f"{self.project}-{service}-1")["State"]["StartedAt"])

    def sample(self, service: str, path: str, served: str, file: str, *, restarts: bool,
               trigger: Callable[[], None] | None = None) -> float | None:
        """Seconds from writing the token to it being served (None: not within TIMEOUT)."""
        token = uuid.uuid4().hex
        before = self.started_at(service) if restarts else ""
        t0 = time.perf_counter()
        target = self.root / path / file
        target.write_text(token)
        if trigger is not None:
            trigger()
        port = self.ports[service]
        while time.perf_counter() - t0 < TIMEOUT:
            if (not restarts or self.started_at(service) != before) and token in fetch(port, served):
                return time.perf_counter() - t0
            time.sleep(POLL)
        return None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def bench(orch: str, n: int, client: Any) -> dict[str, list[float | None]]:
    with tempfile.TemporaryDirectory(prefix="clbench-") as tmp:
        root = Path(tmp)
        ports = {"web": free_port(), "bind": free_port()}
        write_workload(root, ports["web"], ports["bind"])
        project = f"clbench-reload-{uuid.uuid4().hex[:6]}"
        run = Run(client, orch, root, project, ports)
        is_cl = shlex.split(orch)[-1] in ("cl", "compose_lite")
        subprocess.run(run.argv("up", "-d", "--build", "--wait"), check=True, capture_output=True)
        watch = subprocess.Popen(run.argv("watch", *(["--no-up"] if is_cl else [])),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(3.0)  # let the watcher start (Compose also rebuilds/starts itself)
            bind_id = f"{project}-bind-1"
            modes: dict[str, Callable[[], float | None]] = {
                "bind mount, no action (floor)": lambda: run.sample("web", "live", "/live/index.html",
                                                                    "index.html", restarts=False),
                "sync": lambda: run.sample("web", "hot", "/hot/index.html", "index.html", restarts=False),
                "sync+restart": lambda: run.sample("web", "src", "/src/index.html", "index.html",
                                                   restarts=True),
                "restart rule": lambda: run.sample("web", "conf", "/conf.txt", "token", restarts=True),
            }
            if is_cl:
                modes["bind-mount restart"] = lambda: run.sample("bind", "bconf", "/index.html", "token",
                                                                 restarts=True)
            else:
                modes["engine restart (floor)"] = lambda: run.sample(
                    "bind", "bconf", "/index.html", "token", restarts=True,
                    trigger=lambda: client.api.restart(bind_id, timeout=10))
            samples: dict[str, list[float | None]] = {m: [] for m in modes}
            for i in range(n):
                for mode, take in modes.items():
                    samples[mode].append(take())
                    time.sleep(SETTLE)
                print(f"  {orch}: round {i + 1}/{n}", file=sys.stderr)
            return samples
        finally:
            watch.terminate()
            try:
                watch.wait(timeout=15)
            except subprocess.TimeoutExpired:
                watch.kill()
            subprocess.run(run.argv("down", "-v", "--rmi", "local", "-t", "2"), capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=20, help="edits per mode (default 20)")
    parser.add_argument("--orch", action="append",
                        help='orchestrator command (default: cl, "docker compose")')
    parser.add_argument("--json", help="write raw samples to this file")
    args = parser.parse_args()
    import docker

    client = docker.from_env()
    results: dict[str, dict[str, list[float | None]]] = {}
    for orch in args.orch or [f"{sys.executable} -m compose_lite", "docker compose"]:
        results[orch] = bench(orch, args.n, client)
    print(f"{'orchestrator':<28} {'mode':<30} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'failed':>6}")
    for orch, by_mode in results.items():
        label = "cl" if "compose_lite" in orch else orch
        for mode, values in by_mode.items():
            ok = [v for v in values if v is not None]
            p50 = f"{percentile(ok, 0.5) * 1000:.0f}" if ok else "-"
            p95 = f"{percentile(ok, 0.95) * 1000:.0f}" if ok else "-"
            print(f"{label:<28} {mode:<30} {len(ok):>3} {p50:>8} {p95:>8} {len(values) - len(ok):>6}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
