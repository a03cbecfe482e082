"""`cl build` then `cl up` with the built image (no registry), and `cl pull`/`cl push` without one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.integration.cl_helpers import cl, write

DOCKERFILE = """FROM cl-busybox
ARG GREETING=hello
RUN echo "$GREETING" > /greeting
CMD ["cat", "/greeting"]
"""


def test_build_then_up_uses_the_built_image(tmp_path: Path, project_name: str, docker_client: Any) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    d = write(tmp_path, f"""
services:
  app:
    build:
      context: .
      args: {{GREETING: from-file}}
      tags: ["{project_name}-extra:v1"]
  inline:
    build:
      context: .
      dockerfile_inline: |
        FROM cl-busybox
        CMD ["echo", "inline built"]
""")
    done = cl(project_name, d, "build", "--build-arg", "GREETING=from-cli", "app")
    # built with BuildKit through the docker CLI (Debian's docker.io is installed by scripts/engine.sh)
    assert "with BuildKit" in done.stderr and f"naming to docker.io/library/{project_name}-app" in done.stderr
    assert done.stdout == ""
    labels = docker_client.api.inspect_image(f"{project_name}-app")["Config"]["Labels"]
    extra = docker_client.api.inspect_image(f"{project_name}-extra:v1")
    assert extra["Id"] == docker_client.api.inspect_image(f"{project_name}-app")["Id"]
    assert labels["com.docker.compose.project"] == project_name
    quiet = cl(project_name, d, "build", "-q", "--no-cache")
    assert (quiet.stdout, quiet.stderr) == ("", "")
    done = cl(project_name, d, "up", "--no-build", "--exit-code-from", "app", check=False)
    assert done.returncode == 0, done.stderr
    # -q --no-cache rebuilt it with the file's args
    assert "app-1     | from-file" in done.stdout.splitlines()
    assert "inline-1  | inline built" in done.stdout.splitlines()


def test_pull_and_push_without_a_registry(tmp_path: Path, project_name: str) -> None:
    d = write(tmp_path, """
services:
  tool:
    image: cl-busybox
  ghost:
    image: cl-test-not-anywhere:1
""")
    done = cl(project_name, d, "pull", "tool", check=False)
    assert done.returncode == 1
    first = [ln for ln in done.stderr.splitlines() if ln.startswith("error: ")]
    assert len(first) == 1 and first[0].startswith(
        "error: cannot pull cl-busybox for service 'tool': no registry reachable (")
    assert first[0].endswith("; the image exists locally and is used as it is")
    missing = cl(project_name, d, "pull", "ghost", check=False).stderr
    assert "error: cannot pull cl-test-not-anywhere:1 for service 'ghost': " in missing
    assert "exists locally" not in missing
    # a :latest image is pulled whatever is here, as Compose pulls it (it may have moved on)
    assert cl(project_name, d, "pull", "--policy", "missing", "tool", check=False).returncode == 1
    warned = cl(project_name, d, "pull", "--ignore-pull-failures")
    assert warned.stderr.count("warning: cannot pull") == 2
    pushed = cl(project_name, d, "push", "tool", check=False)
    assert pushed.returncode == 1
    assert "error: cannot push cl-busybox for service 'tool': no registry reachable (" in pushed.stderr
