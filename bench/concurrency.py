#!/usr/bin/env python3
"""Concurrency trials: K `up -d` at once on one project, T times, for any orchestrator.

    bench/concurrency.py [--orch cl] [--trials 50] [--at-once 5] [--workload web3] [--ssh]

A trial passes when every run exits 0 and no two of the project's networks share a name after;
between trials the project is taken down. Prints failures and duplicate networks per orchestrator,
so `--orch "docker compose"` shows the race the lock removes. `--ssh` sends every run through a
throwaway sshd on 127.0.0.1 (`-H ssh://…`), as deploys from several machines would arrive.
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKLOADS = REPO / "bench" / "workloads"


def trial(orch: str, project: str, workload: str, at_once: int,
          env: dict[str, str] | None = None) -> tuple[bool, int, str]:
    """One race; returns (passed, duplicate networks, the last line a failed run printed)."""
    argv = [*shlex.split(orch), "-p", project, "-f", str(WORKLOADS / workload / "compose.yaml")]
    runs = [subprocess.Popen([*argv, "up", "-d"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, env=env) for _ in range(at_once)]
    errors = [p.communicate(timeout=300)[1] for p in runs]
    mine = f"label=com.docker.compose.project={project}"
    listed = subprocess.run(["docker", "network", "ls", "--filter", mine, "--format", "{{.ID}} {{.Name}}"],
                            capture_output=True, text=True, check=True)
    networks = [line.split() for line in listed.stdout.splitlines()]
    duplicates = len(networks) - len({name for _, name in networks})
    failed = next((e.strip() for p, e in zip(runs, errors, strict=True) if p.returncode != 0), "")
    subprocess.run([*argv, "down", "-v", "-t", "1"], capture_output=True, check=False, env=env)
    for net_id, _ in networks:  # what the orchestrator's own down could not tell apart
        subprocess.run(["docker", "network", "rm", net_id], capture_output=True, check=False)
    passed = not failed and duplicates == 0
    # the error and its hint (the run's last two lines)
    return passed, duplicates, " / ".join(failed.splitlines()[-2:]) if failed else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orch", default="cl")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--at-once", type=int, default=5)
    parser.add_argument("--workload", default="web3")
    parser.add_argument("--ssh", action="store_true", help="reach the engine through a loopback sshd")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        orch, env = args.orch, None
        if args.ssh:
            sys.path.insert(0, str(REPO))
            from tests.integration.sshd import running_sshd

            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            endpoint = stack.enter_context(running_sshd(workdir))
            orch, env = f"{orch} -H {endpoint.host_url}", endpoint.env
        return run_trials(orch, args, env)


def run_trials(orch: str, args: argparse.Namespace, env: dict[str, str] | None) -> int:
    failures = duplicates = 0
    for n in range(args.trials):
        project = f"clbench-race-{uuid.uuid4().hex[:6]}"
        ok, extra, why = trial(orch, project, args.workload, args.at_once, env)
        failures += not ok
        duplicates += extra > 0
        if not ok:
            print(f"trial {n + 1}: {extra} duplicate network(s); {why}", file=sys.stderr)
    print(f"{orch}: {args.trials} trials of {args.at_once} concurrent `up -d` on {args.workload}: "
          f"{failures} failed, {duplicates} left duplicate networks")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
