from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compose_lite.errors import ConfigError, Position
from compose_lite.loader.interpolate import interpolate, substitute
from compose_lite.loader.parse import parse_yaml
from compose_lite.loader.tags import Override, Reset

ENV = {"A": "a", "EMPTY": "", "TAG": "1.2"}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("plain", "plain"),
        ("$A", "a"),
        ("${A}", "a"),
        ("$A$A", "aa"),
        ("x$A.y", "xa.y"),
        ("$$", "$"),
        ("$$A", "$A"),
        ("$${A}", "${A}"),
        ("a$$$A", "a$a"),
        ("${UNSET}", ""),
        ("$UNSET-x", "-x"),
        ("${UNSET:-def}", "def"),
        ("${EMPTY:-def}", "def"),
        ("${A:-def}", "a"),
        ("${UNSET-def}", "def"),
        ("${EMPTY-def}", ""),
        ("${A:+rep}", "rep"),
        ("${EMPTY:+rep}", ""),
        ("${UNSET:+rep}", ""),
        ("${EMPTY+rep}", "rep"),
        ("${UNSET+rep}", ""),
        ("${A:?err}", "a"),
        ("${EMPTY?err}", ""),
        ("${UNSET:-${A:-x}}", "a"),
        ("${UNSET:-${NOPE:-x}}", "x"),
        ("${UNSET:-$A/b}", "a/b"),
        ("${UNSET:-a:b-c}", "a:b-c"),
        ("${UNSET:-}}", "}"),
        ("${UNSET:-$$}", "$"),
        ("nginx:${TAG}-alpine", "nginx:1.2-alpine"),
        ("${a_1:-lower}", "lower"),
        # compose-go's brace counting: any `{` opens a level and hides the next character; an
        # unbalanced expression with an operator runs to the last `}` (values checked against it)
        ("${UNSET:-{}}", "{}"),
        ("${UNSET:-{b}c}d", "{b}cd"),
        ("${UNSET:-${NOPE:-{}}}", "{}"),
        ("x${UNSET:-a{b}", "xa{b"),
        ("${UNSET:+{}}x}", ""),
        ("${UNSET:-{{}}", "{{}"),
    ],
)
def test_substitute(template: str, expected: str) -> None:
    assert substitute(template, ENV.get) == expected


@pytest.mark.parametrize(
    "template", ["${", "${A", "${ A}", "${A }", "${A:x}", "${}", "${-x}", "$(x) ${", "${UNSET:-{$A}a${B}"]
)
def test_invalid_templates(template: str) -> None:
    with pytest.raises(ConfigError) as info:
        substitute(template, ENV.get)
    assert info.value.message == f'invalid interpolation format: "{template}"'
    assert info.value.hint == "write a literal $ as $$"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("${UNSET:?set it please}", "required variable UNSET is missing a value: set it please"),
        ("${EMPTY:?no empty}", "required variable EMPTY is missing a value: no empty"),
        ("${UNSET?}", "required variable UNSET is missing a value"),
        ("${UNSET:?need $A}", "required variable UNSET is missing a value: need a"),
    ],
)
def test_required(template: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        substitute(template, ENV.get)
    assert info.value.message == message


def test_unused_branch_errors_like_compose_go() -> None:
    # compose-go always evaluates the operator's argument
    with pytest.raises(ConfigError, match="required variable UNSET"):
        substitute("${A:-${UNSET:?x}}", ENV.get)


def test_unset_names_reported_only_for_taken_branch() -> None:
    unset: list[str] = []
    assert substitute("${A:-$X} $Y ${UNSET:-$Z}", ENV.get, unset=unset) == "a  "
    assert unset == ["Y", "Z"]


def test_interpolate_tree_positions_and_warnings() -> None:
    doc = parse_yaml(
        "services:\n  web:\n    image: nginx:${TAG}\n    command: [echo, $$HOME, $MISSING]\n"
        "    environment:\n      $KEY: ${A}\n    ports: [80]\n",
        "c.yaml",
    )
    result = interpolate(doc.data, ENV.get, positions=doc.positions, file=doc.file)
    web = result.data["services"]["web"]
    assert web == {
        "image": "nginx:1.2",
        "command": ["echo", "$HOME", ""],
        "environment": {"$KEY": "a"},  # keys are never interpolated
        "ports": [80],
    }
    assert [(str(w), w.path) for w in result.warnings] == [
        (
            'c.yaml:4:29: services.web.command[2]: The "MISSING" variable is not set. '
            "Defaulting to a blank string.",
            "services.web.command[2]",
        )
    ]
    assert doc.data["services"]["web"]["image"] == "nginx:${TAG}"  # input untouched


@pytest.mark.parametrize(
    ("template", "expected"),
    [("$1", "$1"), ("a$", "a$"), ("$ x", "$ x"),
     ("i=$((i+1)); echo $(hostname)", "i=$((i+1)); echo $(hostname)"), ("100%$", "100%$"),
     ("pa$ word", "pa$ word"), ("$-$.$A", "$-$.a"), ("$}", "$}")],
)
def test_dollar_before_anything_but_name_brace_or_dollar_is_literal(template: str, expected: str) -> None:
    # compose-go's template pattern only matches `$$`, `$name` and `${`; any other `$` is text
    assert substitute(template, ENV.get) == expected


def test_interpolate_invalid_points_at_value() -> None:
    doc = parse_yaml("services:\n  x:\n    y: echo ${1}\n", "c.yaml")
    with pytest.raises(ConfigError) as info:
        interpolate(doc.data, ENV.get, positions=doc.positions, file=doc.file)
    err = info.value
    assert err.message == 'invalid interpolation format for services.x.y: "echo ${1}"'
    assert err.position == Position("c.yaml", 3, 8)
    assert err.hint == "write a literal $ as $$"


def test_interpolate_required_points_at_value() -> None:
    doc = parse_yaml("services:\n  x:\n    image: ${IMG:?pick an image}\n", "c.yaml")
    with pytest.raises(ConfigError) as info:
        interpolate(doc.data, ENV.get, positions=doc.positions)
    assert str(info.value) == (
        "c.yaml:3:12: services.x.image: required variable IMG is missing a value: pick an image"
    )


def test_interpolate_without_positions_uses_file() -> None:
    with pytest.raises(ConfigError) as info:
        interpolate({"a": ["${"]}, ENV.get, file="f.yaml")
    assert info.value.position == Position("f.yaml", 1, 1)
    assert info.value.message == 'invalid interpolation format for a[0]: "${"'


def test_interpolate_inside_wrappers() -> None:
    data = {"a": Reset(["$A"]), "b": Override({"k": "${TAG}"}), "c": Reset(None)}
    expected = {"a": Reset(["a"]), "b": Override({"k": "1.2"}), "c": Reset(None)}
    assert interpolate(data, ENV.get).data == expected


@given(st.text().filter(lambda s: "$" not in s))
def test_no_dollar_is_unchanged(text: str) -> None:
    assert substitute(text, ENV.get) == text


@given(st.text())
def test_escaped_dollars_round_trip(text: str) -> None:
    assert substitute(text.replace("$", "$$"), ENV.get) == text


@given(st.text(alphabet="$:{}-+?_Aab1 ", max_size=20))
def test_random_templates_substitute_or_raise_config_error(template: str) -> None:
    try:
        result = substitute(template, ENV.get)
    except ConfigError:
        return
    assert isinstance(result, str)
