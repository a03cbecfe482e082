"""Output as the docker CLI and Compose write it, for scripts that parse ours the same way:
Go's tabwriter tables, ``json.Marshal`` text, ``strconv.Quote``, and the ``--format`` templates.

Not all of Go's template language: the actions people write with ``docker compose ps/ls/images``,
that is fields (``{{.Name}}``, ``{{.}}``), the container formatter's ``{{.Label "key"}}``, the docker
CLI's functions (json, upper, lower, title, split, join, truncate, pad, println) and len, with pipes
(``{{.Name | upper}}``); literal text and ``\\t``; and a ``table`` prefix that adds a header row
(the columns' titles, as the docker CLI prints them) and aligns the columns. Control actions
(if, range, …) are refused with a hint.
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
    lines = [_fill(template, _Fields(r)) for r in records]
    if not tabular:
        return "".join(f"{line}\n" for line in lines)
    header = _fill(template, _Titles())  # the template run on the columns' titles, as the docker CLI does
    return table([line.split("\t") for line in [header, *lines]], min_width=10)  # the docker CLI's


# An action's words: a Go string (quoted or raw), a number, a field (``.Name``, or ``.`` itself),
# a function's name, or the pipe that hands a value on.
_ACTION = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)
_WORD = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|`[^`]*`)|(?P<num>-?\d+)|(?P<field>\.[A-Za-z_]\w*|\.)'
                   r"|(?P<name>[A-Za-z_]\w*)|(?P<pipe>\|))")
_CONTROL = {"if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"}
HINT = ("use fields ({{.Name}}), {{.Label \"key\"}}, and json, upper, lower, title, join, split, "
        "truncate, pad, println, len, with pipes; optionally after 'table '")


def _title_case(text: str) -> str:
    return re.sub(r"\b\w", lambda m: m.group(0).upper(), text)


# The docker CLI's template functions (and Go's len).
_FUNCTIONS: dict[str, Any] = {
    "json": lambda v: go_json(v), "upper": lambda v: str(v).upper(), "lower": lambda v: str(v).lower(),
    "title": lambda v: _title_case(str(v)), "split": lambda v, sep: str(v).split(sep),
    "join": lambda v, sep: sep.join(str(x) for x in v), "truncate": lambda v, n: str(v)[:n],
    "pad": lambda v, left, right: " " * left + str(v) + " " * right,
    "println": lambda *vs: " ".join(_plain(v) for v in vs) + "\n", "len": lambda v: len(v),
}


class _Fields:
    """What a template reads in a record: its fields, and the container formatter's ``Label``."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = record

    def whole(self) -> Any:
        return self.record

    def field(self, name: str) -> Any:
        if name not in self.record:
            raise ConfigError(f"no field {name!r} in the output",
                              hint="fields: " + ", ".join(sorted(self.record)))
        return self.record[name]

    def label(self, key: str) -> str:
        """``{{.Label "key"}}``: one label of the comma-joined ``Labels`` (a value may hold commas)."""
        labels: dict[str, str] = {}
        last = None
        for part in str(self.record.get("Labels", "")).split(","):
            name, sep, value = part.partition("=")
            if sep:
                last, labels[name] = name, value
            elif last is not None:
                labels[last] += "," + part
        return labels.get(key, "")


class _Titles(_Fields):
    """The columns' titles in place of the values (the header row of a ``table`` template)."""

    def __init__(self) -> None:
        super().__init__({})

    def whole(self) -> Any:
        return ""

    def field(self, name: str) -> Any:
        return _title(name)

    def label(self, key: str) -> str:
        # as the docker CLI titles it: the last part, words apart, not in capitals
        return key.rsplit(".", 1)[-1].replace("-", " ").replace("_", " ")


def _fill(template: str, fields: _Fields) -> str:
    return _ACTION.sub(lambda m: _plain(_pipeline(m.group(1), fields)), template)


def _pipeline(action: str, fields: _Fields) -> Any:
    words = _words(action)
    if not words or (words[0][0] == "name" and words[0][1] in _CONTROL):
        raise ConfigError(f"unsupported --format action {{{{{action.strip()}}}}}", hint=HINT)
    value: Any = None
    commands: list[list[tuple[str, str]]] = [[]]
    for word in words:
        if word[0] == "pipe":
            commands.append([])
        else:
            commands[-1].append(word)
    for index, command in enumerate(commands):
        handed = [value] if index else []
        value = _command(command, handed, fields, action)
    return value


def _words(action: str) -> list[tuple[str, str]]:
    words, at = [], 0
    while at < len(action.rstrip()):
        match = _WORD.match(action, at)
        if match is None or match.end() == at:
            raise ConfigError(f"unsupported --format action {{{{{action.strip()}}}}}", hint=HINT)
        kind = str(match.lastgroup)
        words.append((kind, match.group(kind)))
        at = match.end()
    return words


def _command(command: list[tuple[str, str]], handed: list[Any], fields: _Fields, action: str) -> Any:
    if not command:
        raise ConfigError(f"empty command in {{{{{action.strip()}}}}}", hint=HINT)
    (kind, text), rest = command[0], command[1:]
    args = [_value(word, fields) for word in rest] + handed
    if kind == "name":
        if text not in _FUNCTIONS:
            raise ConfigError(f"unknown --format function {text!r}", hint=HINT)
        try:
            return _FUNCTIONS[text](*args)
        except TypeError:
            raise ConfigError(f"wrong arguments to {text} in {{{{{action.strip()}}}}}", hint=HINT) from None
    if kind == "field" and text == ".Label":
        if len(args) != 1 or not isinstance(args[0], str):
            raise ConfigError('{{.Label}} takes the label\'s name: {{.Label "com.docker.compose.service"}}')
        return fields.label(args[0])
    if args:
        raise ConfigError(f"{text} takes no arguments in {{{{{action.strip()}}}}}", hint=HINT)
    return _value(command[0], fields)


def _value(word: tuple[str, str], fields: _Fields) -> Any:
    kind, text = word
    if kind == "str":
        return text[1:-1] if text.startswith("`") else json.loads(text)
    if kind == "num":
        return int(text)
    if kind == "field":
        return fields.whole() if text == "." else fields.field(text[1:])
    raise ConfigError(f"a function ({text}) as an argument needs parentheses, which cl does not read",
                      hint=HINT)


def _plain(item: Any) -> str:
    if item is None:
        return "<no value>"
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
