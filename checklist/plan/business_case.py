"""The business case: low, expected and high estimates of what moving the waves'
applications saves, from their footprints and the catalog's assumptions."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checklist.core.engine import (
    Assessment,
)
from checklist.core.model import Application, Assumption, Planning
from checklist.plan.waves import Waves


@dataclass(frozen=True)
class Estimate:
    applications: int
    vms_retired: int
    container_hosts: int
    net_vms_retired: int
    vcpu_before: float
    vcpu_after: float
    memory_reclaimed_gb: float
    storage_saved_gb: float
    start_seconds_before: float | None  # mean time to add an instance, over apps with startup_seconds
    start_seconds_after: float | None

    @property
    def vcpu_reclaimed(self) -> float:
        return round(self.vcpu_before - self.vcpu_after, 1)


@dataclass(frozen=True)
class BusinessCase:
    assumptions: Mapping[str, Assumption]
    note: str
    low: Estimate
    expected: Estimate
    high: Estimate
    estimated: tuple[str, ...]
    not_estimated: tuple[str, ...]  # moving applications without a usable footprint
    measured_utilization: int  # estimated applications whose CPU utilisation is measured


REQUIRED_FOOTPRINT = ("vm_count", "vcpu", "memory_gb")


def _estimate(apps: Sequence[Application], values: Mapping[str, float]) -> Estimate:
    vms = 0.0
    vcpu_before = vcpu_after = memory_needed = memory_reclaimed = storage = 0.0
    starts: list[float] = []
    for app in apps:
        fp = app.footprint
        count = fp["vm_count"]
        vcpu = count * fp["vcpu"]
        utilization = fp.get("avg_cpu_utilization", values["current_cpu_utilization"])
        needed = min(vcpu, vcpu * utilization / values["target_cpu_utilization"])
        memory = count * fp["memory_gb"]
        saved_memory = min(memory, count * values["guest_os_memory_gb"])
        vms += count
        vcpu_before += vcpu
        vcpu_after += needed
        memory_reclaimed += saved_memory
        memory_needed += memory - saved_memory
        storage += count * max(0.0, values["guest_os_disk_gb"] - values["image_size_gb"])
        startup = app.known.get("startup_seconds")
        if isinstance(startup, int | float) and not isinstance(startup, bool):
            starts.append(float(startup))
    hosts = max(math.ceil(round(vcpu_after / values["container_host_vcpu"], 6)),
                math.ceil(round(memory_needed / values["container_host_memory_gb"], 6))) if apps else 0
    mean = sum(starts) / len(starts) if starts else None
    return Estimate(
        applications=len(apps),
        vms_retired=int(vms),
        container_hosts=hosts,
        net_vms_retired=int(vms) - hosts,
        vcpu_before=round(vcpu_before, 1),
        vcpu_after=round(vcpu_after, 1),
        memory_reclaimed_gb=round(memory_reclaimed, 1),
        storage_saved_gb=round(storage, 1),
        start_seconds_before=None if mean is None else round(values["vm_start_minutes"] * 60 + mean, 1),
        start_seconds_after=None if mean is None else round(values["container_start_seconds"] + mean, 1),
    )


def business_case(assessment: Assessment, waves: Waves, planning: Planning) -> BusinessCase:
    """Low, expected and high estimates for the applications the waves move."""
    moving = {a for w in waves.waves for a in w.applications}
    apps = [r.application for r in assessment.applications if r.application.id in moving]
    estimated = [a for a in apps if all(k in a.footprint for k in REQUIRED_FOOTPRINT)]
    estimated_ids = {a.id for a in estimated}
    a = planning.assumptions
    cases = {name: {k: getattr(v, name) for k, v in a.items()} for name in ("conservative", "default", "optimistic")}
    return BusinessCase(
        assumptions=a,
        note=planning.business_case_note,
        low=_estimate(estimated, cases["conservative"]),
        expected=_estimate(estimated, cases["default"]),
        high=_estimate(estimated, cases["optimistic"]),
        estimated=tuple(x.id for x in estimated),
        not_estimated=tuple(x.id for x in apps if x.id not in estimated_ids),
        measured_utilization=sum("avg_cpu_utilization" in x.footprint for x in estimated),
    )
