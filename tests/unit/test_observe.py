from __future__ import annotations

from compose_lite import labels as L
from compose_lite import observe
from compose_lite.engine.fake import FakeEngine
from compose_lite.model import Service
from compose_lite.state import ContainerSpec


def _engine() -> FakeEngine:
    engine = FakeEngine(images={"img": "sha256:1"})
    for service, number, oneoff in (("web", 2, False), ("web", 1, False), ("db", 1, False), ("web", 1, True)):
        name = f"p-{service}-{'run-x' if oneoff else number}"
        labels = {L.PROJECT: "p", L.SERVICE: service, L.NUMBER: str(number), L.ONEOFF: str(oneoff)}
        engine.create_container(ContainerSpec(name, Service(service), number, "img", labels))
    engine.start_container("p-web-2")
    return engine


def test_a_projects_containers_by_service_number_and_the_ways_commands_narrow_them() -> None:
    engine = _engine()
    assert [c.name for c in observe.containers(engine, "p")] == ["p-db-1", "p-web-1", "p-web-2"]
    assert [c.name for c in observe.containers(engine, "p", services=("web",), number=2)] == ["p-web-2"]
    assert [c.name for c in observe.containers(engine, "p", states=("running",))] == ["p-web-2"]
    assert [c.name for c in observe.containers(engine, "p", oneoff=True)] == ["p-web-run-x"]
    assert len(observe.containers(engine, "p", oneoff=None)) == 4
    assert observe.containers(engine, "other") == []
