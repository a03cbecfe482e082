"""The Compose loader: files → plain tree → interpolated, validated, merged, bound model.

What the rest of compose-lite may use is exported here; the modules behind it are the loader's
own. The exports load lazily (PEP 562), so `cl --help` and `cl ps` import none of the loader's
heavy parts (yaml, jsonschema) until something asks for them. No export is named like a module
of the package: importing that module would replace the export with the module.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compose_lite.loader.coverage import why_unsupported
    from compose_lite.loader.cycles import find_cycle
    from compose_lite.loader.discover import discover as discover_files
    from compose_lite.loader.discover import validate_project_name
    from compose_lite.loader.door import LoadResult, load
    from compose_lite.loader.dotenv import read_dotenv
    from compose_lite.loader.inputs import read_capped
    from compose_lite.loader.interpolate import variables_used
    from compose_lite.loader.parse import parse_yaml_all
    from compose_lite.loader.profiles import all_profiles
    from compose_lite.loader.request import LoadRequest
    from compose_lite.loader.selection import select_services
    from compose_lite.loader.short_syntax import parse_port, parse_volume
    from compose_lite.loader.suggest import did_you_mean
    from compose_lite.loader.units import parse_bytes, parse_duration

# export → (the module that defines it, its name there)
_RENAMED = {"discover_files": ("discover", "discover")}
_EXPORTS = {
    "parse_port": "short_syntax",
    "parse_volume": "short_syntax",
    "why_unsupported": "coverage",
    "find_cycle": "cycles",
    "read_dotenv": "dotenv",
    "read_capped": "inputs",
    "variables_used": "interpolate",
    "LoadResult": "door",
    "load": "door",
    "parse_yaml_all": "parse",
    "all_profiles": "profiles",
    "LoadRequest": "request",
    "select_services": "selection",
    "did_you_mean": "suggest",
    "parse_bytes": "units",
    "parse_duration": "units",
    "validate_project_name": "discover",
}
__all__ = [
    "LoadRequest",
    "LoadResult",
    "all_profiles",
    "did_you_mean",
    "discover_files",
    "find_cycle",
    "load",
    "parse_bytes",
    "parse_duration",
    "parse_port",
    "parse_volume",
    "parse_yaml_all",
    "read_capped",
    "read_dotenv",
    "select_services",
    "validate_project_name",
    "variables_used",
    "why_unsupported",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS and name not in _RENAMED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _RENAMED.get(name) or (_EXPORTS[name], name)
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value  # looked up once
    return value
