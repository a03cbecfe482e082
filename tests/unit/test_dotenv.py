from __future__ import annotations

from pathlib import Path

import pytest

from compose_lite.errors import ConfigError, Position
from compose_lite.loader.dotenv import parse_dotenv, parse_env_file_raw, read_dotenv, read_env_file_raw

F = ".env"


def parse(text: str, env: dict[str, str] | None = None) -> dict[str, str]:
    return parse_dotenv(text, F, (env or {}).get)


def error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1", {"A": "1"}),
        ("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}),
        ("export A=1\n", {"A": "1"}),
        ("  A = spaced value  \n", {"A": "spaced value"}),
        ("A=\n", {"A": ""}),
        ("A: yaml style\n", {"A": "yaml style"}),
        ("\n\n# comment\n  # indented comment\nA=1\n", {"A": "1"}),
        ("A=value # comment\n", {"A": "value"}),
        ("A=value#not-a-comment\n", {"A": "value#not-a-comment"}),
        ("A=#start\n", {"A": "#start"}),
        ("A='single $B \\n'\n", {"A": "single $B \\n"}),
        ("A='it\\'s'\n", {"A": "it's"}),
        ('A="tab\\tnl\\nquote\\"back\\\\"\n', {"A": 'tab\tnl\nquote"back\\'}),
        ('A="a # kept"  # dropped\n', {"A": "a # kept"}),
        ('A="line1\nline2"\nB=2\n', {"A": "line1\nline2", "B": "2"}),
        ("A='line1\nline2'\n", {"A": "line1\nline2"}),
        ('A="\\$HOME"\n', {"A": "$HOME"}),
        ("A=$$HOME\n", {"A": "$HOME"}),
        ("A=1\nB=${A}2\nC=\"$A-$B\"\n", {"A": "1", "B": "12", "C": "1-12"}),
        ("B=${UNSET:-dflt}\n", {"B": "dflt"}),
        ("a.b-c=1\n", {"a.b-c": "1"}),
        ("\ufeffA=1\n", {"A": "1"}),
    ],
)
def test_parse(text: str, expected: dict[str, str]) -> None:
    assert parse(text) == expected


def test_expansion_prefers_lookup_then_earlier_keys() -> None:
    # the shell wins everywhere (Compose v2 checked: `B=from-file` then `C=${B}` gives the shell's B)
    assert parse("A=file\nB=$A/$HOME\n", {"A": "env", "HOME": "/root"}) == {"A": "file", "B": "env//root"}
    assert parse("A=file\nB=$A\n", {}) == {"A": "file", "B": "file"}


def test_bare_key_inherits_from_lookup_or_is_omitted() -> None:
    assert parse("SET\nUNSET\nexport ALSO\n", {"SET": "v", "ALSO": "w"}) == {"SET": "v", "ALSO": "w"}


def test_later_definition_wins() -> None:
    assert parse("A=1\nA=2\n") == {"A": "2"}


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("A=1\nB C=2\n", "key cannot contain a space", Position(F, 2, 1)),
        ("A=1\n$X=2\n", "unexpected character '$' in variable name", Position(F, 2, 1)),
        ("A=1\nB=\"open\n", 'unterminated quoted value "open', Position(F, 2, 3)),
        ("A=1\nB=${\n", 'invalid interpolation format: "${"', Position(F, 2, 3)),
        ("A=${X:?need X}\n", "required variable X is missing a value: need X", Position(F, 1, 3)),
    ],
)
def test_errors(text: str, message: str, position: Position) -> None:
    err = error(text)
    assert (err.message, err.position) == (message, position)


def test_read_dotenv(tmp_path: Path) -> None:
    path = tmp_path / "x.env"
    path.write_bytes(b"A=1\nB=${A}\n")
    assert read_dotenv(str(path)) == {"A": "1", "B": "1"}


def test_read_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.env")
    with pytest.raises(ConfigError) as info:
        read_dotenv(missing)
    assert info.value.message == f"env file {missing} not found"


def test_read_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.env"
    path.write_bytes(b"A=1\nB=\xff\n")
    with pytest.raises(ConfigError) as info:
        read_dotenv(str(path))
    assert info.value.position == Position(str(path), 2, 1)


def test_raw_format_is_literal(tmp_path: Path) -> None:
    text = "# comment\nA='quoted' $B # not a comment\n\nC=x=y\n"
    assert parse_env_file_raw(text, F) == {"A": "'quoted' $B # not a comment", "C": "x=y"}
    path = tmp_path / "raw.env"
    path.write_text(text)
    assert read_env_file_raw(str(path)) == parse_env_file_raw(text, F)


def test_raw_format_rejects_lines_without_equals() -> None:
    with pytest.raises(ConfigError) as info:
        parse_env_file_raw("A=1\njunk\n", F)
    assert info.value.message == "invalid line 'junk', expected KEY=VALUE"
    assert info.value.position == Position(F, 2, 1)


def test_compose_leniencies_text_after_quotes_unknown_and_octal_escapes_nameless_lines() -> None:
    # Docker Compose v2.40: text after a closing quote is ignored, an unknown escape keeps its
    # backslash (Windows paths), \0NNN is an octal byte, a line starting with `=` is skipped
    assert parse("A='x' y\nB=\"q\"z\nC=\"a\\cb\"\nD=\"x\\0101y\"\n=orphan\n") == {
        "A": "x", "B": "q", "C": "a\\cb", "D": "xAy"}
