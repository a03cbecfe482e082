"""What a failed pull or push means, in one line: which image, for which service, whether any
registry could be reached at all, and whether a local copy saves the day."""

from __future__ import annotations

from compose_lite.errors import ComposeLiteError, EngineError

_UNREACHABLE = ("no such host", "connection refused", "i/o timeout", "dial tcp", "network is unreachable",
                "TLS handshake timeout", "server misbehaving")


def registry_error(action: str, ref: str, service: str, err: ComposeLiteError, *, local: bool) -> EngineError:
    """One line: which image, for which service, and whether a registry could be reached at all."""
    reason = err.message.split(": ", 1)[1] if err.message.startswith(f"{action} ") else err.message
    if any(word.lower() in reason.lower() for word in _UNREACHABLE):
        reason = f"no registry reachable ({reason})"
    message = f"cannot {action} {ref} for service {service!r}: {reason}"
    if local:
        message += "; the image exists locally and is used as it is"
    hint = ("`cl up` uses the local image; use --ignore-pull-failures to make this a warning" if local
            else "build or load the image locally (cl build / docker load)")
    return EngineError(message, hint=hint if action == "pull" else "push needs a reachable registry")
