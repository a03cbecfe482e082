"""Engine operations the watch loop and commands rely on: archive upload, exec, restart."""

from __future__ import annotations

import os
from typing import Any

from compose_lite.engine.docker_engine import DockerEngine
from tests.archives import tar_of
from tests.integration.conftest import BUSYBOX, PROJECT_LABEL


def test_put_archive_exec_and_restart(docker_client: Any, project_name: str) -> None:
    container = docker_client.containers.run(
        BUSYBOX, ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"], detach=True,
        labels={PROJECT_LABEL: project_name},
    )
    engine = DockerEngine(environ=dict(os.environ))

    engine.put_archive(container.id, "/", tar_of({"srv/app/hello.txt": b"hi there\n"}))
    result = engine.exec_run(container.id, ["cat", "/srv/app/hello.txt"])
    assert (result.exit_code, result.output) == (0, b"hi there\n")

    failing = engine.exec_run(container.id, ["sh", "-c", "echo oops >&2; exit 3"], workdir="/srv")
    assert (failing.exit_code, failing.output) == (3, b"oops\n")

    started_before = docker_client.api.inspect_container(container.id)["State"]["StartedAt"]
    engine.restart_container(container.id, timeout=2)
    state = docker_client.api.inspect_container(container.id)["State"]
    assert state["Running"] is True
    assert state["StartedAt"] != started_before
    # Calls about different containers and endpoints (exec hijacks its connection) shared one
    # connection pool: the SDK alone would have opened one per URL.
    assert len(engine.api.get_adapter("http+docker://localhost").pools) == 1


def test_a_networks_ipam_pool_aux_addresses_and_options_reach_the_engine(docker_client: Any,
                                                                        project_name: str) -> None:
    from compose_lite.model import IpamPool, Network

    engine = DockerEngine(environ=dict(os.environ))
    name = f"{project_name}_n"
    pool = IpamPool("10.231.7.0/24", gateway="10.231.7.1", aux_addresses={"printer": "10.231.7.5"})
    engine.create_network(Network("n", name, ipam_driver="default", ipam_config=(pool,),
                                  ipam_options={"foo": "bar"}), {PROJECT_LABEL: project_name})
    ipam = docker_client.api.inspect_network(name)["IPAM"]
    assert ipam["Options"] == {"foo": "bar"}
    assert ipam["Config"][0]["AuxiliaryAddresses"] == {"printer": "10.231.7.5"}
