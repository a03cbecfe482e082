from __future__ import annotations

import io
import json

from compose_lite.output import JsonReporter, PlainReporter, QuietReporter, make_reporter


def test_plain_lines_like_compose() -> None:
    out = io.StringIO()
    reporter = PlainReporter(out)
    reporter.event("Container", "p-db-1", "Creating")
    reporter.event("Container", "p-db-1", "Started", done=True)
    reporter.warning("careful")
    lines = out.getvalue().splitlines()
    assert lines[0] == " Container p-db-1  Creating"
    assert lines[1].startswith(" Container p-db-1  Started ") and lines[1].endswith("s")
    assert lines[2] == "warning: careful"


def test_json_lines() -> None:
    out = io.StringIO()
    JsonReporter(out).event("Network", "p_default", "Created", done=True)
    record = json.loads(out.getvalue())
    assert {k: record[k] for k in ("kind", "name", "status", "done")} == {
        "kind": "Network", "name": "p_default", "status": "Created", "done": True}


def test_quiet_prints_only_warnings() -> None:
    out = io.StringIO()
    reporter = QuietReporter(out)
    reporter.event("Container", "x", "Started", done=True)
    reporter.info("hello")
    reporter.warning("w")
    assert out.getvalue() == "warning: w\n"


def test_auto_is_plain_when_not_a_terminal() -> None:
    assert isinstance(make_reporter("auto", io.StringIO()), PlainReporter)
    assert isinstance(make_reporter("json", io.StringIO()), JsonReporter)
