"""What `cl stack` needs from a Swarm manager, as a protocol: the Docker adapter
(docker_swarm.py) implements it, the unit tests' fake too.

Objects travel as the Engine API returns them (``ID``, ``Version``, ``Spec``, …): ``listing`` and
``converge`` read the few fields they show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

Raw = Mapping[str, Any]


class Swarm(Protocol):
    def require_manager(self) -> None:
        """Raise a clear error unless this engine is a Swarm manager."""

    def services(self, stack: str | None = None) -> list[Raw]:
        """The services of ``stack``, or of every stack."""

    def create_service(self, spec: Mapping[str, Any]) -> str: ...

    def update_service(self, service: Raw, spec: Mapping[str, Any]) -> None: ...

    def remove_service(self, service_id: str) -> None: ...

    def tasks(self, stack: str, service_ids: tuple[str, ...] = ()) -> list[Raw]: ...

    def nodes(self) -> list[Raw]: ...

    def networks(self, stack: str) -> list[Raw]: ...

    def network_exists(self, name: str) -> bool: ...

    def create_network(self, name: str, options: Mapping[str, Any]) -> None: ...

    def remove_network(self, network_id: str) -> None: ...

    def files(self, kind: str, stack: str) -> list[Raw]:
        """The stack's secrets or configs (``kind``: "secret" | "config")."""

    def file_id(self, kind: str, name: str) -> str | None:
        """The ID of the secret or config named ``name``; None when there is none."""

    def create_file(self, kind: str, name: str, data: bytes, labels: Mapping[str, str]) -> str: ...

    def remove_file(self, kind: str, file_id: str) -> None: ...
