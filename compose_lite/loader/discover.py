"""Which compose files, which project directory, which environment, which name.

Follows Docker Compose v2 (compose-go ``cli`` options), in this order:

1. The directory holding ``.env``: ``--project-directory``, else the directory of the
   first ``-f`` file, else the current directory (known before any file search, so a
   ``.env`` there may set COMPOSE_FILE).
2. Env files: ``--env-file`` (repeatable; then ``.env`` is not read), else ``.env`` in
   that directory unless COMPOSE_DISABLE_ENV_FILE is true (COMPOSE_ENV_FILES, comma-separated,
   stands for --env-file).  The process environment
   overrides their values.
3. Files: ``-f``; else COMPOSE_FILE split by COMPOSE_PATH_SEPARATOR; else the first of
   compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml found from the
   project directory (or cwd) upward, plus one override file found next to it.
4. Working directory: ``--project-directory``, else the first file's directory (stdin: cwd).
5. Name: ``-p`` > COMPOSE_PROJECT_NAME > top-level ``name:`` > working-directory basename;
   see ``resolve_project_name``.  Explicit names must already be valid.

Nothing here changes the process: no chdir, no writes to ``os.environ``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from compose_lite.errors import ConfigError, NoConfigFileError
from compose_lite.loader import inputs
from compose_lite.loader.dotenv import read_dotenv
from compose_lite.loader.paths import expand_home
from compose_lite.loader.request import STDIN, DiscoverRequest

DEFAULT_FILE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
DEFAULT_OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)

_VALID_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_NAME_HINT = (
    "a project name must consist only of lowercase letters, digits, hyphens and underscores, "
    "and start with a letter or digit"
)
_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class ConfigFile:
    """A compose file and its content: bytes as read from disk, str when it came from stdin."""

    path: str  # absolute, or "-" for stdin
    content: str | bytes


@dataclass(frozen=True)
class ProjectSource:
    """Everything the loader needs before parsing."""

    config_files: tuple[ConfigFile, ...]
    working_dir: str
    environment: dict[str, str]
    project_name: str | None  # None: decided later by resolve_project_name
    profiles: tuple[str, ...]
    env_files: tuple[str, ...] = ()
    warnings: tuple[ConfigError, ...] = ()


def discover(request: DiscoverRequest) -> ProjectSource:
    cwd = os.path.abspath(request.cwd)
    project_dir = _absolute(request.project_directory, request) if request.project_directory else None
    env_files = _env_files(request, cwd, project_dir)
    # As Compose: a process started without PWD (not from a shell) is given the working directory
    environment = _load_environment(env_files, {"PWD": cwd, **request.environ})
    warnings: list[ConfigError] = []
    paths = _config_paths(request, environment, cwd, project_dir, warnings)
    config_files = tuple(_read_config(path, request) for path in paths)
    if project_dir is not None:
        working_dir = project_dir
    else:
        first = config_files[0].path
        working_dir = cwd if first == STDIN else os.path.dirname(first)
    return ProjectSource(
        config_files=config_files,
        working_dir=working_dir,
        environment=environment,
        project_name=_explicit_name(request.project_name, environment),
        profiles=_profiles(request.profiles, environment),
        env_files=env_files,
        warnings=tuple(warnings),
    )


def normalize_project_name(raw: str) -> str:
    """Lowercase, drop characters outside [a-z0-9_-], drop leading ``_``/``-``."""
    cleaned = re.sub(r"[^a-z0-9_-]", "", raw.lower())
    return cleaned.lstrip("_-")


def validate_project_name(name: str, source: str) -> str:
    """An explicitly given name (-p, COMPOSE_PROJECT_NAME, ``name:``) must already be normalized."""
    if not _VALID_NAME.fullmatch(name):
        suggestion = normalize_project_name(name)
        hint = f"{_NAME_HINT}, e.g. {suggestion!r}" if suggestion else _NAME_HINT
        raise ConfigError(f"invalid project name {name!r} (from {source})", hint=hint)
    return name


def resolve_project_name(source: ProjectSource, top_level_name: str | None) -> str:
    """The final project name once the files' top-level ``name:`` (interpolated) is known."""
    if source.project_name is not None:
        return source.project_name
    if top_level_name:
        return validate_project_name(top_level_name, "the top-level name: field")
    name = normalize_project_name(os.path.basename(source.working_dir.rstrip(os.sep)))
    if not name:
        raise ConfigError(
            f"cannot derive a project name from the directory {source.working_dir}",
            hint="set one with -p, COMPOSE_PROJECT_NAME or a top-level name: field",
        )
    return name


def _absolute(path: str, request: DiscoverRequest) -> str:
    return os.path.normpath(os.path.join(os.path.abspath(request.cwd),
                                         expand_home(path, request.environ.get("HOME"))))


def _env_files(request: DiscoverRequest, cwd: str, project_dir: str | None) -> tuple[str, ...]:
    # --env-file, else COMPOSE_ENV_FILES (comma-separated), as Compose reads them
    named = request.env_files or tuple(
        f.strip() for f in request.environ.get("COMPOSE_ENV_FILES", "").split(",") if f.strip())
    if named:
        files = tuple(_absolute(f, request) for f in named)
        for path in files:
            if not inputs.is_file(path):
                raise ConfigError(f"couldn't find env file: {path}", hint="fix the --env-file path")
        return files
    if request.environ.get("COMPOSE_DISABLE_ENV_FILE", "").lower() in _TRUE:
        return ()
    base = project_dir
    if base is None:
        first = next((f for f in request.files if f != STDIN), None)
        base = os.path.dirname(_absolute(first, request)) if first else cwd
    dotenv = os.path.join(base, ".env")
    return (dotenv,) if inputs.is_file(dotenv) else ()


def _load_environment(env_files: tuple[str, ...], environ: Mapping[str, str]) -> dict[str, str]:
    loaded: dict[str, str] = {}
    for path in env_files:

        def lookup(name: str) -> str | None:
            return environ[name] if name in environ else loaded.get(name)

        loaded.update(read_dotenv(path, lookup))
    return {**loaded, **environ}


def _config_paths(
    request: DiscoverRequest,
    environment: Mapping[str, str],
    cwd: str,
    project_dir: str | None,
    warnings: list[ConfigError],
) -> list[str]:
    if request.files:
        return [f if f == STDIN else _absolute(f, request) for f in request.files]
    from_env = environment.get("COMPOSE_FILE", "")
    if from_env:
        separator = environment.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
        return [_absolute(f, request) for f in from_env.split(separator) if f]
    directory = project_dir or cwd
    while True:
        main = _first_existing(directory, DEFAULT_FILE_NAMES, warnings)
        if main is not None:
            override = _first_existing(directory, DEFAULT_OVERRIDE_NAMES, warnings)
            return [main] if override is None else [main, override]
        parent = os.path.dirname(directory)
        if parent == directory:
            raise NoConfigFileError(
                "no configuration file provided: not found",
                hint=f"run from a directory with one of {', '.join(DEFAULT_FILE_NAMES)}, or pass -f FILE",
            )
        directory = parent


def _first_existing(directory: str, names: tuple[str, ...], warnings: list[ConfigError]) -> str | None:
    found = [os.path.join(directory, n) for n in names if inputs.is_file(os.path.join(directory, n))]
    if len(found) > 1:
        warnings.append(
            ConfigError(
                f"found multiple config files with supported names: {', '.join(found)}; using {found[0]}",
                hint="remove or rename the ones you do not use",
            )
        )
    return found[0] if found else None


def _read_config(path: str, request: DiscoverRequest) -> ConfigFile:
    if path == STDIN:
        if request.stdin is None:
            raise ConfigError("cannot read the compose file from stdin here")
        return ConfigFile(STDIN, request.stdin())
    try:
        return ConfigFile(path, inputs.read_bytes(path))
    except FileNotFoundError:
        raise ConfigError(f"compose file {path} not found", hint="check -f and COMPOSE_FILE") from None
    except IsADirectoryError:
        raise ConfigError(f"compose file {path} is a directory", hint="pass the file inside it") from None
    except OSError as exc:
        raise ConfigError(f"cannot read compose file {path}: {exc.strerror}") from None


def _explicit_name(flag: str | None, environment: Mapping[str, str]) -> str | None:
    if flag:
        return validate_project_name(flag, "-p/--project-name")
    from_env = environment.get("COMPOSE_PROJECT_NAME", "")
    return validate_project_name(from_env, "COMPOSE_PROJECT_NAME") if from_env else None


def _profiles(flags: tuple[str, ...], environment: Mapping[str, str]) -> tuple[str, ...]:
    raw = flags or tuple(environment.get("COMPOSE_PROFILES", "").split(","))
    return tuple(dict.fromkeys(p.strip() for p in raw if p.strip()))
