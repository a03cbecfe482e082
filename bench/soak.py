#!/usr/bin/env python3
"""Memory over time: `cl watch` and `cl logs -f` on 30 containers that log and get synced files.

    bench/soak.py [--minutes 30] [--services 30] [--sample-s 10] [--json FILE]

A generated project (in a temp dir): N services, each printing a line every second and each with
a develop.watch sync rule on its own ./src/<service> directory. Every second one file of one
service changes (round robin), so the watch keeps syncing and every service is hit in turn. Both
commands' resident memory (RSS, from /proc, children included) is sampled through the run; the
report gives the first sample after warm-up, the last, the peak, and the growth per hour.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

WARMUP_S = 60.0  # imports, the first batch, log back-scroll: not growth


def compose_file(services: int) -> str:
    lines = ["x-svc: &svc", "  image: ${BENCH_IMAGE:-cl-busybox}", "  init: true",
             "  command: [\"sh\", \"-c\", \"mkdir -p /src; i=0; while :; do i=$((i+1)); "
             "echo line $$i from $$HOSTNAME; sleep 1; done\"]", "services:"]
    for n in range(services):
        lines += [f"  s{n:02}:", "    <<: *svc", "    develop:", "      watch:",
                  f"        - {{path: ./src/s{n:02}, action: sync, target: /src}}"]
    return "\n".join(lines) + "\n"


def rss_kib(pid: int) -> int:
    """RSS of a process and its descendants, in KiB (0 once it is gone)."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, StopIteration):
            continue
        todo += [int(c) for c in children]
    return total


def summary(samples: list[tuple[float, int]]) -> dict[str, float]:
    steady = [(t, kib) for t, kib in samples if t >= WARMUP_S] or samples
    (t0, first), (t1, last) = steady[0], steady[-1]
    hours = max(t1 - t0, 1.0) / 3600
    return {"first_mib": first / 1024, "last_mib": last / 1024, "peak_mib": max(k for _, k in steady) / 1024,
            "growth_mib_per_hour": (last - first) / 1024 / hours}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--services", type=int, default=30)
    parser.add_argument("--sample-s", type=float, default=10)
    parser.add_argument("--cl", default="cl")
    parser.add_argument("--json")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cl-soak-"))
    project = f"clbench-soak-{uuid.uuid4().hex[:6]}"
    (workdir / "compose.yaml").write_text(compose_file(args.services))
    for n in range(args.services):
        (workdir / "src" / f"s{n:02}").mkdir(parents=True)
    cl = [*args.cl.split(), "-p", project]
    quiet = {"cwd": workdir, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([*cl, "up", "-d"], check=True, **quiet)  # type: ignore[call-overload]
    watch = subprocess.Popen([*cl, "watch", "--no-up"], **quiet)  # type: ignore[call-overload]
    logs = subprocess.Popen([*cl, "logs", "-f"], **quiet)  # type: ignore[call-overload]
    samples: dict[str, list[tuple[float, int]]] = {"watch": [], "logs -f": []}
    start = time.monotonic()
    next_sample, edits = 0.0, 0
    try:
        while (elapsed := time.monotonic() - start) < args.minutes * 60:
            service = f"s{edits % args.services:02}"
            (workdir / "src" / service / f"f{edits % 5}.txt").write_text(f"edit {edits}\n")
            edits += 1
            if elapsed >= next_sample:
                for name, proc in (("watch", watch), ("logs -f", logs)):
                    if proc.poll() is not None:
                        raise SystemExit(f"`cl {name}` ended early ({proc.returncode})")
                    samples[name].append((elapsed, rss_kib(proc.pid)))
                next_sample += args.sample_s
            time.sleep(1)
    finally:
        for proc in (watch, logs):
            proc.terminate()
            proc.wait(timeout=30)
        subprocess.run([*cl, "down", "-t", "1"], **quiet)  # type: ignore[call-overload]
        shutil.rmtree(workdir, ignore_errors=True)
    report = {name: summary(s) for name, s in samples.items()}
    print(f"{args.minutes:g} min, {args.services} services, {edits} edits (one per second):")
    for name, r in report.items():
        print(f"  cl {name:8} RSS after warm-up {r['first_mib']:.1f} MiB, "
              f"at the end {r['last_mib']:.1f} MiB, peak {r['peak_mib']:.1f} MiB, "
              f"growth {r['growth_mib_per_hour']:+.2f} MiB/hour")
    if args.json:
        Path(args.json).write_text(json.dumps({"report": report, "samples": samples}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
