"""Output as the docker CLI and Compose write it, for scripts that parse ours the same way:
Go's tabwriter tables, ``json.Marshal`` text, ``strconv.Quote``, and the ``--format`` templates.

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


def table(rows: Sequence[Sequence[str]], *, min_width: int = 20, padding: int = 3) -> str:
    """Rows aligned as Go's tabwriter aligns them: every cell but a line's last one padded to its
    column's widest cell + ``padding`` (at least ``min_width``); the last cell as it is, so an empty
    one leaves the padding before it (as ``docker compose ps`` does)."""
    widths = [max(min_width, max((len(r[i]) for r in rows if i < len(r) - 1), default=0) + padding)
              for i in range(max(len(r) for r in rows))]
    return "".join("".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:-1])) + r[-1] + "\n"
                   for r in rows)


def go_json(data: Any) -> str:
    """``json.Marshal``'s text: compact, ``<``, ``>`` and ``&`` escaped, other characters kept."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def go_quote(text: str) -> str:
    """``strconv.Quote`` for printable text (a container's command in ``ps``)."""
    return json.dumps(text, ensure_ascii=False)


def is_template(fmt: str) -> bool:
    return "{{" in fmt


def render(fmt: str, records: Sequence[Mapping[str, Any]]) -> str:
    """Each record through the template, one line each (a ``table`` template: aligned, with titles)."""
    tabular = fmt.startswith("table ")
    template = (fmt[len("table "):] if tabular else fmt).replace("\\t", "\t")
    _check(template)
    lines = [_fill(template, r) for r in records]
    if not tabular:
        return "".join(f"{line}\n" for line in lines)
    header = _ACTION.sub(lambda m: _title(m.group(2)), template)
    return table([line.split("\t") for line in [header, *lines]], min_width=10)  # the docker CLI's


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
            return go_json(record)
        if field not in record:
            raise ConfigError(f"no field {field!r} in the output",
                              hint="fields: " + ", ".join(sorted(record)))
        item = record[field]
        return go_json(item) if as_json else _plain(item)

    return _ACTION.sub(value, template)


def _plain(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, list | dict):
        return go_json(item)
    return str(item)


def _title(field: str | None) -> str:
    return _HEADERS.get(field or "", (field or "").upper())


def format_choice(ctx: Any, param: Any, value: str) -> str:
    """A click callback: ``table``, ``json``, or a template."""
    import click

    if value in ("table", "json") or is_template(value):
        return value
    raise click.BadParameter("expected table, json or a template such as '{{.Name}}\\t{{.Status}}'")
