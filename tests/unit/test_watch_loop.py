from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from compose_lite import app
from compose_lite.clock import FakeClock
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import ConfigError, ConfigErrors, EngineError, Position
from compose_lite.model import DependsOn, Mount, Network, Project, Service, ServiceNetwork, WatchRule
from compose_lite.output import LineReporter, WarningsOnly
from compose_lite.watch.debounce import Batch, Change, ChangeKind
from compose_lite.watch.guard import StormGuard
from compose_lite.watch.loop import LoopOptions, WatchLoop

NET = (ServiceNetwork("default"),)


def stack(root: Path, *, web_image: str = "img") -> Project:
    """web syncs ./www; api restarts on its bind mount ./api; worker restarts with api; other is unrelated."""
    services = [
        Service("web", image=web_image, networks=NET,
                watch=(WatchRule(str(root / "www"), "sync", target="/www"),)),
        Service("api", image="img", networks=NET, mounts=(Mount("bind", "/srv", str(root / "api")),)),
        Service("worker", image="img", networks=NET, depends_on=(DependsOn("api", restart=True),)),
        Service("other", image="img", networks=NET, mounts=(Mount("bind", "/o", str(root / "other")),)),
    ]
    return Project("p", str(root), config_files=(str(root / "compose.yaml"),),
                   services={s.name: s for s in services},
                   networks={"default": Network("default", "p_default")})


class Harness:
    def __init__(self, root: Path, project: Project | None = None) -> None:
        (root / "www").mkdir(exist_ok=True)
        self.root = root
        self.engine = FakeEngine(images={"img": "sha256:img", "img2": "sha256:img2"})
        self.project = project or stack(root)
        app.up(self.project, self.engine, app.UpRequest(), WarningsOnly([].append), environ={})
        self.engine.calls.clear()
        self.clock = FakeClock()
        self.lines: list[str] = []
        self.problems: list[str] = []
        self.next_load: Project | ConfigError | None = None
        self.loop = WatchLoop(self.project, self.engine, load=self.load, clock=self.clock,
                              options=LoopOptions(),
                              reporter=LineReporter(self.lines.append, self.problems.append))

    def load(self) -> Project:
        if isinstance(self.next_load, ConfigError):
            raise self.next_load
        assert self.next_load is not None
        return self.next_load

    def batch(self, *paths: str, kind: ChangeKind = ChangeKind.MODIFIED) -> Batch:
        now = self.clock.monotonic()
        return Batch(tuple(Change(str(self.root / p), kind) for p in paths), False, now, now, len(paths))


def test_sync_line_and_stats(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    (tmp_path / "www" / "a.html").write_text("a")
    h.loop.process(h.batch("www/a.html"))
    assert h.lines == ["web     1 file changed → synced 1 (0.0 ms)"]
    assert h.problems == []
    assert h.engine.calls == ["put_archive p-web-1:/"]
    assert h.loop.stats.summaries()["sync"].count == 1


def test_failed_action_is_reported_and_the_next_batch_works(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    (tmp_path / "www" / "a.html").write_text("a")
    h.engine.fail[("put_archive", "p-web-1:/")] = EngineError("copy files into c1:/: no space left")
    h.loop.process(h.batch("www/a.html"))
    assert h.problems == ["web     1 file changed → failed: copy files into c1:/: no space left"]
    del h.engine.fail[("put_archive", "p-web-1:/")]
    h.loop.process(h.batch("www/a.html"))
    assert h.lines == ["web     1 file changed → synced 1 (0.0 ms)"]


def test_bind_mount_restart_restarts_dependents_after_it_and_nothing_else(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    h.loop.process(h.batch("api/main.py", "api/util.py"))
    assert h.engine.calls == ["restart_container p-api-1", "restart_container p-worker-1"]
    assert h.lines == ["api     2 files changed → restarted (0.0 ms)",
                       "worker  dependency api restarted → restarted (0.0 ms)"]


def test_a_dependent_restarts_once_its_own_dependency_is_done_not_after_every_other_action(
        tmp_path: Path) -> None:
    h = Harness(tmp_path)
    worker_restarted = threading.Event()
    restart = h.engine.restart_container
    other_id = next(c.id for c in h.engine.containers.values() if c.name == "p-other-1")
    worker_id = next(c.id for c in h.engine.containers.values() if c.name == "p-worker-1")

    def restart_container(cid: str, timeout: int | None = None) -> None:
        if cid == other_id:  # slow: still restarting while api and then worker are done
            assert worker_restarted.wait(timeout=10), "worker waited for the unrelated service"
        restart(cid, timeout)
        if cid == worker_id:
            worker_restarted.set()

    h.engine.restart_container = restart_container  # type: ignore[method-assign]
    h.loop.process(h.batch("api/main.py", "other/o.txt"))
    assert h.problems == []  # other's restart saw worker's (it failed on the wait otherwise)
    shown = [line.split()[0] for line in h.lines]
    assert sorted(shown) == ["api", "other", "worker"] and shown.index("api") < shown.index("worker")


def test_noise_and_unwatched_paths_do_nothing(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    h.loop.process(h.batch("www/.git/index", "www/.a.html.swp", "api/4913", "elsewhere/x"))
    assert h.engine.calls == [] and h.lines == [] and h.loop.batches == 0


def test_storm_guard_ignores_the_restart_echo_then_gives_up(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    guard = h.loop.guard
    h.loop.process(h.batch("api/log"))
    assert h.engine.calls.count("restart_container p-api-1") == 1
    # Written by the restarted container itself, right after: inside the settle window.
    h.clock.advance(guard.settle / 2)
    h.loop.process(h.batch("api/log"))
    assert h.engine.calls.count("restart_container p-api-1") == 1
    # Keeps happening just after every restart: chained restarts up to the limit, then no more.
    for _ in range(guard.limit + 3):
        h.clock.advance(guard.settle + 0.1)
        h.loop.process(h.batch("api/log"))
    assert h.engine.calls.count("restart_container p-api-1") == guard.limit
    (warning,) = h.problems
    assert warning == (
        "warning: service api was restarted 5 times in a row by changes in its own bind mounts right after "
        "each restart; no longer watching its bind mounts (does it write into them? set `x-cl-watch: false` "
        "on the service to silence this)")
    assert "api" in h.loop.triggers.opted_out
    # Other services are not affected.
    h.loop.process(h.batch("other/x"))
    assert h.engine.calls[-1] == "restart_container p-other-1"


def test_storm_guard_lets_spaced_edits_through() -> None:
    guard = StormGuard(settle=0.3, storm_gap=2.0, limit=3)
    now = 100.0
    for _ in range(10):
        now += 5.0  # a human saving every few seconds, long after each restart
        assert guard.allows("api", now)
        assert guard.started("api", now, now) is None
        guard.finished("api", now + 0.5)
    # Events from before a restart began are the user's, not the restart's.
    guard.started("api", now + 10, now + 10)
    guard.finished("api", now + 11)
    assert guard.allows("api", now + 9.5)
    assert not guard.allows("api", now + 11.2)


def test_compose_edit_reloads_and_recreates_only_the_changed_service(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    h.next_load = stack(tmp_path, web_image="img2")
    h.loop.process(h.batch("compose.yaml"))
    assert h.problems == []
    (line,) = h.lines
    assert line.startswith("config  compose.yaml changed → reloaded → recreate p-web-1: image changed")
    assert "remove_container p-web-1" in h.engine.calls
    assert not [c for c in h.engine.calls if any(n in c for n in ("p-api-1", "p-worker-1", "p-other-1"))]
    assert h.loop.project.services["web"].image == "img2"


def test_broken_compose_edit_keeps_the_last_good_model(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    compose = str(tmp_path / "compose.yaml")
    h.next_load = ConfigErrors([
        ConfigError("expected a mapping", position=Position(compose, 3, 5), path="services.web"),
        ConfigError("invalid port", position=Position(compose, 9, 9), path="services.api.ports[0]",
                    hint="use HOST:CONTAINER")])
    h.loop.process(h.batch("compose.yaml", "www/a.html"))
    assert h.problems[0] == (
        "config  compose.yaml changed → not applied, keeping the last good configuration:\n"
        f"  {compose}:3:5: services.web: expected a mapping\n"
        f"  {compose}:9:9: services.api.ports[0]: invalid port\n"
        "  hint: use HOST:CONTAINER")
    assert h.loop.project is h.project
    # The rest of the batch still acted under the old rules.
    assert h.lines == ["web     1 file changed → synced 0, removed 1 (0.0 ms)"]


@contextlib.contextmanager
def _running_loop(tmp_path: Path, lines: list[str],
                  on_ready: Callable[[], None] | None = None) -> Iterator[WatchLoop]:
    """The real observer and batcher (system clock) on a temp dir, in a thread; stopped afterwards."""
    engine = FakeEngine(images={"img": "sha256:img"})
    project = stack(tmp_path)
    (tmp_path / "www").mkdir()
    app.up(project, engine, app.UpRequest(), WarningsOnly([].append), environ={})
    loop = WatchLoop(project, engine, load=lambda: project, reporter=LineReporter(lines.append),
                     options=LoopOptions(poll=False))
    thread = threading.Thread(target=loop.run, kwargs={"on_ready": on_ready}, daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_run_in_a_thread_until_stopped(tmp_path: Path) -> None:
    lines: list[str] = []
    with _running_loop(tmp_path, lines):
        deadline = time.monotonic() + 10
        while not lines and time.monotonic() < deadline:
            (tmp_path / "www" / "index.html").write_text(f"{time.monotonic()}")
            time.sleep(0.2)
    assert lines and lines[0].startswith("web     1 file changed → synced 1")


def test_a_change_made_as_soon_as_ready_is_announced_is_seen(tmp_path: Path) -> None:
    """on_ready (the CLI prints "Watching …" there) runs only once the watches are in place."""
    lines: list[str] = []

    def edit_once() -> None:
        (tmp_path / "www" / "index.html").write_text("edited the moment watching was announced")

    with _running_loop(tmp_path, lines, on_ready=edit_once):
        deadline = time.monotonic() + 10
        while not lines and time.monotonic() < deadline:
            time.sleep(0.05)
    assert lines and lines[0].startswith("web     1 file changed → synced 1")
