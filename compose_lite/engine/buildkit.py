"""Builds with BuildKit through the docker CLI, as Docker Compose v1 did (COMPOSE_DOCKER_CLI_BUILD)
and v2 does with buildx: the SDK's build endpoint is the legacy builder, which cannot run
``RUN --mount=type=cache``, build secrets or ssh.

Which CLI can: one with the buildx plugin (``docker buildx build``), else a CLI older than 23,
whose plain ``docker build`` is BuildKit when ``DOCKER_BUILDKIT=1`` (23 and later refuse that
without buildx). The first ``docker`` on PATH that can is used; none means the legacy builder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from compose_lite.errors import EngineError
from compose_lite.model import Build

# What only BuildKit does: a build that sets any of these says so when it falls back.
BUILDKIT_ONLY = ("secrets", "ssh", "platforms")
# What only buildx does: a classic `DOCKER_BUILDKIT=1 docker build` has no flag for it, or (ulimits)
# takes the flag and ignores it.
BUILDX_ONLY = ("cache_to", "additional_contexts", "entitlements", "provenance", "sbom", "ulimits",
               "buildx_flags")


@dataclass(frozen=True)
class BuildCli:
    """A docker CLI that builds with BuildKit: its path and how (``buildx`` or ``classic``)."""

    path: str
    mode: str

    def describe(self) -> str:
        how = "docker buildx build" if self.mode == "buildx" else "docker build, DOCKER_BUILDKIT=1"
        return f"BuildKit ({how}, {self.path})"


def find_cli(environ: Mapping[str, str]) -> BuildCli | None:
    """The first docker CLI on PATH that builds with BuildKit, or None (``CL_BUILDKIT=0`` forces None)."""
    if environ.get("CL_BUILDKIT", "").lower() in ("0", "false", "no"):
        return None
    seen: set[str] = set()
    for directory in (environ.get("PATH") or os.defpath).split(os.pathsep):
        found = shutil.which("docker", path=directory)
        if not found or os.path.realpath(found) in seen:
            continue
        seen.add(os.path.realpath(found))
        mode = _mode(found, environ)
        if mode is not None:
            return BuildCli(found, mode)
    return None


def _mode(cli: str, environ: Mapping[str, str]) -> str | None:
    env = dict(environ)
    if _quiet_ok([cli, "buildx", "version"], env):
        return "buildx"
    version = subprocess.run([cli, "--version"], capture_output=True, text=True, env=env, timeout=10)
    match = re.search(r"version (\d+)\.", version.stdout)
    return "classic" if match and int(match.group(1)) < 23 else None


def _quiet_ok(argv: list[str], env: dict[str, str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, env=env, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def argv(cli: BuildCli, tag: str, build: Build, labels: Mapping[str, str], iidfile: str,
         secret_files: Mapping[str, str]) -> list[str]:
    """The build command line; ``secret_files`` maps an environment secret's id to a file holding it."""
    out = [cli.path, *(["buildx", "build", "--load"] if cli.mode == "buildx" else ["build"])]
    out += ["--progress", "plain", "--iidfile", iidfile, "-t", tag]
    out += [f"-t={extra}" for extra in build.tags]
    if build.dockerfile_inline is None and build.dockerfile:  # a remote context's is read inside it
        out += ["-f", build.dockerfile if os.path.isabs(build.dockerfile) or build.remote
                else os.path.join(build.context, build.dockerfile)]
    elif build.dockerfile_inline is not None:
        out += ["-f", "-"]
    out += [f"--build-arg={k}={v}" for k, v in build.args.items()]
    out += [f"--label={k}={v}" for k, v in {**build.labels, **labels}.items()]
    out += [f"--target={build.target}"] if build.target else []
    out += [f"--network={build.network}"] if build.network else []
    out += [f"--shm-size={build.shm_size}"] if build.shm_size else []
    out += [f"--add-host={h}" for h in build.extra_hosts]
    out += ["--no-cache"] if build.no_cache else []
    out += ["--pull"] if build.pull else []
    out += [f"--cache-from={c}" for c in build.cache_from]
    platforms = build.platforms or ((build.platform,) if build.platform else ())
    out += [f"--platform={','.join(platforms)}"] if platforms else []
    out += [f"--ssh={s}" for s in build.ssh]
    out += [f"--memory={build.memory}"] if build.memory else []
    out += [f"--isolation={build.isolation}"] if build.isolation else []
    buildx = [key for key in BUILDX_ONLY if getattr(build, key)]
    if buildx and cli.mode != "buildx":
        raise EngineError(f"build {tag}: {', '.join(buildx)} need the docker buildx plugin",
                          hint="install docker-buildx, or leave these out")
    out += [f"--cache-to={c}" for c in build.cache_to]
    out += [f"--build-context={k}={v}" for k, v in build.additional_contexts.items()]
    out += [f"--allow={e}" for e in build.entitlements]
    out += [f"--provenance={build.provenance}"] if build.provenance else []
    out += [f"--sbom={build.sbom}"] if build.sbom else []
    out += [f"--ulimit={u}" for u in build.ulimits]
    out += list(build.buildx_flags)
    for secret_id, kind, where in build.secrets:
        source = secret_files[secret_id] if kind == "env" else where
        out += [f"--secret=id={secret_id},src={source}"]
    return [*out, build.context]


def build(cli: BuildCli, tag: str, build_spec: Build, labels: Mapping[str, str], *, host: str,
          environ: Mapping[str, str], output: Callable[[str], None] | None) -> str:
    """Build ``tag``; the image id. The CLI's plain progress goes to ``output`` line by line."""
    env = {**environ, "DOCKER_HOST": host, "DOCKER_BUILDKIT": "1"}
    env.pop("DOCKER_CONTEXT", None)  # the host is already resolved
    with tempfile.TemporaryDirectory(prefix="cl-build-") as scratch:
        secret_files = _env_secrets(build_spec, environ, scratch)
        iidfile = os.path.join(scratch, "iid")
        command = argv(cli, tag, build_spec, labels, iidfile, secret_files)
        recent = _run(command, env, build_spec.dockerfile_inline, output)
        try:
            with open(iidfile, encoding="ascii") as handle:
                return handle.read().strip()
        except OSError:
            tail = "".join(recent[-8:]).strip()
            raise EngineError(f"build {tag} failed" + (f":\n{tail}" if tail and output is None else ""),
                              hint="the build's output above says why") from None


def _env_secrets(build_spec: Build, environ: Mapping[str, str], scratch: str) -> dict[str, str]:
    """Secrets from environment variables, written to private files the CLI reads."""
    files: dict[str, str] = {}
    for secret_id, kind, variable in build_spec.secrets:
        if kind != "env":
            continue
        if variable not in environ:
            raise EngineError(f"build secret {secret_id} reads ${variable}, which is not set")
        path = os.path.join(scratch, f"secret-{len(files)}")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w", encoding="utf-8") as handle:
            handle.write(environ[variable])
        files[secret_id] = path
    return files


def _run(command: Sequence[str], env: Mapping[str, str], stdin_text: str | None,
         output: Callable[[str], None] | None) -> list[str]:
    recent: list[str] = []
    with subprocess.Popen(command, stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(env)) as proc:
        if stdin_text is not None and proc.stdin is not None:
            proc.stdin.write(stdin_text)
            proc.stdin.close()
        assert proc.stdout is not None
        for line in proc.stdout:
            recent = [*recent[-20:], line]
            if output is not None:
                output(line)
    return recent
