"""The short syntaxes Compose parses by hand: a port (``"127.0.0.1:8080-8081:80/udp"``) and a
volume (``"./data:/data:ro,z"``), into their long form, with Docker's and compose-go's rules."""

from __future__ import annotations

import posixpath
from typing import Any

_BIND_PROPAGATION = {"rprivate", "private", "rshared", "shared", "rslave", "slave"}


def port_number(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"invalid port target {text!r}: expected a container port number")
    return int(text)


def _port_range(text: str, spec: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    try:
        start = int(low)
        end = int(high) if high else start
    except ValueError:
        raise ValueError(f"invalid port {text!r} in {spec!r}") from None
    if end < start:
        raise ValueError(f"invalid port range {text!r} in {spec!r}")
    return start, end


def parse_port(spec: str) -> list[dict[str, Any]]:
    """ "[ip:][host[-range]:]container[-range][/proto]" → long-syntax port entries.

    Split as Docker's nat.ParsePortSpec does: the last part is the container port, the one
    before it the host port, everything before those the address (``::1:80:80`` works, brackets
    optional); the protocol is lower-cased.
    """
    text, _, proto = spec.strip().partition("/")
    parts = text.split(":")
    container = parts[-1]
    host = parts[-2] if len(parts) >= 2 else ""
    ip = ":".join(parts[:-2]) if len(parts) >= 3 else ""
    if ip.startswith("[") and ip.endswith("]"):
        ip = ip[1:-1]
    proto = (proto or "tcp").lower()
    if not container or "/" in proto:
        raise ValueError(f"invalid port specification {spec!r}")
    c_start, c_end = _port_range(container, spec)
    base: dict[str, Any] = {"mode": "ingress", "protocol": proto}
    if ip:
        base["host_ip"] = ip
    if not host:
        return [{**base, "target": port} for port in range(c_start, c_end + 1)]
    h_start, h_end = _port_range(host, spec)
    if c_start == c_end and h_start != h_end:
        return [{**base, "published": host, "target": c_start}]
    if h_end - h_start != c_end - c_start:
        raise ValueError(f"invalid port range {spec!r}: host and container ranges differ in length")
    return [
        {**base, "published": str(h_start + i), "target": c_start + i}
        for i in range(c_end - c_start + 1)
    ]


def _is_file_path(source: str) -> bool:
    """A bind source: starts with ``.``, ``/`` or ``~``, a ``\\\\`` pipe, or a drive (``c:``)."""
    return source[:1] in (".", "/", "~") or source.startswith("\\\\") or _is_drive(source[:1], source[1:2])


def _is_drive(buffer: str, char: str) -> bool:
    return char == ":" and len(buffer) == 1 and buffer.isalpha()


def parse_volume(spec: str) -> dict[str, Any]:
    """ "[source:]target[:options]" → a long-syntax mount, scanned as compose-go's ParseVolume does.

    A ``:`` right after a single letter belongs to that part (a Windows drive: ``c:/x``), in any
    part; a spec of one or two characters is a target; unknown options are ignored.
    """
    if not spec:
        raise ValueError("invalid empty volume spec")
    if len(spec) <= 2:
        return {"type": "volume", "target": spec, "volume": {}}
    parts: list[str] = []
    buffer = ""
    for char in spec:
        if char == ":" and not _is_drive(buffer, char):
            parts.append(buffer)
            buffer = ""
        else:
            buffer += char
    parts.append(buffer)
    if any(not p for p in parts):
        raise ValueError(f"invalid volume specification {spec!r}: empty section between colons")
    if len(parts) > 3:
        raise ValueError(f"invalid volume specification {spec!r}: too many colons")
    mount: dict[str, Any] = {}
    if len(parts) == 1:
        mount["target"] = parts[0]
    else:
        mount["source"], mount["target"] = parts[0], parts[1]
    bind: dict[str, Any] = {}
    for option in (parts[2].split(",") if len(parts) == 3 else []):
        if option in ("ro", "rw"):
            mount["read_only"] = option == "ro"
        elif option == "nocopy":
            mount["volume"] = {"nocopy": True}
        elif option in ("z", "Z"):
            bind["selinux"] = option
        elif option in _BIND_PROPAGATION:
            bind["propagation"] = option
    mount["target"] = clean_posix(mount["target"])
    if _is_file_path(mount.get("source", "")):
        mount["type"] = "bind"
        mount["bind"] = {**bind, "create_host_path": True}
    else:
        mount["type"] = "volume"
        mount.setdefault("volume", {})
        if bind:
            mount["bind"] = bind
    return mount


def clean_posix(path: str) -> str:
    """Go's path.Clean for container paths: ``//var/run/x`` → ``/var/run/x``, ``/c//d/`` → ``/c/d``."""
    if not path.startswith("/"):
        return path
    return "/" + posixpath.normpath(path).lstrip("/")
