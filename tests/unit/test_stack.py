"""`cl stack deploy`'s pieces without an engine: specs, ignored keys, the plan, deploy and rm."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compose_lite.clock import FakeClock
from compose_lite.errors import ConfigError, EngineError
from compose_lite.loader import LoadRequest, LoadResult, load
from compose_lite.output import WarningsOnly
from compose_lite.swarm import labels as SL
from compose_lite.swarm.deploy import deploy, remove
from compose_lite.swarm.files import stack_files
from compose_lite.swarm.ignored import ignored_keys
from compose_lite.swarm.plan import Change, plan
from compose_lite.swarm.spec import network_specs, service_specs
from tests.unit.fake_swarm import FakeSwarm

COMPOSE = """
services:
  web:
    image: registry.local/web:${TAG:-1}
    command: ["serve", "--port", "80"]
    entrypoint: ["/entry"]
    environment: {GREETING: "${GREETING}", UNSET_ONE: null}
    ports: ["8080:80", {target: 81, published: 8081, mode: host}]
    volumes: [data:/data, ./site:/site:ro, {type: tmpfs, target: /scratch, tmpfs: {size: 1000}}]
    secrets: [token]
    configs: [{source: conf, target: /etc/app.conf, mode: 0400}]
    networks: {front: {aliases: [www]}}
    extra_hosts: ["db.local:10.0.0.5"]
    restart: on-failure:4
    stop_grace_period: 3s
    healthcheck: {test: ["CMD", "true"], interval: 2s, retries: 3}
    labels: {tier: web}
    deploy:
      replicas: 3
      labels: {team: a}
      placement: {constraints: [node.role==worker], preferences: [{spread: node.labels.zone}],
                  max_replicas_per_node: 2}
      resources: {limits: {cpus: '0.5', memory: 50M}, reservations: {cpus: '0.25', memory: 20M}}
      update_config: {parallelism: 2, order: start-first, failure_action: rollback}
  worker:
    image: registry.local/worker
    deploy: {mode: global, restart_policy: {condition: on-failure, delay: 5s, max_attempts: 2}}
networks:
  front: {attachable: true}
volumes:
  data: {driver_opts: {type: tmpfs, device: tmpfs}}
secrets:
  token: {file: ./token.txt}
configs:
  conf: {content: "level=${LEVEL:-info}"}
"""


def loaded(tmp_path: Path, text: str = COMPOSE, **environ: str) -> LoadResult:
    (tmp_path / "compose.yaml").write_text(text)
    if not (tmp_path / "token.txt").exists():
        (tmp_path / "token.txt").write_text("s3cret")
    return load(LoadRequest(cwd=str(tmp_path), project_name="shop", environ={"GREETING": "hi", **environ}))


def specs(result: LoadResult) -> dict[str, dict[str, Any]]:
    files = stack_files(result.project)
    return {s.key: s.spec for s in service_specs(result.project, result.model, "shop", files)}


def test_a_service_becomes_a_swarm_service_named_and_labelled_as_docker_stack_does(tmp_path: Path) -> None:
    web = specs(loaded(tmp_path))["web"]
    container = web["TaskTemplate"]["ContainerSpec"]
    assert web["Name"] == "shop_web"
    assert web["Labels"][SL.NAMESPACE] == "shop" and web["Labels"]["team"] == "a"
    assert web["Labels"][SL.IMAGE] == "registry.local/web:1"
    assert container["Labels"] == {"tier": "web", SL.NAMESPACE: "shop"}
    assert container["Image"] == "registry.local/web:1"
    assert (container["Command"], container["Args"]) == (["/entry"], ["serve", "--port", "80"])
    assert container["Env"] == ["GREETING=hi"]  # a variable set to null is left out
    assert container["Hosts"] == ["10.0.0.5 db.local"]
    assert container["StopGracePeriod"] == 3 * 10**9
    assert container["Healthcheck"] == {"Test": ["CMD", "true"], "Interval": 2 * 10**9, "Retries": 3}
    assert web["Mode"] == {"Replicated": {"Replicas": 3}}
    assert web["TaskTemplate"]["Networks"] == [{"Target": "shop_front", "Aliases": ["web", "www"]}]


def test_mounts_ports_and_files_use_the_stacks_names(tmp_path: Path) -> None:
    web = specs(loaded(tmp_path))["web"]
    container = web["TaskTemplate"]["ContainerSpec"]
    volume, bind, tmpfs = container["Mounts"]
    assert volume["Source"] == "shop_data" and volume["VolumeOptions"]["Labels"] == {SL.NAMESPACE: "shop"}
    assert volume["VolumeOptions"]["DriverConfig"] == {"Name": "local",
                                                       "Options": {"type": "tmpfs", "device": "tmpfs"}}
    assert (bind["Type"], bind["Source"], bind["ReadOnly"]) == ("bind", str(tmp_path / "site"), True)
    assert tmpfs["TmpfsOptions"] == {"SizeBytes": 1000}
    assert web["EndpointSpec"] == {"Mode": "vip", "Ports": [
        {"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"},
        {"Protocol": "tcp", "TargetPort": 81, "PublishedPort": 8081, "PublishMode": "host"}]}
    [secret] = container["Secrets"]
    assert secret["SecretName"].startswith("shop_token-") and secret["File"]["Name"] == "token"
    [config] = container["Configs"]
    assert config["ConfigName"].startswith("shop_conf-")
    assert config["File"] == {"Name": "/etc/app.conf", "UID": "0", "GID": "0", "Mode": 0o400}


def test_deploy_policies_map_to_swarms(tmp_path: Path) -> None:
    both = specs(loaded(tmp_path))
    web, worker = both["web"], both["worker"]
    task = web["TaskTemplate"]
    assert task["Placement"] == {"Constraints": ["node.role==worker"], "MaxReplicas": 2,
                                 "Preferences": [{"Spread": {"SpreadDescriptor": "node.labels.zone"}}]}
    assert task["Resources"] == {"Limits": {"NanoCPUs": 500_000_000, "MemoryBytes": 50 * 2**20},
                                 "Reservations": {"NanoCPUs": 250_000_000, "MemoryBytes": 20 * 2**20}}
    assert task["RestartPolicy"] == {"Condition": "on-failure", "MaxAttempts": 4}  # from `restart:`
    assert web["UpdateConfig"]["Order"] == "start-first" and web["UpdateConfig"]["Parallelism"] == 2
    assert web["UpdateConfig"]["FailureAction"] == "rollback"
    assert worker["Mode"] == {"Global": {}}
    assert worker["TaskTemplate"]["RestartPolicy"] == {"Condition": "on-failure", "MaxAttempts": 2,
                                                       "Delay": 5 * 10**9}
    assert worker["TaskTemplate"]["Networks"] == [{"Target": "shop_default", "Aliases": ["worker"]}]


def test_only_the_networks_services_use_are_made_overlay_and_labelled(tmp_path: Path) -> None:
    nets = {n.name: n for n in network_specs(loaded(tmp_path).project, "shop")}
    assert set(nets) == {"shop_front", "shop_default"}
    front = nets["shop_front"].options
    assert (front["driver"], front["attachable"]) == ("overlay", True)
    assert front["labels"] == {SL.NAMESPACE: "shop"}


def test_a_secret_or_config_is_named_by_its_content(tmp_path: Path) -> None:
    first = stack_files(loaded(tmp_path).project)
    again = stack_files(loaded(tmp_path).project)
    changed = stack_files(loaded(tmp_path, LEVEL="debug").project)
    assert first == again
    assert changed[("config", "conf")].name != first[("config", "conf")].name
    assert changed[("secret", "token")] == first[("secret", "token")]
    assert changed[("config", "conf")].data == b"level=debug"


def test_a_secret_from_an_unset_variable_is_a_config_error(tmp_path: Path) -> None:
    text = "services:\n  a: {image: x, secrets: [k]}\nsecrets:\n  k: {environment: API_KEY}\n"
    with pytest.raises(ConfigError) as info:
        stack_files(loaded(tmp_path, text).project)
    assert info.value.path == "secrets.k.environment" and "API_KEY" in info.value.message


def test_every_key_swarm_cannot_honour_is_listed_with_why(tmp_path: Path) -> None:
    text = """
services:
  a:
    image: x
    build: .
    container_name: fixed
    depends_on: [b]
    privileged: true
    x-custom: 1
    develop: {watch: [{path: ., action: rebuild}]}
    ports: ["127.0.0.1:9000:80"]
    networks: {default: {ipv4_address: 172.30.0.9}}
    deploy: {resources: {reservations: {devices: [{capabilities: [gpu]}]}}}
  b: {image: y}
networks:
  default: {ipam: {config: [{subnet: 172.30.0.0/24}]}}
"""
    result = loaded(tmp_path, text)
    listed = ignored_keys(result.model, building=False)
    assert "services.a.build (Swarm runs images; build and push them with --build --push)" in listed
    assert any(line.startswith("services.a.container_name (") for line in listed)
    assert any(line.startswith("services.a.depends_on (") for line in listed)
    assert "services.a.privileged (Swarm services have no such option)" in listed
    assert any(line.startswith("services.a.ports[0].host_ip") for line in listed)
    assert any(line.startswith("services.a.networks.default.ipv4_address") for line in listed)
    assert any(line.startswith("services.a.deploy.resources.reservations.devices") for line in listed)
    assert not [line for line in listed if "x-custom" in line or "develop" in line or ".b." in line]
    assert not [line for line in ignored_keys(result.model, building=True) if ".build " in line]


def test_the_plan_creates_updates_with_causes_leaves_alone_and_prunes(tmp_path: Path) -> None:
    result = loaded(tmp_path)
    files = stack_files(result.project)
    before = service_specs(result.project, result.model, "shop", files)
    running = [{"ID": f"id-{s.key}", "Spec": s.spec} for s in before]
    running.append({"ID": "id-old", "Spec": {"Name": "shop_old", "Labels": {SL.NAMESPACE: "shop"}}})
    changed = loaded(tmp_path, TAG="2")
    after = service_specs(changed.project, changed.model, "shop", stack_files(changed.project))

    changes = {c.name: c for c in plan(after, running, prune=True)}
    assert changes["shop_web"].change is Change.UPDATE and changes["shop_web"].causes == ("image changed",)
    assert changes["shop_worker"].change is Change.UNCHANGED
    assert changes["shop_old"].change is Change.REMOVE
    assert "shop_old" not in {c.name for c in plan(after, running, prune=False)}
    [new] = plan(after, [], prune=False)[:1]
    assert new.change is Change.CREATE


def test_a_service_docker_stack_deployed_is_updated_once_to_carry_cls_digests(tmp_path: Path) -> None:
    result = loaded(tmp_path)
    [web, _] = service_specs(result.project, result.model, "shop", stack_files(result.project))
    foreign = {"ID": "x", "Spec": {**web.spec, "Labels": {SL.NAMESPACE: "shop"}}}
    [change] = plan([web], [foreign], prune=False)
    assert (change.change, change.causes) == (Change.UPDATE, ("deployed by another tool",))


def test_deploy_creates_networks_files_and_services_then_changes_only_what_changed(tmp_path: Path) -> None:
    swarm = FakeSwarm()
    report = WarningsOnly(lambda _: None)
    first = deploy(swarm, loaded(tmp_path).project, loaded(tmp_path).model, "shop", report)
    assert [c.change for c in first.changes] == [Change.CREATE, Change.CREATE]
    assert {n["Name"] for n in swarm.network_list} == {"shop_front", "shop_default"}
    web = next(s for s in swarm.service_list if s["Spec"]["Name"] == "shop_web")
    [ref] = web["Spec"]["TaskTemplate"]["ContainerSpec"]["Configs"]
    assert ref["ConfigID"] == swarm.file_id("config", ref["ConfigName"])  # the engine needs both

    swarm.calls.clear()
    again = deploy(swarm, loaded(tmp_path).project, loaded(tmp_path).model, "shop", report)
    assert [c.change for c in again.changes] == [Change.UNCHANGED, Change.UNCHANGED]
    assert swarm.calls == []

    result = loaded(tmp_path, LEVEL="debug")
    third = deploy(swarm, result.project, result.model, "shop", report)
    assert [(c.name, c.change, c.causes) for c in third.changes] == [
        ("shop_web", Change.UPDATE, ("configs changed",)), ("shop_worker", Change.UNCHANGED, ())]
    assert [f["Spec"]["Data"] for f in swarm.file_list["config"]] == [b"level=debug"]  # the old one went


def test_a_file_still_in_use_is_kept_for_the_next_deploy(tmp_path: Path) -> None:
    swarm = FakeSwarm()
    report = WarningsOnly(lambda _: None)
    deploy(swarm, loaded(tmp_path).project, loaded(tmp_path).model, "shop", report)
    swarm.in_use = {f["ID"] for f in swarm.file_list["config"]}
    result = loaded(tmp_path, LEVEL="debug")
    deploy(swarm, result.project, result.model, "shop", report)
    assert len(swarm.file_list["config"]) == 2


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    swarm = FakeSwarm()
    done = deploy(swarm, loaded(tmp_path).project, loaded(tmp_path).model, "shop", WarningsOnly(print),
                  dry_run=True)
    assert [c.change for c in done.changes] == [Change.CREATE, Change.CREATE]
    assert swarm.calls == [] and swarm.network_list == []


def test_an_external_network_that_is_missing_is_a_clear_error(tmp_path: Path) -> None:
    text = "services:\n  a: {image: x, networks: [edge]}\nnetworks:\n  edge: {external: true}\n"
    with pytest.raises(ConfigError) as info:
        deploy(FakeSwarm(), loaded(tmp_path, text).project, loaded(tmp_path, text).model, "shop",
               WarningsOnly(print))
    assert info.value.path == "networks.edge" and "docker network create" in (info.value.hint or "")


def test_rm_removes_everything_the_stack_labelled_and_only_that(tmp_path: Path) -> None:
    swarm = FakeSwarm()
    report = WarningsOnly(lambda _: None)
    deploy(swarm, loaded(tmp_path).project, loaded(tmp_path).model, "shop", report)
    deploy(swarm, loaded(tmp_path).project, loaded(tmp_path).model, "other", report)
    assert remove(swarm, "shop", report, FakeClock()) is True
    names = [s["Spec"]["Name"] for s in swarm.service_list] + [n["Name"] for n in swarm.network_list]
    assert names and all(name.startswith("other_") for name in names)
    assert all(f["Spec"]["Labels"][SL.NAMESPACE] == "other" for k in ("secret", "config")
               for f in swarm.file_list[k])
    assert remove(swarm, "shop", report, FakeClock()) is False


def test_digests_label_is_json_of_the_sections(tmp_path: Path) -> None:
    web = specs(loaded(tmp_path))["web"]
    digests = json.loads(web["Labels"][SL.DIGESTS])
    assert {"image", "environment", "mode", "secrets", "configs"} <= set(digests)


def test_an_engine_that_is_no_swarm_manager_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    swarm = FakeSwarm(manager=False)
    with pytest.raises(EngineError):
        deploy(swarm, loaded(tmp_path).project, loaded(tmp_path).model, "shop", WarningsOnly(print))
    assert swarm.calls == []


@pytest.mark.parametrize(("swarm_info", "said"), [
    ({"LocalNodeState": "inactive"}, "this Docker Engine is not part of a swarm"),
    ({"LocalNodeState": "active", "ControlAvailable": False},
     "this Docker Engine is not a swarm manager (active)"),
])
def test_the_docker_adapter_says_why_an_engine_cannot_deploy(swarm_info: dict[str, Any], said: str) -> None:
    from compose_lite.swarm.docker_swarm import DockerSwarm

    class Engine:
        api = type("Api", (), {"info": staticmethod(lambda: {"Swarm": swarm_info})})()

        def call(self, what: str, fn: Any) -> Any:
            return fn()

    with pytest.raises(EngineError) as info:
        DockerSwarm(Engine()).require_manager()  # type: ignore[arg-type]
    assert info.value.message == said and "docker swarm init" in (info.value.hint or "")
