"""Resource names and labels exactly as Docker Compose v2 writes them, plus our own directory label.

Using Compose's names and ``com.docker.compose.*`` labels makes our projects visible to
``docker compose ps``, Docker Desktop and Portainer, and lets each tool find the other's resources.
"""

from __future__ import annotations

from collections.abc import Mapping

from compose_lite import __version__
from compose_lite.model import Condition, DependsOn

PREFIX = "com.docker.compose."
PROJECT = PREFIX + "project"
SERVICE = PREFIX + "service"
NUMBER = PREFIX + "container-number"
ONEOFF = PREFIX + "oneoff"
SLUG = PREFIX + "slug"  # a one-off container's random id; its name ends with the first 12 characters
CONFIG_HASH = PREFIX + "config-hash"
WORKING_DIR = PREFIX + "project.working_dir"
CONFIG_FILES = PREFIX + "project.config_files"
DEPENDS_ON = PREFIX + "depends_on"
IMAGE = PREFIX + "image"
VERSION = PREFIX + "version"
NETWORK = PREFIX + "network"
VOLUME = PREFIX + "volume"
# Ours: the real (symlink-resolved) project directory, so a same-named project elsewhere is noticed.
PROJECT_DIR = "io.compose-lite.project.dir"
# Ours: a short digest per configuration field (never a value), so a recreate can say *what* changed.
CONFIG_DIGESTS = "io.compose-lite.config-digests"



def container_name(project: str, service: str, number: int) -> str:
    return f"{project}-{service}-{number}"


def project_filter(project: str) -> str:
    """The engine's ``label=`` filter value selecting one project's resources."""
    return f"{PROJECT}={project}"


def depends_on_value(deps: tuple[DependsOn, ...]) -> str:
    """``db:service_healthy:false,cache:service_started:true`` — Compose's format, sorted by service."""
    return ",".join(f"{d.service}:{d.condition.value}:{str(d.restart).lower()}"
                    for d in sorted(deps, key=lambda d: d.service))


def parse_depends_on(value: str) -> tuple[DependsOn, ...]:
    """``db:service_healthy:false,cache:service_started:true`` → DependsOn entries."""
    found = []
    for item in filter(None, value.split(",")):
        service, _, rest = item.partition(":")
        condition, _, restart = rest.partition(":")
        try:
            cond = Condition(condition)
        except ValueError:
            cond = Condition.STARTED
        found.append(DependsOn(service, cond, restart=restart == "true"))
    return tuple(found)


def container_labels(*, project: str, service: str, number: int, working_dir: str, real_dir: str,
                     config_files: tuple[str, ...], config_hash: str, digests_json: str, image_id: str,
                     depends_on: tuple[DependsOn, ...], user_labels: Mapping[str, str]) -> dict[str, str]:
    labels = dict(user_labels)
    labels.update({
        PROJECT: project,
        SERVICE: service,
        NUMBER: str(number),
        ONEOFF: "False",
        CONFIG_HASH: config_hash,
        WORKING_DIR: working_dir,
        CONFIG_FILES: ",".join(config_files),
        DEPENDS_ON: depends_on_value(depends_on),
        IMAGE: image_id,
        VERSION: __version__,
        PROJECT_DIR: real_dir,
        CONFIG_DIGESTS: digests_json,
    })
    return labels


def network_labels(project: str, key: str, config_hash: str,
                   user_labels: Mapping[str, str]) -> dict[str, str]:
    return {**user_labels, PROJECT: project, NETWORK: key, CONFIG_HASH: config_hash, VERSION: __version__}


def volume_labels(project: str, key: str, config_hash: str,
                  user_labels: Mapping[str, str]) -> dict[str, str]:
    return {**user_labels, PROJECT: project, VOLUME: key, CONFIG_HASH: config_hash, VERSION: __version__}
