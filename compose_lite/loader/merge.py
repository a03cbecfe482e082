"""Multi-file override rules (compose-go's override package), on canonical trees.

Default rules: mappings merge key by key, sequences append, scalars are replaced.
Path patterns select the exceptions (``command`` is replaced, ``logging`` depends
on the driver, …).  ``!reset`` removes what earlier files set; ``!override``
replaces it without merging.  After merging, :func:`enforce_unicity` keeps one
entry per identity in sequences where Compose does (ports, volumes, secrets, …),
the later entry winning in the earlier one's place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compose_lite.errors import ConfigError
from compose_lite.loader.tags import Override, Reset

Rule = Callable[[Any, Any, tuple[str, ...]], Any]
Indexer = Callable[[Any], str]


# Maps whose entries are data: a null entry there (`KEY:`) replaces the earlier value.
_KEYED_BY_USER = frozenset({
    "environment", "labels", "annotations", "sysctls", "args", "options", "driver_opts",
})


def _replace(_base: Any, over: Any, _path: tuple[str, ...]) -> Any:
    return over


def _keep_base_when_null(base: Any, over: Any, path: tuple[str, ...]) -> Any:
    """Service networks / models: ``name:`` (null) on top of settings keeps the settings."""
    if over is None:
        return base
    return merge_values(base, over, path, special=False)


def _logging(base: Any, over: Any, path: tuple[str, ...]) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        driver = over.get("driver")
        if driver is not None and base.get("driver") not in (None, driver):
            return over
    return merge_values(base, over, path, special=False)


def _ipam_pools(base: Any, over: Any, path: tuple[str, ...]) -> Any:
    """``ipam.config`` entries merge by subnet: the same subnet is one pool, others are appended."""
    if not isinstance(base, list) or not isinstance(over, list):
        return merge_values(base, over, path, special=False)
    out = list(base)
    for pool in strip_tags(over):
        subnet = pool.get("subnet") if isinstance(pool, dict) else None
        same = next((i for i, known in enumerate(out)
                     if isinstance(known, dict) and subnet and known.get("subnet") == subnet), None)
        if same is None:
            out.append(pool)
        else:
            out[same] = merge_values(out[same], pool, (*path, "*"), special=False)
    return out


def _volume_labels(base: Any, over: Any, path: tuple[str, ...]) -> Any:
    """compose-go appends a volume's labels from each file as ``KEY=value`` items and, unlike other
    labels, never folds repeats: the same label with the same value in two files fails its schema.
    (An empty value is left alone: canonical trees no longer tell ``KEY`` from ``KEY=``.)"""
    if isinstance(base, dict) and isinstance(over, dict):
        repeated = [k for k, v in over.items() if v not in (None, "") and base.get(k) == v]
        if repeated:
            raise ConfigError(f"the label {repeated[0]}={over[repeated[0]]} is set by two files",
                              path=".".join(path), hint="Compose appends a volume's labels from each file "
                              "and refuses a repeated one: keep it in one file")
    return merge_values(base, over, path, special=False)


def _extra_hosts(base: Any, over: Any, path: tuple[str, ...]) -> Any:
    """compose-go's mergeExtraHosts: the earlier entries, then the later ones not among them, and no
    other de-duplication (a file repeating an entry fails the schema's unique items)."""
    if isinstance(base, list) and isinstance(over, list):
        return base + [entry for entry in strip_tags(over) if entry not in base]
    return merge_values(base, over, path, special=False)


RULES: dict[str, Rule] = {
    "services.*.command": _replace,
    "services.*.entrypoint": _replace,
    "services.*.healthcheck.test": _replace,
    "services.*.ulimits.*": _replace,
    "services.*.build.ulimits.*": _replace,
    "services.*.logging": _logging,
    "services.*.networks.*": _keep_base_when_null,
    "services.*.models.*": _keep_base_when_null,
    "services.*.extends": _replace,
    "networks.*.ipam.config": _ipam_pools,
    "volumes.*.labels": _volume_labels,
    "services.*.extra_hosts": _extra_hosts,
    "services.*.build.extra_hosts": _extra_hosts,
}


def _by_value(item: Any) -> str:
    return repr(item)


def _port_key(item: Any) -> str:
    if not isinstance(item, dict):
        return repr(item)
    return "{}:{}:{}/{}".format(item.get("host_ip", ""), item.get("published", ""), item.get("target"),
                                item.get("protocol", "tcp"))


def _by_key(item: Any) -> str:
    """``KEY=value`` items (environment, labels... in list form) are one entry per KEY."""
    return str(item).partition("=")[0] if isinstance(item, str) else repr(item)


def _field(name: str, default_prefix: str | None = None) -> Indexer:
    def index(item: Any) -> str:
        if not isinstance(item, dict):
            return repr(item)
        if name in item and item[name] is not None:
            return str(item[name])
        if default_prefix is not None:
            return default_prefix + str(item.get("source"))
        return repr(item)
    return index


UNIQUE: dict[str, Indexer] = {
    "services.*.ports": _port_key,
    "services.*.volumes": _field("target"),
    "services.*.devices": _field("target"),
    "services.*.secrets": _field("target", "/run/secrets/"),
    "services.*.configs": _field("target", "/"),
    "services.*.env_file": _field("path"),
    "services.*.expose": _by_value,
    "services.*.cap_add": _by_value,
    "services.*.cap_drop": _by_value,
    "services.*.dns": _by_value,
    "services.*.dns_opt": _by_value,
    "services.*.dns_search": _by_value,
    "services.*.links": _by_value,
    "services.*.profiles": _by_value,
    "services.*.tmpfs": _by_value,
    "services.*.build.tags": _by_value,
    "services.*.build.platforms": _by_value,
    "services.*.networks.*.aliases": _by_value,
    "services.*.networks.*.link_local_ips": _by_value,
    "services.*.environment": _by_key,
    "services.*.labels": _by_key,
    "services.*.annotations": _by_key,
    "services.*.sysctls": _by_key,
    "services.*.build.args": _by_key,
    "services.*.build.labels": _by_key,
    "services.*.deploy.labels": _by_key,
    "networks.*.labels": _by_key,
    "volumes.*.labels": _by_key,
}

_RULES = [(tuple(p.split(".")), fn) for p, fn in RULES.items()]
_UNIQUE = [(tuple(p.split(".")), fn) for p, fn in UNIQUE.items()]


def _lookup(table: list[tuple[tuple[str, ...], Any]], path: tuple[str, ...]) -> Any:
    for pattern, fn in table:
        if len(pattern) == len(path) and all(p in ("*", k) for p, k in zip(pattern, path, strict=True)):
            return fn
    return None


def strip_tags(node: Any) -> Any:
    """A tree with ``!override`` unwrapped and ``!reset`` keys removed (nothing left to merge with)."""
    if isinstance(node, Override):
        return strip_tags(node.value)
    if isinstance(node, dict):
        return {k: strip_tags(v) for k, v in node.items() if not isinstance(v, Reset)}
    if isinstance(node, list):
        return [strip_tags(v) for v in node if not isinstance(v, Reset)]
    return node


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` (a later file, or an extending service) applied on top of ``base``."""
    result = merge_values(base, over, ())
    assert isinstance(result, dict)
    return result


def merge_values(base: Any, over: Any, path: tuple[str, ...], *, special: bool = True) -> Any:
    if isinstance(over, Override):
        return strip_tags(over.value)
    if special:
        rule = _lookup(_RULES, path)
        if rule is not None:
            return rule(base, strip_tags(over) if rule is _replace else over, path)
    if over is None and not (len(path) >= 2 and path[-2] in _KEYED_BY_USER):
        return base  # `environment:` with every entry commented out: the base value stays
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            if isinstance(value, Reset):
                out.pop(key, None)
            elif key in out:
                out[key] = merge_values(out[key], value, (*path, str(key)))
            else:
                out[key] = strip_tags(value)
        return out
    if isinstance(base, list) and isinstance(over, list):
        return base + strip_tags(over)
    return strip_tags(over)


def enforce_unicity(node: Any, path: tuple[str, ...] = ()) -> Any:
    """One entry per identity in the sequences Compose de-duplicates; the last wins."""
    if isinstance(node, dict):
        return {k: enforce_unicity(v, (*path, str(k))) for k, v in node.items()}
    if not isinstance(node, list):
        return node
    items = [enforce_unicity(v, (*path, "*")) for v in node]
    index = _lookup(_UNIQUE, path)
    if index is None:
        return items
    out: list[Any] = []
    seen: dict[str, int] = {}
    for item in items:
        key = index(item)
        if key in seen:
            out[seen[key]] = item
        else:
            seen[key] = len(out)
            out.append(item)
    return out
