"""The ``--format`` templates scripts give the docker CLI, for our list commands.

Not Go's template language, only the forms people use with ``docker compose ps/ls/images``:
``{{.Field}}``, ``{{json .}}``, ``{{json .Field}}``, literal text and ``\\t``, and a ``table`` prefix
that adds a header row (the field names in capitals, as the docker CLI prints them) and aligns
the columns.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from compose_lite.errors import ConfigError

_ACTION = re.compile(r"\{\{\s*(json\s+)?\.([A-Za-z_]\w*)?\s*\}\}")
# The docker CLI's column titles where they are not just the field's name in capitals.
_HEADERS = {"RunningFor": "CREATED", "CreatedAt": "CREATED AT", "ConfigFiles": "CONFIG FILES",
            "LocalVolumes": "LOCAL VOLUMES", "ID": "CONTAINER ID"}


def is_template(fmt: str) -> bool:
    return "{{" in fmt


def render(fmt: str, records: Sequence[Mapping[str, Any]]) -> str:
    """Each record through the template, one line each (a ``table`` template: aligned, with titles)."""
    table = fmt.startswith("table ")
    template = (fmt[len("table "):] if table else fmt).replace("\\t", "\t")
    _check(template)
    lines = [_fill(template, r) for r in records]
    if not table:
        return "".join(f"{line}\n" for line in lines)
    header = _ACTION.sub(lambda m: _title(m.group(2)), template)
    rows = [line.split("\t") for line in [header, *lines]]
    width = max(len(r) for r in rows)
    widths = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(width)]
    return "".join("   ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() + "\n"
                   for r in rows)


def _check(template: str) -> None:
    leftover = _ACTION.sub("", template)
    if "{{" in leftover:
        raise ConfigError(f"unsupported --format template {template!r}",
                          hint="use {{.Field}}, {{json .}} or {{json .Field}}, optionally after 'table '")


def _fill(template: str, record: Mapping[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        as_json, field = bool(match.group(1)), match.group(2)
        if field is None:
            if not as_json:
                raise ConfigError("{{.}} needs json: use {{json .}}")
            return json.dumps(record)
        if field not in record:
            raise ConfigError(f"no field {field!r} in the output",
                              hint="fields: " + ", ".join(sorted(record)))
        item = record[field]
        return json.dumps(item) if as_json else _plain(item)

    return _ACTION.sub(value, template)


def _plain(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, list | dict):
        return json.dumps(item)
    return str(item)


def _title(field: str | None) -> str:
    return _HEADERS.get(field or "", (field or "").upper())


def format_choice(ctx: Any, param: Any, value: str) -> str:
    """A click callback: ``table``, ``json``, or a template."""
    import click

    if value in ("table", "json") or is_template(value):
        return value
    raise click.BadParameter("expected table, json or a template such as '{{.Name}}\\t{{.Status}}'")
