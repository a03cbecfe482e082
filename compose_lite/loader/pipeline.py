"""The one public loader entry: ``load(LoadRequest) -> LoadedProject``.

Stage order follows compose-go.  Per file: parse → interpolate → schema → short→long
→ relative paths (against that file's project directory) → extends → include.
Then files merge in order, duplicates in lists collapse, profiles filter the
services, env files fold into ``environment``, defaults are filled and references
are checked.  ``model`` is exactly the tree ``config --format json`` prints, except
that ``$`` is not re-escaped (that is an output concern).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compose_lite.errors import ConfigError, ConfigErrors, Position
from compose_lite.loader import canonical, defaults, inputs, merge, resolve, schema_cache
from compose_lite.loader.consistency import check_consistency
from compose_lite.loader.cycles import find_cycle
from compose_lite.loader.discover import ProjectSource, discover, normalize_project_name, resolve_project_name
from compose_lite.loader.dotenv import read_dotenv, read_env_file_raw
from compose_lite.loader.extends import apply_extends
from compose_lite.loader.include import IncludeEntry, apply_include
from compose_lite.loader.parse import Document, nearest_position, parse_yaml_all
from compose_lite.loader.paths import format_path
from compose_lite.loader.profiles import split_by_profiles, with_named_enabled
from compose_lite.loader.raw_canonical import RAW_TABLE
from compose_lite.loader.request import LoadedProject, LoadRequest
from compose_lite.loader.selection import without_unused_resources
from compose_lite.loader.suggest import did_you_mean
from compose_lite.loader.tags import Timestamp
from compose_lite.loader.zero_values import drop_zero_values


@dataclass
class _Session:
    """State shared by the per-file loads of one ``load`` call."""

    request: LoadRequest
    environment: dict[str, str]
    warnings: list[ConfigError] = field(default_factory=list)
    # The main files' documents, parsed once: the project name is read from them before interpolation.
    parsed: dict[str, list[Document]] = field(default_factory=dict)
    # Where each value of the main files starts (a later file's position wins), for reference errors.
    positions: dict[tuple[str | int, ...], Position] = field(default_factory=dict)

    def lookup(self, name: str) -> str | None:
        return self.environment.get(name)


def load(request: LoadRequest) -> LoadedProject:
    """Load, merge and normalize the project's Compose files. Raises ConfigError(s)."""
    source = discover(request)
    session = _Session(request, dict(source.environment), list(source.warnings))
    name = _project_name(session, source)
    # As in Compose, the files see the final project name, whatever the shell or .env said
    session.environment["COMPOSE_PROJECT_NAME"] = name
    model: dict[str, Any] = {}
    several = len(source.config_files) > 1
    for index, config_file in enumerate(source.config_files):
        file = config_file.path
        data = _load_file(
            session, file, base_dir=source.working_dir, chain=(file,), content=config_file.content,
            positions=session.positions, allow_empty=several, base=model if index else None,
        )
        data = _empty_services_as_mappings(data)
        model = data if index == 0 else merge.merge(model, data)
    model = merge.enforce_unicity(merge.strip_tags(model))
    if not model:  # Compose refuses a project whose files hold nothing, `{}` included
        first = source.config_files[0].path
        raise ConfigError("empty compose file", position=Position(first, 1, 1),
                          hint="add at least a `services:` section")
    if "version" in model:
        del model["version"]
        session.warnings.append(ConfigError(
            "the attribute `version` is obsolete, it will be ignored, "
            "please remove it to avoid potential confusion"
        ))
    services = model.get("services") or {}
    profiles = with_named_enabled(services, source.profiles, request.services)
    # Uninterpolated, Compose prints its raw model (LoadModel): no profiles applied, unused
    # resources and zero values kept
    raw = not request.interpolate
    enabled, disabled = (services, {}) if raw else split_by_profiles(services, profiles)
    model = {"name": name, **{k: v for k, v in model.items() if k != "name"}, "services": enabled}
    errors: list[ConfigError] = []
    if request.normalize:
        if request.resolve_env_files:
            model["services"] = {
                svc_name: _resolve_environment(session, svc, svc_name, errors)
                for svc_name, svc in enabled.items()
            }
        working_dir = source.working_dir if request.resolve_paths else "."
        model = defaults.set_defaults(model, project_name=name, working_dir=working_dir) if not raw \
            else defaults.set_raw_defaults(model, project_name=name, working_dir=working_dir)
    if request.consistency:  # compose-go's checkConsistency: references and cycles are part of it
        errors.extend(check_references(model, disabled, session.positions))
        errors.extend(_with_position(e, session.positions) for e in check_consistency(model, disabled))
    if errors:
        raise ConfigErrors(errors)
    if request.normalize and not request.all_resources and not raw:
        model = without_unused_resources(model)
    if not raw:
        model = drop_zero_values(model)
    return LoadedProject(
        name=name,
        working_dir=source.working_dir,
        config_files=[f.path for f in source.config_files],
        environment=session.environment,
        model=model,
        warnings=session.warnings,
        active_profiles=profiles,
        disabled_services=disabled,
    )


def _project_name(session: _Session, source: ProjectSource) -> str:
    """-p or COMPOSE_PROJECT_NAME, else the files' top-level ``name:`` (the last one set, interpolated
    without COMPOSE_PROJECT_NAME and normalized as Compose does), else the working directory's name."""
    if source.project_name:
        return source.project_name
    several = len(source.config_files) > 1
    raw_name: Any = None
    for config in source.config_files:
        docs = parse_yaml_all(config.content, config.path, allow_empty=several)
        session.parsed[config.path] = docs
        for doc in docs:
            if isinstance(doc.data, dict) and doc.data.get("name") is not None:
                raw_name = doc.data["name"]
    if raw_name is not None and session.request.interpolate and isinstance(raw_name, str):
        from compose_lite.loader.interpolate import substitute

        environment = {k: v for k, v in session.environment.items() if k != "COMPOSE_PROJECT_NAME"}
        raw_name = substitute(raw_name, environment.get)
    if raw_name is None or raw_name == "":
        return resolve_project_name(source, None)
    top_level = normalize_project_name(str(raw_name))
    if not top_level:
        raise ConfigError(f"project name must not be empty: {raw_name!r} keeps no letter, digit, - or _",
                          hint="use lowercase letters, digits, - and _ in the top-level name:")
    return resolve_project_name(source, top_level)


def _read_source(file: str) -> bytes:
    try:
        return inputs.read_bytes(file)
    except FileNotFoundError:
        raise ConfigError(f"open {file}: no such file or directory") from None
    except OSError as err:
        raise ConfigError(f"cannot read {file}: {err.strerror}") from None


def _validate(session: _Session, plain: Any, doc: Document) -> list[ConfigError]:
    """Schema errors of one document; trees that passed before skip jsonschema (see schema_cache)."""
    cache = schema_cache.cache_dir(session.request.environ)
    if schema_cache.is_known_valid(cache, plain):
        return []
    from compose_lite.loader.schema import validate  # lazy: jsonschema costs ~100 ms to import

    errors = validate(plain, file=doc.file, positions=doc.positions, key_positions=doc.key_positions)
    if not errors:
        schema_cache.remember_valid(cache, plain)
    return errors


def _load_file(
    session: _Session, file: str, *, base_dir: str, chain: tuple[str, ...],
    content: str | bytes | None = None, positions: dict[tuple[str | int, ...], Position] | None = None,
    allow_empty: bool = False, base: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One file as a canonical tree: interpolated, validated, paths resolved, extends and include applied.

    ``base`` is what earlier files of the project made (the file is an override of it)."""
    from compose_lite.loader.interpolate import interpolate

    request = session.request
    data: dict[str, Any] = {}
    errors: list[ConfigError] = []
    docs = session.parsed.get(file)
    if docs is None:
        text = _read_source(file) if content is None else content
        docs = parse_yaml_all(text, file, allow_empty=allow_empty)
    file_positions: dict[tuple[str | int, ...], Position] = {}
    for doc in docs:
        tree = doc.data
        file_positions.update(doc.positions)
        cast_errors: list[ConfigError] = []
        if request.interpolate:
            result = interpolate(tree, session.lookup, positions=doc.positions, file=file)
            tree = result.data
            session.warnings.extend(result.warnings)
            cast_errors = result.cast_errors
        if base is not None:
            tree = _strings_as_items_over(tree, base)
        # Compose de-duplicates lists before it validates: `ports: [80, 80]` is one port, not an error
        plain = merge.enforce_unicity(_empty_services_as_mappings(merge.strip_tags(tree)))
        if base is not None:  # a null over a value of an earlier file keeps that value: nothing to check
            plain = _with_dependency_conditions(_without_nulls_over(plain, base), base)
        # a value that failed its cast is reported once, by the cast, not again by the schema
        uncast = {err.path for err in cast_errors}
        errors.extend(cast_errors)
        errors.extend(_timestamp_errors(plain, (), doc))
        errors.extend(e for e in _validate(session, plain, doc) if e.path not in uncast)
        data = tree if not data else merge.merge(data, tree)
    if errors:
        raise ConfigErrors(errors)
    if positions is not None:
        positions.update(file_positions)
    # uninterpolated, only compose-go's own transformers apply (it prints that raw model)
    table = canonical.TABLE if request.interpolate else RAW_TABLE
    data = canonical.canonicalize(data, lambda path: nearest_position(file_positions, path), table=table)
    if request.resolve_paths:
        data = resolve.resolve_paths(data, base_dir=base_dir, home=session.environment.get("HOME"))
    data = apply_extends(
        data, file=os.path.abspath(file), base_dir=os.path.abspath(base_dir),
        load_file=lambda other: _load_file(session, other, base_dir=os.path.dirname(other),
                                           chain=(*chain, other)),
    )

    def load_project(entry: IncludeEntry) -> dict[str, Any]:
        return _load_included(session, entry, chain)

    return apply_include(data, base_dir=base_dir, load_project=load_project, chain=chain)


def _with_dependency_conditions(tree: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """An override's ``depends_on: {db: {restart: true}}`` keeps the earlier file's condition: Compose
    validates the merged project, where the entry is complete."""
    services = tree.get("services")
    if not isinstance(services, dict):
        return tree
    out = dict(services)
    for name, svc in services.items():
        deps = svc.get("depends_on") if isinstance(svc, dict) else None
        earlier = ((base.get("services") or {}).get(name) or {}).get("depends_on") or {}
        if not isinstance(deps, dict) or not isinstance(earlier, dict):
            continue
        filled = {dep: {"condition": earlier[dep]["condition"], **spec}
                  if isinstance(spec, dict) and "condition" not in spec
                  and isinstance(earlier.get(dep), dict) and "condition" in earlier[dep] else spec
                  for dep, spec in deps.items()}
        out[name] = {**svc, "depends_on": filled}
    return {**tree, "services": out}


def _timestamp_errors(tree: Any, path: tuple[str | int, ...], doc: Document) -> list[ConfigError]:
    """Unquoted dates outside the top-level extensions: Compose refuses them (a time, not a string)."""
    if isinstance(tree, Timestamp):
        return [ConfigError(f"{tree} is a date, not a string", path=format_path(path),
                            position=nearest_position(doc.positions, path), hint=f"quote it: '{tree}'")]
    if isinstance(tree, dict):
        return [e for k, v in tree.items() if not (not path and str(k).startswith("x-"))
                for e in _timestamp_errors(v, (*path, k), doc)]
    if isinstance(tree, list):
        return [e for i, v in enumerate(tree) for e in _timestamp_errors(v, (*path, i), doc)]
    return []


def _without_nulls_over(tree: Any, base: Any) -> Any:
    """``tree`` without the null values whose key ``base`` has."""
    if not isinstance(tree, dict) or not isinstance(base, dict):
        return tree
    return {k: _without_nulls_over(v, base.get(k)) for k, v in tree.items() if not (v is None and k in base)}


# list-or-mapping keys compose-go merges as sequences (its mergeToSequence)
_SEQUENCE_MERGED = (("environment",), ("labels",), ("annotations",), ("sysctls",), ("build", "args"),
                    ("build", "labels"), ("build", "additional_contexts"), ("deploy", "labels"))


def _strings_as_items_over(tree: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """An override's ``environment: A=1`` (a string, which the schema refuses in a file alone) on
    top of an earlier value is a one-item list: compose-go merges these keys as sequences, and
    validates the merged result."""
    def item_over(node: Any, earlier: Any, path: tuple[str, ...]) -> Any:
        if not path:
            return [node] if isinstance(node, str) and earlier is not None else node
        if not isinstance(node, dict) or not isinstance(earlier, dict) or path[0] not in node:
            return node
        return {**node, path[0]: item_over(node[path[0]], earlier.get(path[0]), path[1:])}

    out = dict(tree)
    for section, keys in (("services", _SEQUENCE_MERGED), ("networks", (("labels",),)),
                          ("volumes", (("labels",),))):
        entries, earlier = tree.get(section), base.get(section)
        if not isinstance(entries, dict) or not isinstance(earlier, dict):
            continue
        changed = dict(entries)
        for name, entry in entries.items():
            for key in keys:
                entry = item_over(entry, earlier.get(name), key)
            changed[name] = entry
        out[section] = changed
    return out


def _empty_services_as_mappings(tree: dict[str, Any]) -> dict[str, Any]:
    """``web:`` with nothing under it is an empty service, not an error (as in Compose)."""
    services = tree.get("services")
    if isinstance(services, dict) and any(v is None for v in services.values()):
        return {**tree, "services": {k: {} if v is None else v for k, v in services.items()}}
    return tree


def _load_included(session: _Session, entry: IncludeEntry, chain: tuple[str, ...]) -> dict[str, Any]:
    """An ``include`` entry loaded as its own project: own directory, own env files over ours."""
    env_files = entry.env_files or tuple(
        p for p in (os.path.join(entry.project_directory, ".env"),) if inputs.is_file(p)
    )
    # the including project's environment wins: the included env files only fill what it leaves unset
    own: dict[str, str] = {}
    for env_file in env_files:
        own.update(read_dotenv(env_file, lambda key: session.environment.get(key, own.get(key))))
    environment = {**own, **session.environment}
    sub = _Session(session.request, environment, session.warnings)
    # compose-go resolves the included files' paths against project_directory when it is a
    # directory, else against the directory that would hold it
    base_dir = entry.project_directory if inputs.is_dir(entry.project_directory) \
        else os.path.dirname(entry.project_directory)
    model: dict[str, Any] = {}
    for index, path in enumerate(entry.paths):
        data = _empty_services_as_mappings(_load_file(sub, path, base_dir=base_dir, chain=(*chain, path)))
        model = data if index == 0 else merge.merge(model, data)
    model = merge.strip_tags(model)
    if session.request.resolve_paths:  # an included build without a context builds its own directory
        for svc in (model.get("services") or {}).values():
            if isinstance(svc, dict) and isinstance(svc.get("build"), dict) and "context" not in svc["build"]:
                svc["build"] = {"context": entry.project_directory, **svc["build"]}
    return model


def _resolve_environment(
    session: _Session, service: dict[str, Any], name: str, errors: list[ConfigError]
) -> dict[str, Any]:
    """Fold ``env_file`` into ``environment`` and fill bare ``KEY`` entries from the environment."""
    env_files = service.get("env_file")
    environment: dict[str, Any] = {}
    own_values = {k: v for k, v in (service.get("environment") or {}).items() if isinstance(v, str)}
    if env_files:
        for index, entry in enumerate(env_files):
            path = str(entry["path"])
            if not inputs.is_file(path):
                if entry.get("required", True):
                    errors.append(ConfigError(
                        f"env file {path} not found: stat {path}: no such file or directory",
                        path=f"services.{name}.env_file[{index}]",
                    ))
                continue

            def lookup(key: str) -> str | None:
                # the project's environment, then the service's own entries; the file's earlier
                # lines and the earlier files come after, in the parser
                value = session.lookup(key)
                return value if value is not None else own_values.get(key)

            if entry.get("format") not in (None, "", ".env", "raw"):
                errors.append(ConfigError(f"unsupported env_file format {entry['format']!r}",
                                          path=f"services.{name}.env_file[{index}]",
                                          hint="use raw, or leave it out"))
                continue
            if entry.get("format") == "raw":
                environment.update(read_env_file_raw(path))
            else:
                environment.update(read_dotenv(path, lookup, inherited=environment))
    own = service.get("environment")
    if isinstance(own, dict):
        for key, value in own.items():
            environment[key] = session.lookup(key) if value is None else value
    out = {k: v for k, v in service.items() if k not in ("env_file", "label_file")}
    if environment or "environment" in service:
        out["environment"] = environment
    labels = _file_labels(service.get("label_file") or [], name, errors)
    if labels or "labels" in service:
        out["labels"] = {**labels, **(service.get("labels") or {})}
    if out.get("pull_policy") == "if_not_present":  # Compose's older spelling of `missing`
        out["pull_policy"] = "missing"
    build = out.get("build")
    if isinstance(build, dict) and isinstance(build.get("args"), dict):
        # an argument with no value takes the variable's; one whose variable is unset is dropped
        args = {k: session.lookup(k) if v is None else v for k, v in build["args"].items()}
        out["build"] = {**build, "args": {k: v for k, v in args.items() if v is not None}}
    return out


def _file_labels(paths: list[str], name: str, errors: list[ConfigError]) -> dict[str, str]:
    """``label_file`` entries read like env files, seeing the earlier files' labels before their own
    earlier lines, and no environment."""
    labels: dict[str, str] = {}
    for index, path in enumerate(paths):
        if not inputs.is_file(str(path)):
            errors.append(ConfigError(f"label file {path} not found",
                                      path=f"services.{name}.label_file[{index}]"))
            continue
        labels.update(read_dotenv(str(path), labels.get))
    return labels


def check_references(
    model: dict[str, Any],
    disabled: Mapping[str, Any],
    positions: Mapping[tuple[str | int, ...], Position] | None = None,
) -> list[ConfigError]:
    """Services referring to undeclared networks/volumes/secrets/configs/services; dependency cycles.

    Each error points at the nearest recorded position of its path in ``positions``.
    """
    errors: list[ConfigError] = []
    services: dict[str, Any] = model.get("services") or {}
    declared = {kind: set(model.get(kind) or {}) for kind in ("networks", "volumes", "secrets", "configs")}
    declared["networks"].add("default")
    for name, svc in services.items():
        here = f"services.{name}"
        if "image" not in svc and "build" not in svc and "provider" not in svc:
            errors.append(ConfigError(
                f"service {name!r} has neither an image nor a build context specified",
                path=here, hint="add `image:` or `build:` to the service",
            ))
        for net in svc.get("networks") or {}:
            if net not in declared["networks"]:
                errors.append(_undefined("network", net, f"{here}.networks.{net}", "networks", declared))
        for index, mount in enumerate(svc.get("volumes") or []):
            if isinstance(mount, dict) and mount.get("type") == "volume" and mount.get("source") \
                    and mount["source"] not in declared["volumes"]:
                errors.append(_undefined("volume", mount["source"], f"{here}.volumes[{index}]", "volumes",
                                         declared))
        build = svc.get("build") if isinstance(svc.get("build"), dict) else {}
        for index, ref in enumerate(build.get("secrets") or []):
            if isinstance(ref, dict) and ref.get("source") not in declared["secrets"]:
                path = f"{here}.build.secrets[{index}]"
                errors.append(_undefined("build secret", ref.get("source"), path, "secrets", declared))
        for kind in ("secrets", "configs"):
            for index, ref in enumerate(svc.get(kind) or []):
                if isinstance(ref, dict) and ref.get("source") not in declared[kind]:
                    errors.append(_undefined(kind[:-1], ref.get("source"), f"{here}.{kind}[{index}]", kind,
                                             declared))
        for dep, spec in (svc.get("depends_on") or {}).items():
            if dep in services:
                continue
            if dep in disabled:
                if (spec or {}).get("required", True):
                    errors.append(ConfigError(
                        f"service {name!r} depends on service {dep!r} which is disabled by its profiles",
                        path=f"{here}.depends_on.{dep}",
                        hint=f"activate one of the profiles of {dep!r}: "
                             + ", ".join(disabled[dep].get("profiles") or []),
                    ))
                continue
            errors.append(ConfigError(
                f"service {name!r} depends on undefined service {dep!r}",
                path=f"{here}.depends_on.{dep}",
            ))
        for ref_kind in ("network_mode", "ipc", "pid"):
            value = str(svc.get(ref_kind) or "")
            if value.startswith("service:") and value[8:] not in services and value[8:] not in disabled:
                errors.append(ConfigError(
                    f"service {name!r} refers to undefined service {value[8:]!r} in {ref_kind}",
                    path=f"{here}.{ref_kind}",
                ))
    cycle = find_cycle({name: list(svc.get("depends_on") or {}) for name, svc in services.items()})
    if cycle:
        errors.append(ConfigError(
            "dependency cycle detected: " + " -> ".join(cycle), path=f"services.{cycle[0]}.depends_on",
        ))
    return [_with_position(err, positions or {}) for err in errors]


def _with_position(err: ConfigError, positions: Mapping[tuple[str | int, ...], Position]) -> ConfigError:
    """Attach the source position of ``err.path`` (or of its nearest recorded ancestor)."""
    parts: list[str | int] = []
    for piece in re.findall(r"[^.\[\]]+|\[\d+\]", err.path or ""):
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    for n in range(len(parts), 0, -1):
        position = positions.get(tuple(parts[:n]))
        if position is not None:
            err.position = position
            break
    return err


def _undefined(kind: str, name: Any, path: str, section: str,
               declared: Mapping[str, set[str]]) -> ConfigError:
    hint = f"declare it in the top-level `{section}:` section"
    suggestion = did_you_mean(str(name), sorted(declared[section]))
    return ConfigError(f"{kind} {name!r} is not declared", path=path,
                       hint=f"{suggestion} (or {hint})" if suggestion else hint)
