"""Hypothesis strategies for whole Compose projects that stress what a loader can get wrong.

A project is files (compose files in several directories, ``.env`` files, env files, secrets),
the command-line arguments that name them, and the process environment. What the generator
aims at: interpolation (every operator, nesting, ``$`` edges, typed fields fed from variables),
``.env``/``--env-file``/shell precedence, merges of lists and maps across files in different
directories, ``extends``, ``include``, ``!reset``/``!override``, anchors and merge keys, short and
long syntaxes, durations, byte sizes and YAML 1.1 words that YAML 1.2 reads as strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

# --------------------------------------------------------------------------- YAML text


@dataclass(frozen=True)
class Plain:
    """A scalar written as is (unquoted), so YAML decides its type: ``yes``, ``0755``, ``1e3``."""

    text: str


@dataclass(frozen=True)
class Tagged:
    tag: str  # "!reset" or "!override"
    value: Any


@dataclass(frozen=True)
class Alias:
    anchor: str


@dataclass(frozen=True)
class Anchored:
    anchor: str
    value: Any


def to_yaml(tree: Any) -> str:
    """Block-style YAML for a tree of dicts, lists, scalars and the wrappers above."""
    return "".join(_block(tree, 0)) or "{}\n"


def _scalar(value: Any) -> str:
    if isinstance(value, Plain):
        return value.text
    if isinstance(value, Alias):
        return f"*{value.anchor}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _inline(value: Any) -> str | None:
    """The text of a value that fits on its key's line, or None for a nested block."""
    if isinstance(value, Tagged):
        inner = _inline(value.value)
        if inner is None:
            return None
        return f"{value.tag} {inner}"
    if isinstance(value, dict):
        return "{}" if not value else None
    if isinstance(value, list):
        return "[]" if not value else None
    if isinstance(value, Anchored):
        return None
    return _scalar(value)


def _block(tree: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            head = f"{pad}{_key(key)}:"
            lines.extend(_entry(head, value, indent))
    elif isinstance(tree, list):
        for value in tree:
            lines.extend(_entry(f"{pad}-", value, indent))
    return lines


def _entry(head: str, value: Any, indent: int) -> list[str]:
    prefix = ""
    if isinstance(value, Anchored):
        prefix, value = f" &{value.anchor}", value.value
    if isinstance(value, Tagged) and _inline(value) is None:
        prefix, value = f"{prefix} {value.tag}", value.value
    inline = _inline(value)
    if inline is not None:
        return [f"{head}{prefix} {inline}\n"]
    return [f"{head}{prefix}\n", *_block(value, indent + 2)]


def _key(key: Any) -> str:
    if isinstance(key, Plain):
        return key.text
    text = str(key)
    return text if text.replace("_", "").replace("-", "").replace(".", "").isalnum() else json.dumps(text)


# --------------------------------------------------------------------------- variables

# Each variable takes values of one kind, so typed fields fed by it are usually valid; a few
# values of each pool are not, so that failed casts are compared too.
POOLS: dict[str, tuple[str, ...]] = {
    "A": ("x", "hello world", "", "nginx", "a$$b", "/data", "./rel", "x:y", "8080", "yes"),
    "B": ("1", "b", "", "TRUE", "off", "1.5", "two words"),
    "C": ("c", "", "10s", "512m", "-3"),
    "TAG": ("1.0", "latest", "", "v2"),
    "EMPTY": ("",),
    "FLAG": ("true", "false", "yes", "no", "on", "off", "Y", "n", "TRUE", "False", "yes please", ""),
    "NUM": ("0", "1", "3", "42", "-1", "1.5", ""),
    "RATIO": ("0", "0.5", "1", "2.25", "x"),
    "DUR": ("10s", "1m30s", "500ms", "0s", "2h", "90", ""),
    "SIZE": ("16m", "512M", "1g", "1024", "0", "2kb", "1.5g", ""),
}
NAMES = tuple(POOLS)
GENERAL = ("A", "B", "C", "TAG", "EMPTY")
TYPED_VARIABLE = {"bool": "FLAG", "int": "NUM", "float": "RATIO", "duration": "DUR", "bytes": "SIZE"}

names = st.sampled_from(GENERAL)


def variable_sets() -> st.SearchStrategy[dict[str, str]]:
    """Some variables, each with a value from its pool."""
    chosen = st.lists(st.sampled_from(NAMES), max_size=6, unique=True)
    return chosen.flatmap(lambda ns: st.fixed_dictionaries({n: st.sampled_from(POOLS[n]) for n in ns}))


@st.composite
def templates(draw: st.DrawFn, depth: int = 0) -> str:
    """A string with literal text, references of every form and ``$`` edges."""
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        "a",
                        "-",
                        "/",
                        " ",
                        ":",
                        "x.y",
                        "100%",
                        "$$",
                        "$$HOME",
                        "$1",
                        "$ ",
                        "$(x)",
                        "$-",
                        "${",
                        "}",
                        "{",
                        "$.",
                        "=",
                        "'",
                        '"',
                    ]
                ),
                st.builds(lambda n: f"${n}", names),
                st.builds(lambda n: f"${{{n}}}", names),
                st.builds(lambda n: f"${n}_x", names),
                _braced(depth),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return "".join(pieces)


def _braced(depth: int) -> st.SearchStrategy[str]:
    ops = st.sampled_from([":-", ":-", "-", ":+", "+", ":-", "-", ":?", "?"])
    arg = (
        st.sampled_from(["", "d", "def val", "1", "true", "${A}", "$B", "x}"])
        if depth >= 1
        else st.one_of(st.sampled_from(["", "d", "1", "no"]), templates(depth + 1))
    )
    return st.builds(lambda n, o, a: f"${{{n}{o}{a}}}", names, ops, arg)


def typed_text(kind: str) -> st.SearchStrategy[Any]:
    """A value for a typed field: native YAML, a quoted literal, or its typed variable."""
    literals = {
        "bool": ["true", "false", "yes", "no", "on", "off", "True", "FALSE", "y", "N"],
        "int": ["0", "1", "3", "-1", "10", "0755"],
        "float": ["0", "0.5", "1", "1.5", "2.0"],
        "duration": ["10s", "1m30s", "1h", "500ms", "0s", "90s", "1d"],
        "bytes": ["16m", "512M", "1g", "1024", "2kb", "1.5g", "0"],
    }[kind]
    variable = TYPED_VARIABLE[kind]
    forms = st.sampled_from(["plain"] * 4 + ["quoted"] * 2 + ["defaulted"] * 3 + ["bare"])
    return st.tuples(forms, st.sampled_from(literals)).map(
        lambda pair: {
            "plain": Plain(pair[1]),
            "quoted": pair[1],
            "defaulted": f"${{{variable}:-{pair[1]}}}",
            "bare": f"${{{variable}}}",
        }[pair[0]]
    )


# --------------------------------------------------------------------------- service keys


def _short_or_long(short: st.SearchStrategy[Any], long: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(short, long)


mapping_keys = st.sampled_from(["A", "B", "C", "DROP", "KEEP", "X_Y", "lower", "dot.ted"])
map_values = st.one_of(
    st.none(),
    templates(),
    st.sampled_from([Plain("1"), Plain("true"), Plain("no"), Plain("1.50"), ""]),
)


def key_value(kind: str = "env") -> st.SearchStrategy[Any]:
    as_map = st.dictionaries(mapping_keys, map_values, max_size=4)
    as_list = st.lists(
        st.one_of(
            mapping_keys,
            st.builds(lambda k, v: f"{k}={v}", mapping_keys, templates()),
        ),
        max_size=4,
        unique=True,
    )
    return st.one_of(as_map, as_list)


ports = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "80",
                "8080:80",
                "127.0.0.1:8081:81",
                "53:53/udp",
                "3000-3002",
                "9000-9001:9000-9001",
                "${NUM:-8082}:82",
                "0.0.0.0::83",
                "[::1]:84:84",
                "8085:85/tcp",
                Plain("8086"),
                Plain("22:22"),
            ]
        ),
        st.builds(
            lambda t, p, proto: {
                "target": t,
                **({"published": p} if p is not None else {}),
                **({"protocol": proto} if proto else {}),
            },
            typed_text("int"),
            st.one_of(st.none(), st.sampled_from(["8090", Plain("8091"), "${NUM}"])),
            st.sampled_from([None, "tcp", "udp"]),
        ),
    ),
    max_size=3,
)

volumes_short = st.sampled_from(
    [
        "./data:/data",
        "./data:/data:ro",
        "data:/var/lib/data",
        "/tmp//x/:/c//d/",
        "~/cache:/cache:rw",
        "/anon",
        "data:/d2:nocopy",
        "../up:/up:z",
        "./s:/s:ro,rshared",
        "${A:-./a}:/from-var",
        ".:/code",
        "//var/run/x:/var/run/x",
    ]
)
volumes_long = st.one_of(
    st.builds(
        lambda src, ro, create: {
            "type": "bind",
            "source": src,
            "target": "/b",
            **({"read_only": ro} if ro is not None else {}),
            **({"bind": {"create_host_path": create}} if create is not None else {}),
        },
        st.sampled_from(["./b", "/abs/b", "b-dir"]),
        st.one_of(st.none(), typed_text("bool")),
        st.one_of(st.none(), typed_text("bool")),
    ),
    st.builds(lambda size: {"type": "tmpfs", "target": "/t", "tmpfs": {"size": size}}, typed_text("bytes")),
    st.builds(
        lambda nocopy: {"type": "volume", "source": "data", "target": "/v", "volume": {"nocopy": nocopy}},
        typed_text("bool"),
    ),
)
service_volumes = st.lists(st.one_of(volumes_short, volumes_long), max_size=3)

healthcheck = st.fixed_dictionaries(
    {},
    optional={
        "test": st.one_of(
            st.sampled_from(["curl -f http://localhost", "exit 0"]),
            st.just(["CMD", "true"]),
            st.just(["CMD-SHELL", "echo $$HOME"]),
            st.just(["NONE"]),
        ),
        "interval": typed_text("duration"),
        "timeout": typed_text("duration"),
        "start_period": typed_text("duration"),
        "retries": typed_text("int"),
        "disable": typed_text("bool"),
    },
)

deploy = st.fixed_dictionaries(
    {},
    optional={
        "replicas": typed_text("int"),
        "resources": st.fixed_dictionaries(
            {},
            optional={
                "limits": st.fixed_dictionaries(
                    {},
                    optional={
                        "pids": typed_text("int"),
                        "cpus": st.sampled_from(["0.5", Plain("1"), Plain("0.25"), "${NUM:-2}"]),
                        "memory": typed_text("bytes"),
                    },
                ),
                "reservations": st.fixed_dictionaries(
                    {},
                    optional={
                        "memory": typed_text("bytes"),
                        "devices": st.lists(
                            st.fixed_dictionaries(
                                {"capabilities": st.just(["gpu"])},
                                optional={
                                    "count": st.sampled_from(["all", Plain("1"), "ALL", "2"]),
                                    "driver": st.just("nvidia"),
                                },
                            ),
                            max_size=1,
                        ),
                    },
                ),
            },
        ),
        "restart_policy": st.fixed_dictionaries(
            {},
            optional={
                "condition": st.sampled_from(["on-failure", "any", "none"]),
                "max_attempts": typed_text("int"),
                "delay": typed_text("duration"),
            },
        ),
        "labels": key_value(),
    },
)

SERVICE_KEYS: dict[str, st.SearchStrategy[Any]] = {
    "image": st.sampled_from(["busybox", "img:${TAG:-1}", "registry:5000/app", "${TAG}"]),
    "command": st.one_of(
        templates(),
        st.lists(templates(), max_size=3),
        st.sampled_from(["sh -c 'echo $$HOME'", 'echo "a b" c']),
    ),
    "entrypoint": st.one_of(st.sampled_from(["/bin/sh -c", "tini --"]), st.lists(templates(), max_size=2)),
    "environment": key_value(),
    "labels": key_value(),
    "annotations": key_value(),
    "ports": ports,
    "expose": st.lists(
        st.sampled_from(["3000", Plain("3001"), "4000-4002", "5000/udp"]), max_size=2, unique=True
    ),
    "volumes": service_volumes,
    "extra_hosts": st.one_of(
        st.lists(
            st.sampled_from(
                ["b.local:1.2.3.4", "a.local=5.6.7.8", "v6:::1", "host.docker.internal:host-gateway"]
            ),
            max_size=3,
            unique=True,
        ),
        st.dictionaries(
            st.sampled_from(["z.local", "a.local"]), st.sampled_from(["1.1.1.1", "::2"]), max_size=2
        ),
    ),
    "dns": st.one_of(
        st.sampled_from(["127.0.0.11"]),
        st.lists(st.sampled_from(["127.0.0.2", "127.0.0.3"]), max_size=2, unique=True),
    ),
    "healthcheck": healthcheck,
    "deploy": deploy,
    "privileged": typed_text("bool"),
    "read_only": typed_text("bool"),
    "init": typed_text("bool"),
    "tty": typed_text("bool"),
    "stdin_open": typed_text("bool"),
    "oom_kill_disable": typed_text("bool"),
    "pids_limit": typed_text("int"),
    "oom_score_adj": typed_text("int"),
    "cpu_shares": typed_text("int"),
    "scale": typed_text("int"),
    "cpus": st.sampled_from([Plain("0.5"), "1.5", Plain("2"), "${NUM:-1}"]),
    "mem_limit": typed_text("bytes"),
    "shm_size": typed_text("bytes"),
    "memswap_limit": typed_text("bytes"),
    "stop_grace_period": typed_text("duration"),
    "ulimits": st.fixed_dictionaries(
        {},
        optional={
            "nofile": st.builds(lambda s, h: {"soft": s, "hard": h}, typed_text("int"), typed_text("int")),
            "nproc": typed_text("int"),
        },
    ),
    "tmpfs": st.one_of(
        st.sampled_from(["/run", "/run:size=16m,noexec"]),
        st.lists(st.sampled_from(["/tmp", "/var/cache:mode=1777,uid=1000"]), max_size=2, unique=True),
    ),
    "cap_add": st.lists(st.sampled_from(["NET_ADMIN", "SYS_TIME", "ALL"]), max_size=2, unique=True),
    "security_opt": st.lists(
        st.sampled_from(["no-new-privileges:true", "label=disable"]), max_size=2, unique=True
    ),
    "sysctls": st.one_of(
        st.dictionaries(
            st.sampled_from(["net.core.somaxconn", "net.ipv4.ip_forward"]),
            st.sampled_from([Plain("1024"), "1", Plain("0")]),
            max_size=2,
        ),
        st.just(["net.core.somaxconn=1024"]),
    ),
    "restart": st.sampled_from(["always", Plain("no"), "on-failure:3", "unless-stopped", "${A:-no}"]),
    "working_dir": st.sampled_from(["/app", "/app//x/", "${A:-/w}"]),
    "user": st.sampled_from(["1000", Plain("1000"), "app:app", "${NUM}"]),
    "hostname": st.sampled_from(["h1", "${A}"]),
    "logging": st.fixed_dictionaries(
        {"driver": st.sampled_from(["json-file", "local"])},
        optional={
            "options": st.dictionaries(
                st.sampled_from(["max-size", "max-file"]),
                st.sampled_from(["10m", Plain("3"), "${NUM:-5}"]),
                max_size=2,
            )
        },
    ),
    "profiles": st.lists(st.sampled_from(["dev", "debug"]), max_size=1),
    "env_file": st.one_of(
        st.just("app.env"),
        st.just(["app.env", "sub/extra.env"]),
        st.just([{"path": "missing.env", "required": Plain("false")}, "app.env"]),
    ),
    "build": st.one_of(
        st.sampled_from([".", "./ctx", "sub"]),
        st.fixed_dictionaries(
            {"context": st.sampled_from([".", "ctx", "./sub"])},
            optional={
                "dockerfile": st.sampled_from(["Dockerfile", "ctx.Dockerfile"]),
                "args": key_value(),
                "target": st.just("prod"),
                "labels": key_value(),
            },
        ),
    ),
    "pull_policy": st.sampled_from(["always", "missing", "never", "build", "if_not_present"]),
    "networks": st.one_of(
        st.lists(st.sampled_from(["default", "front"]), min_size=1, max_size=2, unique=True),
        st.dictionaries(
            st.sampled_from(["default", "front"]),
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {},
                    optional={
                        "aliases": st.lists(st.sampled_from(["api", "${A:-alias}"]), max_size=2, unique=True),
                        "driver_opts": st.just({"com.example.mtu": Plain("1450"), "flag": Plain("true")}),
                        "priority": typed_text("int"),
                        "ipv4_address": st.just("10.5.0.5"),
                    },
                ),
            ),
            min_size=1,
            max_size=2,
        ),
    ),
    "depends_on": st.one_of(
        st.lists(st.sampled_from(["web", "db", "worker"]), max_size=2, unique=True),
        st.dictionaries(
            st.sampled_from(["web", "db", "worker"]),
            st.fixed_dictionaries(
                {},
                optional={
                    "condition": st.sampled_from(
                        ["service_started", "service_healthy", "service_completed_successfully"]
                    ),
                    "restart": typed_text("bool"),
                    "required": typed_text("bool"),
                },
            ),
            max_size=2,
        ),
    ),
    "secrets": st.lists(
        st.one_of(
            st.just("token"),
            st.fixed_dictionaries(
                {"source": st.just("token")},
                optional={
                    "target": st.sampled_from(["/run/secrets/t", "t2"]),
                    "mode": st.sampled_from([Plain("0440"), "0400", Plain("292")]),
                    "uid": st.sampled_from(["1000", Plain("1000")]),
                },
            ),
        ),
        max_size=2,
    ),
    "devices": st.lists(
        st.sampled_from(["/dev/fuse", "/dev/sda:/dev/xvda:rwm", "/dev/null:/dev/n"]), max_size=2, unique=True
    ),
    "label_file": st.just("app.env"),
    "mem_reservation": typed_text("bytes"),
    "domainname": st.sampled_from(["example.com", "${A}"]),
    "group_add": st.lists(st.sampled_from(["mail", Plain("1000")]), max_size=2, unique=True),
    "cap_drop": st.lists(st.sampled_from(["NET_RAW", "MKNOD"]), max_size=2, unique=True),
    "dns_search": st.one_of(st.just("example.com"), st.just(["a.example", "b.example"])),
    "links": st.lists(st.sampled_from(["db", "db:database"]), max_size=1),
    "volumes_from": st.lists(st.sampled_from(["db", "db:ro", "container:other"]), max_size=1),
    "network_mode": st.sampled_from(["host", "none", "service:db"]),
    "ipc": st.sampled_from(["host", "shareable", "service:db"]),
    "container_name": st.sampled_from(["my-app", "${A:-named}"]),
    "stop_signal": st.sampled_from(["SIGINT", "SIGTERM"]),
    "platform": st.just("linux/amd64"),
    "post_start": st.deferred(lambda: hooks),
    "pre_stop": st.deferred(lambda: hooks),
    "use_api_socket": typed_text("bool"),
    "attach": typed_text("bool"),
    "external_links": st.lists(st.sampled_from(["c1", "c2:al", "${A:-c3}"]), max_size=2, unique=True),
    "develop": st.deferred(lambda: develop),
}

hook = st.fixed_dictionaries(
    {"command": st.one_of(st.sampled_from(["echo hi", "sh -c 'echo $$A'"]), st.lists(templates(), min_size=1,
                                                                                    max_size=2))},
    optional={
        "user": st.sampled_from(["root", Plain("1000")]),
        "privileged": typed_text("bool"),
        "working_dir": st.sampled_from(["/w", "${A:-/d}"]),
        "environment": key_value(),
    },
)
hooks = st.lists(hook, max_size=2)
develop = st.fixed_dictionaries({"watch": st.lists(st.fixed_dictionaries(
    {"path": st.sampled_from(["./src", "src/", "${A:-src}"]),
     "action": st.sampled_from(["sync", "rebuild", "sync+restart", "restart", "sync+exec"])},
    optional={
        "target": st.sampled_from(["/app", "/app/"]),
        "ignore": st.one_of(st.just("*.pyc"), st.lists(st.sampled_from(["a", "b/"]), max_size=2)),
        "initial_sync": typed_text("bool"),
        "exec": st.fixed_dictionaries({"command": st.sampled_from(["kill -HUP 1", "reload"])},
                                      optional={"environment": key_value()}),
    }), max_size=2)})

TOP_LEVEL_FLAGS = typed_text("bool")


def service_bodies(keys: list[str] | None = None, max_keys: int = 6) -> st.SearchStrategy[dict[str, Any]]:
    """A service with a few keys drawn from ``keys`` (default: all), each with a drawn value."""
    chosen = st.lists(st.sampled_from(keys or list(SERVICE_KEYS)), max_size=max_keys, unique=True)
    return chosen.flatmap(lambda ks: st.fixed_dictionaries({k: SERVICE_KEYS[k] for k in ks}))


# --------------------------------------------------------------------------- projects


@dataclass
class Project:
    """Files to write (relative path → text), the arguments before ``config``, the environment."""

    files: dict[str, str]
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        parts = [f"args: {self.args}", f"env: {self.env}"]
        parts += [f"--- {path}\n{text}" for path, text in sorted(self.files.items())]
        return "\n".join(parts)


def _dotenv_lines(entries: dict[str, str], draw: st.DrawFn) -> str:
    """``.env`` text for ``entries``, each line plain, quoted, or defaulting from another variable."""
    lines = []
    for key, value in entries.items():
        style = draw(st.sampled_from(["plain", "double", "single", "ref"]))
        if style == "ref":
            other = draw(names)
            lines.append(f"{key}=${{{other}:-{value}}}")
        elif style == "double":
            lines.append(f'{key}="{value}"')
        elif style == "single":
            lines.append(f"{key}='{value}'")
        else:
            lines.append(f"{key}={value}")
    return "\n".join(lines) + "\n"


@st.composite
def projects(draw: st.DrawFn) -> Project:
    files: dict[str, str] = {
        "app.env": _dotenv_lines(draw(variable_sets()), draw),
        "sub/extra.env": _dotenv_lines(draw(variable_sets()), draw),
        "ctx/Dockerfile": "FROM scratch\n",
        "sub/Dockerfile": "FROM scratch\n",
        "Dockerfile": "FROM scratch\n",
        "secret.txt": "s3cret\n",
    }
    env = draw(variable_sets())
    if draw(st.booleans()):
        files[".env"] = _dotenv_lines(draw(variable_sets()), draw)
    args: list[str] = []
    if draw(st.booleans()):
        files["alt.env"] = _dotenv_lines(draw(variable_sets()), draw)
        args += ["--env-file", "alt.env"]

    names_of_services = draw(
        st.lists(st.sampled_from(["web", "db", "worker"]), min_size=1, max_size=3, unique=True)
    )
    main = _document(draw, names_of_services, with_top_level=True)
    if draw(st.booleans()):
        main = {
            "x-base": Anchored("base", draw(service_bodies(["environment", "labels", "image", "restart"]))),
            **main,
        }
        first = names_of_services[0]
        main["services"][first] = {Plain("<<"): Alias("base"), **main["services"][first]}
    files["compose.yaml"] = to_yaml(main)
    args += ["-f", "compose.yaml"]

    if draw(st.booleans()):
        overridden = draw(st.lists(st.sampled_from(names_of_services), min_size=1, unique=True))
        override = _document(draw, overridden, with_top_level=draw(st.booleans()), tags=True)
        files["sub/override.yaml"] = to_yaml(override)
        args += ["-f", "sub/override.yaml"]
    if draw(st.integers(0, 9)) == 9:
        files["sub/comments.yaml"] = "# nothing here yet\n"
        args += ["-f", "sub/comments.yaml"]
    if draw(st.integers(0, 3)) == 3:
        args = ["--profile", draw(st.sampled_from(["dev", "debug"])), *args]
    if draw(st.booleans()):
        base = {"services": {"base": draw(service_bodies())}}
        files["common/base.yaml"] = to_yaml(base)
        target = draw(st.sampled_from(names_of_services))
        text = files["compose.yaml"]
        files["compose.yaml"] = text.replace(
            f"  {target}:\n",
            f"  {target}:\n    extends:\n      file: common/base.yaml\n      service: base\n",
            1,
        )
    if draw(st.booleans()):
        included = {"image": "busybox", **draw(service_bodies())}
        files["inc/compose.yaml"] = to_yaml({"services": {"included": included}})
        if draw(st.booleans()):
            files["inc/.env"] = _dotenv_lines(draw(variable_sets()), draw)
        files["compose.yaml"] = "include:\n  - inc/compose.yaml\n" + files["compose.yaml"]
    return Project(files=files, args=args, env=env)


def _document(
    draw: st.DrawFn, service_names: list[str], *, with_top_level: bool, tags: bool = False
) -> dict[str, Any]:
    services: dict[str, Any] = {}
    for name in service_names:
        body = draw(service_bodies())
        if "image" not in body and "build" not in body:
            body["image"] = "busybox"
        if tags:
            body = _with_tags(draw, body)
        services[name] = body
    if not tags and len(service_names) > 1 and draw(st.booleans()):
        services[service_names[1]] = {"extends": service_names[0], **services[service_names[1]]}
    doc: dict[str, Any] = {"services": services}
    if with_top_level:
        # the main file always declares the volume services mount, so most projects are valid
        doc.update(draw(_top_level(with_volumes=not tags or draw(st.booleans()))))
    return doc


def _with_tags(draw: st.DrawFn, body: dict[str, Any]) -> dict[str, Any]:
    out = dict(body)
    for key in list(out):
        choice = draw(st.sampled_from(["keep", "keep", "keep", "reset", "override", "reset-entry"]))
        if choice == "reset":
            out[key] = Tagged("!reset", None if draw(st.booleans()) else [])
        elif choice == "override":
            out[key] = Tagged("!override", out[key])
        elif choice == "reset-entry" and isinstance(out[key], dict) and key in ("environment", "labels"):
            out[key] = {**out[key], "DROP": Tagged("!reset", None)}
    return out


@st.composite
def _top_level(draw: st.DrawFn, with_volumes: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if with_volumes or draw(st.booleans()):
        doc["networks"] = {
            "default": draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "name": st.sampled_from(["${EMPTY}", "my-net", "${A:-net}"]),
                        "internal": TOP_LEVEL_FLAGS,
                        "attachable": TOP_LEVEL_FLAGS,
                        "driver_opts": st.just({"com.docker.network.driver.mtu": Plain("1450")}),
                        "labels": key_value(),
                    },
                )
            ),
            "front": draw(
                st.fixed_dictionaries(
                    {}, optional={"external": TOP_LEVEL_FLAGS, "enable_ipv6": TOP_LEVEL_FLAGS}
                )
            ),
        }
    if with_volumes:
        doc["volumes"] = {
            "data": draw(
                st.one_of(
                    st.none(),
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "external": TOP_LEVEL_FLAGS,
                            "name": st.sampled_from(["${A}", "data-vol"]),
                            "labels": key_value(),
                            "driver_opts": st.just({"type": "none", "o": "bind", "device": "./vol"}),
                        },
                    ),
                )
            )
        }
    if draw(st.booleans()):
        doc["secrets"] = {
            "token": draw(
                st.sampled_from(
                    [
                        {"file": "./secret.txt"},
                        {"environment": "A"},
                        {"external": Plain("true")},
                        {"file": "secret.txt", "name": "${A:-tok}"},
                    ]
                )
            )
        }
    if draw(st.booleans()):
        doc["name"] = draw(st.sampled_from(["${TAG:-proj}", "explicit"]))
    return doc
