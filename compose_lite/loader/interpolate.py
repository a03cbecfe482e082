"""Compose variable interpolation, with the semantics of compose-go's template package.

``$$`` is a literal ``$`` (the result holds a single ``$``); ``$VAR`` and ``${VAR}`` are
looked up (unset → blank string plus a warning); ``${VAR:-d}`` / ``${VAR-d}`` default
when unset-or-empty / unset; ``${VAR:+r}`` / ``${VAR+r}`` replace when set-and-non-empty
/ set; ``${VAR:?e}`` / ``${VAR?e}`` fail when unset-or-empty / unset.  The argument after
the operator is itself a template (nesting) and, as in compose-go, is always
evaluated, so an error inside it surfaces even when the branch is not taken; its
unset-variable warnings are reported only when the branch is taken.  A ``$`` followed
by anything but a name, ``{`` or ``$`` (``$1``, ``$(``, ``$ ``, a trailing ``$``) is
literal text, as compose-go's pattern simply does not match there; only a malformed
``${…}`` (``${``, ``${ X}``, ``${A:x}``) is invalid.  Only string values are
interpolated, never mapping keys.  Strings at the typed paths of ``casts.CASTS`` are then
cast to the field's type (booleans, integers, floats), as compose-go does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from compose_lite.errors import ConfigError, Position
from compose_lite.loader.casts import Cast, CastError, cast_for, to_boolean, to_float, to_int
from compose_lite.loader.paths import Path, format_path
from compose_lite.loader.tags import Override, Reset

Lookup = Callable[[str], str | None]

_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_WITH_OPERATOR = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*:?[-+?]")
# two-character operators first so `:-` is not read as `:` + `-`
_OPERATORS = (":-", ":+", ":?", "-", "+", "?")
_HINT = "write a literal $ as $$"
_CAST_HINTS: dict[Cast, str] = {
    to_boolean: "this field is a boolean: true or false",
    to_int: "this field is a whole number",
    to_float: "this field is a number",
}


class _InvalidTemplate(Exception):
    pass


class _MissingRequired(Exception):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(name)
        self.name = name
        self.reason = reason

    def message(self) -> str:
        tail = f": {self.reason}" if self.reason else ""
        return f"required variable {self.name} is missing a value{tail}"


@dataclass(frozen=True)
class InterpolationResult:
    """The interpolated tree, the warnings (unset variables) and the values that could not be
    cast to their field's type (left as strings in ``data``), found on the way."""

    data: Any
    warnings: list[ConfigError] = field(default_factory=list)
    cast_errors: list[ConfigError] = field(default_factory=list)


def substitute(template: str, lookup: Lookup, *, unset: list[str] | None = None) -> str:
    """Interpolate one string; names of unset variables used are appended to ``unset``."""
    try:
        return _expand(template, lookup, unset if unset is not None else [])
    except _InvalidTemplate:
        raise ConfigError(f'invalid interpolation format: "{template}"', hint=_HINT) from None
    except _MissingRequired as exc:
        raise ConfigError(exc.message()) from None


def interpolate(
    data: Any,
    lookup: Lookup,
    *,
    positions: Mapping[Path, Position] | None = None,
    file: str | None = None,
) -> InterpolationResult:
    """Return a new tree with every string value interpolated.

    Errors and warnings point at ``positions[path]`` (or the nearest ancestor recorded
    there); without any, at ``file`` as a whole.
    """
    walker = _Walker(lookup, positions or {}, file)
    return InterpolationResult(walker.walk(data, ()), walker.warnings, walker.cast_errors)


class _Walker:
    def __init__(self, lookup: Lookup, positions: Mapping[Path, Position], file: str | None) -> None:
        self.lookup = lookup
        self.positions = positions
        self.file = file
        self.warnings: list[ConfigError] = []
        self.cast_errors: list[ConfigError] = []

    def position(self, path: Path) -> Position | None:
        for n in range(len(path), -1, -1):
            found = self.positions.get(path[:n])
            if found is not None:
                return found
        return Position(self.file, 1, 1) if self.file is not None else None

    def walk(self, value: Any, path: Path) -> Any:
        if isinstance(value, str):
            text = self.string(value, path) if "$" in value else value
            cast = cast_for(path)
            return text if cast is None else self.cast(cast, text, path)
        if isinstance(value, dict):
            return {k: self.walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, Reset | Override):
            return type(value)(self.walk(value.value, path))
        return value

    def cast(self, cast: Cast, text: str, path: Path) -> Any:
        try:
            return cast(text)
        except CastError as err:
            self.cast_errors.append(ConfigError(
                f"failed to cast to expected type: {err}", position=self.position(path),
                path=format_path(path), hint=_CAST_HINTS[cast],
            ))
            return text

    def string(self, value: str, path: Path) -> str:
        dotted = format_path(path) or None
        unset: list[str] = []
        try:
            result = _expand(value, self.lookup, unset)
        except _InvalidTemplate:
            raise ConfigError(
                f'invalid interpolation format for {dotted}: "{value}"',
                position=self.position(path),
                hint=_HINT,
            ) from None
        except _MissingRequired as exc:
            raise ConfigError(exc.message(), position=self.position(path), path=dotted) from None
        for name in dict.fromkeys(unset):
            self.warnings.append(
                ConfigError(
                    f'The "{name}" variable is not set. Defaulting to a blank string.',
                    position=self.position(path),
                    path=dotted,
                )
            )
        return result


def _expand(template: str, lookup: Lookup, unset: list[str]) -> str:
    out: list[str] = []
    i = 0
    while (j := template.find("$", i)) >= 0:
        out.append(template[i:j])
        following = template[j + 1 : j + 2]
        name = _NAME.match(template, j + 1)
        if following == "$":
            out.append("$")
            i = j + 2
        elif name is not None:
            out.append(_value(name.group(), lookup, unset))
            i = name.end()
        elif following == "{":
            end = _closing_brace(template, j)
            if end < 0:
                raise _InvalidTemplate
            out.append(_braced(template[j + 2 : end], lookup, unset))
            i = end + 1
        else:  # `$` before anything but a name, `{` or `$` is literal text (`$1`, `$(`, `100%$`)
            out.append("$")
            i = j + 1
    out.append(template[i:])
    return "".join(out)


def _closing_brace(template: str, start: int) -> int:
    """Index of the ``}`` closing the ``${`` at ``start``, counted as compose-go counts: every ``{``
    opens a level (and hides the character after it), every ``}`` closes one. Left unbalanced, an
    expression with an operator runs to the template's last ``}`` (its pattern's greedy match)."""
    depth = 0
    i = start
    while i < len(template):
        if template[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        if template[i] == "{":
            depth += 1
            i += 1
        i += 1
    last = template.rfind("}")
    return last if last > start and _WITH_OPERATOR.match(template, start + 2) else -1


def _value(name: str, lookup: Lookup, unset: list[str]) -> str:
    value = lookup(name)
    if value is None:
        unset.append(name)
        return ""
    return value


def _braced(body: str, lookup: Lookup, unset: list[str]) -> str:
    name_match = _NAME.match(body)
    if name_match is None:
        raise _InvalidTemplate
    name, rest = name_match.group(), body[name_match.end() :]
    if not rest:
        return _value(name, lookup, unset)
    op = next((o for o in _OPERATORS if rest.startswith(o)), None)
    if op is None:
        raise _InvalidTemplate
    arg_unset: list[str] = []
    arg = _expand(rest[len(op) :], lookup, arg_unset)
    value = lookup(name)
    is_set, non_empty = value is not None, bool(value)
    match op:
        case ":?" | "?":
            if not (non_empty if op == ":?" else is_set):
                raise _MissingRequired(name, arg)
            return value or ""
        case ":-":
            use_arg = not non_empty
        case "-":
            use_arg = not is_set
        case ":+":
            use_arg = non_empty
        case _:
            use_arg = is_set
    if use_arg:
        unset.extend(arg_unset)
        return arg
    return value or ""


@dataclass(frozen=True)
class Variable:
    """A variable a file refers to, as `config --variables` lists it."""

    name: str
    required: bool = False
    default: str = ""
    alternate: str = ""


# `$$`, or `${NAME}` with an operator and its argument (one level of braces inside), or `$NAME`
_REFERENCE = re.compile(
    r"\$\$|\$\{([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])((?:[^{}]|\{[^{}]*\})*))?\}|\$([_a-zA-Z][_a-zA-Z0-9]*)"
)


def variables_used(tree: Any) -> list[Variable]:
    """Every variable the uninterpolated ``tree`` refers to, by name, with what its references say."""
    found: dict[str, Variable] = {}

    def visit(node: Any) -> None:
        if isinstance(node, str):
            for match in _REFERENCE.finditer(node):
                name = match.group(1) or match.group(4)
                if not name:
                    continue  # `$$`
                op, arg = match.group(2) or "", match.group(3) or ""
                seen = found.get(name, Variable(name))
                found[name] = Variable(
                    name, seen.required or "?" in op,
                    arg if "-" in op else seen.default, arg if "+" in op else seen.alternate)
                visit(arg)
        elif isinstance(node, dict):
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(tree)
    return sorted(found.values(), key=lambda v: v.name)
