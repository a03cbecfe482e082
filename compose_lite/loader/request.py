"""What goes into a load and what comes out: kept apart from the pipeline so that a memoized
load (``loader.memo``) can hand back a project without importing the parser."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from compose_lite.errors import ConfigError

STDIN = "-"  # as a compose file name: read the file from standard input


@dataclass(frozen=True, kw_only=True)
class DiscoverRequest:
    """What the command line and the process tell us."""

    cwd: str
    files: tuple[str, ...] = ()
    project_name: str | None = None
    project_directory: str | None = None
    env_files: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()
    environ: Mapping[str, str] = field(default_factory=dict)
    stdin: Callable[[], str | bytes] | None = None


@dataclass(frozen=True, kw_only=True)
class LoadRequest(DiscoverRequest):
    """What the user asked for (global options, process context) and how far to process the files."""

    interpolate: bool = True
    normalize: bool = True
    resolve_paths: bool = True
    all_resources: bool = False  # keep networks, volumes, secrets and configs no service uses
    consistency: bool = True  # the checks on the merged project (loader.consistency)
    resolve_env_files: bool = True  # fold env_file and label_file into environment and labels
    # The services the command names: one its profiles disable is enabled, with its profiles (as
    # `docker compose run migrate` runs a service of the `tools` profile without --profile tools).
    services: tuple[str, ...] = ()


@dataclass
class LoadedProject:
    """A loaded project: the canonical model plus what produced it."""

    name: str
    working_dir: str
    config_files: list[str]
    environment: dict[str, str]
    model: dict[str, Any]
    warnings: list[ConfigError] = field(default_factory=list)
    active_profiles: list[str] = field(default_factory=list)
    disabled_services: dict[str, Any] = field(default_factory=dict)
