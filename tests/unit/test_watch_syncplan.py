from __future__ import annotations

import errno
import io
import os
import tarfile
from pathlib import Path

import pytest

from compose_lite.copy import extract
from compose_lite.errors import OperationFailedError
from compose_lite.watch.debounce import Change, ChangeKind
from compose_lite.watch.rules import Action, WatchTrigger
from compose_lite.watch.syncplan import SyncPlan, plan_sync

C, M, D = ChangeKind.CREATED, ChangeKind.MODIFIED, ChangeKind.DELETED


def members(plan: SyncPlan) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(plan.archive)) as tar:
        return {m.name: m for m in tar.getmembers()}


def content(plan: SyncPlan, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(plan.archive)) as tar:
        f = tar.extractfile(name)
        assert f is not None
        return f.read()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    (root / "pkg").mkdir(parents=True)
    (root / "app.py").write_text("print('hi')\n")
    (root / "pkg" / "mod.py").write_text("X = 1\n")
    return root


def rule(root: Path, target: str = "/app", **kw: object) -> WatchTrigger:
    return WatchTrigger("web", str(root), Action.SYNC, target, **kw)  # type: ignore[arg-type]


def test_changed_files_are_archived_under_their_container_paths(tree: Path) -> None:
    (tree / "app.py").chmod(0o750)
    plan = plan_sync([Change(str(tree / "app.py"), M), Change(str(tree / "pkg" / "mod.py"), C)], rule(tree))
    assert plan.copied == ("/app/app.py", "/app/pkg/mod.py")
    assert plan.deleted == () and plan.skipped == ()
    assert SyncPlan.EXTRACT_AT == "/"
    info = members(plan)
    assert sorted(info) == ["app/app.py", "app/pkg/mod.py"]  # no entries for /app or /app/pkg
    assert info["app/app.py"].mode == 0o750
    assert content(plan, "app/app.py") == b"print('hi')\n"
    assert plan.size == len(b"print('hi')\n") + len(b"X = 1\n")


def test_deleted_paths_become_container_deletions(tree: Path) -> None:
    plan = plan_sync(
        [Change(str(tree / "gone.py"), D), Change(str(tree / "old"), D, is_dir=True)], rule(tree)
    )
    assert plan.archive == b"" and plan.copied == ()
    assert plan.deleted == ("/app/gone.py", "/app/old")


def test_deletions_below_a_deleted_directory_are_dropped(tree: Path) -> None:
    changes = [
        Change(str(tree / "old" / "a"), D),
        Change(str(tree / "old"), D, True),
        Change(str(tree / "older"), D),
    ]
    assert plan_sync(changes, rule(tree)).deleted == ("/app/old", "/app/older")


def test_file_system_state_wins_over_event_kind(tree: Path) -> None:
    # Reported deleted but recreated since: copied.  Reported modified but gone: deleted.
    plan = plan_sync([Change(str(tree / "app.py"), D), Change(str(tree / "vanished.py"), M)], rule(tree))
    assert plan.copied == ("/app/app.py",)
    assert plan.deleted == ("/app/vanished.py",)


def test_created_directory_is_recursed_with_its_own_entry(tree: Path) -> None:
    new = tree / "static"
    (new / "css").mkdir(parents=True)
    (new / "css" / "site.css").write_text("body{}")
    (new / "empty").mkdir()
    plan = plan_sync([Change(str(new), C, is_dir=True), Change(str(new / "css" / "site.css"), C)], rule(tree))
    assert plan.copied == ("/app/static", "/app/static/css", "/app/static/css/site.css", "/app/static/empty")
    assert members(plan)["app/static/empty"].isdir()


def test_whole_tree_sync_never_adds_the_target_itself(tree: Path) -> None:
    plan = plan_sync([Change(str(tree), M, is_dir=True)], rule(tree))
    assert plan.copied == ("/app/app.py", "/app/pkg", "/app/pkg/mod.py")


def test_deleted_rule_root_does_not_wipe_the_target(tree: Path) -> None:
    assert plan_sync(
        [Change(str(tree) + "-missing", D, is_dir=True)], rule(Path(str(tree) + "-missing"))
    ).empty


def test_symlinks_are_added_as_links_and_never_followed(tmp_path: Path, tree: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    outside_dir = tmp_path / "outside"
    outside_dir.mkdir()
    (outside_dir / "key.pem").write_text("PRIVATE KEY")
    os.symlink(secret, tree / "leak")
    os.symlink(outside_dir, tree / "pkg" / "dirlink")
    os.symlink("mod.py", tree / "pkg" / "alias.py")
    changes = [Change(str(tree / "leak"), C), Change(str(tree / "pkg"), C, is_dir=True)]
    plan = plan_sync(changes, rule(tree))
    info = members(plan)
    assert info["app/leak"].issym() and info["app/leak"].linkname == str(secret)
    assert info["app/pkg/dirlink"].issym() and info["app/pkg/dirlink"].linkname == str(outside_dir)
    assert info["app/pkg/alias.py"].issym() and info["app/pkg/alias.py"].linkname == "mod.py"
    assert "app/pkg/dirlink/key.pem" not in info
    assert b"TOP SECRET" not in plan.archive and b"PRIVATE KEY" not in plan.archive


def test_directory_walk_applies_the_rule_filter(tree: Path) -> None:
    (tree / "node_modules" / "x").mkdir(parents=True)
    (tree / "node_modules" / "x" / "i.js").write_text("x")
    (tree / ".git").mkdir()
    (tree / ".git" / "HEAD").write_text("ref")
    (tree / "pkg" / ".mod.py.swp").write_text("swap")
    plan = plan_sync([Change(str(tree), M, is_dir=True)], rule(tree, ignore=("node_modules",)))
    assert plan.copied == ("/app/app.py", "/app/pkg", "/app/pkg/mod.py")


def test_include_keeps_only_matching_files_inside_directories(tree: Path) -> None:
    (tree / "pkg" / "notes.md").write_text("n")
    plan = plan_sync([Change(str(tree / "pkg"), C, is_dir=True)], rule(tree, include=("**/*.py",)))
    assert plan.copied == ("/app/pkg", "/app/pkg/mod.py")


def test_single_file_rule_maps_to_the_target_file(tmp_path: Path) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text("events {}")
    plan = plan_sync([Change(str(conf), M)], rule(conf, "/etc/nginx/nginx.conf"))
    assert plan.copied == ("/etc/nginx/nginx.conf",)
    assert content(plan, "etc/nginx/nginx.conf") == b"events {}"


def test_special_files_are_skipped_with_a_note(tree: Path) -> None:
    fifo = tree / "pipe"
    os.mkfifo(fifo)
    plan = plan_sync([Change(str(fifo), C)], rule(tree))
    assert plan.copied == ()
    assert plan.skipped == (f"{fifo}: not a regular file, directory or symlink",)


def test_unreadable_file_is_skipped_with_a_note(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def deny(path: str, flags: int, *args: int) -> int:
        if path == str(tree / "app.py"):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags, *args)

    # Simulated because the tests may run as root, who reads everything.
    monkeypatch.setattr(os, "open", deny)
    plan = plan_sync([Change(str(tree / "app.py"), M), Change(str(tree / "pkg" / "mod.py"), M)], rule(tree))
    assert plan.copied == ("/app/pkg/mod.py",)
    assert plan.skipped == (f"{tree / 'app.py'}: Permission denied",)


def test_size_limit_is_enforced(tree: Path) -> None:
    (tree / "big.bin").write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    with pytest.raises(OperationFailedError) as info:
        plan_sync([Change(str(tree / "big.bin"), C)], rule(tree), max_bytes=2 * 1024 * 1024)
    assert info.value.message == f"sync of {tree} for service web exceeds 2 MiB"
    assert info.value.hint == "add large or generated paths to the rule's `ignore`, or use `action: rebuild`"
    # Exactly at the limit is fine.
    (tree / "big.bin").write_bytes(b"x" * (2 * 1024 * 1024))
    assert (
        plan_sync([Change(str(tree / "big.bin"), C)], rule(tree), max_bytes=2 * 1024 * 1024).size
        == 2 * 1024**2
    )


def test_duplicate_changes_are_archived_once(tree: Path) -> None:
    changes = [Change(str(tree / "pkg"), C, is_dir=True), Change(str(tree / "pkg" / "mod.py"), M)]
    plan = plan_sync(changes, rule(tree))
    assert plan.copied == ("/app/pkg", "/app/pkg/mod.py")
    assert len(members(plan)) == 2


def test_thousand_files_round_trip(tree: Path, tmp_path: Path) -> None:
    burst = tree / "burst"
    burst.mkdir()
    for i in range(1000):
        (burst / f"f{i:04}.txt").write_text(f"file {i}\n")
    plan = plan_sync([Change(str(burst / f"f{i:04}.txt"), C) for i in range(1000)], rule(tree))
    out = tmp_path / "extracted"
    with tarfile.open(fileobj=io.BytesIO(plan.archive)) as tar:
        extract(tar, str(out))
    assert len(list((out / "app" / "burst").iterdir())) == 1000
    assert (out / "app" / "burst" / "f0999.txt").read_text() == "file 999\n"


def test_file_swapped_for_a_symlink_after_the_type_check_is_stored_as_a_link(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    victim = tree / "app.py"
    real_open = os.open

    def swap_then_open(path: str, flags: int, *args: int) -> int:
        if path == str(victim) and not victim.is_symlink():
            victim.unlink()
            os.symlink(secret, victim)  # the race an attacker would need
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", swap_then_open)
    plan = plan_sync([Change(str(victim), M)], rule(tree))
    info = members(plan)
    assert info["app/app.py"].issym() and info["app/app.py"].linkname == str(secret)
    assert b"TOP SECRET" not in plan.archive
