"""How multiplexed container log lines look: aligned ``name  | `` prefixes, a stable colour per service.

Pure formatting, shared by `cl logs`, attached `cl up` and `cl watch`; the streams come from the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Bold-free ANSI foreground colours in the order Compose users are used to seeing them.
PALETTE = ("36", "33", "32", "35", "34", "96", "93", "92", "95", "94")
RESET = "\x1b[0m"


def colour_for(service: str, services: Iterable[str]) -> str:
    """A service's colour: its index among the project's services (sorted), so it is the same every run."""
    ordered = sorted(set(services) | {service})
    return PALETTE[ordered.index(service) % len(PALETTE)]


@dataclass(frozen=True)
class LogLine:
    name: str  # display name, e.g. "web-1"
    service: str
    text: str  # one line, without its newline
    timestamp: str | None = None


class LogFormatter:
    """Formats lines from many containers; widens the prefix when a longer name joins. As Compose
    pads it: one column wider than the longest name (``db-1   | `` beside ``job-1  | ``)."""

    def __init__(self, services: Iterable[str], *, colour: bool, prefix: bool = True,
                 timestamps: bool = False, names: Iterable[str] = ()) -> None:
        self._services = sorted(set(services))
        self._colour = colour
        self._prefix = prefix
        self._timestamps = timestamps
        self._width = max((len(n) for n in names), default=0)

    def join(self, name: str) -> None:
        """A container joined the stream (e.g. after a recreate): keep prefixes aligned."""
        self._width = max(self._width, len(name))

    def _paint(self, service: str, text: str) -> str:
        if not self._colour:
            return text
        return f"\x1b[{colour_for(service, self._services)}m{text}{RESET}"

    def line(self, entry: LogLine) -> str:
        body = f"{entry.timestamp} {entry.text}" if self._timestamps and entry.timestamp else entry.text
        if not self._prefix:
            return body
        self.join(entry.name)
        return self._paint(entry.service, f"{entry.name:<{self._width + 1}} | ") + body

    def event(self, name: str, service: str, message: str) -> str:
        """A lifecycle line in the stream, e.g. ``web-1 exited with code 0``."""
        return self._paint(service, f"{name} {message}")
