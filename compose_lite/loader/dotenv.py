"""The ``.env`` dialect Docker Compose v2 reads (compose-go's dotenv package).

One statement per line: ``KEY=VALUE``, optionally prefixed by ``export``; ``KEY: VALUE``
is accepted too.  Blank lines and ``#`` lines are skipped.  Unquoted values end at the
line end or at `` #`` and are trimmed; single-quoted values are literal; double-quoted
values understand ``\\n \\t \\r \\" \\\\ \\$`` and friends; both quoted kinds may span
lines.  Unquoted and double-quoted values are interpolated (``$VAR``, ``${VAR:-d}``…)
looking first at ``lookup`` (the shell wins everywhere), then at keys defined earlier in
the same file.
A bare ``KEY`` takes its value from ``lookup`` and is left out when that has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from compose_lite.errors import ConfigError, Position
from compose_lite.loader import inputs
from compose_lite.loader.interpolate import substitute

Lookup = Callable[[str], str | None]

_KEY = re.compile(r"[A-Za-z0-9_.\-]+")
_BLANK = " \t\v\f\r"
# `\$` becomes `$$` so the interpolation step that follows keeps one literal `$`
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "$": "$$"}


def read_dotenv(path: str, lookup: Lookup | None = None,
                inherited: Mapping[str, str] | None = None) -> dict[str, str]:
    """Read and parse an env file; a missing or unreadable file is a ConfigError."""
    return parse_dotenv(_read(path), path, lookup, inherited)


def read_env_file_raw(path: str) -> dict[str, str]:
    """Read an env_file declared with ``format: raw``."""
    return parse_env_file_raw(_read(path), path)


def _read(path: str) -> str:
    try:
        data = inputs.read_bytes(path)
    except FileNotFoundError:
        raise ConfigError(f"env file {path} not found", hint="create it or fix the path") from None
    except OSError as exc:
        raise ConfigError(f"cannot read env file {path}: {exc.strerror}") from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            "invalid UTF-8", position=Position(path, line, 1), hint="save the file as UTF-8"
        ) from None


def parse_env_file_raw(text: str, file: str) -> dict[str, str]:
    """``KEY=VALUE`` lines taken literally: no quotes removed, no escapes, no interpolation."""
    out: dict[str, str] = {}
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not _KEY.fullmatch(key):
            raise ConfigError(
                f"invalid line {line.strip()!r}, expected KEY=VALUE", position=Position(file, number, 1)
            )
        out[key] = value
    return out


def parse_dotenv(text: str, file: str, lookup: Lookup | None = None,
                 inherited: Mapping[str, str] | None = None) -> dict[str, str]:
    """Parse env-file text; errors carry ``file:line``. A ``${VAR}`` asks ``lookup`` first, then
    the file's earlier lines, then ``inherited`` (what earlier env files of the service set)."""
    return _Parser(text.removeprefix("\ufeff"), file, lookup or (lambda _name: None), inherited or {}).parse()


class _Parser:
    def __init__(self, text: str, file: str, lookup: Lookup, inherited: Mapping[str, str]) -> None:
        self.text = text
        self.file = file
        self.lookup = lookup
        self.inherited = inherited
        self.i = 0
        self.out: dict[str, str] = {}

    def error(self, message: str, at: int, hint: str | None = None) -> ConfigError:
        line = self.text.count("\n", 0, at) + 1
        col = at - (self.text.rfind("\n", 0, at) + 1) + 1
        return ConfigError(message, position=Position(self.file, line, col), hint=hint)

    def parse(self) -> dict[str, str]:
        text = self.text
        while True:
            while self.i < len(text) and text[self.i].isspace():
                self.i += 1
            if self.i >= len(text):
                return self.out
            if text[self.i] in "#=":  # comments, and `=value` lines with no name, are skipped
                self.skip_line()
                continue
            self.statement()

    def skip_line(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end + 1

    def skip_blanks(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in _BLANK:
            self.i += 1

    def statement(self) -> None:
        text = self.text
        if re.match(r"export[ \t]", text[self.i :]):
            self.i += len("export")
            self.skip_blanks()
        start = self.i
        match = _KEY.match(text, self.i)
        if match is None:
            raise self.error(f"unexpected character {text[self.i]!r} in variable name", self.i)
        key = match.group()
        self.i = match.end()
        self.skip_blanks()
        following = text[self.i : self.i + 1]
        if following in ("", "\n"):
            value = self.lookup(key)  # bare KEY: inherited from the environment, if there
            if value is not None:
                self.out[key] = value
            return
        if following not in ("=", ":"):
            if following.isspace() or _KEY.match(following):
                raise self.error("key cannot contain a space", start, hint="write KEY=VALUE")
            raise self.error(f"unexpected character {following!r} in variable name", self.i)
        self.i += 1
        self.skip_blanks()
        self.out[key] = self.value()

    def value(self) -> str:
        quote = self.text[self.i : self.i + 1]
        if quote in ("'", '"'):
            return self.quoted(quote)
        start = self.i
        end = self.text.find("\n", start)
        end = len(self.text) if end < 0 else end
        raw = self.text[start:end].split(" #", 1)[0].rstrip()
        self.i = end
        return self.expand(raw, start)

    def quoted(self, quote: str) -> str:
        start = self.i
        chars: list[str] = []
        i = start + 1
        text = self.text
        while i < len(text):
            char = text[i]
            if char == "\\" and i + 1 < len(text):
                escaped = text[i + 1]
                octal = re.match(r"0[0-7]{1,3}", text[i + 1 : i + 5]) if quote == '"' else None
                if octal:  # \0NNN, an octal byte
                    chars.append(chr(int(octal.group(), 8)))
                    i += 1 + len(octal.group())
                    continue
                if quote == '"':
                    # known escapes are decoded; an unknown one keeps its backslash (C:\path)
                    chars.append(_ESCAPES.get(escaped, "\\" + escaped if escaped not in '"\\' else escaped))
                else:
                    chars.append("'" if escaped == "'" else char + escaped)
                i += 2
                continue
            if char == quote:
                self.i = i + 1
                self.after_quote()
                value = "".join(chars)
                return self.expand(value, start) if quote == '"' else value
            chars.append(char)
            i += 1
        line_end = text.find("\n", start)
        shown = text[start : line_end if line_end >= 0 else len(text)]
        raise self.error(f"unterminated quoted value {shown}", start, hint=f"close it with {quote}")

    def after_quote(self) -> None:
        """Whatever follows the closing quote on its line is ignored, as Compose does."""
        self.skip_line()

    def expand(self, value: str, at: int) -> str:
        def lookup(name: str) -> str | None:
            # compose-go asks the caller's lookup (the shell) first, then the map the service's
            # env files fill in turn: this file's earlier lines over the earlier files'
            found = self.lookup(name)
            if found is None:
                found = self.out.get(name)
            return found if found is not None else self.inherited.get(name)

        try:
            return substitute(value, lookup)
        except ConfigError as exc:
            raise self.error(exc.message, at, exc.hint) from None
