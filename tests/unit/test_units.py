from __future__ import annotations

import pytest

from compose_lite.loader.units import format_duration, normalize_duration, parse_bytes, parse_duration


@pytest.mark.parametrize(("text", "expected"), [
    ("90s", "1m30s"), ("1h", "1h0m0s"), ("0", "0s"), ("1.5s", "1.5s"), ("100ms", "100ms"),
    ("0.5ms", "500µs"), ("2h45m", "2h45m0s"), ("1m0.5s", "1m0.5s"),
])
def test_durations_print_like_go(text: str, expected: str) -> None:
    assert normalize_duration(text) == expected


def test_numbers_are_seconds() -> None:
    assert normalize_duration(10) == "10s"
    assert format_duration(parse_duration("-1.5h")) == "-1h30m0s"


@pytest.mark.parametrize("bad", ["10", "1x", "", "s"])
def test_bad_durations_raise(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(bad)


@pytest.mark.parametrize(("value", "expected"), [
    ("512m", 536870912), ("1.5g", 1610612736), ("50M", 52428800), ("1gb", 1073741824),
    ("100kB", 102400), (2048, 2048), ("1024", 1024),
])
def test_byte_sizes_are_binary(value: object, expected: int) -> None:
    assert parse_bytes(value) == expected


def test_bad_byte_size_raises() -> None:
    with pytest.raises(ValueError, match="invalid size"):
        parse_bytes("lots")
