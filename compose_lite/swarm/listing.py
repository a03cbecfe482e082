"""The rows `cl stack ls`, `stack services` and `stack ps` print, in `docker stack`'s columns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from compose_lite.clock import ago, unix_time
from compose_lite.swarm import labels as SL

Raw = Mapping[str, Any]


def stacks(services: Sequence[Raw]) -> list[tuple[str, str]]:
    """(NAME, SERVICES) per stack, by name."""
    counts = Counter((s["Spec"].get("Labels") or {}).get(SL.NAMESPACE) for s in services)
    return [(name, str(n)) for name, n in sorted(counts.items()) if name]


def service_rows(services: Sequence[Raw], tasks: Sequence[Raw]) -> list[tuple[str, ...]]:
    """(ID, NAME, MODE, REPLICAS, IMAGE, PORTS) per service, by name."""
    running = Counter(t["ServiceID"] for t in tasks
                      if t.get("DesiredState") == "running" and t["Status"]["State"] == "running")
    nodes_with_tasks = Counter(t["ServiceID"] for t in tasks if t.get("DesiredState") == "running")
    rows: list[tuple[str, ...]] = []
    for s in sorted(services, key=lambda s: s["Spec"]["Name"]):
        mode = s["Spec"].get("Mode") or {}
        if "Replicated" in mode:
            kind, wanted = "replicated", str(mode["Replicated"].get("Replicas", 0))
            most = (s["Spec"]["TaskTemplate"].get("Placement") or {}).get("MaxReplicas")
            wanted += f" (max {most} per node)" if most else ""
        elif "Global" in mode:
            kind, wanted = "global", str(nodes_with_tasks[s["ID"]])
        else:
            kind, wanted = ("replicated job" if "ReplicatedJob" in mode else "global job"), "-"
        rows.append((s["ID"][:12], s["Spec"]["Name"], kind, f"{running[s['ID']]}/{wanted}",
                     _image(s["Spec"]["TaskTemplate"]["ContainerSpec"].get("Image", "")),
                     _ports([p for p in (s.get("Endpoint") or {}).get("Ports") or ()
                             if p.get("PublishMode", "ingress") == "ingress"], ", ")))
    return rows


def task_rows(tasks: Sequence[Raw], services: Sequence[Raw], nodes: Sequence[Raw], now: float, *,
              truncate: bool = True) -> list[tuple[str, ...]]:
    """(ID, NAME, IMAGE, NODE, DESIRED STATE, CURRENT STATE, ERROR, PORTS), newest task of each slot
    first and its history after it (``\\_ ``), as `docker stack ps` lists them."""
    names = {s["ID"]: s["Spec"]["Name"] for s in services}
    hosts = {n["ID"]: n["Description"]["Hostname"] for n in nodes}

    def slot(t: Raw) -> str:
        return f"{names.get(t['ServiceID'], t['ServiceID'][:12])}.{t.get('Slot') or t.get('NodeID', '')}"

    ordered = sorted(tasks, key=lambda t: (slot(t), -(unix_time(t.get("CreatedAt", "")) or 0)))
    rows: list[tuple[str, ...]] = []
    previous = ""
    for t in ordered:
        name = slot(t)
        status = t["Status"]
        error = status.get("Err", "")
        rows.append((t["ID"] if not truncate else t["ID"][:12], name if name != previous else f" \\_ {name}",
                     _image(t["Spec"]["ContainerSpec"].get("Image", "")), hosts.get(t.get("NodeID", ""), ""),
                     t.get("DesiredState", "").capitalize(),
                     _state(status, now),
                     error if not truncate or len(error) <= 30 else f'"{error[:29]}…"',
                     _ports((status.get("PortStatus") or {}).get("Ports") or (), ",")))
        previous = name
    return rows


def _image(image: str) -> str:
    """Without the digest Swarm pins (``busybox:1@sha256:…``), as `docker stack` shows it."""
    return image.split("@", 1)[0]


def _ports(ports: Sequence[Raw], separator: str) -> str:
    return separator.join(f"*:{p.get('PublishedPort', '')}->{p['TargetPort']}/{p.get('Protocol', 'tcp')}"
                     for p in ports)



def _state(status: Raw, now: float) -> str:
    """``Running 5 seconds ago``: the task's state and since when, in lower case as docker says it."""
    since = unix_time(status.get("Timestamp", ""))
    return status["State"].capitalize() + ("" if since is None else f" {ago(since, now).lower()}")
