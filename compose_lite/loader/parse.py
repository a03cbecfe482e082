"""YAML text → plain tree (dict/list/str/int/float/bool/None) plus source positions.

We drive PyYAML's event parser ourselves instead of ``yaml.compose``/``yaml.load``
because the composers recurse per nesting level (the C one segfaults on deep input,
the Python one hits RecursionError) and expand aliases without any bound.  An
explicit stack lets us cap depth, count every node an alias expands to (so a
"billion laughs" document fails after a few hundred events), reject duplicate keys,
and record the position of every key and value.  Plain scalars are resolved the way
Docker Compose v2 reads them (Go's yaml.v3 decoding into untyped values: the YAML 1.2
core schema), not by YAML 1.1: ``no``, ``on``, ``yes`` and ``22:22`` stay strings, so
``restart: no`` and unquoted ``22:22`` ports mean what Compose users expect.  Quoted
and explicitly tagged scalars go through PyYAML's SafeConstructor.

Positions are keyed by path tuples such as ``("services", "web", "ports", 0)``:
``Document.positions`` holds where each VALUE starts, ``Document.key_positions``
where each mapping KEY starts (same path as its value), so errors about a key
(unknown, duplicate) can point at the key itself.  ``()`` is the root.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.events as ev

from compose_lite.errors import ConfigError, Position
from compose_lite.loader.paths import Path, format_path
from compose_lite.loader.tags import Override, Reset, Timestamp

MAX_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 500
MAX_NODES = 1_000_000
# Real files reuse a few anchors a few dozen times; copies beyond this are an alias bomb.
MAX_ALIAS_NODES = 100_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_MERGE_TAG = "tag:yaml.org,2002:merge"
# Scalar tags whose SafeConstructor result fits the plain tree.  Timestamps stay the
# source string: Compose (yaml.v3 into `any`) never turns them into dates.
_PLAIN_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "str")
)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

_DEPTH_MESSAGE = f"nesting is deeper than {MAX_DEPTH} levels"
_DEPTH_HINT = "flatten the structure"

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INFINITIES = {".inf": math.inf, ".Inf": math.inf, ".INF": math.inf}
_NANS = frozenset({".nan", ".NaN", ".NAN"})
# Go's strconv.ParseInt(s, 0, 64) accepts these (0x, 0o, 0b, a leading 0 for octal, _ separators).
_GO_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)")
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar under yaml.v3's rules (YAML 1.2 core schema)."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    sign = -1 if text[:1] == "-" else 1
    bare = text[1:] if text[:1] in "+-" else text
    if bare in _INFINITIES:
        return sign * math.inf
    if text in _NANS:
        return math.nan
    if _GO_INT.fullmatch(text) and "__" not in text and not text.endswith("_"):
        digits = bare.replace("_", "")
        prefix = digits[:2].lower()
        if prefix in ("0x", "0o", "0b"):
            return sign * int(digits[2:], {"0x": 16, "0o": 8, "0b": 2}[prefix])
        return sign * (int(digits, 8) if len(digits) > 1 and digits[0] == "0" else int(digits))
    if _YAML_FLOAT.fullmatch(text):
        return float(text)
    if _TIMESTAMP.fullmatch(text):
        return Timestamp(text)
    return text


# yaml.v3's timestamp forms: 2006-1-2, 2006-1-2T15:4:5.999999999Z07:00 (t or a space for T)
_TIMESTAMP = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|z|[-+]\d{2}:\d{2})?)?"
)
_MAP_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map"})
_SEQ_TAGS = frozenset({None, "!", "tag:yaml.org,2002:seq"})


_WRAPPERS: dict[str, type[Reset] | type[Override]] = {"!reset": Reset, "!override": Override}


@dataclass(frozen=True)
class Document:
    """One parsed YAML document: its tree and where every value and key came from."""

    data: Any
    positions: Mapping[Path, Position]
    file: str
    key_positions: Mapping[Path, Position] = field(default_factory=dict)

    def position_of(self, path: Path) -> Position | None:
        """Position of the value at ``path``, else of its nearest recorded ancestor."""
        return nearest_position(self.positions, path)


def nearest_position(positions: Mapping[Path, Position], path: Path) -> Position | None:
    """Where ``path`` starts, else where its nearest recorded ancestor starts."""
    for n in range(len(path), -1, -1):
        pos = positions.get(path[:n])
        if pos is not None:
            return pos
    return None


def parse_yaml(text: str | bytes, file: str) -> Document:
    """Parse a single-document Compose file; several ``---`` documents are an error."""
    docs = parse_yaml_all(text, file)
    if len(docs) > 1:
        pos = docs[1].positions.get(())
        raise ConfigError(
            f"{file} holds {len(docs)} YAML documents, expected one",
            position=pos,
            hint="merge them into one document or pass each as its own -f file",
        )
    return docs[0]


def parse_yaml_all(text: str | bytes, file: str, *, allow_empty: bool = False) -> list[Document]:
    """Parse every ``---`` document of a file (Compose v2 merges them in order).

    With ``allow_empty`` (one file among several, as Compose allows), a file with no content is
    no documents rather than an error.
    """
    source = _decode(text, file)
    builder = _Builder(_Loader(source), file)
    docs = list(builder.documents())
    if allow_empty:
        docs = [doc for doc in docs if doc.data is not None]
        if not docs:
            return []
    if not docs:
        raise ConfigError(
            "empty compose file", position=Position(file, 1, 1), hint="add at least a `services:` section"
        )
    for doc in docs:
        if doc.data is None:
            raise ConfigError(
                "empty compose file",
                position=doc.positions.get((), Position(file, 1, 1)),
                hint="add at least a `services:` section",
            )
        if not isinstance(doc.data, dict):
            raise ConfigError(
                f"top level of a compose file must be a mapping, got {_kind(doc.data)}",
                position=doc.positions.get(()),
                hint="a compose file starts with keys such as `services:`",
            )
    return docs


def _decode(text: str | bytes, file: str) -> str:
    if len(text) > MAX_BYTES:
        raise ConfigError(
            f"file is too large ({len(text)} bytes, limit {MAX_BYTES})",
            position=Position(file, 1, 1),
            hint="a compose file this big is almost certainly not one",
        )
    if isinstance(text, str):
        return text.removeprefix("\ufeff")
    try:
        return text.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = text[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ConfigError(
            f"invalid UTF-8 at byte offset {exc.start}",
            position=Position(file, line, col),
            hint="save the file as UTF-8",
        ) from None


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "a string" if isinstance(value, str) else type(value).__name__


@dataclass
class _Anchor:
    value: Any
    size: int
    path: Path
    log_start: int
    log_end: int


@dataclass
class _Frame:
    """A mapping or sequence being built."""

    path: Path
    container: dict[str, Any] | list[Any]
    anchor: str | None
    wrap: type[Reset] | type[Override] | None
    log_start: int
    size: int = 1
    # mapping state: the key waiting for its value
    key: str | None = None
    key_line: int = 0
    key_is_merge: bool = False
    seen: dict[str, int] = field(default_factory=dict)
    # `<<` values: (value, first and past-last log index of their entries, mark of the key)
    merges: list[tuple[Any, int, int, Any]] = field(default_factory=list)
    merge_log_start: int = 0
    merge_mark: Any = None


class _Builder:
    """Turns the event stream into documents; one instance per file."""

    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader = loader
        self.file = file
        # (path or None when dropped, position, is_key); a log rather than a dict so the
        # entries of an anchored subtree are one contiguous slice we can relocate.
        self.log: list[tuple[Path | None, Position, bool]] = []
        self.anchors: dict[str, _Anchor] = {}
        self.nodes = 0
        self.alias_nodes = 0

    def pos(self, mark: Any) -> Position:
        return Position(self.file, mark.line + 1, mark.column + 1)

    def fail(self, message: str, mark: Any, hint: str | None = None, path: Path = ()) -> ConfigError:
        return ConfigError(message, position=self.pos(mark), hint=hint, path=format_path(path) or None)

    def events(self) -> Iterator[ev.Event]:
        try:
            while self.loader.check_event():
                yield self.loader.get_event()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or "invalid YAML"
            if "nesting depth" in problem or "max flow level" in problem:
                # newer libyaml stops deep nesting itself, before our own depth check sees it
                raise self.fail(_DEPTH_MESSAGE, mark, hint=_DEPTH_HINT) from None
            context = f" ({exc.context})" if exc.context else ""
            raise ConfigError(
                f"YAML syntax error: {problem}{context}",
                position=self.pos(mark) if mark is not None else Position(self.file, 1, 1),
                hint="check the indentation and quoting on this line and the one before",
            ) from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"YAML error: {exc}", position=Position(self.file, 1, 1)) from None
        finally:
            self.loader.dispose()

    def documents(self) -> Iterator[Document]:
        stream = self.events()
        for event in stream:
            if isinstance(event, ev.DocumentStartEvent):
                self.log, self.anchors, self.nodes, self.alias_nodes = [], {}, 0, 0
                data = self.document(stream, event)
                positions: dict[Path, Position] = {}
                keys: dict[Path, Position] = {}
                for path, position, is_key in self.log:
                    if path is not None:
                        (keys if is_key else positions)[path] = position
                yield Document(data, positions, self.file, keys)

    def document(self, stream: Iterator[ev.Event], start: ev.Event) -> Any:
        stack: list[_Frame] = []
        root: list[Any] = []
        root_pos = self.pos(start.start_mark)
        for event in stream:
            if isinstance(event, ev.DocumentEndEvent):
                if not root:
                    self.log.append(((), root_pos, False))
                    return None
                return root[0]
            if isinstance(event, ev.MappingEndEvent | ev.SequenceEndEvent):
                frame = stack.pop()
                value: Any = frame.container
                if isinstance(value, dict) and frame.merges:
                    self.apply_merges(frame)
                    value = frame.container
                if frame.wrap is not None:
                    value = frame.wrap(value)
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = _Anchor(
                        value, frame.size, frame.path, frame.log_start, len(self.log)
                    )
                self.attach(stack, root, value, frame.size)
                continue
            if stack and isinstance(stack[-1].container, dict) and stack[-1].key is None:
                self.take_key(stack[-1], event)
                continue
            path = self.child_path(stack)
            if isinstance(event, ev.AliasEvent):
                self.expand_alias(stack, root, event, path)
            elif isinstance(event, ev.ScalarEvent):
                self.count(1, event, path)
                self.log.append((path, self.pos(event.start_mark), False))
                value = self.scalar(event, path)
                if event.anchor is not None:
                    self.anchors[event.anchor] = _Anchor(value, 1, path, len(self.log), len(self.log))
                self.attach(stack, root, value, 1)
            elif isinstance(event, ev.MappingStartEvent | ev.SequenceStartEvent):
                self.open(stack, event, path)
        raise AssertionError("event stream ended inside a document")  # PyYAML guarantees DocumentEnd

    def child_path(self, stack: list[_Frame]) -> Path:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        assert top.key is not None
        # merge sources get their own index so several `<<` entries never collide
        return (*top.path, "<<", len(top.merges)) if top.key_is_merge else (*top.path, top.key)

    def count(self, n: int, event: ev.Event, path: Path) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise self.fail(
                f"document expands to more than {MAX_NODES} nodes",
                event.start_mark,
                hint="aliases (*name) are expanded each time they are used; this looks like an alias bomb",
                path=path,
            )

    def open(self, stack: list[_Frame], event: ev.CollectionStartEvent, path: Path) -> None:
        if len(stack) >= MAX_DEPTH:
            raise self.fail(
                _DEPTH_MESSAGE, event.start_mark, hint=_DEPTH_HINT
            )
        is_map = isinstance(event, ev.MappingStartEvent)
        wrap = _WRAPPERS.get(event.tag or "")
        if wrap is None and event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
            raise self.fail(f"unknown tag {event.tag}", event.start_mark, _TAG_HINT, path)
        self.count(1, event, path)
        self.log.append((path, self.pos(event.start_mark), False))
        container: dict[str, Any] | list[Any] = {} if is_map else []
        stack.append(_Frame(path, container, event.anchor, wrap, len(self.log)))

    def attach(self, stack: list[_Frame], root: list[Any], value: Any, size: int) -> None:
        if not stack:
            root.append(value)
            return
        top = stack[-1]
        top.size += size
        if isinstance(top.container, list):
            top.container.append(value)
        elif top.key_is_merge:
            top.merges.append((value, top.merge_log_start, len(self.log), top.merge_mark))
            top.key, top.key_is_merge = None, False
        else:
            assert top.key is not None
            top.container[top.key] = value
            top.key = None

    def take_key(self, frame: _Frame, event: ev.Event) -> None:
        path = frame.path
        if isinstance(event, ev.AliasEvent):
            anchor = self.anchors.get(event.anchor or "")
            if anchor is None:
                raise self.fail(f"unknown alias *{event.anchor}", event.start_mark, path=path)
            key: Any = anchor.value
        elif isinstance(event, ev.ScalarEvent):
            if event.tag is None and self.resolve_tag(event) == _MERGE_TAG:
                frame.key, frame.key_is_merge = "<<", True
                frame.merge_log_start, frame.merge_mark = len(self.log), event.start_mark
                return
            key = self.scalar(event, path)
            if event.anchor is not None:
                self.anchors[event.anchor] = _Anchor(key, 1, path, len(self.log), len(self.log))
        else:
            raise self.fail(
                "complex mapping keys are not supported", event.start_mark, "keys must be plain strings", path
            )
        if not isinstance(key, str):
            source = event.value if isinstance(event, ev.ScalarEvent) else f"*{event.anchor}"
            raise self.fail(
                f"mapping key {source} is read as {_kind(key)} ({_yaml_repr(key)}), not a string",
                event.start_mark,
                hint=f'quote it: "{source}"',
                path=path,
            )
        if key in frame.seen:
            raise self.fail(
                f'duplicate key "{key}" (first defined on line {frame.seen[key]})',
                event.start_mark,
                hint="remove one of them: YAML would silently keep only the last",
                path=(*path, key),
            )
        frame.seen[key] = self.pos(event.start_mark).line
        frame.key = key
        self.log.append(((*path, key), self.pos(event.start_mark), True))

    def expand_alias(self, stack: list[_Frame], root: list[Any], event: ev.AliasEvent, path: Path) -> None:
        name = event.anchor or ""
        anchor = self.anchors.get(name)
        if anchor is None:
            if any(frame.anchor == name for frame in stack):
                raise self.fail(f"alias *{name} refers to itself", event.start_mark, _ALIAS_HINT, path)
            raise self.fail(f"unknown alias *{name}", event.start_mark, "define &" + name + " before", path)
        # counted before copying: an alias bomb fails here, not after building the tree
        self.alias_nodes += anchor.size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise self.fail(
                f"aliases expand to more than {MAX_ALIAS_NODES} nodes",
                event.start_mark,
                hint="each use of *name copies the anchored value; this looks like an alias bomb",
                path=path,
            )
        self.count(anchor.size, event, path)
        self.log.append((path, self.pos(event.start_mark), False))
        cut = len(anchor.path)
        for old, position, is_key in self.log[anchor.log_start : anchor.log_end]:
            if old is not None:
                self.log.append(((*path, *old[cut:]), position, is_key))
        self.attach(stack, root, _copy(anchor.value), anchor.size)

    def resolve_tag(self, event: ev.ScalarEvent) -> str:
        if event.tag is None or event.tag == "!":
            return str(self.loader.resolve(yaml.ScalarNode, event.value, event.implicit))
        return event.tag

    def scalar(self, event: ev.ScalarEvent, path: Path) -> Any:
        wrap = _WRAPPERS.get(event.tag or "")
        if wrap is Override:
            # compose-go reads a tagged scalar as its text: `!override 1000` is "1000" (a cast, as
            # for an interpolated value, makes it a number again where the field wants one)
            return Override(event.value)
        if wrap is not None:
            # the wrapped value resolves as if untagged: `!reset` alone is null = reset to empty
            plain = not event.style  # C parser reports plain as "", Python parser as None
            tag = str(self.loader.resolve(yaml.ScalarNode, event.value, (plain, True)))
        elif event.tag in (None, "!") and event.implicit[0]:
            return resolve_plain(event.value)
        else:
            tag = self.resolve_tag(event)
        if tag == _TIMESTAMP_TAG:
            value: Any = event.value
        elif tag in _PLAIN_SCALAR_TAGS:
            node = yaml.ScalarNode(tag, event.value, None, None, event.style)
            try:
                value = self.loader.yaml_constructors[tag](self.loader, node)
            except (ValueError, KeyError, TypeError):
                raise self.fail(
                    f"cannot read {event.value!r} as {event.tag}", event.start_mark, path=path
                ) from None
        else:
            raise self.fail(f"unknown tag {event.tag}", event.start_mark, _TAG_HINT, path)
        return wrap(value) if wrap is not None else value

    def apply_merges(self, frame: _Frame) -> None:
        """YAML merge keys: explicit keys win, then earlier merge sources over later ones."""
        target = frame.container
        assert isinstance(target, dict)
        merged: dict[str, Any] = {}
        for index, (value, start, end, mark) in enumerate(frame.merges):
            base = (*frame.path, "<<", index)
            sources = [(value, base)] if isinstance(value, dict) else None
            if isinstance(value, list) and all(isinstance(v, dict) for v in value):
                sources = [(v, (*base, i)) for i, v in enumerate(value)]
            if sources is None:
                raise self.fail(
                    "the merge key << needs a mapping or a list of mappings",
                    mark,
                    hint="write `<<: *anchor` or `<<: [*a, *b]`",
                    path=frame.path,
                )
            for source, prefix in reversed(sources):
                taken = {k for k in source if k not in target}
                merged.update((k, source[k]) for k in taken)
                self.relocate(start, end, prefix, frame.path, taken)
            for i in range(start, end):
                self.log[i] = (None, self.log[i][1], self.log[i][2])
        frame.container = {**merged, **target}

    def relocate(self, start: int, end: int, prefix: Path, dest: Path, keys: set[str]) -> None:
        cut = len(prefix)
        for old, position, is_key in self.log[start:end]:
            if old is not None and len(old) > cut and old[:cut] == prefix and old[cut] in keys:
                self.log.append(((*dest, *old[cut:]), position, is_key))


_TAG_HINT = "Compose knows only the !reset and !override tags"
_ALIAS_HINT = "an anchor cannot contain an alias to itself"


def _yaml_repr(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _copy(value: Any) -> Any:
    """Copy an aliased subtree so later stages may mutate each use independently."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, Reset | Override):
        return type(value)(_copy(value.value))
    return value
