from __future__ import annotations

from compose_lite.hashing import changed_paths, service_fields, service_hash
from compose_lite.model import Build, DependsOn, Service


def test_hash_ignores_key_order() -> None:
    a = Service("web", image="x", environment={"A": "1", "B": "2"})
    b = Service("web", image="x", environment={"B": "2", "A": "1"})
    assert service_hash(a) == service_hash(b)


def test_hash_ignores_non_container_fields() -> None:
    base = Service("web", image="x")
    other = Service("web", image="x", depends_on=(DependsOn("db"),), scale=3, profiles=("dev",),
                    build=Build(context="/c"), pull_policy="always", watch_bind_mounts=False)
    assert service_hash(base) == service_hash(other)


def test_hash_changes_with_container_fields() -> None:
    assert service_hash(Service("web", image="x")) != service_hash(Service("web", image="y"))
    assert service_hash(Service("web", image="x")) != service_hash(
        Service("web", image="x", environment={"DEBUG": "1"}))


def test_hash_is_a_sha256_hex() -> None:
    assert len(service_hash(Service("web", image="x"))) == 64


def test_changed_paths_name_the_leaf() -> None:
    old = service_fields(Service("web", image="x", environment={"DEBUG": "0", "A": "1"}))
    new = service_fields(Service("web", image="x", environment={"DEBUG": "1", "A": "1"}, tty=True))
    assert changed_paths(old, new) == ["environment.DEBUG", "tty"]
    assert changed_paths(old, old) == []
