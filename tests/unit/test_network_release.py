from __future__ import annotations

import io

import pytest

from compose_lite import labels as L
from compose_lite.clock import FakeClock
from compose_lite.engine.fake import FakeEngine
from compose_lite.errors import EngineError, InUseError, StaleEndpointError
from compose_lite.model import Network, Service
from compose_lite.network_release import STALE_WAIT_S, Released, clear_stale_endpoint, release_network
from compose_lite.output import PlainReporter
from compose_lite.state import ContainerSpec, NetworkAttachment

NET = "p_default"


def _engine(**kwargs: object) -> FakeEngine:
    engine = FakeEngine(images={"img": "sha256:1"}, **kwargs)  # type: ignore[arg-type]
    engine.create_network(Network("default", NET), {L.PROJECT: "p"})
    return engine


def _web_on_the_network() -> ContainerSpec:
    return ContainerSpec("p-web-1", Service("web"), 1, "img", {L.PROJECT: "p"},
                         networks=(NetworkAttachment(NET),))


def test_a_free_network_is_removed_at_once() -> None:
    engine, clock = _engine(), FakeClock()
    assert release_network(engine, NET, clock) == Released(removed=True)
    assert NET not in engine.networks and clock.slept == []


def test_endpoints_released_late_are_waited_for_then_the_network_goes() -> None:
    engine, clock = _engine(stale_endpoints={NET: {"c9": "p-web-1"}}, stale_release_after=3), FakeClock()
    assert release_network(engine, NET, clock) == Released(removed=True)
    assert len(clock.slept) == 3 and not any(c.startswith("disconnect") for c in engine.calls)


def test_endpoints_never_released_are_cleared_by_a_forced_disconnect_after_the_wait() -> None:
    engine, clock = _engine(stale_endpoints={NET: {"c9": "p-web-1"}}), FakeClock()
    released = release_network(engine, NET, clock)
    assert released == Released(removed=True, cleared=("p-web-1",))
    assert f"disconnect_network {NET} c9" in engine.calls
    assert sum(clock.slept) >= STALE_WAIT_S


def test_a_running_container_that_still_uses_it_keeps_the_network() -> None:
    engine, clock = _engine(), FakeClock()
    spec = ContainerSpec("other-x-1", Service("x"), 1, "img", {L.PROJECT: "other"},
                         networks=(NetworkAttachment(NET),))
    engine.start_container(engine.create_container(spec))
    assert release_network(engine, NET, clock) == Released(removed=False, kept_for=("other-x-1",))
    assert NET in engine.networks and f"remove_network {NET}" not in engine.calls


def test_a_network_already_gone_is_not_an_error() -> None:
    engine = FakeEngine()
    assert release_network(engine, NET, FakeClock()) == Released(removed=False)


class _Stuck(FakeEngine):
    """An engine whose lost endpoints even a forced disconnect cannot clear."""

    def disconnect_network(self, name: str, container: str, *, force: bool = False) -> None:
        self.calls.append(f"disconnect_network {name} {container}")


def test_endpoints_a_forced_disconnect_cannot_clear_end_in_an_error_that_says_what_to_do() -> None:
    engine = _Stuck(stale_endpoints={NET: {"c9": "p-web-1"}})
    engine.create_network(Network("default", NET), {})
    with pytest.raises(EngineError, match=r"no longer exist \(p-web-1\)") as err:
        release_network(engine, NET, FakeClock())
    assert err.value.hint is not None and "restart dockerd" in err.value.hint
    assert NET in engine.networks


class _Ghost(FakeEngine):
    """An engine that refuses the removal for an endpoint it lists nowhere (seen after a `cl up`
    killed while creating containers, on Docker 20.10)."""

    def remove_network(self, name: str) -> None:
        self.calls.append(f"remove_network {name}")
        raise InUseError(f"remove network {name}: error while removing network: network {name} id n1 "
                         "has active endpoints")


def test_an_endpoint_the_engine_lists_nowhere_ends_in_an_error_that_says_what_to_do() -> None:
    engine, clock = _Ghost(), FakeClock()
    engine.create_network(Network("default", NET), {})
    with pytest.raises(EngineError, match=r"refuses \(active endpoints\) but lists none") as err:
        release_network(engine, NET, clock)
    assert err.value.hint is not None and "restart dockerd" in err.value.hint
    assert engine.calls.count(f"remove_network {NET}") > 1 and clock.monotonic() >= STALE_WAIT_S


def test_up_clears_a_leftover_endpoint_that_holds_the_new_containers_name_and_says_so() -> None:
    from compose_lite import executor
    from compose_lite.operations import CreateContainer, Plan

    engine = _engine(stale_endpoints={NET: {"c-gone": "p-web-1"}})
    spec = _web_on_the_network()
    plan = Plan({"create:web-1": CreateContainer(id="create:web-1", target="p-web-1", spec=spec)})
    progress = io.StringIO()
    executor.run(plan, engine, PlainReporter(progress), clock=FakeClock())
    assert engine.list_containers("p")[0].state == "running"
    cleared = f"warning: network {NET}: cleared a leftover endpoint named p-web-1 of a removed container"
    assert cleared in progress.getvalue().splitlines()
    assert engine.calls.count("start_container p-web-1") == 2


def test_a_name_held_by_a_live_container_is_not_touched() -> None:
    engine = _engine()
    engine.start_container(engine.create_container(_web_on_the_network()))
    refusal = StaleEndpointError(f"endpoint with name p-web-1 already exists in network {NET}",
                                 endpoint="p-web-1", network=NET)
    assert clear_stale_endpoint(engine, refusal) is None
    assert not any(c.startswith("disconnect") for c in engine.calls)
