"""The engine-independent watch pipeline end to end on real temp dirs:
observer → batcher → classify → sync plan (what the loop will send to the engine)."""

from __future__ import annotations

import io
import os
import tarfile
import time
from pathlib import Path

from compose_lite.clock import SystemClock
from compose_lite.watch.debounce import Batch, Batcher
from compose_lite.watch.observer import ChangeObserver
from compose_lite.watch.rules import Action, BindMountTrigger, Triggers, WatchTrigger, classify
from compose_lite.watch.syncplan import plan_sync

TIMEOUT = 10.0


def batches_until_quiet(batcher: Batcher, first_timeout: float = TIMEOUT) -> list[Batch]:
    result: list[Batch] = []
    timeout = first_timeout
    while (batch := batcher.next_batch(idle_timeout=timeout)) is not None:
        if batch.changes or batch.rescan:
            result.append(batch)
        timeout = 1.0
    return result


def test_thousand_file_burst_is_at_most_two_batches_and_fully_synced(tmp_path: Path) -> None:
    src = tmp_path / "web"
    src.mkdir()
    (tmp_path / "secret.txt").write_text("NEVER COPIED")
    web = WatchTrigger("web", str(src), Action.SYNC, "/app")
    triggers = Triggers(
        watch=[web],
        bind_mounts=[BindMountTrigger("api", str(tmp_path / "api"), "/srv")],
        config_files=[str(tmp_path / "compose.yaml")],
    )
    batcher = Batcher(SystemClock())
    with ChangeObserver(triggers.watched_roots(), batcher, env={}):
        started = time.monotonic()
        (src / ".git").mkdir()
        for i in range(1000):
            sub = src / f"d{i % 20}"
            sub.mkdir(exist_ok=True)
            (sub / f"f{i}.txt").write_text(f"content {i}\n")
            (src / ".git" / "index").write_text(str(i))  # VCS churn alongside
        os.symlink(tmp_path / "secret.txt", src / "leak")
        batches = batches_until_quiet(batcher)
    assert 1 <= len(batches) <= 2, [len(b.changes) for b in batches]
    assert batches[0].opened_at >= started

    copied: set[str] = set()
    for batch in batches:
        result = classify(batch, triggers)
        assert result.reload is None
        assert [(a.service, a.action) for a in result.actions] == [("web", Action.SYNC)]
        (match,) = result.actions[0].matches
        plan = plan_sync(match.changes, match.trigger)
        assert plan.deleted == () and plan.skipped == ()
        assert b"NEVER COPIED" not in plan.archive
        with tarfile.open(fileobj=io.BytesIO(plan.archive)) as tar:
            for member in tar.getmembers():
                if member.isfile():
                    f = tar.extractfile(member)
                    assert f is not None
                    i = int(member.name.rsplit("/f", 1)[1].removesuffix(".txt"))
                    assert f.read() == f"content {i}\n".encode()
                if member.name == "app/leak":
                    assert member.issym() and member.linkname == str(tmp_path / "secret.txt")
        copied.update(plan.copied)
    expected = {f"/app/d{i % 20}/f{i}.txt" for i in range(1000)}
    assert expected <= copied
    assert not any("/.git" in p for p in copied)
    assert "/app/leak" in copied


def test_compose_edit_and_bind_mount_change_in_one_batch(tmp_path: Path) -> None:
    api = tmp_path / "api"
    api.mkdir()
    compose = tmp_path / "compose.yaml"
    compose.write_text("services: {}\n")
    triggers = Triggers(
        bind_mounts=[
            BindMountTrigger("api", str(api), "/srv"),
            BindMountTrigger("db", str(tmp_path / "db"), "/d"),
        ],
        config_files=[str(compose)],
        opted_out=frozenset({"db"}),
    )
    batcher = Batcher(SystemClock())
    with ChangeObserver(triggers.watched_roots(), batcher, env={}):
        (api / "main.py").write_text("print(1)\n")
        compose.write_text("services: {api: {image: x}}\n")
        (tmp_path / "db").mkdir()
        (tmp_path / "db" / "data").write_text("written by the database itself")
        batches = batches_until_quiet(batcher)
    services: set[str] = set()
    reloaded = False
    for batch in batches:
        result = classify(batch, triggers)
        services.update(a.service for a in result.actions if a.action is Action.RESTART)
        reloaded = reloaded or result.reload is not None
    assert services == {"api"}
    assert reloaded
