"""What a report says, computed once for every template: plain data from an assessment.

Templates (ours, or a user's via --template-dir) receive the dictionary
built by `build`; its keys are documented on `build`. Nothing here formats
for a particular output, except the small symbols that carry a status in
text as well as in colour (so a grey-scale print still reads).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from checklist.core.vocabulary import MOVABLE, VERDICTS

if TYPE_CHECKING:
    from checklist.catalog import Catalog
    from checklist.diffing import Diff
    from checklist.engine import AppResult, Assessment, Finding
    from checklist.planning import Plan

STATUS_SYMBOL = {"done": "✓", "partly": "◐", "not_started": "✗", "unknown": "?", "not_applicable": "–"}
STATUS_LABEL = {"done": "done", "partly": "partly", "not_started": "not started", "unknown": "unknown",
                "not_applicable": "n/a"}
RESULT_SYMBOL = {"pass": "✓", "partial": "◐", "fail": "✗", "unknown": "?", "not_applicable": "–"}
CATEGORY_ORDER = ("statefulness", "isolation", "platform", "delivery", "operations", "organisation")
CATEGORY_LABEL = {c: c.capitalize() for c in CATEGORY_ORDER}
EFFORT_ORDER = {"small": 0, "medium": 1, "large": 2}


def _finding(finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    return {"rule": rule.id, "title": rule.title, "step": rule.step, "category": rule.category,
            "severity": rule.severity, "weight": rule.weight, "result": finding.result,
            "symbol": RESULT_SYMBOL[finding.result], "message": finding.message}


def _application(result: AppResult, catalog: Catalog, remediations: int) -> dict[str, Any]:
    app = result.application
    catalog_facts, labels = catalog.facts, catalog.labels
    groups = []
    for category in CATEGORY_ORDER:
        found = [f for f in result.findings if f.rule.category == category and f.result != "not_applicable"]
        if not found:
            continue
        counts = Counter(f.result for f in found)
        groups.append({
            "category": category,
            "label": CATEGORY_LABEL[category],
            "counts": {r: counts.get(r, 0) for r in ("pass", "partial", "fail", "unknown")},
            # What needs attention, worst first; passes are counted, not listed.
            "findings": [_finding(f) for f in sorted(
                (f for f in found if f.result in ("fail", "partial")),
                key=lambda f: (f.result != "fail", -f.rule.weight))],
        })
    return {
        "id": app.id,
        "name": app.name,
        "owner": app.owner,
        "criticality": app.criticality,
        "score": result.score.value,
        "confidence": result.score.confidence,
        "verdict": result.verdict,
        "verdict_label": labels.verdict(result.verdict),
        "strategy": result.strategy,
        "strategy_label": labels.strategy(result.strategy),
        "scored": result.scored,
        "decided_by": result.reason.decided_by,
        "decided_by_label": labels.reason(result.reason.decided_by),
        "deciding_rules": list(result.reason.rules),
        "prerequisites": [catalog_facts[f].text if f in catalog_facts else f for f in result.prerequisites],
        "blockers": [{"rule": b.rule.id, "title": b.rule.title, "problem": b.rule.problem_text,
                      "action": b.rule.action_text, "message": b.message,
                      "strategy_label": labels.strategy(b.rule.strategy or "")} for b in result.blockers],
        "groups": groups,
        "remediations": [
            {"rule": r.rule.id, "title": r.rule.title, "gain": r.gain, "effort": r.rule.effort,
             "severity": r.rule.severity, "text": r.text}
            for r in result.remediations[:remediations]
        ],
        "more_remediations": max(0, len(result.remediations) - remediations),
        "unknowns": [{"fact": f, "question": catalog_facts[f].text} for f in result.unknowns if f in catalog_facts],
        "steps": {s.step: s.status for s in result.steps},
        "konveyor": _konveyor(result),
    }


def _konveyor(result: AppResult) -> dict[str, Any] | None:
    """Konveyor's risk and confidence (only with --questionnaire), and the answers behind a risk."""
    k = result.konveyor
    if k is None:
        return None
    return {
        "risk": k.risk, "confidence": k.confidence, "message": k.message,
        "derived_tags": [str(t) for t in k.derived_tags],
        "questionnaires": [
            {"name": q.questionnaire.name, "risk": q.risk, "confidence": q.confidence, "message": q.message,
             "answered": q.answered, "questions": len(q.questions),
             "attention": [{"text": r.question.text, "answer": r.answer.text if r.answer else "", "risk": r.risk}
                           for r in q.questions if r.risk in ("red", "yellow")]}
            for q in k.questionnaires
        ],
    }


def _next_actions(assessment: Assessment, apps: list[dict[str, Any]], plan: Plan | None = None) -> list[str]:
    """Three to five actions that follow from the data, most useful first."""
    actions: list[str] = []
    results = assessment.applications
    if plan is not None:
        # The plan's pilots: they also respect dependencies.
        chosen = set(plan.waves.waves[0].applications)
        pilots = [r for r in results if r.application.id in chosen]
    else:
        pilots = [r for r in results if r.verdict == "ready" and r.application.criticality in ("low", "medium", "")]
        pilots = pilots or [r for r in results if r.verdict == "ready"]
    pilots.sort(key=lambda r: -r.score.value)
    if pilots:
        names = ", ".join(r.application.name for r in pilots[:3])
        actions.append(f"Start with {min(3, len(pilots))} pilot{'s' if len(pilots) > 1 else ''}: {names} "
                       "(ready now, and not the most critical).")
    org_gaps = sorted((f for f in assessment.organization.findings if f.result in ("fail", "partial")),
                      key=lambda f: (f.result != "fail", -f.rule.weight))
    if org_gaps:
        gaps = "; ".join(f"{f.rule.title.rstrip('.')} (step {f.rule.step})" for f in org_gaps[:2])
        actions.append(f"Close the organisation's biggest gaps: {gaps}.")
    if assessment.portfolio.top_failing:
        rule, count = assessment.portfolio.top_failing[0]
        actions.append(f"Fix the most common problem across the portfolio, “{rule.title}”, which fails in "
                       f"{count} of {len(results)} applications (step {rule.step}).")
    retained = [r for r in results if r.strategy in ("retain_on_vm", "rewrite")]
    if retained:
        names = ", ".join(r.application.name for r in retained[:4]) + (" …" if len(retained) > 4 else "")
        actions.append(f"Keep {len(retained)} application{'s' if len(retained) > 1 else ''} on VMs for now "
                       f"(retain or rewrite): {names}.")
    unknown = [r for r in results if r.verdict == "insufficient_data"]
    if unknown and len(actions) < 5:
        actions.append(f"Finish the assessment of {len(unknown)} application{'s' if len(unknown) > 1 else ''} "
                       "with too few answers (`checklist interview --only-missing`).")
    return actions[:5]


def build(assessment: Assessment, *, title: str = "", date: dt.date | None = None,
          paper: str = "a4", remediations: int = 5, plan: Plan | None = None,
          progress: Diff | None = None) -> dict[str, Any]:
    """The report's data. Keys: `meta` (title, organization, date, catalog, applications,
    paper), `summary` (average_score, ready_share, verdicts, org_score, org_confidence,
    top_blockers, actions), `steps` (the 19 steps with the organisation's status and the
    share of applications done), `applications` (one entry per app: score, verdict,
    strategy, blockers, findings grouped by category, remediations, unknowns, steps),
    `method` (scoring parameters), `plan` (roadmap, quick wins, effort, business case:
    see `checklist.report.plan.plan_data`; None without a plan) and `progress` (the
    comparison with --baseline: see `checklist.report.diff.progress_data`; or None)."""
    catalog = assessment.catalog
    results = assessment.applications
    count = len(results)
    labels = catalog.labels
    apps = [_application(r, catalog, remediations) for r in results]
    verdicts = [{"verdict": v, "label": labels.verdict(v), "meaning": labels.meaning(v),
                 "count": h.applications, "vms": h.vms, "vcpu": h.vcpu, "footprinted": h.footprinted}
                for v, h in zip(VERDICTS, assessment.portfolio.headline, strict=True)]
    blockers: Counter[str] = Counter()
    blocker_rules: dict[str, Any] = {}
    for result in results:
        for blocker in result.blockers:
            blockers[blocker.rule.id] += 1
            blocker_rules[blocker.rule.id] = blocker.rule
    org_status = {s.step: s.status for s in assessment.organization.steps}
    steps = []
    for step in catalog.steps:
        statuses = [a["steps"].get(step.number) for a in apps]
        relevant = [s for s in statuses if s and s != "not_applicable"]
        done = sum(1 for s in relevant if s == "done")
        status = org_status.get(step.number)
        steps.append({
            "number": step.number, "phase": step.phase, "title": step.title, "scope": list(step.scope),
            "org_status": status, "org_symbol": STATUS_SYMBOL.get(status or "", ""),
            "org_label": STATUS_LABEL.get(status or "", ""),
            "apps_done": done, "apps_relevant": len(relevant),
            "apps_done_share": done / len(relevant) if relevant else None,
        })
    ready = assessment.portfolio.by_verdict.get("ready", 0) + assessment.portfolio.by_verdict.get(
        "ready_with_changes", 0)
    scoring = catalog.scoring
    org = assessment.organization
    return {
        "meta": {
            "title": title or "Container readiness",
            "organization": org.organization.name,
            "date": (date or dt.date.today()).isoformat(),
            "catalog": {"name": catalog.name, "version": catalog.version, "title": catalog.title},
            "applications": count,
            "paper": paper,
            "single": None,
        },
        "summary": {
            "average_score": assessment.portfolio.average_score,
            "averaged": assessment.portfolio.averaged,
            "movable": [v for v in verdicts if v["verdict"] in MOVABLE],
            "ready": ready,
            "ready_share": ready / count if count else 0.0,
            "verdicts": verdicts,
            "org_score": org.score.value,
            "org_confidence": org.score.confidence,
            "steps_done": sum(1 for s in steps if s["org_status"] == "done"),
            "org_steps": sum(1 for s in steps if s["org_status"]),
            "top_blockers": [
                {"rule": rid, "title": blocker_rules[rid].title, "problem": blocker_rules[rid].problem_text,
                 "action": blocker_rules[rid].action_text, "count": n,
                 "strategy_label": labels.strategy(blocker_rules[rid].strategy or "")}
                for rid, n in blockers.most_common(5)
            ],
            "actions": _next_actions(assessment, apps, plan),
        },
        "steps": steps,
        "applications": apps,
        "method": {
            "credit": dict(scoring.credit),
            "thresholds": dict(scoring.thresholds),
            "confidence_floor": scoring.confidence_floor,
            "strategy_priority": [labels.strategy(s) for s in scoring.strategy_priority],
            "rules": len(catalog.rules),
            "weights": {sev: sorted({r.weight for r in catalog.rules if r.severity == sev})
                        for sev in ("blocker", "major", "minor")},
        },
        "symbols": {"status": STATUS_SYMBOL, "result": RESULT_SYMBOL},
        "plan": _plan(plan),
        "progress": _progress(progress),
    }


def _plan(plan: Plan | None) -> dict[str, Any] | None:
    from checklist.report.plan import plan_data

    return plan_data(plan) if plan is not None else None


def _progress(progress: Diff | None) -> dict[str, Any] | None:
    from checklist.report.diff import progress_data

    return progress_data(progress) if progress is not None else None
