"""The business case: what the move costs and what it saves, in money, with every
assumption it rests on (rules/planning.yaml ``business_case``).

For the moving applications whose footprint is known: their VMs today, priced per
vCPU, GB and VM; the container nodes they would need, pool by pool (a pool per
capability they need, one per application on a dedicated pool), each node less its
system reservation, each pool with a spare node, the CPU each application needs at
the utilisation container fleets are measured to reach (never more than its VMs
have) and the memory it has today less the guest OS; the platform's fixed costs
(control planes, the people who run it); per-core licences on dedicated pools as a
cost; the programme's person-days in money; the payback period. Start-up times
compare like with like: one more VM against one more container where there is room,
and against one more container when a node must be added first.

Each figure is computed three times: with every assumption's default (expected),
with every conservative value and with every optimistic one; a figure's low and
high are the smallest and largest of the three, so low ≤ expected ≤ high always.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from checklist.core.engine import Assessment
from checklist.core.model import Application, Assumption, Planning

REQUIRED_FOOTPRINT = ("vm_count", "vcpu", "memory_gb")
SCENARIOS = ("conservative", "default", "optimistic")

# The assumptions each figure is computed from (the report prints them beside it).
_NODES = ("current_cpu_utilization", "cluster_cpu_utilization", "guest_os_memory_gb", "memory_request_share",
          "container_host_vcpu", "container_host_memory_gb", "reserved_cpu_share", "reserved_memory_share",
          "spare_nodes")
_VMS = ("vcpu_month", "memory_gb_month", "vm_overhead_month", "gpu_month")
_PLATFORM = (*_VMS, "control_plane_month", "clusters", "platform_operations_days_month", "person_day_rate")
_SAVING = tuple(dict.fromkeys((*_VMS, *_NODES, *_PLATFORM, "per_core_licence_month")))
USES: Mapping[str, tuple[str, ...]] = {
    "vcpu_after": ("current_cpu_utilization", "cluster_cpu_utilization"),
    "vcpu_reclaimed": ("current_cpu_utilization", "cluster_cpu_utilization"),
    "container_hosts": _NODES,
    "net_vms_retired": _NODES,
    "memory_reclaimed_gb": ("guest_os_memory_gb",),
    "storage_saved_gb": ("guest_os_disk_gb", "image_size_gb"),
    "vm_cost_month": _VMS,
    "platform_cost_month": _PLATFORM,
    "licence_cost_month": ("per_core_licence_month",),
    "saving_month": _SAVING,
    "programme_cost": ("person_day_rate",),
    "payback_months": _SAVING,
    "start_seconds_before": ("vm_start_minutes",),
    "start_seconds_after": ("container_start_seconds",),
    "start_seconds_new_node": ("vm_start_minutes", "node_join_minutes", "container_start_seconds"),
}


@dataclass(frozen=True)
class Estimate:
    applications: int
    vms_retired: int
    container_hosts: int  # nodes of every pool, spare nodes included
    net_vms_retired: int
    vcpu_before: float
    vcpu_after: float
    memory_reclaimed_gb: float
    storage_saved_gb: float
    start_seconds_before: float | None  # one more VM, with the app's own start (mean over apps that say it)
    start_seconds_after: float | None  # one more container on a node with room
    vcpu_reclaimed: float = 0.0
    start_seconds_new_node: float | None = None  # one more container when a node must be added first
    vm_cost_month: float | None = None
    platform_cost_month: float | None = None
    licence_cost_month: float | None = None
    saving_month: float | None = None
    programme_cost: float | None = None
    payback_months: float | None = None  # None: never (no saving), or nothing estimated


@dataclass(frozen=True)
class Pool:
    """One node pool: the applications on it and its nodes (spare included), low to high."""

    key: str  # "standard", a capability (organisation fact), or "dedicated:<application>"
    applications: tuple[str, ...]
    nodes: tuple[int, int, int]  # low, expected, high


@dataclass(frozen=True)
class BusinessCase:
    assumptions: Mapping[str, Assumption]
    note: str
    low: Estimate  # each figure's smallest value over the three cases
    expected: Estimate
    high: Estimate  # each figure's largest
    estimated: tuple[str, ...]
    not_estimated: tuple[str, ...]  # moving applications without a usable footprint
    measured_utilization: int  # estimated applications whose CPU utilisation is measured
    currency: str = ""
    pools: tuple[Pool, ...] = ()
    programme_days: float = 0.0  # the person-days the cost of the move prices


def _pool_key(app: Application, capabilities: Sequence[str], planning: Planning) -> str:
    pools = {w.fact: w for w in planning.pools}
    if any(pools[c].per_application for c in capabilities if c in pools):
        return f"dedicated:{app.id}"
    return "+".join(capabilities) or "standard"


def _gpus(capabilities: Iterable[str], planning: Planning) -> int:
    return max((w.gpus for w in planning.pools if w.fact in capabilities), default=0)


def _scenario(apps: Sequence[Application], keys: Mapping[str, str], gpus: Mapping[str, int],
              per_core: set[str], v: Mapping[str, float], programme_days: float,
              ) -> tuple[Estimate, dict[str, int]]:
    vms = 0.0
    vcpu_before = vcpu_after = memory_reclaimed = storage = vm_cost = licence = 0.0
    starts: list[float] = []
    cpu: dict[str, float] = {}
    memory: dict[str, float] = {}
    per_vm = v["vm_overhead_month"]
    for app in apps:
        fp = app.footprint
        count = fp["vm_count"]
        vcpu = count * fp["vcpu"]
        utilization = fp.get("avg_cpu_utilization", v["current_cpu_utilization"])
        needed = min(vcpu, vcpu * utilization / v["cluster_cpu_utilization"])
        guest = min(fp["memory_gb"], v["guest_os_memory_gb"])
        key = keys[app.id]
        cpu[key] = cpu.get(key, 0.0) + needed
        memory[key] = memory.get(key, 0.0) + count * (fp["memory_gb"] - guest) * v["memory_request_share"]
        vms += count
        vcpu_before += vcpu
        vcpu_after += needed
        memory_reclaimed += count * guest
        storage += count * max(0.0, v["guest_os_disk_gb"] - v["image_size_gb"])
        vm_cost += count * (fp["vcpu"] * v["vcpu_month"] + fp["memory_gb"] * v["memory_gb_month"] + per_vm
                            + gpus.get(app.id, 0) * v["gpu_month"])
        startup = app.known.get("startup_seconds")
        if isinstance(startup, int | float) and not isinstance(startup, bool):
            starts.append(float(startup))
    node_cpu = v["container_host_vcpu"] * (1 - v["reserved_cpu_share"])
    node_memory = v["container_host_memory_gb"] * (1 - v["reserved_memory_share"])
    nodes = {key: max(1, math.ceil(round(cpu[key] / node_cpu, 6)), math.ceil(round(memory[key] / node_memory, 6)))
             + int(v["spare_nodes"]) for key in cpu}
    pool_gpus = {keys[a.id]: gpus.get(a.id, 0) for a in apps}
    node_cost = sum(n * (v["container_host_vcpu"] * v["vcpu_month"] + v["container_host_memory_gb"]
                         * v["memory_gb_month"] + per_vm + pool_gpus[k] * v["gpu_month"]) for k, n in nodes.items())
    for app in apps:
        if app.id in per_core:
            cores = app.footprint["vm_count"] * app.footprint["vcpu"]
            licence += max(0.0, nodes[keys[app.id]] * v["container_host_vcpu"] - cores) * v["per_core_licence_month"]
    hosts = sum(nodes.values())
    retired = int(vms)
    mean = sum(starts) / len(starts) if starts else None
    money = bool(apps)
    platform = node_cost + v["clusters"] * v["control_plane_month"] + (
        v["platform_operations_days_month"] * v["person_day_rate"])
    saving = vm_cost - platform - licence
    cost = programme_days * v["person_day_rate"]
    return Estimate(
        applications=len(apps),
        vms_retired=retired,
        container_hosts=hosts,
        net_vms_retired=retired - hosts,
        vcpu_before=round(vcpu_before, 1),
        vcpu_after=round(vcpu_after, 1),
        memory_reclaimed_gb=round(memory_reclaimed, 1),
        storage_saved_gb=round(storage, 1),
        start_seconds_before=None if mean is None else round(v["vm_start_minutes"] * 60 + mean, 1),
        start_seconds_after=None if mean is None else round(v["container_start_seconds"] + mean, 1),
        vcpu_reclaimed=round(vcpu_before - vcpu_after, 1),
        start_seconds_new_node=None if mean is None else round(
            (v["vm_start_minutes"] + v["node_join_minutes"]) * 60 + v["container_start_seconds"] + mean, 1),
        vm_cost_month=round(vm_cost) if money else None,
        platform_cost_month=round(platform) if money else None,
        licence_cost_month=round(licence) if money else None,
        saving_month=round(saving) if money else None,
        programme_cost=round(cost),
        payback_months=round(cost / saving, 1) if money and saving > 0 else None,
    ), nodes


def _span(values: Sequence[float | None]) -> tuple[float | None, float | None]:
    """Smallest and largest, None standing for "never" (larger than any number) on a figure
    that has one (payback), or for "not estimated" on one that is missing everywhere."""
    known = [x for x in values if x is not None]
    if not known:
        return None, None
    return min(known), (None if len(known) < len(values) else max(known))


def business_case(assessment: Assessment, moving: Iterable[str], planning: Planning,
                  capabilities: Mapping[str, tuple[str, ...]], programme_days: float) -> BusinessCase:
    """Low, expected and high figures for the applications that move (`moving`), in money."""
    moving = set(moving)
    apps = [r.application for r in assessment.applications if r.application.id in moving]
    estimated = [a for a in apps if all(k in a.footprint for k in REQUIRED_FOOTPRINT)]
    estimated_ids = {a.id for a in estimated}
    keys = {a.id: _pool_key(a, capabilities.get(a.id, ()), planning) for a in estimated}
    gpus = {a.id: g for a in estimated if (g := _gpus(capabilities.get(a.id, ()), planning))}
    rule = planning.per_core_licence
    per_core = {a.id for a in estimated if keys[a.id].startswith("dedicated:")
                and rule is not None and rule.evaluate(a.known) is True}
    a = planning.assumptions
    runs = {name: _scenario(estimated, keys, gpus, per_core, {k: getattr(x, name) for k, x in a.items()},
                            programme_days) for name in SCENARIOS}
    expected = runs["default"][0]
    lows: dict[str, object] = {}
    highs: dict[str, object] = {}
    for f in fields(Estimate):
        lows[f.name], highs[f.name] = _span([getattr(runs[s][0], f.name) for s in SCENARIOS])
    members: dict[str, list[str]] = {}
    for app_id, key in keys.items():
        members.setdefault(key, []).append(app_id)
    pools = tuple(Pool(key, tuple(ids), (min(n := [runs[s][1][key] for s in SCENARIOS]), runs["default"][1][key],
                                         max(n))) for key, ids in members.items())
    return BusinessCase(
        assumptions=a,
        note=planning.business_case_note,
        low=Estimate(**lows),  # type: ignore[arg-type]
        expected=expected,
        high=Estimate(**highs),  # type: ignore[arg-type]
        estimated=tuple(x.id for x in estimated),
        not_estimated=tuple(x.id for x in apps if x.id not in estimated_ids),
        measured_utilization=sum("avg_cpu_utilization" in x.footprint for x in estimated),
        currency=planning.currency,
        pools=pools,
        programme_days=programme_days,
    )
