from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compose_lite.clock import FakeClock
from compose_lite.errors import ConfigError
from compose_lite.watch.debounce import Batch, Batcher, Change, ChangeKind

C, M, D = ChangeKind.CREATED, ChangeKind.MODIFIED, ChangeKind.DELETED


def make(quiet: float = 0.05, max_wait: float = 0.5) -> tuple[FakeClock, Batcher]:
    clock = FakeClock(start=0.0)
    return clock, Batcher(clock, quiet=quiet, max_wait=max_wait)


def closed(clock: FakeClock, batcher: Batcher) -> Batch:
    clock.advance(batcher.max_wait)
    batch = batcher.poll()
    assert batch is not None
    return batch


def test_batch_closes_after_quiet_window() -> None:
    clock, b = make()
    b.add("/p/a", M)
    clock.advance(0.049)
    assert b.poll() is None
    clock.advance(0.001)
    batch = b.poll()
    assert batch == Batch((Change("/p/a", M),), rescan=False, opened_at=0.0, closed_at=0.05, events=1)
    assert b.poll() is None  # nothing pending any more


def test_each_event_extends_the_quiet_window() -> None:
    clock, b = make()
    b.add("/p/a", M)
    clock.advance(0.04)
    b.add("/p/b", M)
    clock.advance(0.04)
    assert b.poll() is None  # 80 ms after the first event, only 40 ms after the last
    clock.advance(0.01)
    batch = b.poll()
    assert batch is not None and batch.paths == ("/p/a", "/p/b")


def test_continuous_burst_is_cut_at_max_wait() -> None:
    clock, b = make()
    batches: list[Batch] = []
    # A git checkout of 1,000 files spread over 0.9 s: events never 50 ms apart.
    for i in range(1000):
        b.add(f"/p/f{i:04}", C)
        clock.advance(0.0009)
        batch = b.poll()
        if batch:
            batches.append(batch)
    clock.advance(0.15)  # the rest is still a burst: it waits the longer burst quiet window
    last = b.poll()
    assert last is not None
    batches.append(last)
    assert len(batches) == 2
    assert sum(len(x.changes) for x in batches) == 1000
    assert batches[0].closed_at - batches[0].opened_at == pytest.approx(0.5, abs=0.001)
    assert {c.path for x in batches for c in x.changes} == {f"/p/f{i:04}" for i in range(1000)}


def test_fast_burst_is_one_batch() -> None:
    clock, b = make()
    for i in range(1000):
        b.add(f"/p/f{i}", C)
        clock.advance(0.0001)
    clock.advance(0.05)
    assert b.poll() is None  # a burst waits for 150 ms of quiet, not 50
    clock.advance(0.1)
    batch = b.poll()
    assert batch is not None and len(batch.changes) == 1000 and batch.events == 1000


def test_burst_survives_pauses_longer_than_the_edit_quiet_window() -> None:
    clock, b = make()
    # Like a git checkout: hundreds of events, then a 100 ms pause (index write), then more.
    for i in range(300):
        b.add(f"/p/a{i}", C)
    clock.advance(0.1)
    assert b.poll() is None
    for i in range(300):
        b.add(f"/p/b{i}", C)
    clock.advance(0.15)
    batch = b.poll()
    assert batch is not None and len(batch.changes) == 600


def test_small_batches_keep_the_short_quiet_window() -> None:
    clock, b = make()
    for i in range(199):
        b.add(f"/p/a{i}", M)
    clock.advance(0.05)
    batch = b.poll()
    assert batch is not None and batch.events == 199


def test_burst_detection_can_be_turned_off() -> None:
    clock = FakeClock(start=0.0)
    b = Batcher(clock, burst_quiet=None)
    for i in range(1000):
        b.add(f"/p/a{i}", M)
    clock.advance(0.05)
    assert b.poll() is not None


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ((C,), C),
        ((M,), M),
        ((D,), D),
        ((C, M), M),
        ((C, M, M), M),
        ((C, D), None),
        ((C, M, D), None),
        ((D, C), M),
        ((D, C, M), M),
        ((M, D), D),
        ((M, D, C), M),
        ((D, C, D), D),
        ((C, D, C), C),
    ],
)
def test_events_coalesce_per_path(kinds: tuple[ChangeKind, ...], expected: ChangeKind | None) -> None:
    clock, b = make()
    for kind in kinds:
        b.add("/p/a", kind)
    batch = closed(clock, b)
    assert batch.changes == (() if expected is None else (Change("/p/a", expected),))
    assert batch.events == len(kinds)


def test_atomic_save_is_one_change_of_the_real_file() -> None:
    clock, b = make()
    # vim-like: write a temp file, rename it over the real one (watchdog: temp created/modified,
    # then a move reported as deletion of the temp and creation of the real path).
    b.add("/p/app.py.tmp123", C)
    b.add("/p/app.py.tmp123", M)
    b.add("/p/app.py.tmp123", D)
    b.add("/p/app.py", C)
    assert closed(clock, b).changes == (Change("/p/app.py", C),)


def test_backup_then_write_save_is_one_modification() -> None:
    clock, b = make()
    # Rename the real file to a backup, write a new file, delete the backup.
    b.add("/p/app.py", D)
    b.add("/p/app.py~", C)
    b.add("/p/app.py", C)
    b.add("/p/app.py", M)
    b.add("/p/app.py~", D)
    assert closed(clock, b).changes == (Change("/p/app.py", M),)


def test_directory_flag_is_kept() -> None:
    clock, b = make()
    b.add("/p/pkg", C, is_dir=True)
    b.add("/p/old", D, is_dir=True)
    assert closed(clock, b).changes == (Change("/p/old", D, True), Change("/p/pkg", C, True))


def test_overflow_marks_next_batch_as_rescan_even_without_changes() -> None:
    clock, b = make()
    b.overflow()
    clock.advance(0.05)
    batch = b.poll()
    assert batch is not None and batch.rescan and batch.changes == ()
    b.add("/p/a", M)
    assert not closed(clock, b).rescan  # the flag belongs to one batch only


def test_next_batch_sleeps_on_the_clock_until_due() -> None:
    clock, b = make()
    b.add("/p/a", M)
    clock.advance(0.01)
    batch = b.next_batch(idle_timeout=0)
    assert batch is not None and batch.paths == ("/p/a",)
    assert clock.slept == [pytest.approx(0.04)]
    assert clock.monotonic() == pytest.approx(0.05)


def test_next_batch_returns_none_when_idle() -> None:
    _, b = make()
    assert b.next_batch(idle_timeout=0) is None


def test_close_wakes_a_waiting_consumer() -> None:
    _, b = make()
    results: list[Batch | None] = []
    consumer = threading.Thread(target=lambda: results.append(b.next_batch(idle_timeout=10)))
    consumer.start()
    b.close()
    consumer.join(timeout=5)
    assert not consumer.is_alive() and results == [None]


def test_add_wakes_a_waiting_consumer() -> None:
    _, b = make()
    results: list[Batch | None] = []
    consumer = threading.Thread(target=lambda: results.append(b.next_batch(idle_timeout=10)))
    consumer.start()
    b.add("/p/a", M)
    consumer.join(timeout=5)
    assert not consumer.is_alive()
    assert [r.paths if r else None for r in results] == [("/p/a",)]


def test_concurrent_producers_lose_nothing() -> None:
    clock, b = make()

    def produce(worker: int) -> None:
        for i in range(500):
            b.add(f"/p/w{worker}/f{i}", C)

    threads = [threading.Thread(target=produce, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    batch = closed(clock, b)
    assert len(batch.changes) == 2000 and batch.events == 2000


@pytest.mark.parametrize(
    ("quiet", "max_wait", "message"),
    [
        (0.0, 0.5, "invalid watch batching: quiet window 0s, maximum wait 0.5s"),
        (0.6, 0.5, "invalid watch batching: quiet window 0.6s, maximum wait 0.5s"),
    ],
)
def test_invalid_windows_are_config_errors(quiet: float, max_wait: float, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        Batcher(FakeClock(), quiet=quiet, max_wait=max_wait)
    assert info.value.message == message
    assert info.value.hint == "the quiet window must be above 0 and not longer than the maximum wait"


@given(st.lists(st.tuples(st.sampled_from(["/p/a", "/p/b"]), st.sampled_from(list(ChangeKind))), max_size=12))
def test_coalescing_matches_existence_before_and_after(events: list[tuple[str, ChangeKind]]) -> None:
    clock, b = make()
    for path, kind in events:
        b.add(path, kind)
    if not events:
        assert b.poll() is None
        return
    result = {c.path: c.kind for c in closed(clock, b).changes}
    for path in {p for p, _ in events}:
        kinds = [k for p, k in events if p == path]
        existed, exists = kinds[0] is not C, kinds[-1] is not D
        if not existed and not exists:
            assert path not in result
        elif not exists:
            assert result[path] is D
        elif existed or M in kinds:
            assert result[path] is M
        else:
            assert result[path] is C
