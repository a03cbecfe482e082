"""Running a ``model.Hook`` in a container: the one exec behind lifecycle hooks (the executor)
and a watch rule's ``sync+exec`` (watch.actions); each words its own failure."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compose_lite.engine.base import Engine, ExecResult
    from compose_lite.model import Hook


def run_hook(engine: Engine, container_id: str, hook: Hook) -> ExecResult:
    """Run ``hook`` in the container with its user, working dir, environment and privilege."""
    return engine.exec_run(container_id, hook.command, user=hook.user, workdir=hook.working_dir,
                           environment=hook.environment, privileged=hook.privileged)


def output_tail(output: bytes, limit: int = 300) -> str:
    """The end of what a command printed, for an error message ("" when it printed nothing)."""
    return output.decode(errors="replace").strip()[-limit:]
