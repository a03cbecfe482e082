from __future__ import annotations

from pathlib import Path

import pytest

from compose_lite.errors import ConfigError
from compose_lite.loader.discover import (
    ConfigFile,
    ProjectSource,
    discover,
    normalize_project_name,
    resolve_project_name,
    validate_project_name,
)
from compose_lite.loader.request import DiscoverRequest


def write(path: Path, text: str = "services: {}\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def run(cwd: Path, **kwargs: object) -> ProjectSource:
    return discover(DiscoverRequest(cwd=str(cwd), **kwargs))  # type: ignore[arg-type]


def error(cwd: Path, **kwargs: object) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        run(cwd, **kwargs)
    return info.value


def test_search_upward_with_override(tmp_path: Path) -> None:
    main = write(tmp_path / "proj" / "compose.yaml")
    override = write(tmp_path / "proj" / "compose.override.yml")
    sub = tmp_path / "proj" / "src" / "deep"
    sub.mkdir(parents=True)
    source = run(sub)
    assert [f.path for f in source.config_files] == [str(main), str(override)]
    assert source.config_files[0].content == b"services: {}\n"
    assert source.working_dir == str(tmp_path / "proj")
    assert source.warnings == ()


def test_two_spellings_warn_and_take_compose_yaml(tmp_path: Path) -> None:
    write(tmp_path / "docker-compose.yml")
    main = write(tmp_path / "compose.yaml")
    source = run(tmp_path)
    assert [f.path for f in source.config_files] == [str(main)]
    assert [w.message for w in source.warnings] == [
        f"found multiple config files with supported names: {main}, {tmp_path / 'docker-compose.yml'}; "
        f"using {main}"
    ]


def test_legacy_name_found(tmp_path: Path) -> None:
    legacy = write(tmp_path / "docker-compose.yml")
    assert [f.path for f in run(tmp_path).config_files] == [str(legacy)]


def test_not_found(tmp_path: Path) -> None:
    err = error(tmp_path)
    assert err.message == "no configuration file provided: not found"
    assert err.hint is not None and "pass -f FILE" in err.hint


def test_explicit_files_relative_to_cwd_and_working_dir_from_first(tmp_path: Path) -> None:
    a = write(tmp_path / "a" / "one.yml")
    b = write(tmp_path / "b" / "two.yml")
    source = run(tmp_path, files=("a/one.yml", "b/two.yml"))
    assert [f.path for f in source.config_files] == [str(a), str(b)]
    assert source.working_dir == str(tmp_path / "a")


def test_missing_explicit_file(tmp_path: Path) -> None:
    assert error(tmp_path, files=("nope.yml",)).message == f"compose file {tmp_path / 'nope.yml'} not found"


def test_a_compose_file_that_never_ends_is_refused_not_read_forever(tmp_path: Path) -> None:
    assert error(tmp_path, files=("/dev/zero",)).message == (
        "cannot read compose file /dev/zero: it is over 64 MiB: a device, or input that never ends?")


def test_stdin_that_never_ends_is_refused_too() -> None:
    import subprocess
    import sys

    with open("/dev/zero", "rb") as zero:
        done = subprocess.run([sys.executable, "-m", "compose_lite", "-f", "-", "config", "-q"], stdin=zero,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == ("error: cannot read the compose file from stdin: it is over 64 MiB: a device, "
                           "or input that never ends?\n")


def test_stdin_content_is_carried_and_cwd_is_working_dir(tmp_path: Path) -> None:
    source = run(tmp_path, files=("-",), stdin=lambda: "services: {a: {image: x}}\n")
    assert source.config_files == (ConfigFile("-", "services: {a: {image: x}}\n"),)
    assert source.working_dir == str(tmp_path)


def test_compose_file_variable_with_separator(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yml")
    b = write(tmp_path / "b.yml")
    env = {"COMPOSE_FILE": "a.yml;b.yml", "COMPOSE_PATH_SEPARATOR": ";"}
    assert [f.path for f in run(tmp_path, environ=env).config_files] == [str(a), str(b)]


def test_compose_file_from_dotenv(tmp_path: Path) -> None:
    a = write(tmp_path / "x.yml")
    write(tmp_path / ".env", "COMPOSE_FILE=x.yml\n")
    assert [f.path for f in run(tmp_path).config_files] == [str(a)]


def test_environment_dotenv_overridden_by_process(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml")
    write(tmp_path / ".env", "A=from-file\nB=from-file\nC=${B}-${HOME}\n")
    source = run(tmp_path, environ={"B": "from-env", "HOME": "/h"})
    # the process environment wins, inside the file too: C sees the shell's B
    assert source.environment == {"A": "from-file", "B": "from-env", "C": "from-env-/h", "HOME": "/h",
                                  "PWD": str(tmp_path)}
    assert source.env_files == (str(tmp_path / ".env"),)


def test_env_file_option_replaces_dotenv(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml")
    write(tmp_path / ".env", "A=dotenv\n")
    write(tmp_path / "one.env", "A=one\nB=one\n")
    write(tmp_path / "two.env", "B=two-$A\n")
    source = run(tmp_path, env_files=("one.env", "two.env"))
    assert source.environment == {"A": "one", "B": "two-one", "PWD": str(tmp_path)}


def test_missing_env_file_option(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml")
    assert error(tmp_path, env_files=("x.env",)).message == f"couldn't find env file: {tmp_path / 'x.env'}"


def test_disable_env_file(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml")
    write(tmp_path / ".env", "A=1\n")
    source = run(tmp_path, environ={"COMPOSE_DISABLE_ENV_FILE": "true"})
    assert source.environment == {"COMPOSE_DISABLE_ENV_FILE": "true", "PWD": str(tmp_path)}


def test_project_directory_holds_dotenv_and_is_working_dir(tmp_path: Path) -> None:
    write(tmp_path / "conf" / "compose.yaml")
    write(tmp_path / "proj" / ".env", "A=1\n")
    source = run(tmp_path, files=("conf/compose.yaml",), project_directory="proj")
    assert source.working_dir == str(tmp_path / "proj")
    assert source.environment == {"A": "1", "PWD": str(tmp_path)}


def test_dotenv_next_to_first_file(tmp_path: Path) -> None:
    write(tmp_path / "conf" / "compose.yaml")
    write(tmp_path / "conf" / ".env", "A=1\n")
    assert run(tmp_path, files=("conf/compose.yaml",)).environment == {"A": "1", "PWD": str(tmp_path)}


def test_pwd_is_the_working_directory_unless_the_process_has_one(tmp_path: Path) -> None:
    # As Compose (cmd/compose): PWD, when absent, is the current directory, and beats the .env file
    write(tmp_path / "compose.yaml")
    write(tmp_path / ".env", "PWD=/from-dotenv\nHERE=${PWD}\n")
    assert run(tmp_path).environment == {"PWD": str(tmp_path), "HERE": str(tmp_path)}
    assert run(tmp_path, environ={"PWD": "/shell"}).environment == {"PWD": "/shell", "HERE": "/shell"}


def test_profiles_from_flags_or_environment(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml")
    write(tmp_path / ".env", "COMPOSE_PROFILES=debug, test,,debug\n")
    assert run(tmp_path).profiles == ("debug", "test")
    assert run(tmp_path, profiles=("prod",)).profiles == ("prod",)


def test_project_name_order(tmp_path: Path) -> None:
    write(tmp_path / "My App" / "compose.yaml")
    cwd = tmp_path / "My App"
    assert run(cwd, project_name="flag", environ={"COMPOSE_PROJECT_NAME": "env"}).project_name == "flag"
    assert run(cwd, environ={"COMPOSE_PROJECT_NAME": "env"}).project_name == "env"
    source = run(cwd)
    assert source.project_name is None
    assert resolve_project_name(source, "from-file") == "from-file"
    assert resolve_project_name(source, None) == "myapp"


def test_invalid_explicit_project_name(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml")
    err = error(tmp_path, project_name="My App")
    assert err.message == "invalid project name 'My App' (from -p/--project-name)"
    assert err.hint is not None and err.hint.endswith("e.g. 'myapp'")


@pytest.mark.parametrize(
    ("raw", "expected"), [("My App", "myapp"), ("__x.y-Z", "xy-z"), ("ok_1", "ok_1"), ("...", "")]
)
def test_normalize_project_name(raw: str, expected: str) -> None:
    assert normalize_project_name(raw) == expected


def test_validate_top_level_name() -> None:
    with pytest.raises(ConfigError, match="invalid project name '-x'"):
        validate_project_name("-x", "the top-level name: field")


def test_unusable_directory_name(tmp_path: Path) -> None:
    write(tmp_path / "___" / "compose.yaml")
    source = run(tmp_path / "___")
    with pytest.raises(ConfigError, match="cannot derive a project name"):
        resolve_project_name(source, None)
