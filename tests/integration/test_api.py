"""compose_lite.Stack on the real engine, beyond docs/api.md's example: `run` captures a one-off's
output, and `watch()` runs the hot-reload loop for a block, reporting what each change did."""

from __future__ import annotations

from pathlib import Path

from compose_lite import Stack
from tests.integration.cl_helpers import wait_until

STACK = """
services:
  app:
    image: cl-busybox
    init: true
    command: ["sh", "-c", "mkdir -p /srv; sleep 3600"]
    develop:
      watch:
        - action: sync
          path: ./src
          target: /srv
"""


def test_run_and_watch(project_name: str, tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(STACK)
    (tmp_path / "src").mkdir()
    with Stack(tmp_path / "compose.yaml", project_name=project_name) as stack:
        stack.up(wait=True)
        ran = stack.run("app", ["sh", "-c", "echo out; echo err >&2; exit 4"])
        assert (ran.exit_code, ran.stdout, ran.stderr) == (4, "out\n", "err\n")
        reported: list[str] = []
        with stack.watch(on_change=reported.append):
            (tmp_path / "src" / "page.txt").write_text("hello")
            wait_until(lambda: stack.exec("app", ["cat", "/srv/page.txt"]).stdout == "hello",
                       "the change synced into the container")
            wait_until(lambda: any("page.txt" in line or "synced" in line for line in reported),
                       lambda: f"a line about the sync, got {reported}")
    assert stack.ps(all=True) == []
