"""The --format templates scripts use with the docker CLI."""

from __future__ import annotations

import pytest

from compose_lite.cli.gotemplate import render
from compose_lite.errors import ConfigError

RECORDS = [
    {"Name": "p-web-1", "State": "running", "Publishers": [], "RunningFor": "2 minutes ago"},
    {"Name": "p-db-10", "State": "exited", "Publishers": [{"TargetPort": 5432}], "RunningFor": "1 hour ago"},
]


def test_fields_json_and_literal_text() -> None:
    assert render("{{.Name}}: {{.State}}", RECORDS) == "p-web-1: running\np-db-10: exited\n"
    assert render("{{json .Publishers}}", RECORDS) == '[]\n[{"TargetPort": 5432}]\n'
    assert render("{{json .}}", RECORDS[:1]).startswith('{"Name": "p-web-1"')


def test_table_adds_titles_and_aligns() -> None:
    assert render("table {{.Name}}\\t{{.RunningFor}}", RECORDS) == (
        "NAME      CREATED\np-web-1   2 minutes ago\np-db-10   1 hour ago\n"
    )


def test_unknown_fields_and_forms_are_errors_that_say_what_exists() -> None:
    with pytest.raises(ConfigError) as info:
        render("{{.Nope}}", RECORDS)
    assert "Name" in (info.value.hint or "")
    with pytest.raises(ConfigError):
        render("{{range .}}x{{end}}", RECORDS)
