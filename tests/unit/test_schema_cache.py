from __future__ import annotations

import os
from pathlib import Path

import pytest

from compose_lite.loader import schema_cache
from tests.unit.cl_process import run_cl

TREE = {"services": {"web": {"image": "cl-busybox"}}}


def test_remembers_only_what_it_was_told(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert not schema_cache.is_known_valid(cache, TREE)
    schema_cache.remember_valid(cache, TREE)
    assert schema_cache.is_known_valid(cache, TREE)
    assert not schema_cache.is_known_valid(cache, {"services": {"web": {"image": "other"}}})


def test_disabled_or_homeless_means_no_cache(tmp_path: Path) -> None:
    assert schema_cache.cache_dir({"CL_NO_CACHE": "1", "HOME": str(tmp_path)}) is None
    assert schema_cache.cache_dir({"HOME": str(tmp_path / "missing")}) is None
    assert schema_cache.cache_dir({}) is None
    expected = str(tmp_path / ".cache" / "compose-lite" / "schema-valid")
    assert schema_cache.cache_dir({"HOME": str(tmp_path)}) == expected
    # A relative XDG_CACHE_HOME is invalid (XDG spec) and must not put caches in the project.
    assert schema_cache.cache_dir({"XDG_CACHE_HOME": "cache", "HOME": str(tmp_path)}) == expected


def test_unwritable_cache_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    schema_cache.remember_valid(blocker / "sub", TREE)  # must not raise
    assert not schema_cache.is_known_valid(blocker / "sub", TREE)


def test_second_config_run_skips_jsonschema_but_errors_are_always_reported(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    compose = project / "compose.yaml"
    compose.write_text("services:\n  web:\n    image: cl-busybox\n")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def run() -> list[object]:
        done = run_cl(["config", "-q"], cwd=project, env=env)
        return [done.code, "jsonschema" in done.modules]

    assert run() == [0, True]
    assert run() == [0, False]
    compose.write_text("services:\n  web:\n    image: cl-busybox\n    enviroment: {}\n")
    assert run() == [1, True]
    assert run() == [1, True]


def test_pruning_keeps_entries_that_were_hit_recently(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_cache, "MAX_ENTRIES", 4)
    trees = [{"services": {f"s{i}": {"image": "x"}}} for i in range(5)]
    for age, tree in enumerate(trees[:4]):
        schema_cache.remember_valid(tmp_path, tree)
        entry = tmp_path / schema_cache._key(tree)
        os.utime(entry, (1_000_000 + age, 1_000_000 + age))  # t0 oldest … t3 newest
    assert schema_cache.is_known_valid(tmp_path, trees[0])  # a hit makes t0 the most recent
    schema_cache.remember_valid(tmp_path, trees[4])  # 5 > 4: the oldest half (2) goes
    assert [schema_cache.is_known_valid(tmp_path, t) for t in trees] == [True, False, False, True, True]
