"""Effort: what the move costs, in person-days for work and in calendar weeks for waiting.

Every application that moves costs the move itself (image, manifests,
configuration, data, cut-over, hypercare: rules/planning.yaml ``baseline``, by
workload kind and criticality) plus one fix per failing or partial rule its team
can act on. A rule that needs a platform capability is the organisation's
programme, not the application's; a rule whose only way forward is a vendor's
decision is a lead time in weeks, not days. An application that stays gets no
containerisation to-do list: its cost is its strategy's own line (retain,
repurchase, rewrite, retire), or not estimated where the catalog cannot know it.
An application with too few answers is not estimated until it is assessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from checklist.core.engine import AppResult, Assessment, Finding
from checklist.core.model import Fact, Planning, Rule
from checklist.core.vocabulary import MOVABLE, VERDICTS
from checklist.plan.capabilities import Programme

MOVES = (*MOVABLE, "needs_platform")  # verdicts whose applications move (some once a pool exists)


def moves(result: AppResult) -> bool:
    """Whether the plan moves this application into containers (now, or once its pool exists)."""
    return result.verdict in MOVES


@dataclass(frozen=True)
class AppEffort:
    days: float  # the move and its fixes; for an application that stays, its strategy's cost line
    size: str
    rules: tuple[Rule, ...]  # the fixes its team makes (failing and partial rules, as the engine ranks them)
    plan: str = "move"  # move | stay | assess
    baseline: Mapping[str, float] = field(default_factory=dict)  # activity -> person-days of the move itself
    vendor: tuple[Rule, ...] = ()  # open rules only a vendor can change: a lead time, not days
    pool_rules: tuple[Rule, ...] = ()  # open rules the organisation's node pools resolve
    strategy: str = ""  # an application that stays: its strategy
    estimated: bool = True  # False: a stay whose cost the catalog does not know, or not yet assessed

    @property
    def baseline_days(self) -> float:
        return sum(self.baseline.values())

    @property
    def remediation_days(self) -> float:
        return self.days - self.baseline_days if self.plan == "move" else 0.0


@dataclass(frozen=True)
class Effort:
    applications: Mapping[str, AppEffort]
    organization_days: float  # the organisation's programme (platform, skills, pools)
    organization_rules: tuple[Rule, ...]  # the organisation's open rules
    by_verdict: Mapping[str, float]  # moving applications' days per verdict
    by_step: Mapping[int, float]  # fixes' and the programme's days per step
    by_activity: Mapping[str, float] = field(default_factory=dict)  # the moves' days per activity
    vendor_weeks: float = 0.0  # the lead time of a vendor's decision

    @property
    def applications_days(self) -> float:
        return sum(e.days for e in self.applications.values() if e.plan == "move")

    @property
    def baseline_days(self) -> float:
        return sum(self.by_activity.values())

    @property
    def remediation_days(self) -> float:
        return self.applications_days - self.baseline_days

    @property
    def stays_days(self) -> float:
        return sum(e.days for e in self.applications.values() if e.plan == "stay")

    @property
    def total_days(self) -> float:
        """The containerisation programme: the moves, their fixes and the organisation's share."""
        return self.applications_days + self.organization_days


def open_rules(findings: Iterable[Finding]) -> list[Rule]:
    return [f.rule for f in findings if f.result in ("fail", "partial")]


def is_vendors(rule: Rule, facts: Mapping[str, Fact]) -> bool:
    """A rule only a vendor's decision resolves: it reads what the vendor changes and nothing an
    application's team controls."""
    read = [facts[f] for f in rule.facts if f in facts]
    return (any(f.changed_by == "vendor" for f in read)
            and not any(f.controllable and f.scope == "application" for f in read))


def estimate_effort(assessment: Assessment, planning: Planning, programme: Programme) -> Effort:
    """Person-days per application (the move and its team's fixes, or a stay's cost line), per
    verdict, per step and per activity of the move, and the organisation's programme."""
    days = planning.person_days
    facts = assessment.catalog.facts
    apps: dict[str, AppEffort] = {}
    by_verdict = {v: 0.0 for v in VERDICTS}
    by_step: dict[int, float] = {}
    by_activity = {a: 0.0 for a in planning.baseline.activities}
    for result in assessment.applications:
        app = result.application
        open_ = [r.rule for r in result.remediations]
        vendor = tuple(r for r in open_ if not r.requires and is_vendors(r, facts))
        if result.verdict == "insufficient_data":
            apps[app.id] = AppEffort(0.0, planning.size(0.0), (), plan="assess", estimated=False)
            continue
        if not moves(result):
            stay = planning.stays.get(result.strategy)
            cost = stay.days if stay is not None else None
            apps[app.id] = AppEffort(cost or 0.0, planning.size(cost or 0.0), (), plan="stay", vendor=vendor,
                                     strategy=result.strategy, estimated=cost is not None)
            continue
        fixes = tuple(r for r in open_ if not r.requires and r not in vendor)
        kind = app.known.get("workload_kind")
        baseline = planning.baseline.days(kind if isinstance(kind, str) else None, app.criticality)
        total = sum(baseline.values()) + sum(days[r.effort] for r in fixes)
        apps[app.id] = AppEffort(total, planning.size(total), fixes, baseline=baseline, vendor=vendor,
                                 pool_rules=tuple(r for r in open_ if r.requires))
        by_verdict[result.verdict] += total
        for activity, d in baseline.items():
            by_activity[activity] += d
        for rule in fixes:
            by_step[rule.step] = by_step.get(rule.step, 0.0) + days[rule.effort]
    for item in programme.items:
        step = facts[item.work.fact].step
        by_step[step] = by_step.get(step, 0.0) + item.days
    return Effort(apps, programme.days, tuple(open_rules(assessment.organization.findings)), by_verdict,
                  dict(sorted(by_step.items())), by_activity, planning.vendor_weeks)
