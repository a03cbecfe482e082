from __future__ import annotations

from compose_lite.loader.profiles import all_profiles, is_enabled, split_by_profiles


def test_services_without_profiles_are_always_enabled() -> None:
    assert is_enabled({}, [])
    assert not is_enabled({"profiles": ["debug"]}, [])
    assert is_enabled({"profiles": ["debug"]}, ["debug"])
    assert is_enabled({"profiles": ["debug"]}, ["*"])


def test_split_and_list() -> None:
    services = {"a": {}, "b": {"profiles": ["x"]}, "c": {"profiles": ["y", "x"]}}
    enabled, disabled = split_by_profiles(services, ["y"])
    assert list(enabled) == ["a", "c"]
    assert list(disabled) == ["b"]
    assert all_profiles(services) == ["x", "y"]
