"""compose_lite.Stack against the fake engine: the files are loaded and checked at construction,
each method runs the command's own code, nothing is printed, and a `with` block always ends in
`down -v`. Importing the package loads none of the heavy dependencies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from compose_lite import CommandResult, Stack
from compose_lite.engine.base import ExecResult
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import ConfigError

FILE = """\
services:
  db:
    image: img
    healthcheck: {test: ["CMD", "true"]}
  web:
    image: img
    depends_on: {db: {condition: service_healthy}}
"""


def stack(tmp_path: Path, text: str = FILE) -> tuple[Stack, FakeEngine]:
    (tmp_path / "compose.yaml").write_text(text)
    made = Stack(tmp_path / "compose.yaml", project_name="p")
    engine = FakeEngine(images={"img": "sha256:1"})
    made._engine = engine
    return made, engine


def test_a_broken_file_fails_at_construction_with_where(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: img\n    ports: 8080\n")
    with pytest.raises(ConfigError) as err:
        Stack(str(tmp_path / "compose.yaml"))
    assert "compose.yaml:4:" in str(err.value) and "services.web.ports" in str(err.value)


def test_up_ps_exec_and_down(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made, engine = stack(tmp_path)
    made.up()
    assert [(c.service, c.state) for c in sorted(made.ps(), key=lambda c: c.name)] == [
        ("db", "running"), ("web", "running")]
    engine.exec_results["p-db-1"] = ExecResult(3, b"ready\n")
    assert made.exec("db", "pg_isready -q") == CommandResult(3, "ready\n", "")
    assert "exec_attached p-db-1: pg_isready -q tty=False" in " ".join(engine.calls)
    made.down(volumes=True)
    assert made.ps(all=True) == []
    assert capsys.readouterr() == ("", "")  # a library prints nothing


def test_the_with_block_takes_it_down_even_after_an_error(tmp_path: Path) -> None:
    made, engine = stack(tmp_path)
    with pytest.raises(RuntimeError), made:
        made.up()
        raise RuntimeError("a failing test")
    assert engine.containers == {} and engine.networks == {}


def test_config_is_the_canonical_model(tmp_path: Path) -> None:
    made, _ = stack(tmp_path)
    model = made.config()
    assert model["name"] == "p" and sorted(model["services"]) == ["db", "web"]
    model["services"].clear()
    assert sorted(made.config()["services"]) == ["db", "web"]  # a copy: the stack is unchanged


def test_importing_the_package_and_its_api_loads_no_heavy_dependency() -> None:
    probe = ("import sys, compose_lite; compose_lite.Stack; "
             "print(sorted(m for m in ('docker', 'jsonschema', 'watchdog', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_reload_reads_the_files_again(tmp_path: Path) -> None:
    """What the watch calls when a compose file changes."""
    made, _ = stack(tmp_path)
    (tmp_path / "compose.yaml").write_text(FILE + "  worker:\n    image: img\n")
    assert sorted(made.reload().services) == ["db", "web", "worker"]
    assert sorted(made.config()["services"]) == ["db", "web", "worker"]
