"""An in-memory Swarm manager for the stack tests: services, networks, secrets and configs kept as
the Engine API returns them; tasks are whatever a test puts in ``task_list``."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from compose_lite.errors import EngineError
from compose_lite.swarm.labels import NAMESPACE


class FakeSwarm:
    def __init__(self, *, manager: bool = True) -> None:
        self.manager = manager
        self.service_list: list[dict[str, Any]] = []
        self.network_list: list[dict[str, Any]] = []
        self.file_list: dict[str, list[dict[str, Any]]] = {"secret": [], "config": []}
        self.task_list: list[dict[str, Any]] = []
        self.node_list: list[dict[str, Any]] = [{"ID": "node1", "Description": {"Hostname": "n1"}}]
        self.in_use: set[str] = set()  # file IDs the engine refuses to remove
        self.calls: list[str] = []
        self._ids = (f"id{n:04d}" for n in itertools.count())

    def require_manager(self) -> None:
        if not self.manager:
            raise EngineError("this Docker Engine is not part of a swarm")

    def services(self, stack: str | None = None) -> list[Mapping[str, Any]]:
        return [s for s in self.service_list if _in(s["Spec"].get("Labels"), stack)]

    def create_service(self, spec: Mapping[str, Any]) -> str:
        self.calls.append(f"create {spec['Name']}")
        service = {"ID": next(self._ids), "Version": {"Index": 1}, "Spec": dict(spec)}
        self.service_list.append(service)
        return str(service["ID"])

    def update_service(self, service: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
        self.calls.append(f"update {spec['Name']}")
        found = next(s for s in self.service_list if s["ID"] == service["ID"])
        found["Spec"] = dict(spec)
        found["Version"] = {"Index": found["Version"]["Index"] + 1}

    def remove_service(self, service_id: str) -> None:
        self.calls.append(f"remove {service_id}")
        self.service_list = [s for s in self.service_list if s["ID"] != service_id]
        self.task_list = [t for t in self.task_list if t["ServiceID"] != service_id]

    def tasks(self, stack: str, service_ids: tuple[str, ...] = ()) -> list[Mapping[str, Any]]:
        ids = {s["ID"] for s in self.services(stack)}
        return [t for t in self.task_list if t["ServiceID"] in (set(service_ids) or ids)]

    def nodes(self) -> list[Mapping[str, Any]]:
        return self.node_list

    def networks(self, stack: str) -> list[Mapping[str, Any]]:
        return [n for n in self.network_list if _in(n.get("Labels"), stack)]

    def network_exists(self, name: str) -> bool:
        return any(n["Name"] == name for n in self.network_list)

    def create_network(self, name: str, options: Mapping[str, Any]) -> None:
        self.calls.append(f"create network {name}")
        self.network_list.append({"Id": next(self._ids), "Name": name, "Labels": options.get("labels") or {},
                                  "Driver": options.get("driver")})

    def remove_network(self, network_id: str) -> None:
        self.network_list = [n for n in self.network_list if n["Id"] != network_id]

    def files(self, kind: str, stack: str) -> list[Mapping[str, Any]]:
        return [f for f in self.file_list[kind] if _in(f["Spec"].get("Labels"), stack)]

    def file_id(self, kind: str, name: str) -> str | None:
        return next((f["ID"] for f in self.file_list[kind] if f["Spec"]["Name"] == name), None)

    def create_file(self, kind: str, name: str, data: bytes, labels: Mapping[str, str]) -> str:
        self.calls.append(f"create {kind} {name}")
        made = {"ID": next(self._ids), "Spec": {"Name": name, "Labels": dict(labels), "Data": data}}
        self.file_list[kind].append(made)
        return str(made["ID"])

    def remove_file(self, kind: str, file_id: str) -> None:
        if file_id in self.in_use:
            raise EngineError(f"{kind} is in use")
        self.file_list[kind] = [f for f in self.file_list[kind] if f["ID"] != file_id]


def _in(labels: Mapping[str, str] | None, stack: str | None) -> bool:
    labels = labels or {}
    return NAMESPACE in labels if stack is None else labels.get(NAMESPACE) == stack
