"""create/start/stop/restart/kill/pause/unpause/rm on the real engine, in dependency order."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, containers, write

STACK = """
services:
  db:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
    volumes: ["/data"]
  web:
    image: cl-busybox
    command: ["sh", "-c", "trap 'echo got-hup' HUP; trap 'exit 0' TERM; while true; do sleep 1; done"]
    depends_on: [db]
"""


def states(client: Any, project: str) -> dict[str, str]:
    return {name: c["State"] for name, c in containers(client, project).items()}


def test_lifecycle_commands(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    d = write(tmp_path, STACK)
    web, db = f"{project_name}-web-1", f"{project_name}-db-1"
    err = cl(project_name, d, "create").stderr
    assert states(docker_client, project_name) == {web: "created", db: "created"}, err
    err = cl(project_name, d, "start").stderr
    assert err.index(f"Container {db}  Started") < err.index(f"Container {web}  Starting")
    assert states(docker_client, project_name) == {web: "running", db: "running"}

    err = cl(project_name, d, "stop", "-t", "5").stderr
    assert err.index(f"Container {web}  Stopped") < err.index(f"Container {db}  Stopping")
    assert states(docker_client, project_name) == {web: "exited", db: "exited"}

    cl(project_name, d, "restart", "db")  # web's link to db has no `restart: true`: left alone, as in Compose
    assert states(docker_client, project_name) == {web: "exited", db: "running"}
    cl(project_name, d, "start", "web")
    assert states(docker_client, project_name) == {web: "running", db: "running"}

    cl(project_name, d, "kill", "-s", "SIGHUP", "web")
    time.sleep(1.2)
    assert "got-hup" in docker_client.api.logs(web).decode()
    cl(project_name, d, "pause", "db")
    assert states(docker_client, project_name)[db] == "paused"
    cl(project_name, d, "unpause", "db")
    assert states(docker_client, project_name)[db] == "running"

    assert cl(project_name, d, "rm", "-f").stderr == "No stopped containers\n"
    cl(project_name, d, "kill", "web")
    assert states(docker_client, project_name)[web] == "exited"
    assert cl(project_name, d, "kill", "web").stderr == "no container to kill\n"  # as Compose says
    anon = [m["Name"] for m in docker_client.api.inspect_container(db)["Mounts"]]
    assert cl(project_name, d, "rm", "-f", "-s", "-v", "db").stdout == f"Going to remove {db}\n"  # as Compose
    assert states(docker_client, project_name) == {web: "exited"}
    assert anon and not docker_client.api.volumes(filters={"name": anon[0]}).get("Volumes")
    cl(project_name, d, "rm", "-f")
    assert states(docker_client, project_name) == {}
    missing = cl(project_name, d, "start", check=False)
    assert missing.returncode == 1 and missing.stderr.startswith("error: no container found for project")


def test_a_service_of_an_inactive_profile_is_run_and_managed_by_its_name(tmp_path: Path, project_name: str,
                                                                        docker_client: Any) -> None:
    d = write(tmp_path, """
services:
  app:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
  migrate:
    image: cl-busybox
    command: ["echo", "migrated"]
    profiles: [tools]
  tail:
    image: cl-busybox
    command: ["sh", "-c", "echo tailing; trap 'exit 0' TERM; sleep 300 & wait"]
    profiles: [debug]
""")
    assert cl(project_name, d, "run", "--rm", "migrate").stdout == "migrated\n"  # no --profile tools needed
    cl(project_name, d, "up", "-d", "tail")
    assert states(docker_client, project_name) == {f"{project_name}-tail-1": "running"}
    assert "tailing" in cl(project_name, d, "logs", "tail").stdout
    cl(project_name, d, "stop", "tail")
    assert states(docker_client, project_name) == {f"{project_name}-tail-1": "exited"}
    cl(project_name, d, "down")
    assert states(docker_client, project_name) == {}


def test_lifecycle_hooks_run_in_the_container_with_their_user_and_environment(tmp_path: Path,
                                                                              project_name: str) -> None:
    d = write(tmp_path, """
services:
  web:
    image: cl-busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
    volumes: [data:/data]
    post_start:
      - command: sh -c 'echo "started by $$(id -u) at level $$LEVEL" >> /data/log'
        user: "0"
        environment: {LEVEL: "2"}
    pre_stop:
      - command: sh -c 'echo stopping >> /data/log'
volumes:
  data:
""")
    cl(project_name, d, "up", "-d")
    cl(project_name, d, "stop")
    cl(project_name, d, "start")
    log = cl(project_name, d, "exec", "-T", "web", "cat", "/data/log").stdout
    assert log == "started by 0 at level 2\nstopping\nstarted by 0 at level 2\n"
    (tmp_path / "compose.override.yaml").write_text("services:\n  web:\n    post_start: !override\n"
                                                    "      - command: [\"false\"]\n")
    failed = cl(project_name, d, "up", "-d", check=False)
    assert failed.returncode == 1 and "error: web hook exited with status 1" in failed.stderr
