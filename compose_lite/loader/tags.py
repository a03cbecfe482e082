"""Markers the parser hands to later stages: the merge tags ``!reset`` and ``!override``, and
unquoted timestamps (yaml.v3 reads them as times, not strings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any


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
        from datetime import datetime

        text = self.replace("t", "T").replace(" ", "T", 1).replace("Z", "+00:00").replace("z", "+00:00")
        moment = datetime.fromisoformat(text if "T" in text else f"{text}T00:00:00")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        out = moment.isoformat().replace("+00:00", "Z")
        if "." in out:  # Go trims the fraction's trailing zeros
            head, _, tail = out.partition(".")
            digits = "".join(c for c in tail if c.isdigit())
            zone = tail[len(digits):]
            out = f"{head}.{digits.rstrip('0')}{zone}" if digits.rstrip("0") else f"{head}{zone}"
        return out
