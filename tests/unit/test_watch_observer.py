from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
    FileSystemEvent,
)

from compose_lite.clock import SystemClock
from compose_lite.watch import observer as observer_module
from compose_lite.watch.debounce import Batcher, Change, ChangeKind
from compose_lite.watch.observer import ChangeObserver, poll_requested, translate

C, M, D = ChangeKind.CREATED, ChangeKind.MODIFIED, ChangeKind.DELETED
TIMEOUT = 10.0  # generous upper bound; tests return as soon as their condition holds


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (FileCreatedEvent("/p/a"), [("/p/a", C, False)]),
        (DirCreatedEvent("/p/d"), [("/p/d", C, True)]),
        (FileModifiedEvent("/p/a"), [("/p/a", M, False)]),
        (FileClosedEvent("/p/a"), [("/p/a", M, False)]),
        (FileDeletedEvent("/p/a"), [("/p/a", D, False)]),
        (DirDeletedEvent("/p/d"), [("/p/d", D, True)]),
        (FileMovedEvent("/p/a.tmp", "/p/a"), [("/p/a.tmp", D, False), ("/p/a", C, False)]),
        (DirMovedEvent("/p/d", "/p/e"), [("/p/d", D, True), ("/p/e", C, True)]),
        (DirModifiedEvent("/p/d"), []),
        (FileOpenedEvent("/p/a"), []),
        (FileClosedNoWriteEvent("/p/a"), []),
        (FileCreatedEvent(b"/p/\xc3\xa9"), [("/p/é", C, False)]),
    ],
)
def test_translate(event: FileSystemEvent, expected: list[tuple[str, ChangeKind, bool]]) -> None:
    assert translate(event) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), (" YES ", True), ("0", False), ("", False)]
)
def test_poll_requested_by_env(value: str, expected: bool) -> None:
    assert poll_requested({"CL_WATCH_POLL": value}) is expected
    assert poll_requested({}) is False


class Collector:
    """Drains batches from a real-clock batcher until a condition on all changes seen holds."""

    def __init__(self, batcher: Batcher) -> None:
        self.batcher = batcher
        self.changes: dict[str, Change] = {}
        self.rescans = 0

    def until(self, condition: Callable[[dict[str, Change]], bool]) -> dict[str, Change]:
        deadline = time.monotonic() + TIMEOUT
        while not condition(self.changes):
            assert time.monotonic() < deadline, f"condition not met; saw {sorted(self.changes)}"
            batch = self.batcher.next_batch(idle_timeout=0.05)
            if batch is not None:
                self.rescans += batch.rescan
                self.changes.update((c.path, c) for c in batch.changes)
        return self.changes

    def settle(self, timeout: float = 10.0) -> dict[str, Change]:
        """Collect whatever arrives until a quiet spell (for asserting absence); bounded."""
        deadline = time.monotonic() + timeout
        while (batch := self.batcher.next_batch(idle_timeout=0.3)) is not None:
            self.rescans += batch.rescan
            self.changes.update((c.path, c) for c in batch.changes)
            assert time.monotonic() < deadline, "changes kept arriving: no quiet spell"
        return self.changes


@pytest.fixture
def batcher() -> Batcher:
    return Batcher(SystemClock(), quiet=0.02, max_wait=0.2)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "src" / "app.py").write_text("v1")
    (root / "compose.yaml").write_text("services: {}\n")
    return root


@pytest.fixture(params=[False, True], ids=["inotify", "polling"])
def poll(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def observe(roots: list[Path], batcher: Batcher, **kw: object) -> ChangeObserver:
    return ChangeObserver([str(r) for r in roots], batcher, poll_interval=0.05, **kw)  # type: ignore[arg-type]


@pytest.fixture
def running(project: Path, batcher: Batcher, poll: bool) -> Iterator[tuple[ChangeObserver, Collector]]:
    obs = observe([project / "src", project / "compose.yaml"], batcher, poll=poll, env={})
    with obs:
        yield obs, Collector(batcher)


def test_file_changes_under_a_root_are_enqueued(
    project: Path, running: tuple[ChangeObserver, Collector]
) -> None:
    _, collector = running
    (project / "src" / "app.py").write_text("v2")
    (project / "src" / "pkg" / "new.py").write_text("x")
    seen = collector.until(
        lambda c: str(project / "src" / "pkg" / "new.py") in c and str(project / "src" / "app.py") in c
    )
    assert seen[str(project / "src" / "app.py")].kind is M
    # Created then written: C+M coalesces to M (or C if the write landed in a later batch).
    assert seen[str(project / "src" / "pkg" / "new.py")].kind in (C, M)


def test_noise_and_unwatched_siblings_are_dropped(
    project: Path, running: tuple[ChangeObserver, Collector]
) -> None:
    _, collector = running
    (project / "src" / ".git").mkdir()
    (project / "src" / ".git" / "index").write_text("churn")
    (project / "src" / ".app.py.swp").write_text("swap")
    (project / "src" / "4913").write_text("")
    (project / "README.md").write_text("sibling of the roots")
    (project / "src" / "marker").write_text("last")
    seen = collector.until(lambda c: str(project / "src" / "marker") in c)
    assert sorted(seen) == [str(project / "src" / "marker")]


def test_atomic_save_is_one_change(project: Path, running: tuple[ChangeObserver, Collector]) -> None:
    _, collector = running
    real = project / "src" / "app.py"
    tmp = project / "src" / ".app.py.tmp-482"
    tmp.write_text("v3")
    os.replace(tmp, real)
    seen = collector.until(lambda c: str(real) in c)
    collector.settle()
    assert sorted(seen) == [str(real)]
    assert seen[str(real)].kind in (C, M)


def test_file_root_sees_atomic_replace_but_not_siblings(
    project: Path, running: tuple[ChangeObserver, Collector]
) -> None:
    _, collector = running
    compose = project / "compose.yaml"
    (project / "other.yaml").write_text("x")
    tmp = project / ".compose.yaml.swp"
    tmp.write_text("services: {web: {image: nginx}}\n")
    os.replace(tmp, compose)
    seen = collector.until(lambda c: str(compose) in c)
    collector.settle()
    assert sorted(seen) == [str(compose)]


def test_subdirectory_deleted_and_recreated_is_still_watched(
    project: Path, running: tuple[ChangeObserver, Collector]
) -> None:
    _, collector = running
    pkg = project / "src" / "pkg"
    shutil.rmtree(pkg)
    collector.until(lambda c: str(pkg) in c and c[str(pkg)].kind is D)
    pkg.mkdir()
    (pkg / "again.py").write_text("x")
    collector.until(lambda c: str(pkg / "again.py") in c)
    (pkg / "again.py").write_text("y")  # a later edit inside the new directory is seen too
    collector.changes.clear()
    collector.until(lambda c: str(pkg / "again.py") in c)


def test_root_deleted_and_recreated_is_watched_again(
    project: Path, running: tuple[ChangeObserver, Collector]
) -> None:
    _, collector = running
    src = project / "src"
    shutil.rmtree(src)
    collector.until(lambda c: str(src) in c and c[str(src)].kind is D)
    src.mkdir()
    collector.until(lambda c: str(src) in c and c[str(src)].kind is not D)
    (src / "fresh.py").write_text("x")
    collector.until(lambda c: str(src / "fresh.py") in c)


def test_missing_root_is_picked_up_when_created(project: Path, batcher: Batcher, poll: bool) -> None:
    later = project / "later"
    with observe([later], batcher, poll=poll, env={}) as obs:
        collector = Collector(batcher)
        later.mkdir()
        collector.until(lambda c: str(later) in c)
        (later / "x.txt").write_text("x")
        collector.until(lambda c: str(later / "x.txt") in c)
    assert obs.warnings() == ()


def test_root_without_parent_is_a_warning(tmp_path: Path, batcher: Batcher) -> None:
    root = tmp_path / "no" / "such" / "dir"
    warned: list[str] = []
    with observe([root], batcher, on_warning=warned.append, env={}) as obs:
        pass
    assert obs.warnings() == (f"cannot watch {root}: {root.parent} does not exist",)
    assert warned == list(obs.warnings())


def test_env_selects_polling(project: Path, batcher: Batcher) -> None:
    assert observe([project], batcher, env={"CL_WATCH_POLL": "1"}).poll
    assert not observe([project], batcher, env={}).poll
    assert not observe([project], batcher, poll=False, env={"CL_WATCH_POLL": "1"}).poll


def test_watchdog_overflow_log_means_rescan_and_warning(project: Path, batcher: Batcher) -> None:
    obs = observe([project / "src"], batcher, poll=False, env={})
    with obs:
        # watchdog only logs an inotify queue overflow; simulate its record.
        logging.getLogger("watchdog.observers.inotify_c").warning(
            "Inotify queue overflowed; filesystem events were lost"
        )
        batch = batcher.next_batch(idle_timeout=TIMEOUT)
        assert batch is not None and batch.rescan
    assert obs.warnings() == (
        "file-system events were lost (Inotify queue overflowed; filesystem events were lost); "
        "rescanning all watched paths",
    )
    # After stop the hook is gone: no more signals.
    logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed")
    assert batcher.poll() is None and len(obs.warnings()) == 1


def test_tree_beyond_the_watch_limit_is_polled(
    project: Path, batcher: Batcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = tmp_path / "max_user_watches"
    limit.write_text("1\n")
    monkeypatch.setattr(observer_module, "_MAX_WATCHES_FILE", str(limit))
    src = project / "src"
    with observe([src], batcher, poll=False, env={}) as obs:
        collector = Collector(batcher)
        (src / "pkg" / "deep.py").write_text("x")
        collector.until(lambda c: str(src / "pkg" / "deep.py") in c)
    assert obs.warnings() == (
        f"{src} has more directories than the inotify watch limit (1); polling it instead "
        "(raise fs.inotify.max_user_watches, or ignore large directories)",
    )


def test_burst_of_files_arrives_complete(project: Path, batcher: Batcher) -> None:
    burst = project / "src" / "burst"
    with observe([project / "src"], batcher, poll=False, env={}):
        collector = Collector(batcher)
        burst.mkdir()
        for i in range(300):
            (burst / f"f{i:03}.txt").write_text(str(i))
        seen = collector.until(lambda c: all(str(burst / f"f{i:03}.txt") in c for i in range(300)))
    assert {seen[str(burst / f"f{i:03}.txt")].kind for i in range(300)} <= {C, M}


def test_importing_the_watch_modules_loads_no_heavy_library() -> None:
    code = (
        "import sys, compose_lite.clock, compose_lite.watch.observer, compose_lite.watch.rules, "
        "compose_lite.watch.syncplan, compose_lite.watch.stats; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('watchdog', 'docker')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
