"""Go-compatible durations and docker byte sizes, as Compose parses and prints them.

Compose stores durations as Go ``time.Duration`` and prints them with
``Duration.String()`` ("1m30s", "0s", "1.5s", "100ms"); byte sizes go through
docker/go-units ``RAMInBytes`` (binary multiples, case-insensitive suffixes).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from compose_lite.errors import ConfigError

_NS_PER_UNIT = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
    "d": 86_400_000_000_000,
    "w": 604_800_000_000_000,
}
# Compose parses with str2duration: Go's units plus days and weeks
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)")
_BYTES = re.compile(r"^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$", re.IGNORECASE)
_BYTE_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def parse_duration(text: str) -> int:
    """Go ``time.ParseDuration`` plus ``d`` and ``w`` (str2duration, as Compose reads durations):
    "1m30s", "-1.5h", "1d", "0" → nanoseconds. Raises ValueError."""
    s = text.strip()
    sign = 1
    if s[:1] in "+-" and s:
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise ValueError(f"invalid duration {text!r}")
    total = Decimal(0)
    pos = 0
    while pos < len(s):
        match = _DURATION_PART.match(s, pos)
        if match is None:
            raise ValueError(f"invalid duration {text!r}")
        total += Decimal(match.group(1)) * _NS_PER_UNIT[match.group(2)]
        pos = match.end()
    return sign * int(total)


def format_duration(ns: int) -> str:
    """Go ``time.Duration.String()``."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size:
                return sign + _fraction(ns, size) + unit
    hours, rest = divmod(ns, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    seconds = _fraction(rest, 1_000_000_000) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    if minutes:
        return f"{sign}{minutes}m{seconds}"
    return sign + seconds


def _fraction(value: int, size: int) -> str:
    whole, frac = divmod(value, size)
    if not frac:
        return str(whole)
    digits = len(str(size)) - 1
    return f"{whole}.{frac:0{digits}d}".rstrip("0")


def normalize_duration(value: object) -> str:
    """A Compose duration value (string, or a number of seconds) in Go's spelling."""
    if isinstance(value, bool):
        raise ValueError(f"invalid duration {value!r}")
    if isinstance(value, int | float):
        return format_duration(int(Decimal(str(value)) * 1_000_000_000))
    return format_duration(parse_duration(str(value)))


def parse_bytes(value: object) -> int:
    """docker/go-units ``RAMInBytes``: 512, "512m", "1.5GB", "100kb" → bytes. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"invalid size: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    match = _BYTES.match(str(value).strip())
    if match is None:
        raise ValueError(f"invalid size: {value!r}")
    return int(Decimal(match.group(1)) * _BYTE_UNITS[match.group(2).lower()])


def duration_ns(value: Any, path: str) -> int | None:
    """A duration of the model (``1m30s``, or seconds as a number) in nanoseconds; None stays None."""
    if value is None:
        return None
    try:
        return parse_duration(str(value)) if isinstance(value, str) else int(float(value) * 1e9)
    except ValueError as err:
        raise ConfigError(str(err), path=path) from None


def size_bytes(value: Any, path: str) -> int | None:
    """A size of the model (``64m``, or bytes as a number); None stays None."""
    if value is None:
        return None
    try:
        return parse_bytes(value)
    except ValueError as err:
        raise ConfigError(str(err), path=path) from None
