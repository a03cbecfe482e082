from __future__ import annotations

from compose_lite import labels as L
from compose_lite.engine.fake import FakeEngine
from compose_lite.labelled_project import project_from_labels
from compose_lite.model import Condition, DependsOn, Network, Service, Volume
from compose_lite.state import ContainerSpec


def _container(engine: FakeEngine, service: str, number: int, image: str, depends_on: str = "") -> None:
    # As Compose does, the image label holds the image id; the container is created from the name.
    labels = {L.PROJECT: "shop", L.SERVICE: service, L.NUMBER: str(number), L.ONEOFF: "False",
              L.IMAGE: engine.images[image], L.DEPENDS_ON: depends_on, L.WORKING_DIR: "/srv/shop"}
    spec = ContainerSpec(f"shop-{service}-{number}", Service(service), number, image, labels)
    engine.create_container(spec)


def test_services_dependencies_networks_and_volumes_come_from_labels() -> None:
    engine = FakeEngine(images={"img-web": "sha256:1", "shop-db": "sha256:2"})
    _container(engine, "db", 1, "shop-db")
    _container(engine, "web", 1, "img-web", "db:service_healthy:true,gone:service_started:false")
    _container(engine, "web", 2, "img-web", "db:service_healthy:true")
    engine.networks["shop_back"] = {L.PROJECT: "shop", L.NETWORK: "back"}
    engine.volumes["shop_data"] = {L.PROJECT: "shop", L.VOLUME: "data"}

    project = project_from_labels("shop", engine)

    assert project is not None
    assert project.working_dir == "/srv/shop"
    assert sorted(project.services) == ["db", "web"]
    assert project.services["web"].image == "img-web"
    assert project.services["db"].image is None  # built as shop-db: stands for `build:`
    # the dependency on a service with no containers left is dropped: nothing to order against
    assert project.services["web"].depends_on == (DependsOn("db", Condition.HEALTHY, restart=True),)
    assert project.networks == {"back": Network("back", "shop_back")}
    assert project.volumes == {"data": Volume("data", "shop_data")}


def test_nothing_labelled_means_no_project() -> None:
    assert project_from_labels("absent", FakeEngine()) is None


def test_depends_on_label_round_trip() -> None:
    deps = (DependsOn("a", Condition.COMPLETED, restart=False),
            DependsOn("b", Condition.STARTED, restart=True))
    assert L.parse_depends_on(L.depends_on_value(deps)) == deps
