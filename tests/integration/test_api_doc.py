"""docs/api.md's example, run as a user would run it: its compose.yaml and test file written to a
directory of their own and `pytest` run there (the plugin comes from the package's entry point).
It passes and leaves no container, network or volume behind; a failing test's report carries its
stacks' logs; --compose-keep leaves them running. The webapp sample's own suite (the backend
through its real PostgreSQL) passes the same way."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.integration.conftest import PROJECT_LABEL, remove_project_resources

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "api.md"


def _block(language: str) -> str:
    found = re.search(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)
    assert found, f"docs/api.md has no {language} block"
    return found.group(1)


def _pytest(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args], cwd=where,
                          capture_output=True, text=True, timeout=300)


def _projects(docker_client: Any) -> set[str]:
    """Every compose project that has a container, network or volume on the engine, but this suite's
    own (``clt-…``: a suite run beside this one may make and remove them meanwhile)."""
    labelled = [*docker_client.containers.list(all=True, filters={"label": PROJECT_LABEL}),
                *docker_client.networks.list(filters={"label": PROJECT_LABEL}),
                *docker_client.volumes.list(filters={"label": PROJECT_LABEL})]
    labels = [item.attrs.get("Labels") or item.attrs.get("Config", {}).get("Labels") or {}
              for item in labelled]
    names = {found.get(PROJECT_LABEL, "") for found in labels}
    return {n for n in names if not n.startswith("clt-")}


def _user_dir(tmp_path: Path, test_file: str) -> Path:
    where = tmp_path / "userproject"
    where.mkdir()
    (where / "compose.yaml").write_text(_block("yaml"))
    (where / "test_stack.py").write_text(test_file)
    return where


def test_the_api_page_example_passes_and_leaves_nothing_behind(tmp_path: Path, docker_client: Any) -> None:
    before = _projects(docker_client)
    done = _pytest(_user_dir(tmp_path, _block("python")))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
    assert _projects(docker_client) - before == set()


def test_a_failing_test_reports_its_stacks_logs(tmp_path: Path, docker_client: Any) -> None:
    failing = "def test_fails(compose_stack):\n    compose_stack('compose.yaml')\n    assert False\n"
    before = _projects(docker_client)
    done = _pytest(_user_dir(tmp_path, failing))
    assert done.returncode == 1
    assert re.search(r"compose logs: pytest-test-fails-\w+", done.stdout), done.stdout
    assert "db-1 | db starting" in done.stdout
    assert _projects(docker_client) - before == set()


def test_compose_keep_leaves_the_stack_running(tmp_path: Path, docker_client: Any) -> None:
    kept = "def test_keeps(compose_stack):\n    compose_stack('compose.yaml', project_name='KEPT')\n"
    name = f"clt-kept-{tmp_path.name[-8:].lower().strip('_')}".replace("_", "-")
    try:
        done = _pytest(_user_dir(tmp_path, kept.replace("KEPT", name)), "--compose-keep")
        assert done.returncode == 0, done.stdout + done.stderr
        running = docker_client.containers.list(filters={"label": f"{PROJECT_LABEL}={name}"})
        assert sorted(c.name for c in running) == [f"{name}-db-1", f"{name}-web-1"]
    finally:
        remove_project_resources(docker_client, name)


def test_the_webapp_sample_suite_passes_against_its_real_postgres(docker_client: Any) -> None:
    before = _projects(docker_client)
    done = _pytest(ROOT / "samples" / "webapp", "tests")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
    assert _projects(docker_client) - before == set()
