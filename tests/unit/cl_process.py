"""Run `cl` in a fresh interpreter and see which modules the run imported (start-up cost is imports)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_PROBE = """
import json, runpy, sys
sys.argv = ["cl", *json.loads(sys.argv[1])]
code = 0
try:
    runpy.run_module("compose_lite", run_name="__main__")
except SystemExit as exit:
    code = exit.code
sys.stdout.flush()
import gc
report = {"code": code, "modules": sorted(sys.modules), "gc_threshold": gc.get_threshold()}
sys.stderr.write("\\n" + json.dumps(report) + "\\n")
"""


@dataclass(frozen=True)
class ClRun:
    code: int
    stdout: str
    stderr: str
    modules: frozenset[str]
    gc_threshold: tuple[int, ...]


def run_cl(args: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> ClRun:
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args)], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=60)
    stderr, _, last = out.stderr.rstrip("\n").rpartition("\n")
    report = json.loads(last)
    return ClRun(report["code"] or 0, out.stdout, stderr, frozenset(report["modules"]),
                 tuple(report["gc_threshold"]))
