from __future__ import annotations

import pytest

from compose_lite.clock import Clock, FakeClock, SystemClock


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(start=5.0)
    assert clock.monotonic() == 5.0
    clock.advance(0.25)
    assert clock.monotonic() == 5.25


def test_fake_clock_sleep_advances_and_is_recorded() -> None:
    clock = FakeClock(start=0.0)
    clock.sleep(0.5)
    clock.sleep(-1.0)
    assert clock.monotonic() == 0.5
    assert clock.slept == [0.5, -1.0]


def test_fake_clock_refuses_to_go_backwards() -> None:
    with pytest.raises(ValueError) as info:
        FakeClock().advance(-0.1)
    assert str(info.value) == "a clock cannot go backwards"


def test_system_clock_is_monotonic_and_satisfies_protocol() -> None:
    clock: Clock = SystemClock()
    first = clock.monotonic()
    clock.sleep(0)  # zero sleep returns at once
    assert clock.monotonic() >= first
