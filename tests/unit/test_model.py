from __future__ import annotations

import dataclasses

import pytest

from compose_lite.model import Healthcheck, Service


def test_service_is_frozen_and_defaults_to_one_replica() -> None:
    svc = Service("web", image="nginx")
    assert svc.replicas == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        svc.image = "other"  # type: ignore[misc]


def test_service_refs_cover_network_mode_ipc_pid_and_volumes_from() -> None:
    svc = Service("a", network_mode="service:b", ipc="service:c", pid="host",
                  volumes_from=("d:ro", "container:xyz", "b"))
    assert svc.service_refs() == ("b", "c", "d")


def test_healthcheck_none_means_disabled() -> None:
    assert Healthcheck(test=("NONE",)).disabled
    assert not Healthcheck(test=("CMD", "true")).disabled
