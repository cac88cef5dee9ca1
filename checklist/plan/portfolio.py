"""Portfolio wins: one organisation step, or one remediation made wherever it is open,
re-scored across every application it touches."""

from __future__ import annotations

from dataclasses import dataclass

from checklist.core.answers import known_answers
from checklist.core.engine import (
    AppResult,
    Assessment,
    Evaluator,
    evaluate_organization,
)
from checklist.core.model import Catalog, Inventory, Rule
from checklist.core.vocabulary import rung
from checklist.plan.capabilities import Programme
from checklist.plan.changes import merge_answers, passing_change, with_org_answers
from checklist.plan.effort import open_rules
from checklist.plan.quick_wins import not_quick
from checklist.plan.rescore import Rescorer

PORTFOLIO_WINS = 10


@dataclass(frozen=True)
class PortfolioWin:
    """One organisation step or one remediation applied wherever it is open, re-scored."""

    kind: str  # "organisation_step" | "remediation"
    step: int
    rules: tuple[Rule, ...]
    lifted: tuple[str, ...]  # applications that reach a better verdict band
    improved: int  # applications whose score rises
    applications: int  # applications the change is made in (remediations)
    days: float
    organization_gain: float = 0.0  # organisation readiness points (organisation steps)


def portfolio_wins(catalog: Catalog, assessment: Assessment, inventory: Inventory,
                   limit: int = PORTFOLIO_WINS, rescorers: dict[str, Rescorer] | None = None,
                   programme: Programme | None = None) -> tuple[PortfolioWin, ...]:
    """Every open organisation step and the `limit` remediations that lift the most
    applications, most applications lifted first. An organisation step costs what the
    `programme` sizes for the answers it changes (the rules' effort where it sizes none);
    a remediation costs its effort in every application it is made in."""
    assert catalog.planning is not None
    days = catalog.planning.person_days
    org = inventory.organization
    wins: list[PortfolioWin] = []
    rescorers = {} if rescorers is None else rescorers
    assess = Evaluator(catalog, org)

    def rescorer(result: AppResult) -> Rescorer:
        app_id = result.application.id
        if app_id not in rescorers:
            rescorers[app_id] = Rescorer(catalog, result, org, assess)
        return rescorers[app_id]

    app_rules = [r for r in catalog.rules if r.scope == "application"]
    # Organisation steps: every open organisation rule of the step made to pass at once.
    by_step: dict[int, list[Rule]] = {}
    for rule in open_rules(assessment.organization.findings):
        by_step.setdefault(rule.step, []).append(rule)
    for step, rules in sorted(by_step.items()):
        changes = [c for c in (passing_change(catalog, r, org.known, "organization") for r in rules) if c]
        if not changes:
            continue
        merged = merge_answers(changes, org.known, catalog.facts)
        new_org = with_org_answers(org, merged, catalog)
        gain = round(evaluate_organization(catalog, new_org).score.value - assessment.organization.score.value, 1)
        readers = {r.id for r in app_rules if set(merged).intersection(r.facts)}
        lifted: list[str] = []
        improved = 0
        if readers:
            known = known_answers(merged, catalog.facts)
            for result in assessment.applications:
                if any(f.rule.id in readers for f in result.findings):
                    after = rescorer(result)(known)
                    lifted += _lifted(result, after.verdict)
                    improved += after.score > result.score.value
        sized = [i.days for i in (programme.items if programme else ()) if i.work.fact in merged]
        wins.append(PortfolioWin("organisation_step", step, tuple(rules), tuple(lifted), improved, 0,
                                 sum(sized) if sized else sum(days[r.effort] for r in rules), gain))
    # Remediations: one application rule made to pass in every application where it is open.
    open_in: dict[str, list[AppResult]] = {}
    for result in assessment.applications:
        for remediation in result.remediations:
            open_in.setdefault(remediation.rule.id, []).append(result)
    for rule in app_rules:
        if not_quick(rule):
            continue
        lifted, improved, applied = [], 0, 0
        for result in open_in.get(rule.id, []):
            rescore = rescorer(result)
            change = passing_change(catalog, rule, rescore.answers, "application")
            if change is None:
                continue
            applied += 1
            rescored = rescore(known_answers(change, catalog.facts))
            lifted += _lifted(result, rescored.verdict)
            improved += rescored.score > result.score.value
        if applied:
            wins.append(PortfolioWin("remediation", rule.step, (rule,), tuple(lifted), improved, applied,
                                     days[rule.effort] * applied))

    def rank(w: PortfolioWin) -> tuple[float, ...]:
        return (-len(w.lifted), -w.improved, -w.organization_gain, w.days, w.step)

    steps = [w for w in wins if w.kind == "organisation_step"]
    fixes = sorted((w for w in wins if w.kind == "remediation" and (w.lifted or w.improved)), key=rank)
    return tuple(sorted(steps + fixes[:limit], key=rank))


def _lifted(result: AppResult, verdict: str) -> list[str]:
    before, after = rung(result.verdict), rung(verdict)
    return [result.application.id] if before is not None and after is not None and after > before else []
