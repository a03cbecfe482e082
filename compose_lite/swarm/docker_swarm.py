"""The Swarm protocol (cluster.py) over the docker SDK's low-level client, through the engine adapter's
error mapping (so a refusal reads as every other engine error)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compose_lite.engine.docker_engine import DockerEngine
from compose_lite.errors import EngineError
from compose_lite.swarm.labels import NAMESPACE

NOT_A_MANAGER_HINT = ("run `docker swarm init` here, or point DOCKER_HOST / -H at a manager of the "
                      "cluster")


class DockerSwarm:
    def __init__(self, engine: DockerEngine) -> None:
        self.engine = engine
        self.api = engine.api

    def require_manager(self) -> None:
        info = self.engine.call("read the engine's swarm state", self.api.info)
        swarm = info.get("Swarm") or {}
        if not swarm.get("ControlAvailable"):
            state = swarm.get("LocalNodeState") or "inactive"
            what = "is not part of a swarm" if state == "inactive" else f"is not a swarm manager ({state})"
            raise EngineError(f"this Docker Engine {what}", hint=NOT_A_MANAGER_HINT)

    def services(self, stack: str | None = None) -> list[Mapping[str, Any]]:
        label = NAMESPACE if stack is None else f"{NAMESPACE}={stack}"
        return self.engine.call("list services", lambda: self.api.services(filters={"label": label}))

    def create_service(self, spec: Mapping[str, Any]) -> str:
        made = self.engine.call(f"create service {spec['Name']}", lambda: self.api.create_service(
            **_service_arguments(spec)))
        return str(made["ID"])

    def update_service(self, service: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
        self.engine.call(f"update service {spec['Name']}", lambda: self.api.update_service(
            service["ID"], service["Version"]["Index"], **_service_arguments(spec)))

    def remove_service(self, service_id: str) -> None:
        self.engine.call(f"remove service {service_id[:12]}", lambda: self.api.remove_service(service_id))

    def tasks(self, stack: str, service_ids: tuple[str, ...] = ()) -> list[Mapping[str, Any]]:
        filters: dict[str, Any] = {"label": f"{NAMESPACE}={stack}"}
        if service_ids:
            filters = {"service": list(service_ids)}
        return self.engine.call("list tasks", lambda: self.api.tasks(filters=filters))

    def nodes(self) -> list[Mapping[str, Any]]:
        return self.engine.call("list nodes", self.api.nodes)

    def networks(self, stack: str) -> list[Mapping[str, Any]]:
        return self.engine.call("list networks", lambda: self.api.networks(
            filters={"label": f"{NAMESPACE}={stack}"}))

    def network_exists(self, name: str) -> bool:
        found = self.engine.call("list networks", lambda: self.api.networks(names=[name]))
        return any(n["Name"] == name for n in found)

    def create_network(self, name: str, options: Mapping[str, Any]) -> None:
        self.engine.call(f"create network {name}", lambda: self.api.create_network(name, **options))

    def remove_network(self, network_id: str) -> None:
        self.engine.call(f"remove network {network_id[:12]}", lambda: self.api.remove_network(network_id))

    def files(self, kind: str, stack: str) -> list[Mapping[str, Any]]:
        lister = self.api.secrets if kind == "secret" else self.api.configs
        return self.engine.call(f"list {kind}s", lambda: lister(filters={"label": f"{NAMESPACE}={stack}"}))

    def file_id(self, kind: str, name: str) -> str | None:
        lister = self.api.secrets if kind == "secret" else self.api.configs
        found = self.engine.call(f"list {kind}s", lambda: lister(filters={"name": name}))
        # the engine's name filter matches prefixes
        return next((str(f["ID"]) for f in found if f["Spec"]["Name"] == name), None)

    def create_file(self, kind: str, name: str, data: bytes, labels: Mapping[str, str]) -> str:
        create = self.api.create_secret if kind == "secret" else self.api.create_config
        made = self.engine.call(f"create {kind} {name}", lambda: create(name, data, labels=dict(labels)))
        return str(made["ID"])

    def remove_file(self, kind: str, file_id: str) -> None:
        remove = self.api.remove_secret if kind == "secret" else self.api.remove_config
        self.engine.call(f"remove {kind} {file_id[:12]}", lambda: remove(file_id))


def _service_arguments(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The SDK's keyword arguments for a ServiceSpec (it builds the same JSON back)."""
    return {"task_template": spec["TaskTemplate"], "name": spec["Name"], "labels": spec.get("Labels"),
            "mode": spec["Mode"], "update_config": spec.get("UpdateConfig"),
            "rollback_config": spec.get("RollbackConfig"), "endpoint_spec": spec.get("EndpointSpec")}
