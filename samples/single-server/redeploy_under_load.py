#!/usr/bin/env python3
"""Redeploy the app several times under steady load and count the requests that failed.

    ./redeploy_under_load.py [--orch cl] [--orch "docker compose"] [--redeploys 5] [--rate 20]

For each orchestrator: deploy, then send --rate requests a second through the proxy while
`up -d --wait` rolls out a new APP_VERSION --redeploys times; print the counts; take it down.
With cl the app is rolled out start-first (deploy.update_config), so none fails; Docker Compose
ignores update_config outside Swarm and stops the old container first.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(url: str, rate: float, stop: threading.Event, counts: dict[str, int]) -> None:
    """GET url `rate` times a second until stopped, counting answers by outcome."""
    while not stop.is_set():
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                outcome = "ok" if reply.status == 200 else f"HTTP {reply.status}"
        except urllib.error.HTTPError as err:
            outcome = f"HTTP {err.code}"
        except OSError as err:
            outcome = type(err).__name__
        counts[outcome] = counts.get(outcome, 0) + 1
        stop.wait(max(0.0, 1 / rate - (time.monotonic() - started)))


def trial(orch: str, project: str, port: int, redeploys: int, rate: float) -> dict[str, int]:
    argv = [*shlex.split(orch), "-p", project, "-f", str(HERE / "compose.yaml")]
    env = {**os.environ, "APP_PORT": str(port), "APP_VERSION": "0"}
    subprocess.run([*argv, "up", "-d", "--wait"], env=env, check=True, capture_output=True)
    counts: dict[str, int] = {}
    stop = threading.Event()
    loader = threading.Thread(target=load, args=(f"http://127.0.0.1:{port}/health", rate, stop, counts))
    loader.start()
    try:
        for version in range(1, redeploys + 1):
            env["APP_VERSION"] = str(version)
            subprocess.run([*argv, "up", "-d", "--wait"], env=env, check=True, capture_output=True)
        time.sleep(1)
    finally:
        stop.set()
        loader.join()
        subprocess.run([*argv, "down", "-v", "-t", "5"], env=env, capture_output=True, check=False)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orch", action="append", help="orchestrator command (repeatable); default: cl")
    parser.add_argument("--redeploys", type=int, default=5)
    parser.add_argument("--rate", type=float, default=20.0, help="requests a second")
    parser.add_argument("--port", type=int, default=8090, help="host port the proxy publishes")
    parser.add_argument("--project", default="single-server-load")
    args = parser.parse_args()
    for orch in args.orch or ["cl"]:
        counts = trial(orch, args.project, args.port, args.redeploys, args.rate)
        failed = sum(n for outcome, n in counts.items() if outcome != "ok")
        detail = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()) if outcome != "ok")
        print(f"{orch}: {args.redeploys} redeploys, {sum(counts.values())} requests, {failed} failed"
              + (f" ({detail})" if detail else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
