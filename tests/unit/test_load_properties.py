"""Property: for any input, `load` either returns a project or raises ConfigError that says where."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compose_lite.errors import ConfigError, ConfigErrors
from compose_lite.loader.pipeline import load
from compose_lite.loader.request import LoadRequest

SERVICE_KEYS = ["image", "command", "ports", "volumes", "environment", "depends_on", "networks",
                "healthcheck", "restart", "build", "deploy", "env_file", "profiles", "extends", "x-y",
                "enviroment", "develop", "secrets", "labels"]
TOP_KEYS = ["services", "networks", "volumes", "secrets", "configs", "name", "include", "x-top", "version"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["web", "db", "80:80", "./data:/data", "${X}", "${X:-d}", "$$", "${", "a=b",
                     "service_healthy", "1m30s", "127.0.0.1:8080:80/udp", "~", "..", "/abs"]),
    st.text(max_size=8),
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from([*SERVICE_KEYS, "web", "db", "a"]), inner, max_size=4),
    ),
    max_leaves=20,
)
documents = st.dictionaries(
    st.sampled_from(TOP_KEYS),
    st.one_of(trees, st.dictionaries(st.sampled_from(["web", "db"]),
                                     st.dictionaries(st.sampled_from(SERVICE_KEYS), trees, max_size=5),
                                     max_size=2)),
    max_size=4,
)


def _load_text(directory: Path, text: str) -> None:
    (directory / "compose.yaml").write_text(text)
    load(LoadRequest(cwd=str(directory), environ={"X": "1"}, project_name="prop"))


def _check(directory: Path, text: str) -> None:
    try:
        _load_text(directory, text)
    except ConfigErrors as errs:
        for err in errs.errors:
            assert err.position is not None or err.path, str(err)
    except ConfigError as err:
        assert err.position is not None or err.path or "compose.yaml" in err.message, str(err)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents)
def test_structured_documents_load_or_fail_with_a_location(tmp_path: Path, doc: dict[str, object]) -> None:
    _check(tmp_path, yaml.safe_dump(doc))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list("services:web image\n -[]{}&*!<>'\"$#|,?")), max_size=80))
def test_arbitrary_text_loads_or_fails_with_a_location(tmp_path: Path, text: str) -> None:
    _check(tmp_path, text)


def test_a_document_from_the_strategy_vocabulary_loads(tmp_path: Path) -> None:
    # The property's success branch is reachable with the same vocabulary.
    (tmp_path / "compose.yaml").write_text(yaml.safe_dump(
        {"services": {"web": {"image": "web", "ports": ["80:80"], "environment": ["a=b"]}}}))
    project = load(LoadRequest(cwd=str(tmp_path), environ={}, project_name="prop"))
    assert project.model["services"]["web"]["environment"] == {"a": "b"}
    assert project.model["services"]["web"]["ports"][0]["target"] == 80
