from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from compose_lite.cli import cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "compose.yaml").write_text(
        "version: '3'\nservices:\n  web:\n    image: nginx\n    command: echo $$HOME\n"
        "    profiles: [web]\n  db:\n    image: pg\n    volumes: [data:/d]\nvolumes:\n  data:\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-p", "demo", *args], env={"HOME": "/home/u"})
    return result.exit_code, result.stdout, result.stderr


def test_json_output_re_escapes_dollars(project: Path) -> None:
    code, out, err = _run("--profile", "web", "config", "--format", "json")
    assert code == 0
    model = json.loads(out)
    assert model["services"]["web"]["command"] == ["echo", "$$HOME"]
    assert model["volumes"] == {"data": {"name": "demo_data"}}
    assert "warning: the attribute `version` is obsolete" in err


def test_yaml_is_the_default_with_name_first(project: Path) -> None:
    code, out, _ = _run("config")
    assert code == 0
    assert out.startswith("name: demo\nservices:\n  db:\n")


def test_listings(project: Path) -> None:
    assert _run("config", "--services")[1] == "db\n"
    assert _run("config", "--profiles")[1] == "web\n"
    assert _run("config", "--volumes")[1] == "data\n"
    assert _run("config", "--images")[1] == "pg\n"
    assert _run("config", "-q") [1] == ""


def test_output_file(project: Path) -> None:
    code, out, _ = _run("config", "--format", "json", "-o", "out.json")
    assert code == 0 and out == ""
    assert json.loads((project / "out.json").read_text())["name"] == "demo"


def test_errors_exit_15(project: Path) -> None:
    (project / "compose.yaml").write_text("services:\n  web:\n    image: x\n    depends_on: [nope]\n")
    code, _, err = _run("config")
    assert code == 1
    assert "services.web.depends_on.nope: service 'web' depends on undefined service 'nope'" in err
