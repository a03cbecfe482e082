"""compose_hash against hashes Docker Compose v2.40.3 wrote on this project's resources
(`docker compose up -d`, then the `com.docker.compose.config-hash` labels), from the models its
`config --format json` printed (the integration test test_interop checks the live round trip)."""

from __future__ import annotations

from compose_lite import compose_hash

WEB = {
    "cpus": 0.5,
    "command": ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
    "depends_on": {"db": {"condition": "service_started", "required": True}},
    "deploy": {"resources": {"limits": {"cpus": 0.5, "memory": "67108864"}}, "placement": {}},
    "entrypoint": None,
    "environment": {"A": "1", "B": "x<y&z"},
    "extra_hosts": ["a=2.2.2.2", "b=1.1.1.1"],
    "healthcheck": {"test": ["CMD", "true"], "interval": "1m30s", "retries": 3},
    "image": "cl-busybox",
    "labels": {"l": "1"},
    "mem_limit": "67108864",
    "networks": {"back": {"aliases": ["w"]}, "default": None},
    "ports": [
        {"mode": "ingress", "host_ip": "127.0.0.1", "target": 80, "published": "18080", "protocol": "tcp"}
    ],
    "ulimits": {"nofile": {"soft": 100, "hard": 200}},
    "volumes": [
        {"type": "volume", "source": "data", "target": "/data", "volume": {}},
        {
            "type": "bind",
            "source": "/tmp/hs/src",
            "target": "/src",
            "read_only": True,
            "bind": {"create_host_path": True},
        },
    ],
}
DB = {
    "command": ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
    "entrypoint": None,
    "environment": {"P": "1"},
    "image": "cl-busybox",
    "networks": {"back": None},
    "stop_grace_period": "3s",
}


def test_service_hashes_are_composes() -> None:
    assert (
        compose_hash.service_hash(WEB) == "4e5a98d24c836b8f9eeee9e797feb4c226fb709af98020ece971dc3c1396030d"
    )
    assert compose_hash.service_hash(DB) == "1fb3b3d7e47c97b972f186a127208126ffea710d126be7e50f8f0f4b1e9cb7c3"


def test_explicit_pointer_zeros_are_hashed_as_compose_does() -> None:
    # `init: false`, `retries: 0` and `stop_grace_period: 0s` are set, not unset: Compose keeps them.
    zeros = {
        "command": ["sh", "-c", "sleep 60"],
        "entrypoint": None,
        "healthcheck": {"test": ["CMD", "true"], "retries": 0},
        "image": "cl-busybox",
        "init": False,
        "networks": {"default": None},
        "stop_grace_period": "0s",
    }
    assert (
        compose_hash.service_hash(zeros) == "1b0d3c4ed5e4ba2b208abd5203b99bac7ccad877a7e7286d2d063989cb9f9a9f"
    )


def test_fields_compose_leaves_out_of_the_hash_do_not_change_it() -> None:
    tooling = {
        **DB,
        "build": {"context": "/x"},
        "pull_policy": "always",
        "scale": 3,
        "profiles": ["p"],
        "depends_on": {"web": {"condition": "service_started", "required": True}},
    }
    assert compose_hash.service_hash(tooling) == compose_hash.service_hash(DB)
    assert compose_hash.service_hash({**DB, "environment": {"P": "2"}}) != compose_hash.service_hash(DB)


def test_network_and_volume_hashes_are_composes() -> None:
    network = {"name": "hs_back", "driver_opts": {"mtu": "1450"}, "ipam": {}}
    assert (
        compose_hash.network_hash(network)
        == "ee532c82432e846c7cf4655e01c1d08ae3ce07c4b7960158963ac921fefb55a8"
    )
    assert (
        compose_hash.network_hash({"name": "hs_default", "ipam": {}})
        == "ca06f161493bc62786245d0ded156e3a39bee2d5255f1784e7ac484b43c28bbc"
    )
    volume = {"name": "hs_data", "labels": {"x": "y"}}
    assert (
        compose_hash.volume_hash(volume) == "fb973f0e678c55ab23553bded36073224d096423e32481d369de677828d73596"
    )
