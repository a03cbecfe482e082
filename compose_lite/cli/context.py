"""Global options shared by every command, resolved once from flags and environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GlobalOptions:
    """What the user told `cl` before the command name (flags win over environment)."""

    files: tuple[str, ...] = ()
    project_name: str | None = None
    project_directory: str | None = None
    env_files: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()
    ansi: str = "auto"
    progress: str = "auto"
    host: str | None = None
    wait_lock: float = 600.0  # seconds a changing command waits for the project lock
    all_resources: bool = False  # --all-resources: keep resources no service uses
    dry_run: bool = False  # the global --dry-run: show the plan, change nothing
    debug: bool = False
    verbose: bool = False
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def docker_host(self) -> str | None:
        """``-H`` wins over DOCKER_HOST; None means the engine's default socket."""
        return self.host or self.environ.get("DOCKER_HOST") or None
