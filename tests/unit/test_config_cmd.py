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
        "    profiles: [web]\n  db:\n    image: pg\n    volumes: [data:/d]\nvolumes:\n  data:\n"
    )
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
    assert _run("config", "-q")[1] == ""


def test_named_services_print_with_what_they_depend_on_and_use(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  web:\n    image: w\n    depends_on: [api]\n"
        "  api:\n    image: a\n    volumes: [data:/d]\n"
        "  job:\n    image: j\n    networks: [back]\n"
        "  dbg:\n    image: d\n    profiles: [debug]\n"
        "volumes:\n  data:\nnetworks:\n  back:\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run("config", "--format", "json", "web")
    model = json.loads(out)
    assert code == 0 and sorted(model["services"]) == ["api", "web"]
    assert list(model["networks"]) == ["default"] and list(model["volumes"]) == ["data"]
    # Naming a service its profiles disable enables it; the name lists stay the whole project's.
    assert sorted(json.loads(_run("config", "--format", "json", "dbg")[1])["services"]) == ["dbg"]
    assert _run("config", "--images", "job")[1] == "j\n"
    # each service after those it depends on (Compose's ForEachService order)
    assert _run("config", "--services", "web")[1] == "api\nweb\njob\n"
    assert _run("config", "-q", "--services")[1] == "api\nweb\njob\n"  # -q silences only the model
    assert _run("config", "-q", "web") == (0, "", "")
    code, _, err = _run("config", "webb")
    assert code == 1 and "no such service: webb" in err and "did you mean 'web'?" in err


def test_output_file(project: Path) -> None:
    code, out, _ = _run("config", "--format", "json", "-o", "out.json")
    assert code == 0 and out == ""
    assert json.loads((project / "out.json").read_text())["name"] == "demo"


def test_errors_exit_15(project: Path) -> None:
    (project / "compose.yaml").write_text("services:\n  web:\n    image: x\n    depends_on: [nope]\n")
    code, _, err = _run("config")
    assert code == 1
    assert "services.web.depends_on.nope: service 'web' depends on undefined service 'nope'" in err


def test_config_hash_environment_and_variables(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from compose_lite.cli import cli

    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: ${IMG:-nginx}\n    environment: ['A=${A:?set A}', 'B=${B:+on}']\n"
        "  db:\n    image: db\n"
    )
    runner = CliRunner()
    base = ["--project-directory", str(tmp_path), "-f", str(tmp_path / "compose.yaml"), "-p", "p"]
    env = {"A": "1"}
    hashes = runner.invoke(cli, [*base, "config", "--hash", "web"], env=env).output.split()
    assert hashes[0] == "web" and len(hashes[1]) == 64
    assert runner.invoke(cli, [*base, "config", "--hash", "*"], env=env).output.split()[::2] == ["db", "web"]
    assert (
        "COMPOSE_PROJECT_NAME=p\n" in runner.invoke(cli, [*base, "config", "--environment"], env=env).output
    )
    table = runner.invoke(cli, [*base, "config", "--variables"], env=env).output.splitlines()
    assert [line.split() for line in table] == [
        ["NAME", "REQUIRED", "DEFAULT", "VALUE", "ALTERNATE", "VALUE"],
        ["A", "true"],
        ["B", "false", "on"],
        ["IMG", "false", "nginx"],
    ]


def test_all_resources_keeps_what_no_service_uses(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from compose_lite.cli import cli

    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: x\nnetworks:\n  unused: {}\n")
    base = ["--project-directory", str(tmp_path), "-f", str(tmp_path / "compose.yaml"), "-p", "p"]
    runner = CliRunner()
    assert runner.invoke(cli, [*base, "config", "--networks"]).output.split() == ["default"]
    every = runner.invoke(cli, [*base, "--all-resources", "config", "--networks"]).output.split()
    assert sorted(every) == ["default", "unused"]


def test_no_consistency_and_no_env_resolution(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from compose_lite.cli import cli

    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: x\n    scale: 2\n    container_name: cn\n    env_file: [a.env]\n"
    )
    (tmp_path / "a.env").write_text("A=1\n")
    base = ["--project-directory", str(tmp_path), "-f", str(tmp_path / "compose.yaml"), "-p", "p"]
    runner = CliRunner()
    assert runner.invoke(cli, [*base, "config", "-q"]).exit_code == 1  # container_name with two replicas
    assert runner.invoke(cli, [*base, "config", "-q", "--no-consistency"]).exit_code == 0
    kept = runner.invoke(
        cli, [*base, "config", "--no-consistency", "--no-env-resolution", "--format", "json"]
    )
    # as in Compose, the loader has folded env_file already: the flag changes nothing here
    web = json.loads(kept.output)["services"]["web"]
    assert web["environment"] == {"A": "1"} and "env_file" not in web


def test_build_ssh_prints_as_a_list_and_attestations_as_strings(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    build:\n      context: .\n"
                                           "      ssh: {default: null}\n      provenance: true\n"
                                           "      sbom: false\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run("config", "--format", "json")
    build = json.loads(out)["services"]["web"]["build"]
    assert code == 0
    assert (build["ssh"], build["provenance"], build["sbom"]) == (["default"], "true", "false")


def test_listings_skip_env_files_and_ignore_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: w\n    depends_on: [db]\n    env_file: [missing.env]\n"
        "    models: [m1]\n  db:\n    image: d\n"
        "models:\n  m1:\n    model: ai/one\n  m2:\n    model: ai/two\n")
    monkeypatch.chdir(tmp_path)
    # expected text from docker compose 2.40.3
    assert _run("config", "--services") == (0, "db\nweb\n", "")
    assert _run("config", "--models") == (0, "ai/one\n", "")  # the models' names, of used models
    assert _run("config", "--images", "-o", "x.txt") == (0, "w\nd\n", "")  # -o is for the model alone
    assert not (tmp_path / "x.txt").exists()


def test_no_consistency_skips_references_and_unused_models_are_dropped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: w\n    depends_on: [db]\n    networks: [undeclared]\n"
        "    models: [m1]\n  db:\n    image: ${IMG:-d}\n"
        "models:\n  m1:\n    model: ai/one\n  m2:\n    model: ai/two\n")
    monkeypatch.chdir(tmp_path)
    assert _run("config", "-q")[0] == 1
    assert _run("config", "--no-consistency") == (0, (  # from docker compose 2.40.3
        "name: demo\nservices:\n  db:\n    image: d\n    networks:\n      default: null\n"
        "  web:\n    depends_on:\n      db:\n        condition: service_started\n        required: true\n"
        "    image: w\n    models:\n      m1: null\n    networks:\n      undeclared: null\n"
        "networks:\n  default:\n    name: demo_default\nmodels:\n  m1:\n    model: ai/one\n"), "")
    assert _run("config", "--no-consistency", "-q", "--environment") == (0, "", "")
    # the hashes before a name no service has are printed
    code, out, err = _run("config", "--no-consistency", "--hash", "db,nope,web")
    assert (code, out.split()[0], err) == (1, "db", "error: no such service: nope\n")
    assert _run("config", "--variables", "--format", "yaml")[1] == (
        "IMG:\n    name: IMG\n    defaultvalue: d\n    presencevalue: \"\"\n    required: false\n")
    assert _run("config", "--variables", "--format", "json")[1] == (
        '{\n    "IMG": {\n        "Name": "IMG",\n        "DefaultValue": "d",\n'
        '        "PresenceValue": "",\n        "Required": false\n    }\n}\n\n')
