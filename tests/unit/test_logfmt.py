from __future__ import annotations

from compose_lite.logfmt import PALETTE, LogFormatter, LogLine, colour_for


def test_prefixes_are_aligned_one_column_past_the_longest_name_as_compose_pads_them() -> None:
    fmt = LogFormatter(["web", "database"], colour=False, names=["web-1", "database-1"])
    assert fmt.line(LogLine("web-1", "web", "GET /")) == "web-1       | GET /"
    assert fmt.line(LogLine("database-1", "database", "ready")) == "database-1  | ready"


def test_a_longer_name_joining_widens_later_prefixes() -> None:
    fmt = LogFormatter(["web"], colour=False, names=["web-1"])
    assert fmt.line(LogLine("web-1", "web", "a")) == "web-1  | a"
    fmt.join("web-10")
    assert fmt.line(LogLine("web-1", "web", "b")) == "web-1   | b"


def test_colour_is_stable_per_service_and_off_when_asked() -> None:
    services = ["db", "web", "api"]
    assert colour_for("api", services) == PALETTE[0]
    assert colour_for("db", services) == PALETTE[1]
    coloured = LogFormatter(services, colour=True, names=["db-1"]).line(LogLine("db-1", "db", "x"))
    assert coloured == f"\x1b[{PALETTE[1]}mdb-1  | \x1b[0mx"
    plain = LogFormatter(services, colour=False, names=["db-1"]).line(LogLine("db-1", "db", "x"))
    assert "\x1b" not in plain


def test_no_prefix_and_timestamps() -> None:
    fmt = LogFormatter(["web"], colour=False, prefix=False, timestamps=True)
    stamped = LogLine("web-1", "web", "hi", timestamp="2026-11-26T10:00:00Z")
    assert fmt.line(stamped) == "2026-11-26T10:00:00Z hi"


def test_event_lines() -> None:
    fmt = LogFormatter(["web"], colour=False)
    assert fmt.event("web-1", "web", "exited with code 3") == "web-1 exited with code 3"
