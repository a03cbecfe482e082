"""Validate a Compose tree against schemas/compose.schema.json.

Every violation is reported (not only the first), each as a ConfigError with the
dotted path, the source position and, where we can guess it, a hint.  An anyOf
failure is resolved to the branch the user evidently meant (the one whose type
matches the value), so a bad port gives one line, not one line per alternative.
This stage checks shapes only; references and semantics are checked by bind.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from compose_lite.errors import ConfigError, Position
from compose_lite.loader.paths import format_path
from compose_lite.loader.suggest import did_you_mean
from compose_lite.loader.tags import Override, Reset

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "schemas",
                           "compose.schema.json")

PathKey = tuple[str | int, ...]

# Listing the allowed keys helps only when there are few of them.
_MAX_LISTED_KEYS = 8

# Canonical order for "expected a string, number or mapping".
_TYPE_NAMES = {
    "string": "string",
    "number": "number",
    "integer": "integer",
    "boolean": "boolean",
    "object": "mapping",
    "array": "list",
    "null": "null",
}


@functools.cache
def _validator() -> Draft7Validator:
    # Draft 7 without format checking is the cheapest validator jsonschema offers;
    # compiled once per process, on the first validation (never for `cl --help`).
    from jsonschema import Draft7Validator

    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        schema = json.load(handle)
    return Draft7Validator(_inline_refs(schema))


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local ``$ref`` replaced by its definition.

    Resolving a ``$ref`` through jsonschema's registry costs about a quarter of
    the validation time; our schema is not recursive, so it can be expanded once.
    """
    definitions: dict[str, Any] = schema.get("definitions", {})
    expanded: dict[str, Any] = {}

    def expand(node: Any) -> Any:
        if isinstance(node, list):
            return [expand(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            name = ref.removeprefix("#/definitions/")
            if name not in expanded:
                expanded[name] = expand(definitions[name])
            return expanded[name]
        return {key: expand(value) for key, value in node.items()}

    return {key: expand(value) for key, value in schema.items() if key != "definitions"}


def validate(
    data: Any,
    *,
    file: str,
    positions: Mapping[PathKey, Position] | None = None,
    key_positions: Mapping[PathKey, Position] | None = None,
) -> list[ConfigError]:
    """All schema violations in ``data`` (one parsed Compose file), best first.

    ``positions`` maps path tuples such as ``("services", "web", "ports", 0)`` to
    where that value starts in ``file``; a node without one gets the position of
    its nearest ancestor that has one (the document start when none has).
    ``key_positions`` (same keys, where each mapping key starts) lets errors
    about a key, such as an unknown one, point at the key itself.
    """
    locate = _Locator(file, positions or {}, key_positions or {})
    found: dict[tuple[str, str], tuple[PathKey, ConfigError]] = {}
    for error in _validator().iter_errors(_without_merge_tags(data)):
        for leaf in _leaves(error):
            for key, about_key, message, hint in _describe(leaf):
                path = format_path(key)
                # Required and anyOf errors can repeat the same finding.
                found.setdefault(
                    (path, message),
                    (
                        key,
                        ConfigError(
                            message,
                            hint=hint,
                            position=locate(about_key or key, is_key=bool(about_key)),
                            path=path or None,
                        ),
                    ),
                )
    return [err for _, err in sorted(found.values(), key=_rank)]


def _rank(item: tuple[PathKey, ConfigError]) -> tuple[int, int, int]:
    # Shallower errors first (a wrong section explains the errors inside it, like
    # jsonschema's relevance), then in document order.
    key, err = item
    pos = err.position
    return (len(key), pos.line if pos else 0, pos.col if pos else 0)


class _Locator:
    """Finds the source position to show for a path."""

    def __init__(
        self, file: str, positions: Mapping[PathKey, Position], key_positions: Mapping[PathKey, Position]
    ) -> None:
        self._file = file
        self._positions = positions
        self._key_positions = key_positions

    def __call__(self, path: PathKey, *, is_key: bool) -> Position:
        if is_key and path in self._key_positions:
            return self._key_positions[path]
        for end in range(len(path), -1, -1):
            pos = self._positions.get(path[:end])
            if pos is not None:
                return pos
        return Position(self._file, 1, 1)


def _without_merge_tags(node: Any) -> Any:
    """The tree as the schema should see it: ``!override`` values unwrapped, ``!reset`` keys gone.

    A reset key holds no value of its own (merge drops what earlier files set), so
    there is nothing to check; in a list, where dropping would shift the indexes
    that positions are keyed by, the wrapped value is checked instead.
    """
    if isinstance(node, dict):
        return {k: _without_merge_tags(v) for k, v in node.items() if not isinstance(v, Reset)}
    if isinstance(node, list):
        return [_without_merge_tags(v) for v in node]
    if isinstance(node, Reset | Override):
        return _without_merge_tags(node.value)
    return node


# --- choosing what to report -------------------------------------------------


def _leaves(error: ValidationError) -> list[ValidationError]:
    """Replace an anyOf/oneOf error by the errors of the branch the user meant.

    When every branch rejects the value's type, the anyOf error itself is kept and
    later reported as one type error listing all accepted types.
    """
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    candidates = [errs for errs in branches.values() if not _rejects_type(errs)]
    if not candidates:
        return [error]
    # Several branches accept the type: the one that got furthest into the value
    # (deepest error), then the one with the fewest complaints, is what was meant.
    best = max(candidates, key=lambda errs: (max(len(e.relative_path) for e in errs), -len(errs)))
    return [leaf for sub in best for leaf in _leaves(sub)]


def _rejects_type(errors: Iterable[ValidationError]) -> bool:
    """Whether a branch failed because the value is of another type altogether."""
    for err in errors:
        if err.relative_path:
            continue
        if err.validator == "type":
            return True
        if err.validator in ("anyOf", "oneOf") and err.context:
            branches: dict[int, list[ValidationError]] = {}
            for sub in err.context:
                branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
            if all(_rejects_type(errs) for errs in branches.values()):
                return True
    return False


def _expected_types(error: ValidationError) -> set[str]:
    """The JSON types accepted somewhere among the branches of a type-mismatch error."""
    if error.validator == "type":
        value: Any = error.validator_value
        return {value} if isinstance(value, str) else set(value)
    types: set[str] = set()
    for sub in error.context or ():
        if not sub.relative_path and sub.validator in ("type", "anyOf", "oneOf"):
            types |= _expected_types(sub)
    return types


# --- wording -----------------------------------------------------------------

# (path shown, path of the offending key or () when the value itself is at fault, message, hint)
Finding = tuple[PathKey, PathKey, str, str | None]


def _describe(error: ValidationError) -> list[Finding]:
    key: PathKey = tuple(error.absolute_path)
    kind = error.validator
    expected: Any = error.validator_value
    instance = error.instance
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if "propertyNames" in error.absolute_schema_path:
        # The instance is a key of the mapping at `key`, not a value.
        name = str(instance)
        reason = schema.get("errorMessage") if kind == "pattern" else None
        if reason is None:
            reason = "must not be empty" if kind == "minLength" else error.message
        return [(key, (*key, name), f"invalid key '{name}': {reason}", None)]
    if kind == "additionalProperties" and isinstance(instance, Mapping):
        return _unknown_keys(key, instance, schema)
    if kind == "required" and isinstance(instance, Mapping):
        return [(key, (), f"'{name}' is required", None) for name in expected if name not in instance]
    if kind in ("type", "anyOf", "oneOf"):
        return [(key, (), f"expected {_types_text(_expected_types(error))}, got {_kind_of(instance)}", None)]
    if kind == "enum":
        allowed = [str(v) for v in expected]
        message = f"invalid value {_show(instance)}: must be one of: {', '.join(allowed)}"
        return [(key, (), message, did_you_mean(str(instance), allowed))]
    if kind == "pattern":
        reason = schema.get("errorMessage") or f"must match the pattern {expected}"
        return [(key, (), f"invalid value {_show(instance)}: {reason}", None)]
    if kind == "minimum":
        return [(key, (), f"must be at least {expected}, got {_show(instance)}", None)]
    if kind == "maximum":
        return [(key, (), f"must be at most {expected}, got {_show(instance)}", None)]
    if kind == "uniqueItems" and isinstance(instance, Sequence):
        index = _first_duplicate(instance)
        return [((*key, index), (), f"duplicate entry {_show(instance[index])}", None)]
    return [(key, (), error.message, None)]


def _unknown_keys(key: PathKey, instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[Finding]:
    known = list(schema.get("properties", {}))
    patterns = list(schema.get("patternProperties", {}))
    findings: list[Finding] = []
    for name in instance:
        if name in known or any(re.search(p, str(name)) for p in patterns):
            continue
        hint = did_you_mean(str(name), known)
        if hint is None and 0 < len(known) <= _MAX_LISTED_KEYS:
            hint = f"allowed keys: {', '.join(known)}"
        findings.append((key, (*key, name), f"additional property '{name}' is not allowed", hint))
    return findings


def _first_duplicate(items: Sequence[Any]) -> int:
    seen: list[Any] = []  # items may be unhashable (mappings)
    for index, item in enumerate(items):
        if item in seen:
            return index
        seen.append(item)
    return 0


def _types_text(types: set[str]) -> str:
    if "number" in types:
        types = types - {"integer"}  # every integer is a number
    names = [name for json_type, name in _TYPE_NAMES.items() if json_type in types]
    if not names:
        return "another type"
    first = names[0]
    article = "" if first == "null" else "an " if first[0] in "aeiou" else "a "
    words = [article + first, *names[1:]]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    return json.dumps(value, default=str)
