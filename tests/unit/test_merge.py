from __future__ import annotations

from compose_lite.loader.merge import enforce_unicity, merge, strip_tags
from compose_lite.loader.tags import Override, Reset


def _web(**fields: object) -> dict[str, object]:
    return {"services": {"web": fields}}


def test_maps_merge_lists_append_scalars_replace() -> None:
    out = merge(_web(image="a", environment={"A": "1"}, cap_add=["X"]),
                _web(image="b", environment={"B": "2"}, cap_add=["Y"]))
    assert out == _web(image="b", environment={"A": "1", "B": "2"}, cap_add=["X", "Y"])


def test_command_is_replaced_not_appended() -> None:
    assert merge(_web(command=["a", "b"]), _web(command=["c"])) == _web(command=["c"])


def test_reset_removes_and_override_replaces() -> None:
    out = merge(_web(image="a", ports=[{"target": 80}], environment={"A": "1"}),
                _web(ports=Reset(None), environment=Override({"B": "2"})))
    assert out == _web(image="a", environment={"B": "2"})


def test_logging_with_another_driver_replaces_options() -> None:
    base = _web(logging={"driver": "syslog", "options": {"a": "1"}})
    assert merge(base, _web(logging={"driver": "json-file"})) == _web(logging={"driver": "json-file"})
    assert merge(base, _web(logging={"options": {"b": "2"}})) == _web(
        logging={"driver": "syslog", "options": {"a": "1", "b": "2"}}
    )


def test_null_network_entry_keeps_settings() -> None:
    out = merge(_web(networks={"n": {"aliases": ["x"]}}), _web(networks={"n": None}))
    assert out == _web(networks={"n": {"aliases": ["x"]}})


def test_unicity_keeps_one_entry_per_identity_last_wins() -> None:
    merged = merge(
        _web(ports=[{"target": 80, "published": "8080"}], volumes=[{"target": "/d", "source": "a"}]),
        _web(ports=[{"target": 80, "published": "8080", "host_ip": ""}, {"target": 81}],
             volumes=[{"target": "/d", "source": "b"}]),
    )
    out = enforce_unicity(merged)
    assert out == _web(
        ports=[{"target": 80, "published": "8080", "host_ip": ""}, {"target": 81}],
        volumes=[{"target": "/d", "source": "b"}],
    )


def test_strip_tags_in_a_single_file() -> None:
    assert strip_tags({"a": Reset(None), "b": Override([1])}) == {"b": [1]}
