from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def complete(cwd: Path, words: str, *extra: str) -> list[str]:
    env = {**os.environ, "_CL_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    done = subprocess.run([sys.executable, "-m", "compose_lite", *extra], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if line]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "compose.yaml").write_text("services:\n  web: {image: x}\n  worker: {image: x}\n"
                                           "  db: {image: x}\n")
    return tmp_path


def test_service_names_complete_from_the_current_project(project: Path) -> None:
    assert complete(project, "cl logs w") == ["web", "worker"]
    assert complete(project, "cl exec ") == ["db", "web", "worker"]
    assert complete(project, "cl stop d") == ["db"]


def test_completion_follows_the_file_option(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert complete(elsewhere, f"cl -f {project / 'compose.yaml'} restart ") == ["db", "web", "worker"]
    assert complete(elsewhere, "cl restart ") == []  # no project here: nothing, and no error


@pytest.mark.parametrize("shell,marker", [
    ("bash", "complete -o nosort -F _cl_completion cl"), ("zsh", "#compdef cl"),
    ("fish", "complete --no-files --command cl")])
def test_completion_scripts(shell: str, marker: str) -> None:
    done = subprocess.run([sys.executable, "-m", "compose_lite", "completion", shell], capture_output=True,
                          text=True, timeout=60, check=True)
    assert marker in done.stdout and "_CL_COMPLETE" in done.stdout
