"""Markers the parser hands to later stages: the merge tags ``!reset`` and ``!override``, and
unquoted timestamps (yaml.v3 reads them as times, not strings)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# YAML 1.1's timestamp, as yaml.v3 resolves it.
_TIMESTAMP = re.compile(r"(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)(?:\.(\d*))?"
                        r"(?:[ \t]*(Z|z|[-+]\d\d?(?::\d\d)?))?)?$")


@dataclass(frozen=True)
class Reset:
    """A value tagged ``!reset``: drop what earlier files set here (None = reset to empty)."""

    value: Any


@dataclass(frozen=True)
class Override:
    """A value tagged ``!override``: replace what earlier files set here instead of merging."""

    value: Any


class Timestamp(str):
    """An unquoted date or time: yaml.v3 makes it a time value, which Compose refuses wherever a
    string is expected (``RELEASE: 2024-01-15``) and prints in RFC 3339 in a top-level extension."""

    def rfc3339(self) -> str:
        """As Go prints a time.Time (RFC 3339, nanoseconds): fields zero-padded, the fraction's
        trailing zeros trimmed, the offset as written (``Z`` for none or zero)."""
        found = _TIMESTAMP.match(self)
        if found is None:  # the parser only makes Timestamps of what YAML resolves as one
            return str(self)
        year, month, day, hour, minute, second, fraction, zone = found.groups()
        out = f"{year}-{int(month):02}-{int(day):02}T{int(hour or 0):02}:{minute or '00'}:{second or '00'}"
        if fraction and fraction[:9].rstrip("0"):
            out += "." + fraction[:9].rstrip("0")
        if zone and zone not in ("Z", "z"):
            hours, _, minutes = zone[1:].partition(":")
            offset = f"{zone[0]}{int(hours):02}:{minutes or '00'}"
            return out + ("Z" if offset[1:] == "00:00" else offset)
        return out + "Z"
