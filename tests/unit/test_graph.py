from __future__ import annotations

import pytest

from compose_lite.errors import ConfigError, NotFoundError
from compose_lite.graph import check_acyclic, dependencies, dependents, order, select
from compose_lite.model import DependsOn, Project, Service

DEPS = {"front": frozenset({"back"}), "back": frozenset({"db", "cache"}),
        "db": frozenset(), "cache": frozenset(), "tool": frozenset()}


def test_order_puts_dependencies_first_and_is_stable() -> None:
    assert order(DEPS) == ["cache", "db", "tool", "back", "front"]


def test_cycle_is_reported_as_a_path() -> None:
    with pytest.raises(ConfigError) as info:
        check_acyclic({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"})})
    assert info.value.message == "dependency cycle between services: a -> b -> c -> a"


def test_select_with_and_without_dependencies() -> None:
    assert select(DEPS, ["front"]) == {"front", "back", "db", "cache"}
    assert select(DEPS, ["front"], with_deps=False) == {"front"}


def test_select_unknown_service_suggests() -> None:
    with pytest.raises(NotFoundError) as info:
        select(DEPS, ["frnt"])
    assert info.value.message == "no such service: frnt"
    assert info.value.hint == "did you mean 'front'?"


def test_dependents_are_transitive() -> None:
    assert dependents(DEPS, "db") == {"back", "front"}


def test_dependencies_include_service_refs_and_skip_absent_services() -> None:
    project = Project("p", "/w", services={
        "a": Service("a", depends_on=(DependsOn("b"), DependsOn("gone", required=False))),
        "b": Service("b", network_mode="service:c"),
        "c": Service("c"),
    })
    assert dependencies(project) == {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset()}
