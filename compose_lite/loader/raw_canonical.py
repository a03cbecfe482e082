"""The uninterpolated model's short → long pass: compose-go's own transformer set
(transform/canonical.go), every other key kept as written."""

from __future__ import annotations

from typing import Any

from compose_lite.loader.canonical import (
    Converter,
    _build,
    _depends_on,
    _device,
    _env_file,
    _extends,
    _go_string,
    _gpus,
    _key_value_or_list,
    _maybe_external,
    _networks_of_service,
    _ssh,
    _string_list,
    _volume_mount,
    index,
)
from compose_lite.loader.short_syntax import parse_port


def _as_written(fn: Converter) -> Converter:
    """Uninterpolated, compose-go keeps what it cannot parse (``${PORT}:80``) as written."""
    def convert(value: Any) -> Any:
        try:
            return fn(value)
        except ValueError:
            return value
    return convert


def _raw_ports(value: Any) -> Any:
    """compose-go's ports transformer: long entries kept as written, short ones parsed; one entry
    it cannot parse keeps the whole list as written."""
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for entry in value:
        out.extend([entry] if isinstance(entry, dict) else parse_port(str(entry)))
    return out


def _source_mount(value: Any) -> Any:
    return {"source": value} if isinstance(value, str) else value


# compose-go's own transformer set (transform/canonical.go), used when nothing is interpolated:
# every other key stays as written.
RAW_TRANSFORMS: dict[str, Converter] = {
    "services.*.build": _build,
    "services.*.build.secrets.*": _source_mount,
    "services.*.build.provenance": _go_string,
    "services.*.build.sbom": _go_string,
    "services.*.build.additional_contexts": _as_written(_key_value_or_list),
    "services.*.depends_on": _depends_on,
    "services.*.env_file": _env_file,
    "services.*.label_file": _string_list,
    "services.*.extends": _extends,
    "services.*.gpus": _gpus,
    "services.*.networks": _networks_of_service,
    "services.*.models": _networks_of_service,
    "services.*.volumes.*": _as_written(_volume_mount),
    "services.*.dns": _string_list,
    "services.*.devices.*": _device,
    "services.*.secrets.*": _source_mount,
    "services.*.configs.*": _source_mount,
    "services.*.ports": _as_written(_raw_ports),
    "services.*.build.ssh": _ssh,
    "services.*.develop.watch.*.ignore": _string_list,
    "services.*.develop.watch.*.include": _string_list,
    "networks.*": _maybe_external,
    "volumes.*": _maybe_external,
    "secrets.*": _maybe_external,
    "configs.*": _maybe_external,
}

RAW_TABLE = index(RAW_TRANSFORMS)
