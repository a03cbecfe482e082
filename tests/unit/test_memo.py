"""The load memo: reused only while everything the load read or probed is unchanged."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import pytest

from compose_lite.errors import ConfigError
from compose_lite.loader import memo, pipeline
from compose_lite.loader.memo import LoadMemo
from compose_lite.loader.request import LoadedProject, LoadRequest
from tests.unit.cl_process import run_cl

LOADER_DIR = Path(memo.__file__).parent
SETTLE_S = memo.SETTLE_NS / 1e9  # the real rule, before the fixture below relaxes it in-process


@pytest.fixture(autouse=True)
def inputs_count_as_settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Files written by a test are seconds old at most; the rule for fresh files has its own test.
    monkeypatch.setattr(memo, "SETTLE_NS", 0)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[LoadRequest]:
    """Every request that reached the real loader (a memo hit does not)."""
    seen: list[LoadRequest] = []
    real = pipeline.load

    def counting(request: LoadRequest) -> LoadedProject:
        seen.append(request)
        return real(request)

    monkeypatch.setattr(pipeline, "load", counting)
    return seen


def request(root: Path, **kw: Any) -> LoadRequest:
    environ = {"XDG_CACHE_HOME": str(root / "cache"), "HOME": "/home/u", **kw.pop("environ", {})}
    return LoadRequest(cwd=str(root / "app"), environ=environ, **kw)


def model(req: LoadRequest) -> dict[str, Any]:
    return LoadMemo(req).project().model


def test_second_identical_load_comes_from_the_memo_and_equals_the_first(
        tmp_path: Path, loads: list[LoadRequest]) -> None:
    write(tmp_path / "app/compose.yaml", "services:\n  web:\n    image: cl-busybox:${TAG}\n"
                                         "    environment: [FROM_DOTENV, FROM_SHELL]\n")
    write(tmp_path / "app/.env", "FROM_DOTENV=d\n")
    req = request(tmp_path, environ={"FROM_SHELL": "s"})
    first = LoadMemo(req).project()
    second = LoadMemo(req).project()
    assert len(loads) == 1
    assert second.model == first.model
    assert second.environment == first.environment
    assert second.environment["FROM_DOTENV"] == "d" and second.environment["FROM_SHELL"] == "s"
    assert [str(w) for w in second.warnings] == [str(w) for w in first.warnings]
    assert "TAG" in str(second.warnings[0])
    assert (second.name, second.working_dir, second.config_files) == \
        (first.name, first.working_dir, first.config_files)


def test_entries_do_not_copy_the_process_environment_and_are_private(tmp_path: Path) -> None:
    # What the model itself holds is stored, as `cl config` would print it; nothing else of the
    # environment is: the key covers it, and a hit takes it from the live environment.
    write(tmp_path / "app/compose.yaml", "services:\n  web:\n    image: cl-busybox\n")
    write(tmp_path / "app/.env", "FROM_DOTENV=d\n")
    LoadMemo(request(tmp_path, environ={"UNUSED_TOKEN": "hunter2"})).project()
    [entry] = (tmp_path / "cache/compose-lite/loads").iterdir()
    assert "hunter2" not in entry.read_text() and "FROM_DOTENV" in entry.read_text()
    assert entry.stat().st_mode & 0o077 == 0 and entry.parent.stat().st_mode & 0o077 == 0


def test_new_content_under_a_restored_mtime_and_size_is_still_seen(tmp_path: Path) -> None:
    # `tar --mtime`, `cp -p` and `touch -d` put an old mtime on new content; the ctime moves anyway.
    compose = write(tmp_path / "app/compose.yaml", "services:\n  web:\n    image: app:1.0.1\n")
    before = compose.stat()
    assert model(request(tmp_path))["services"]["web"]["image"] == "app:1.0.1"
    compose.write_text("services:\n  web:\n    image: app:1.0.2\n")
    os.utime(compose, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (compose.stat().st_mtime_ns, compose.stat().st_size) == (before.st_mtime_ns, before.st_size)
    assert model(request(tmp_path))["services"]["web"]["image"] == "app:1.0.2"


def test_home_comes_from_the_request_not_the_process(tmp_path: Path) -> None:
    write(tmp_path / "one/compose.yaml", "services:\n  web:\n    image: one\n")
    write(tmp_path / "two/compose.yaml", "services:\n  web:\n    image: two\n")
    for home in ("one", "two"):
        req = request(tmp_path, files=("~/compose.yaml",), environ={"HOME": str(tmp_path / home)})
        assert model(req)["services"]["web"]["image"] == home


EDITS: dict[str, tuple[dict[str, str], str, str, Callable[[dict[str, Any]], Any]]] = {
    # name: (files before, file to write, its new content, what the model shows of it)
    "the compose file": (
        {}, "app/compose.yaml", "services:\n  web:\n    image: edited\n",
        lambda m: m["services"]["web"]["image"]),
    "a new override file": (
        {}, "app/compose.override.yaml", "services:\n  web:\n    image: overridden\n",
        lambda m: m["services"]["web"]["image"]),
    "a new .env": (
        {}, "app/.env", "TAG=from-dotenv\n", lambda m: m["services"]["web"]["labels"]["tag"]),
    "an env_file": (
        {"app/web.env": "A=1\n"}, "app/web.env", "A=2\n",
        lambda m: m["services"]["web"]["environment"]["A"]),
    "an extended file": (
        {"app/base.yaml": "services:\n  base:\n    user: one\n"}, "app/base.yaml",
        "services:\n  base:\n    user: two\n", lambda m: m["services"]["web"]["user"]),
    "an included file": (
        {"lib/compose.yaml": "services:\n  lib:\n    image: one\n"}, "lib/compose.yaml",
        "services:\n  lib:\n    image: two\n", lambda m: m["services"]["lib"]["image"]),
}
MAIN = (
    "include: [../lib/compose.yaml]\n"
    "services:\n  web:\n    image: cl-busybox\n    labels: {tag: '${TAG:-none}'}\n"
    "    env_file: [{path: web.env, required: false}]\n"
    "    extends: {file: base.yaml, service: base}\n"
)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_changing_any_input_means_a_fresh_load(tmp_path: Path, edit: str) -> None:
    before, target, text, shown = EDITS[edit]
    base = {"app/compose.yaml": MAIN, "app/base.yaml": "services:\n  base: {}\n",
            "lib/compose.yaml": "services:\n  lib:\n    image: lib\n", **before}
    for name, content in base.items():
        write(tmp_path / name, content)
    req = request(tmp_path)
    old = shown(model(req))
    assert shown(model(req)) == old  # served from the memo
    path = tmp_path / target
    write(path, text)
    assert shown(model(req)) != old


def test_environment_options_and_code_are_part_of_the_key(
        tmp_path: Path, loads: list[LoadRequest], monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "app/compose.yaml", "services:\n  web:\n    image: 'cl-busybox:${TAG:-1}'\n")
    assert model(request(tmp_path))["services"]["web"]["image"] == "cl-busybox:1"
    assert model(request(tmp_path, environ={"TAG": "2"}))["services"]["web"]["image"] == "cl-busybox:2"
    assert model(request(tmp_path, project_name="other"))["name"] == "other"
    assert len(loads) == 3
    monkeypatch.setattr(memo, "_code_stamp", lambda: "a newer compose-lite")
    model(request(tmp_path))
    assert len(loads) == 4


def test_the_code_stamp_follows_python_and_pyyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_yaml = write(tmp_path / "site/yaml/__init__.py", "")
    monkeypatch.setattr(memo.importlib.util, "find_spec",
                        lambda name: ModuleSpec(name, None, origin=str(fake_yaml)))
    before = memo._code_stamp()
    os.utime(fake_yaml, ns=(0, 1))  # PyYAML reinstalled
    assert memo._code_stamp() != before
    after_reinstall = memo._code_stamp()
    monkeypatch.setattr(memo.sys, "version", "3.99.0 (another interpreter)")
    assert memo._code_stamp() != after_reinstall


def test_loads_that_read_a_just_modified_file_are_not_stored(
        tmp_path: Path, loads: list[LoadRequest], monkeypatch: pytest.MonkeyPatch) -> None:
    # Its timestamps could stay the same through one more edit (coarse file-system clocks).
    monkeypatch.setattr(memo, "SETTLE_NS", 60 * 1_000_000_000)
    write(tmp_path / "app/compose.yaml", "services:\n  web:\n    image: cl-busybox\n")
    model(request(tmp_path))
    model(request(tmp_path))
    assert len(loads) == 2


def test_stdin_failures_and_opt_out_are_never_stored(tmp_path: Path, loads: list[LoadRequest]) -> None:
    write(tmp_path / "app/compose.yaml", "services:\n  web:\n    imag: cl-busybox\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match="imag"):
            model(request(tmp_path))
    piped = request(tmp_path, files=("-",), stdin=lambda: "services:\n  web:\n    image: x\n")
    model(piped)
    model(piped)
    write(tmp_path / "app/compose.yaml", "services:\n  web:\n    image: cl-busybox\n")
    model(request(tmp_path, environ={"CL_NO_CACHE": "1"}))
    model(request(tmp_path, environ={"CL_NO_CACHE": "1"}))
    assert len(loads) == 6
    assert not (tmp_path / "cache/compose-lite/loads").exists()


def test_code_that_cannot_be_stamped_means_loading_without_the_memo(
        tmp_path: Path, loads: list[LoadRequest], monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable() -> str:
        raise PermissionError("scandir")

    monkeypatch.setattr(memo, "_code_stamp", unreadable)
    write(tmp_path / "app/compose.yaml", "services:\n  web:\n    image: cl-busybox\n")
    assert model(request(tmp_path))["services"]["web"]["image"] == "cl-busybox"
    model(request(tmp_path))
    assert len(loads) == 2
    assert not (tmp_path / "cache/compose-lite/loads").exists()


def test_a_damaged_entry_is_ignored_and_replaced(tmp_path: Path, loads: list[LoadRequest]) -> None:
    write(tmp_path / "app/compose.yaml", "services:\n  web:\n    image: cl-busybox\n")
    model(request(tmp_path))
    [entry] = (tmp_path / "cache/compose-lite/loads").iterdir()
    for damage in ("{not json", '{"inputs": {}, "project": {}, "renders": {}}', "[]"):
        entry.write_text(damage)
        assert model(request(tmp_path))["services"]["web"]["image"] == "cl-busybox"
    assert len(loads) == 4
    model(request(tmp_path))
    assert len(loads) == 4  # the last fresh load rewrote a good entry


def test_results_that_json_would_change_are_not_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "app/compose.yaml", "services: {}\n")
    calls: list[int] = []

    def with_tuple(_: LoadRequest) -> LoadedProject:
        calls.append(1)
        return LoadedProject(name="p", working_dir=str(tmp_path), config_files=[], environment={},
                             model={"services": {"web": {"ports": (80,)}}})

    monkeypatch.setattr(pipeline, "load", with_tuple)
    assert model(request(tmp_path)) == {"services": {"web": {"ports": (80,)}}}
    model(request(tmp_path))
    assert len(calls) == 2


def test_rendered_text_is_kept_with_the_entry(tmp_path: Path, loads: list[LoadRequest]) -> None:
    write(tmp_path / "app/compose.yaml", "services:\n  web:\n    image: cl-busybox\n")
    renders: list[str] = []

    def render(project: LoadedProject) -> str:
        renders.append(project.name)
        return f"rendered {project.name}\n"

    assert LoadMemo(request(tmp_path)).rendered("yaml", render) == "rendered app\n"
    assert LoadMemo(request(tmp_path)).rendered("yaml", render) == "rendered app\n"
    assert LoadMemo(request(tmp_path)).rendered("json", render) == "rendered app\n"
    assert (len(loads), len(renders)) == (1, 2)
    write(tmp_path / "app/compose.yaml", "name: renamed\nservices:\n  web:\n    image: cl-busybox\n")
    assert LoadMemo(request(tmp_path)).rendered("yaml", render) == "rendered renamed\n"


# The memo is only as good as its record of inputs: any file access in the loader that bypasses
# loader.inputs would be invisible to it.  Modules that read only compose-lite's own files or
# its caches are the exceptions.
_FILE_ACCESS = re.compile(
    r"(?<![.\w])(?<!def )open\(|os\.(path\.(isfile|exists|isdir|getmtime)|stat|listdir|scandir)\(")
_ALLOWED = {"inputs.py", "memo.py", "schema.py", "schema_cache.py"}


def test_the_loader_touches_the_file_system_only_through_inputs() -> None:
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(LOADER_DIR.glob("*.py")) if path.name not in _ALLOWED
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if _FILE_ACCESS.search(line)
    ]
    assert offenders == []


def test_a_repeated_cl_config_does_not_even_import_the_parser(tmp_path: Path) -> None:
    compose = write(tmp_path / "proj/compose.yaml", "services:\n  web:\n    image: cl-busybox\n")
    time.sleep(SETTLE_S + 0.1)  # the real rule applies in the cl process: let the file settle
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first, second = (run_cl(["config"], cwd=compose.parent, env=env) for _ in range(2))
    assert (first.code, second.code) == (0, 0)
    assert second.stdout == first.stdout and "image: cl-busybox" in first.stdout
    assert "yaml" in first.modules and "yaml" not in second.modules
    write(compose, "services:\n  web:\n    image: cl-python\n")
    third = run_cl(["config"], cwd=compose.parent, env=env)
    assert "image: cl-python" in third.stdout and "yaml" in third.modules
