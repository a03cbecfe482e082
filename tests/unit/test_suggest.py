from __future__ import annotations

import pytest

from compose_lite.loader.suggest import closest, did_you_mean

SERVICE_KEYS = ["environment", "volumes", "ports", "pid", "image", "depends_on", "command", "restart"]


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("enviroment", "environment"),
        ("volumse", "volumes"),
        ("port", "ports"),
        ("depend_on", "depends_on"),
        ("comand", "command"),
        ("Environment", "environment"),
        ("IMAGE", "image"),
    ],
)
def test_closest_finds_plain_typos(typo: str, expected: str) -> None:
    assert closest(typo, SERVICE_KEYS) == expected


def test_closest_returns_none_for_unrelated_words() -> None:
    assert closest("xyz", SERVICE_KEYS) is None
    assert closest("networking_stuff", SERVICE_KEYS) is None
    assert closest("anything", []) is None


def test_closest_accepts_a_part_found_in_one_candidate_only() -> None:
    conditions = ["service_started", "service_healthy", "service_completed_successfully"]
    assert closest("healthy", conditions) == "service_healthy"
    # 'service' is in all three: no guess
    assert closest("service", conditions) is None
    # too short a part to mean anything
    assert closest("ed", ["started", "foo"]) is None


def test_did_you_mean_wording() -> None:
    assert did_you_mean("imgae", SERVICE_KEYS) == "did you mean 'image'?"
    assert did_you_mean("zzz", SERVICE_KEYS) is None
