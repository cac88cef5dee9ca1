"""Effort: person-days per application, per verdict and per step, from the failing and
partial rules and the catalog's person-days per fix (rules/planning.yaml)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from checklist.core.engine import (
    Assessment,
    Finding,
)
from checklist.core.model import Planning, Rule
from checklist.core.vocabulary import VERDICTS


@dataclass(frozen=True)
class AppEffort:
    days: float
    size: str
    rules: tuple[Rule, ...]  # failing and partial rules, as the engine ranks them


@dataclass(frozen=True)
class Effort:
    applications: Mapping[str, AppEffort]
    organization_days: float
    organization_rules: tuple[Rule, ...]
    by_verdict: Mapping[str, float]  # applications' days per verdict
    by_step: Mapping[int, float]  # applications' and organisation's days per step

    @property
    def applications_days(self) -> float:
        return sum(e.days for e in self.applications.values())

    @property
    def total_days(self) -> float:
        return self.applications_days + self.organization_days


def open_rules(findings: Iterable[Finding]) -> list[Rule]:
    return [f.rule for f in findings if f.result in ("fail", "partial")]


def estimate_effort(assessment: Assessment, planning: Planning) -> Effort:
    """Person-days per application (Σ over its failing and partial rules), per verdict and per step."""
    days = planning.person_days
    apps: dict[str, AppEffort] = {}
    by_verdict = {v: 0.0 for v in VERDICTS}
    by_step: dict[int, float] = {}
    for result in assessment.applications:
        rules = tuple(r.rule for r in result.remediations)
        total = sum(days[r.effort] for r in rules)
        apps[result.application.id] = AppEffort(total, planning.size(total), rules)
        by_verdict[result.verdict] += total
        for rule in rules:
            by_step[rule.step] = by_step.get(rule.step, 0.0) + days[rule.effort]
    org_rules = tuple(open_rules(assessment.organization.findings))
    for rule in org_rules:
        by_step[rule.step] = by_step.get(rule.step, 0.0) + days[rule.effort]
    return Effort(apps, sum(days[r.effort] for r in org_rules), org_rules, by_verdict, dict(sorted(by_step.items())))
