from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compose_lite.errors import ConfigError, Position
from compose_lite.loader.parse import (
    MAX_DEPTH,
    Override,
    Reset,
    parse_yaml,
    parse_yaml_all,
)

F = "compose.yaml"


def error(text: str | bytes) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_yaml(text, F)
    return info.value


def test_plain_scalars_follow_compose_v2_yaml_1_2_rules() -> None:
    text = (
        "a: yes\nb: 'on'\nc: 22:22\nd: 0o17\ne: 1.5\nf: ~\ng: 010\nh: .inf\ni: 2001-12-14\n"
        "j: no\nk: True\nl: 0x1F\nm: 1_000\nn: -12\no: 1e3\np: 'true'\nq: !!str 5\n"
    )
    assert parse_yaml(text, F).data == {
        "a": "yes", "b": "on", "c": "22:22", "d": 15, "e": 1.5, "f": None, "g": 8, "h": float("inf"),
        "i": "2001-12-14", "j": "no", "k": True, "l": 31, "m": 1000, "n": -12, "o": 1000.0,
        "p": "true", "q": "5",
    }


def test_restart_no_and_on_key_are_strings_as_in_compose_v2() -> None:
    assert parse_yaml("services:\n  a:\n    restart: no\non: push\n", F).data == {
        "services": {"a": {"restart": "no"}},
        "on": "push",
    }


def test_value_and_key_positions() -> None:
    doc = parse_yaml("services:\n  web:\n    ports:\n      - '80:80'\n    image: nginx\n", F)
    assert doc.positions[()] == Position(F, 1, 1)
    assert doc.positions[("services", "web", "ports", 0)] == Position(F, 4, 9)
    assert doc.positions[("services", "web", "image")] == Position(F, 5, 12)
    assert doc.key_positions[("services", "web", "image")] == Position(F, 5, 5)
    assert doc.position_of(("services", "web", "image", "nope")) == Position(F, 5, 12)


def test_merge_keys_explicit_wins_and_earlier_source_wins() -> None:
    text = (
        "x-a: &a {image: a, user: a}\n"
        "x-b: &b {image: b, user: b, init: true}\n"
        "services:\n"
        "  web:\n"
        "    <<: [*a, *b]\n"
        "    image: mine\n"
    )
    doc = parse_yaml(text, F)
    assert doc.data["services"]["web"] == {"image": "mine", "user": "a", "init": True}
    # merged values point at where they are written, explicit ones at the service
    assert doc.positions[("services", "web", "user")] == Position(F, 1, 26)
    assert doc.positions[("services", "web", "init")] == Position(F, 2, 35)
    assert doc.positions[("services", "web", "image")] == Position(F, 6, 12)
    assert not any("<<" in path for path in doc.positions)


def test_single_inline_merge() -> None:
    doc = parse_yaml("a:\n  <<: {x: 1, y: 2}\n  y: 3\n", F)
    assert doc.data == {"a": {"x": 1, "y": 3}}


def test_alias_values_are_independent_copies() -> None:
    doc = parse_yaml("a: &x {k: [1]}\nb: *x\n", F)
    assert doc.data["a"] == doc.data["b"]
    assert doc.data["a"] is not doc.data["b"]
    assert doc.positions[("b", "k", 0)] == Position(F, 1, 12)
    assert doc.positions[("b",)] == Position(F, 2, 4)


def test_reset_and_override_tags() -> None:
    doc = parse_yaml("a: !reset\nb: !reset []\nc: !override {x: 1}\nd: !override '5'\n", F)
    assert doc.data == {"a": Reset(None), "b": Reset([]), "c": Override({"x": 1}), "d": Override("5")}


def test_unknown_tag() -> None:
    err = error("a: !custom 1\n")
    assert err.message == "unknown tag !custom"
    assert err.position == Position(F, 1, 4)
    assert err.hint == "Compose knows only the !reset and !override tags"


def test_syntax_error_position() -> None:
    err = error("services:\n  web:\n    image: a\n   bad: [\n")
    assert err.message.startswith("YAML syntax error: ")
    assert err.position is not None and err.position.line >= 4


def test_mapping_values_not_allowed() -> None:
    err = error("a: b: c\n")
    assert err.message == "YAML syntax error: mapping values are not allowed in this context"
    assert err.position == Position(F, 1, 5)


def test_duplicate_key_names_both_lines() -> None:
    err = error("services:\n  web:\n    image: a\n    image: b\n")
    assert err.message == 'duplicate key "image" (first defined on line 3)'
    assert err.position == Position(F, 4, 5)
    assert err.path == "services.web.image"


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("true: push\n", "mapping key true is read as a boolean (true), not a string", 'quote it: "true"'),
        ("1: x\n", "mapping key 1 is read as a number (1), not a string", 'quote it: "1"'),
        ("~: x\n", "mapping key ~ is read as NoneType (null), not a string", 'quote it: "~"'),
    ],
)
def test_non_string_keys(text: str, message: str, hint: str) -> None:
    err = error(text)
    assert (err.message, err.hint, err.position) == (message, hint, Position(F, 1, 1))


def test_quoted_keys_are_fine() -> None:
    assert parse_yaml("'on': 1\n\"1\": 2\n", F).data == {"on": 1, "1": 2}


def test_complex_key() -> None:
    assert error("? [a]\n: 1\n").message == "complex mapping keys are not supported"


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "---\n"])
def test_empty_file(text: str) -> None:
    err = error(text)
    assert err.message == "empty compose file"
    assert err.hint == "add at least a `services:` section"


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n", "a list"), ("hello\n", "a string"), ("3\n", "a number")]
)
def test_top_level_must_be_mapping(text: str, kind: str) -> None:
    assert error(text).message == f"top level of a compose file must be a mapping, got {kind}"


def test_invalid_utf8_reports_line() -> None:
    err = error(b"a: 1\nb: \xff\xfe\n")
    assert err.message == "invalid UTF-8 at byte offset 8"
    assert err.position == Position(F, 2, 4)


def test_bytes_with_bom() -> None:
    assert parse_yaml("\ufeffa: 1\n".encode(), F).data == {"a": 1}


def test_multiple_documents() -> None:
    text = "a: 1\n---\nb: 2\n"
    err = error(text)
    assert err.message == "compose.yaml holds 2 YAML documents, expected one"
    assert err.position == Position(F, 3, 1)
    docs = parse_yaml_all(text, F)
    assert [d.data for d in docs] == [{"a": 1}, {"b": 2}]
    assert docs[1].positions[("b",)] == Position(F, 3, 4)


def test_anchors_do_not_cross_documents() -> None:
    with pytest.raises(ConfigError) as info:
        parse_yaml_all("a: &x 1\n---\nb: *x\n", F)
    assert info.value.message == "unknown alias *x"


def test_recursive_alias() -> None:
    err = error("a: &a [1, *a]\n")
    assert err.message == "alias *a refers to itself"
    assert err.position == Position(F, 1, 11)


def test_merge_of_scalar_is_an_error() -> None:
    assert error("a:\n  <<: 1\n").message == "the merge key << needs a mapping or a list of mappings"


LAUGHS = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.timeout(5)
def test_billion_laughs_fails_fast() -> None:
    assert len(LAUGHS) < 400
    err = error(LAUGHS)
    assert err.message == "aliases expand to more than 100000 nodes"


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 60_000 + "]" * 60_000,
        "a: " + "{x: " * 60_000 + "1" + "}" * 60_000,
        "a:\n" + "".join(" " * i + "- \n" for i in range(1000)),
    ],
)
@pytest.mark.timeout(5)
def test_deep_nesting_fails_fast(text: str) -> None:
    err = error(text)
    assert err.message == f"nesting is deeper than {MAX_DEPTH} levels"


def test_nesting_just_under_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    doc = parse_yaml("a: " + "[" * depth + "]" * depth, F)
    assert isinstance(doc.data["a"], list)


def test_huge_file_rejected_before_parsing() -> None:
    err = error("a: " + "x" * (32 * 1024 * 1024))
    assert err.message.startswith("file is too large")


# YAML forbids control characters and unpaired surrogates even inside quotes: leave them out.
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=8)
json_documents = st.dictionaries(printable, st.recursive(
    st.none() | st.booleans() | st.integers() | printable,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(printable, kids, max_size=3),
    max_leaves=15,
), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(json_documents)
def test_json_documents_read_back_unchanged(tree: dict[str, object]) -> None:
    # JSON is YAML 1.2, the version Compose v2 reads: every JSON document must come back as is.
    for indent in (None, 2):
        assert parse_yaml(json.dumps(tree, indent=indent, ensure_ascii=False), F).data == tree

