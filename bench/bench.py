#!/usr/bin/env python3
"""Side-by-side benchmarks: compose-lite against Docker Compose v2 on the same engine, same run.

    bench/bench.py cli|config|up [--runs N] [--orch "cl" --orch "docker compose"]

Each scenario runs every orchestrator in turn, round after round (interleaved, so machine noise
hits both alike), and prints the median wall time of each and the ratio to the last orchestrator
(the reference, Docker Compose v2 by default). `--json FILE` keeps the raw samples.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOADS = HERE / "workloads"


def timed(argv: list[str], env: dict[str, str], check: bool = True) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if check and proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {shlex.join(argv)}\n{proc.stderr}")
    return elapsed


def compose_argv(orch: str, project: str, workload: str, *args: str) -> list[str]:
    return [*shlex.split(orch), "-p", project, "-f", str(WORKLOADS / workload / "compose.yaml"), *args]


Scenario = Callable[[str, dict[str, str]], dict[str, float]]


def scenario_cli(orch: str, env: dict[str, str]) -> dict[str, float]:
    return {
        "--help": timed([*shlex.split(orch), "--help"], env),
        "version": timed([*shlex.split(orch), "version"], env),
    }


def scenario_config(orch: str, env: dict[str, str]) -> dict[str, float]:
    return {
        f"config {wl}": timed(compose_argv(orch, "clbench", wl, "config"), env) for wl in ("web3", "fan30")
    }


def scenario_up(orch: str, env: dict[str, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    tag = "cl" if os.path.basename(shlex.split(orch)[-1]) == "cl" else "ref"
    for wl in ("web3", "fan30"):
        project = f"clbench-{tag}-{wl}"
        timed(compose_argv(orch, project, wl, "down", "-v", "-t", "2"), env, check=False)
        out[f"{wl} cold up -d --wait"] = timed(compose_argv(orch, project, wl, "up", "-d", "--wait"), env)
        out[f"{wl} no-op up -d --wait"] = timed(compose_argv(orch, project, wl, "up", "-d", "--wait"), env)
        out[f"{wl} down"] = timed(compose_argv(orch, project, wl, "down", "-t", "5"), env)
        timed(compose_argv(orch, project, wl, "down", "-v"), env, check=False)
    return out


SCENARIOS: dict[str, Scenario] = {"cli": scenario_cli, "config": scenario_config, "up": scenario_up}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--orch", action="append", help="orchestrator command (repeatable); last = reference")
    parser.add_argument("--json", help="write raw samples to this file")
    opts = parser.parse_args()
    orchs = opts.orch or ["cl", "docker compose"]
    env = dict(os.environ)
    env.setdefault("DOCKER_HOST", "unix:///var/run/docker.sock")
    samples: dict[str, dict[str, list[float]]] = {o: {} for o in orchs}
    for round_no in range(opts.runs):
        for orch in orchs if round_no % 2 == 0 else reversed(orchs):
            for name, ms in SCENARIOS[opts.scenario](orch, env).items():
                samples[orch].setdefault(name, []).append(ms)
        print(f"round {round_no + 1}/{opts.runs} done", file=sys.stderr)
    ref = orchs[-1]
    print(f"| measurement | {' | '.join(orchs)} | ratio to {ref} |")
    print(f"|---|{'---|' * len(orchs)}---|")
    for name in samples[ref]:
        medians = [statistics.median(samples[o][name]) for o in orchs]
        ratios = ", ".join(f"{m / medians[-1]:.2f}x" for m in medians[:-1])
        print(f"| {name} | {' | '.join(f'{m:.0f} ms' for m in medians)} | {ratios} |")
    if opts.json:
        Path(opts.json).write_text(json.dumps(samples, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
