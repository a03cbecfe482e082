"""Short → long syntax: every value in the one spelling Compose's model prints.

A table maps path patterns ("services.*.ports") to converters, like compose-go's
transform package; the walker visits the tree once and applies the first
matching converter.  Converters are pure, idempotent (long syntax passes through
unchanged) and raise ValueError with a user-facing reason on malformed input;
the walker turns that into a ConfigError carrying the dotted path.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from compose_lite.errors import ConfigError, ConfigErrors, Position
from compose_lite.loader.short_syntax import parse_port, parse_volume, port_number
from compose_lite.loader.tags import Override, Reset
from compose_lite.loader.units import normalize_duration, parse_bytes

Converter = Callable[[Any], Any]


def scalar_text(value: Any) -> str:
    """A YAML scalar as Go's ``fmt.Sprint`` writes it into a string field (true → "true",
    1.0 → "1", 1234567.0 → "1.234567e+06")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


def go_float(value: float) -> str:
    """Go's %v for a float64: the shortest digits, in exponent form when the exponent is below -4
    or 6 and above; infinities and NaN as +Inf, -Inf, NaN."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    point = len(text) + int(exponent)  # digits before the decimal point
    magnitude = point - 1
    prefix = "-" if sign else ""
    if magnitude < -4 or magnitude >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if magnitude < 0 else '+'}{abs(magnitude):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{text}"
    if point >= len(text):
        return prefix + text + "0" * (point - len(text))
    return f"{prefix}{text[:point]}.{text[point:]}"


def _to_mapping(value: Any, *, keep_null: bool = True, sep: str = "=") -> Any:
    """["A=1", "B"] or {"A": 1} → {"A": "1", "B": None}; values become strings."""
    if isinstance(value, list):
        out: dict[str, Any] = {}
        for item in value:
            key, found, val = str(item).partition(sep)
            out[key] = val if found else None
        value = out
    if not isinstance(value, dict):
        return value
    return {
        # a `!reset`/`!override` entry stays tagged: the merge with earlier files acts on it
        str(k): v if isinstance(v, Reset | Override) else
        (None if keep_null else "") if v is None else scalar_text(v)
        for k, v in value.items()
    }


def _labels(value: Any) -> Any:
    """Labels keep null as "" (Go's map[string]string)."""
    return _to_mapping(value, keep_null=False)


def _string_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _command(value: Any) -> Any:
    """A shell-style string is split like Compose does; lists stay as given."""
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError as err:
            raise ValueError(f"invalid command line {value!r}: {err}") from None
    if isinstance(value, list):
        return [scalar_text(v) for v in value]
    return value


def _duration(value: Any) -> Any:
    if value is None:
        return None
    try:
        return normalize_duration(value)
    except ValueError:
        raise ValueError(f"invalid duration {value!r}") from None


def _bytes(value: Any) -> Any:
    if value is None:
        return None
    return str(parse_bytes(value))


def _go_string(value: Any) -> Any:
    """A field compose-go types as a string: a YAML boolean or number lands there as its text."""
    return None if value is None else scalar_text(value)


def _weight_device(value: Any) -> Any:
    """A blkio weight entry as compose-go's model holds it: Go's field names (the JSON has no tags)."""
    if not isinstance(value, dict):
        return value
    return {"Path": value.get("path", ""), "Weight": value.get("weight", 0)}


def _throttle_device(value: Any) -> Any:
    """A blkio bps or iops entry: Go's field names, the rate a byte count printed as a string."""
    if not isinstance(value, dict):
        return value
    return {"Path": value.get("path", ""), "Rate": _bytes(value.get("rate", 0))}


def _number_float(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"invalid number {value!r}") from None
    return value


def _whole(value: Any) -> Any:
    """An integer field written with a fraction: compose-go's decoder keeps the whole part."""
    return int(value) if isinstance(value, float) else value


def _octal_mode(value: Any) -> Any:
    """File modes print as Go's "0440"; a YAML 0440 is already the number 288."""
    if isinstance(value, str):
        text = value.strip().lower().removeprefix("0o")
        value = int(text, 8)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"0{value:o}"
    return value


def _file_mount(value: Any) -> Any:
    mount = {"source": value} if isinstance(value, str) else dict(value)
    for key in ("uid", "gid"):
        if key in mount and mount[key] is not None:
            mount[key] = scalar_text(mount[key])
    if "mode" in mount:
        mount["mode"] = _octal_mode(mount["mode"])
    return mount


def _healthcheck(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    check = dict(value)
    test = check.get("test")
    if isinstance(test, str):
        check["test"] = ["CMD-SHELL", test]
    for key in ("interval", "timeout", "start_period", "start_interval"):
        if key in check:
            check[key] = _duration(check[key])
    return check


def _ports(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for entry in value:
        if isinstance(entry, dict):
            port = dict(entry)
            if "published" in port and port["published"] is not None:
                port["published"] = scalar_text(port["published"])
            if isinstance(port.get("target"), str):
                port["target"] = port_number(port["target"])
            out.append(port)
        elif isinstance(entry, int) and not isinstance(entry, bool):
            out.append({"target": entry})
        else:
            out.extend(parse_port(str(entry)))
    return out


def _multi_options(value: Any) -> Any:
    """A provider's options: every value a list of strings (Go's MultiOptions)."""
    if not isinstance(value, dict):
        return value
    return {k: [scalar_text(i) for i in (v if isinstance(v, list) else [v])] for k, v in value.items()}


def _ipam(value: Any) -> Any:
    """Compose's IPAM model has no ``options``: they are not part of the project."""
    return {k: v for k, v in value.items() if k != "options"} if isinstance(value, dict) else value


def _gpus(value: Any) -> Any:
    """``gpus: all`` is one request for every device."""
    return [{"count": "all"}] if isinstance(value, str) else value


def _device_count(value: Any) -> Any:
    """A device request's ``count``: ``all`` (any case) is -1, a numeric string a number."""
    if isinstance(value, str):
        if value.lower() == "all":
            return -1
        if value.strip().lstrip("-").isdigit():
            return int(value)
        raise ValueError(f"invalid value {value!r}, the only value allowed is 'all' or a number")
    return value


def _volume_mount(value: Any) -> Any:
    return parse_volume(value) if isinstance(value, str) else value


def _device(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    parts = value.split(":")
    if len(parts) > 3:
        raise ValueError(f"invalid device specification {value!r}")
    source = parts[0]
    target = parts[1] if len(parts) > 1 else source
    permissions = parts[2] if len(parts) > 2 else "rwm"
    return {"source": source, "target": target, "permissions": permissions}


STARTED = {"condition": "service_started", "required": True}


def _depends_on(value: Any) -> Any:
    """A list names complete entries (a later file's list resets a condition, as in Compose); a
    mapping entry keeps only what it says, so a later file's ``{restart: true}`` keeps the earlier
    condition. The defaults come after the merge (``set_defaults``)."""
    if isinstance(value, list):
        return {name: dict(STARTED) for name in value}
    if not isinstance(value, dict):
        return value
    return {name: dict(dep or {}) for name, dep in value.items()}


def _env_file(value: Any) -> Any:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return value
    out: list[dict[str, Any]] = []
    for item in items:
        entry = {"path": item} if isinstance(item, str) else dict(item)
        entry.setdefault("required", True)
        out.append(entry)
    return out


def _networks_of_service(value: Any) -> Any:
    if isinstance(value, list):
        return {name: None for name in value}
    return value


def _extra_hosts(value: Any) -> Any:
    if isinstance(value, dict):
        out = []
        for host, ips in value.items():
            for ip in ips if isinstance(ips, list) else [ips]:
                out.append(_host_entry(f"{host}={ip}"))
        return out
    if isinstance(value, list):
        return [entry for item in value for entry in _host_entries(str(item))]
    return value


def _host_entries(entry: str) -> list[str]:
    """ "host:ip" (old spelling) → "host=ip"; IPv6 addresses keep their colons, lose brackets;
    "host=ip1,ip2" is one entry per address, as compose-go reads it."""
    host, sep, ips = entry.partition("=")
    if not sep:
        host, _, ips = entry.partition(":")
    return [_host_entry(f"{host}={ip}") for ip in ips.split(",")]


def _host_entry(entry: str) -> str:
    host, _, ip = entry.partition("=")
    if ip.startswith("[") and ip.endswith("]"):
        ip = ip[1:-1]
    return f"{host}={ip}"


def _build(value: Any) -> Any:
    return {"context": value} if isinstance(value, str) else value


def _extends(value: Any) -> Any:
    return {"service": value} if isinstance(value, str) else value


def _expose(value: Any) -> Any:
    """Lists of strings that YAML may type as numbers (``expose: [80]``, ``group_add: [1000]``)."""
    return [scalar_text(v) for v in value] if isinstance(value, list) else value


def _checked_mapping(value: Any, refusal: Callable[[str], str | None]) -> Any:
    """A ``[KEY=VALUE, ...]`` list as a mapping, each item first checked: ``refusal`` says why one
    is refused, or None."""
    if not isinstance(value, list):
        return value
    for item in value:
        reason = refusal(str(item))
        if reason:
            raise ValueError(reason)
    return _to_mapping(value)


def _key_value_or_list(value: Any) -> Any:
    """An item without ``=`` is refused."""
    return _checked_mapping(value, lambda item: None if "=" in item else
                            f"invalid value {item}, expected key=value")


def _ssh(value: Any) -> Any:
    """``[default, id=path]``: a bare id other than ``default`` is refused."""
    return _checked_mapping(value, lambda item: None if "=" in item or item == "default" else
                            f'invalid ssh key "{item}"')


def _environment(value: Any) -> Any:
    """A list entry's name cannot end in blanks (``A =1``)."""
    def trailing_blank(item: str) -> str | None:
        key = item.partition("=")[0]
        if key == key.rstrip():
            return None
        return f"environment variable {key} is declared with a trailing space"

    return _checked_mapping(value, trailing_blank) if isinstance(value, list) else _to_mapping(value)


def _maybe_external(value: Any) -> Any:
    """Deprecated `external: {name: x}` → `external: true` + `name: x`; null → {}."""
    if value is None:
        return {}
    if isinstance(value, dict) and isinstance(value.get("external"), dict):
        value = dict(value)
        ext = value.pop("external")
        value["external"] = True
        if "name" in ext:
            if "name" in value and value["name"] != ext["name"]:
                raise ValueError("name and external.name conflict; only use name")
            value["name"] = ext["name"]
    return value


def _watch(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for rule in value:
        if isinstance(rule, dict):
            rule = dict(rule)
            for key in ("include", "ignore"):
                if isinstance(rule.get(key), str):
                    rule[key] = [rule[key]]
            if isinstance(rule.get("exec"), dict):
                rule["exec"] = _hook(rule["exec"])
        if isinstance(rule, dict) and isinstance(rule.get("path"), list):
            out.extend({**rule, "path": p} for p in rule["path"])
        else:
            out.append(rule)
    return out


def _hook(value: Any) -> Any:
    if isinstance(value, dict) and "command" in value:
        return {**value, "command": _command(value["command"])}
    return value


# Patterns are dotted paths; "*" matches any one key or list index.
TRANSFORMS: dict[str, Converter] = {
    "services.*.build": _build,
    "services.*.build.args": _to_mapping,
    "services.*.build.labels": _labels,
    "services.*.build.additional_contexts": _key_value_or_list,
    "services.*.build.extra_hosts": _extra_hosts,
    "services.*.build.secrets.*": _file_mount,
    "services.*.build.shm_size": _bytes,
    "services.*.build.ssh": _ssh,
    "services.*.build.provenance": _go_string,
    "services.*.build.sbom": _go_string,
    "services.*.command": _command,
    "services.*.entrypoint": _command,
    "services.*.configs.*": _file_mount,
    "services.*.secrets.*": _file_mount,
    "services.*.cpus": _number_float,
    "services.*.depends_on": _depends_on,
    "services.*.deploy.labels": _labels,
    "services.*.deploy.resources.limits.cpus": _number_float,
    "services.*.deploy.resources.limits.memory": _bytes,
    "services.*.deploy.resources.reservations.cpus": _number_float,
    "services.*.deploy.resources.reservations.memory": _bytes,
    "services.*.deploy.restart_policy.delay": _duration,
    "services.*.deploy.restart_policy.window": _duration,
    "services.*.deploy.update_config.delay": _duration,
    "services.*.deploy.update_config.monitor": _duration,
    "services.*.deploy.rollback_config.delay": _duration,
    "services.*.deploy.rollback_config.monitor": _duration,
    "services.*.develop.watch": _watch,
    "services.*.devices.*": _device,
    "services.*.dns": _string_list,
    "services.*.dns_search": _string_list,
    "services.*.env_file": _env_file,
    "services.*.environment": _environment,
    "services.*.annotations": _labels,
    "services.*.labels": _labels,
    "services.*.label_file": _string_list,
    "services.*.expose": _expose,
    "services.*.group_add": _expose,
    "services.*.extends": _extends,
    "services.*.extra_hosts": _extra_hosts,
    "services.*.healthcheck": _healthcheck,
    "services.*.logging.options": _labels,
    "services.*.mem_limit": _bytes,
    "services.*.blkio_config.weight_device.*": _weight_device,
    "services.*.blkio_config.device_read_bps.*": _throttle_device,
    "services.*.blkio_config.device_write_bps.*": _throttle_device,
    "services.*.blkio_config.device_read_iops.*": _throttle_device,
    "services.*.blkio_config.device_write_iops.*": _throttle_device,
    "services.*.mem_swappiness": _bytes,
    "services.*.provider.options": _multi_options,
    "services.*.post_start.*.environment": _to_mapping,
    "services.*.pre_stop.*.environment": _to_mapping,
    "services.*.develop.watch.*.exec.environment": _to_mapping,
    "networks.*.ipam": _ipam,
    "services.*.mem_reservation": _bytes,
    "services.*.memswap_limit": _bytes,
    "services.*.shm_size": _bytes,
    "services.*.networks": _networks_of_service,
    "services.*.networks.*.driver_opts": _labels,
    "services.*.networks.*.priority": _whole,
    "services.*.networks.*.gw_priority": _whole,
    "services.*.deploy.resources.reservations.devices.*.count": _device_count,
    "services.*.gpus": _gpus,
    "services.*.gpus.*.count": _device_count,
    "services.*.models": _networks_of_service,
    "services.*.ports": _ports,
    "services.*.post_start.*": _hook,
    "services.*.pre_stop.*": _hook,
    "services.*.stop_grace_period": _duration,
    "services.*.sysctls": _labels,
    "services.*.tmpfs": _string_list,
    "services.*.volumes.*": _volume_mount,
    "services.*.volumes.*.tmpfs.size": _bytes,
    "networks.*": _maybe_external,
    "networks.*.labels": _labels,
    "networks.*.driver_opts": _labels,
    "volumes.*": _maybe_external,
    "volumes.*.labels": _labels,
    "volumes.*.driver_opts": _labels,
    "secrets.*": _maybe_external,
    "configs.*": _maybe_external,
}

_Entry = tuple[int, tuple[str, ...], Converter]  # (table order, pattern, converter)
Buckets = dict[tuple[int, str], list[_Entry]]


def index(table: dict[str, Converter]) -> dict[tuple[int, str], list[_Entry]]:
    """Patterns bucketed by (length, last part): each node is checked against a handful, not all."""
    buckets: Buckets = {}
    for order, (text, fn) in enumerate(table.items()):
        pattern = tuple(text.split("."))
        buckets.setdefault((len(pattern), pattern[-1]), []).append((order, pattern, fn))
    return buckets


TABLE = index(TRANSFORMS)


def _converter(path: tuple[str, ...], buckets: Buckets) -> Converter | None:
    """The first table entry (in table order) whose pattern matches ``path``."""
    if not path:
        return None
    candidates = buckets.get((len(path), path[-1]), []) + buckets.get((len(path), "*"), [])
    for _, pattern, fn in sorted(candidates, key=lambda entry: entry[0]):
        if all(p in ("*", k) for p, k in zip(pattern, path, strict=True)):
            return fn
    return None


def _dotted(path: tuple[str, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


PositionLookup = Callable[[tuple[str | int, ...]], Position | None]


def canonicalize(data: dict[str, Any], position_of: PositionLookup | None = None, *,
                 table: Buckets = TABLE) -> dict[str, Any]:
    """Return a copy of a Compose tree with every field in long syntax (``table``: another
    converter table, as ``index`` makes it).

    ``!override`` values are converted inside their wrapper; ``!reset`` ones are
    left for the merge.  Raises ConfigErrors with every malformed field, each with its
    dotted path and, when ``position_of`` knows it, its file:line:col.
    """
    errors: list[ConfigError] = []
    result = _walk(data, (), errors, position_of or (lambda _path: None), table)
    if errors:
        raise ConfigErrors(errors)
    assert isinstance(result, dict)
    return result


def _walk(node: Any, path: tuple[str, ...], errors: list[ConfigError], position_of: PositionLookup,
          buckets: Buckets) -> Any:
    if (path and path[-1].startswith("x-")) or isinstance(node, Reset):
        return node
    if isinstance(node, Override):
        return Override(_walk(node.value, path, errors, position_of, buckets))
    if isinstance(node, list) and any(isinstance(v, Reset | Override) for v in node):
        # a tag on one list item: `!reset` drops the item, `!override` is the item itself
        node = [v.value if isinstance(v, Override) else v for v in node if not isinstance(v, Reset)]
    fn = _converter(path, buckets)
    if fn is not None:
        try:
            node = fn(node)
        except (ValueError, TypeError, AttributeError) as err:
            source = tuple(int(p) if p.isdigit() else p for p in path)
            errors.append(ConfigError(_reason(err, node), path=_dotted(path), position=position_of(source)))
            return node
    if isinstance(node, dict):
        return {k: _walk(v, (*path, str(k)), errors, position_of, buckets) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(v, (*path, str(i)), errors, position_of, buckets) for i, v in enumerate(node)]
    return node


def _reason(err: Exception, value: Any) -> str:
    """Our converters word their ValueErrors for users; Python's own messages are not shown."""
    text = str(err)
    if isinstance(err, ValueError) and text.startswith("invalid ") and "literal for" not in text:
        return text
    return f"invalid value {_show(value)}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


