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
    reporter = JsonReporter(out)
    reporter.event("Network", "p_default", "Created", done=True)
    reporter.problem("web  1 file changed → failed: disk full")
    event, problem = (json.loads(line) for line in out.getvalue().splitlines())
    assert {k: event[k] for k in ("kind", "name", "status", "done")} == {
        "kind": "Network", "name": "p_default", "status": "Created", "done": True}
    assert problem == {"level": "error", "message": "web  1 file changed → failed: disk full"}


def test_quiet_prints_only_warnings_and_problems() -> None:
    out = io.StringIO()
    reporter = QuietReporter(out)
    reporter.event("Container", "x", "Started", done=True)
    reporter.info("hello")
    reporter.warning("w")
    reporter.problem("web  1 file changed → failed: disk full")
    assert out.getvalue() == "warning: w\nweb  1 file changed → failed: disk full\n"


def test_plain_prints_problems_as_worded() -> None:
    out = io.StringIO()
    PlainReporter(out).problem("config  compose.yaml changed → not applied")
    assert out.getvalue() == "config  compose.yaml changed → not applied\n"


def test_auto_is_plain_when_not_a_terminal() -> None:
    assert isinstance(make_reporter("auto", io.StringIO()), PlainReporter)
    assert isinstance(make_reporter("json", io.StringIO()), JsonReporter)
