from __future__ import annotations

from compose_lite import __version__, labels
from compose_lite.model import Condition, DependsOn


def test_names_follow_compose_v2() -> None:
    assert labels.container_name("web3", "db", 1) == "web3-db-1"
    assert labels.project_filter("web3") == "com.docker.compose.project=web3"


def test_depends_on_label_format() -> None:
    deps = (DependsOn("db", Condition.HEALTHY, restart=True), DependsOn("cache"))
    assert labels.depends_on_value(deps) == "cache:service_started:false,db:service_healthy:true"
    assert labels.depends_on_value(()) == ""


def test_container_labels_are_the_compose_set_plus_ours() -> None:
    got = labels.container_labels(
        project="p", service="web", number=2, working_dir="/w", real_dir="/real/w",
        config_files=("/w/a.yaml", "/w/b.yaml"), config_hash="h", digests_json="{}", image_id="sha256:1",
        depends_on=(DependsOn("db", Condition.HEALTHY),), user_labels={"tier": "web"})
    assert got == {
        "tier": "web",
        "com.docker.compose.project": "p",
        "com.docker.compose.service": "web",
        "com.docker.compose.container-number": "2",
        "com.docker.compose.oneoff": "False",
        "com.docker.compose.config-hash": "h",
        "com.docker.compose.project.working_dir": "/w",
        "com.docker.compose.project.config_files": "/w/a.yaml,/w/b.yaml",
        "com.docker.compose.depends_on": "db:service_healthy:false",
        "com.docker.compose.image": "sha256:1",
        "com.docker.compose.version": __version__,
        "io.compose-lite.project.dir": "/real/w",
        "io.compose-lite.config-digests": "{}",
    }


def test_network_and_volume_labels() -> None:
    assert labels.network_labels("p", "default", "h", {}) == {
        "com.docker.compose.project": "p", "com.docker.compose.network": "default",
        "com.docker.compose.config-hash": "h", "com.docker.compose.version": __version__}
    assert labels.volume_labels("p", "data", "h", {"keep": "1"})["com.docker.compose.volume"] == "data"
