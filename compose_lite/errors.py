"""The error tree of compose-lite.

Library code raises these; only the CLI renders them (``error: …`` / ``hint: …``)
and turns them into exit codes.  Every error can carry where it comes from: a
source position (file:line:col) and a dotted path inside the Compose model.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    """A place in a source file; line and column are 1-based like editors show them."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class ComposeLiteError(Exception):
    """Base of every error compose-lite reports to a user."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        position: Position | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.position = position
        self.path = path

    def where(self) -> str:
        """``file:line:col: dotted.path: `` prefix (each part only when known)."""
        parts = []
        if self.position is not None:
            parts.append(str(self.position))
        if self.path:
            parts.append(self.path)
        return "".join(f"{p}: " for p in parts)

    def __str__(self) -> str:
        return f"{self.where()}{self.message}"


class ConfigError(ComposeLiteError):
    """The Compose files, env files or command-line options are invalid."""

    exit_code = 1  # as Docker Compose v2.40 exits on an invalid configuration


class NoConfigFileError(ConfigError):
    """No Compose file was given or found (some commands can then work from labels alone)."""


class ConfigErrors(ConfigError):
    """Several configuration errors found in one run, best first."""

    def __init__(self, errors: list[ConfigError]) -> None:
        if not errors:
            raise ValueError("ConfigErrors needs at least one error")
        first = errors[0]
        super().__init__(first.message, hint=first.hint, position=first.position, path=first.path)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class EngineUnavailableError(ComposeLiteError):
    """The Docker Engine cannot be reached."""


class EngineError(ComposeLiteError):
    """The Docker Engine refused or failed an operation."""


class AlreadyExistsError(EngineError):
    """A create refused: a network or container of that name exists already."""


class InUseError(EngineError):
    """A removal refused: the network still has endpoints, the volume is mounted."""


class GoneError(EngineError):
    """A container is dead or being removed: what was asked of it (its logs) no longer applies."""


class StaleEndpointError(EngineError):
    """A start refused: the container's name is still an endpoint on one of its networks."""

    def __init__(self, message: str, *, endpoint: str, network: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.endpoint = endpoint
        self.network = network


class NotFoundError(ComposeLiteError):
    """A named resource (service, container, image) does not exist."""


class OperationFailedError(ComposeLiteError):
    """A lifecycle step failed (unhealthy dependency, container exited, timeout)."""


class OutputClosed(ComposeLiteError):
    """Whoever read our output stopped (`cl logs | head`): end quietly, as a program killed by
    SIGPIPE does (exit 141), never with an error about it."""

    exit_code = 141


class InterruptedByUser(ComposeLiteError):
    """The user pressed Ctrl-C; rendered without an ``error:`` prefix."""

    exit_code = 130
