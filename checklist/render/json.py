"""The assessment as the public JSON document (README, "The JSON result").

Promises: fields are only ever added (version 2 added the judgement:
`scored`, `verdict_reason`, `prerequisites`, the headline by verdict, the
verdict needs_platform and five strategies, and removed nothing of version
1). One path writes it: the document is built as plain data and encoded by
`dumps`, indented for a small portfolio and compact, one application at a
time, for a large one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from checklist.core.engine import AppResult, Assessment, Finding, Remediation, StepStatus
    from checklist.plan import Plan
    from checklist.render import RenderOptions
    from checklist.render.extras import Extras

SCHEMA_VERSION = 2


def step_document(step: StepStatus) -> dict[str, Any]:
    return {"step": step.step, "status": step.status}


def _steps(steps: tuple[StepStatus, ...]) -> list[dict[str, Any]]:
    return [step_document(s) for s in steps]


def finding_document(finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    return {
        "rule": rule.id,
        "step": rule.step,
        "category": rule.category,
        "severity": rule.severity,
        "weight": rule.weight,
        "result": finding.result,
        "message": finding.message,
        "facts": dict(finding.facts),
    }


def blocker_document(finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    return {"rule": rule.id, "step": rule.step, "strategy": rule.strategy, "message": finding.message,
            "problem": rule.problem_text, "action": rule.action_text}


def remediation_document(item: Remediation) -> dict[str, Any]:
    rule = item.rule
    return {"rule": rule.id, "gain": item.gain, "effort": rule.effort, "severity": rule.severity, "text": item.text,
            "action": rule.action_text}


def reason_document(result: AppResult) -> dict[str, Any]:
    return {"decided_by": result.reason.decided_by, "rules": list(result.reason.rules)}


def application_document(result: AppResult, extras: Extras | None = None) -> dict[str, Any]:
    """One application's entry in `applications` (also one line of jsonl)."""
    app = result.application
    entry = {
        "id": app.id,
        "name": app.name,
        "owner": app.owner,
        "criticality": app.criticality,
        "score": result.score.value,
        "confidence": round(result.score.confidence, 2),
        "verdict": result.verdict,
        "strategy": result.strategy,
        "blockers": [blocker_document(b) for b in result.blockers],
        "steps": _steps(result.steps),
        "findings": [finding_document(f) for f in result.findings],
        "remediations": [remediation_document(r) for r in result.remediations],
        "unknowns": list(result.unknowns),
        "scored": result.scored,
        "verdict_reason": reason_document(result),
        "prerequisites": list(result.prerequisites),
    }
    if extras and (extra := extras.apps.get(app.id)):
        entry.update(extra.fields)
    found = discovered_document(result)
    if found:
        entry["discovered"] = found
    return entry


def discovered_document(result: AppResult) -> dict[str, Any]:
    """The answers that count and come from a scan, not a person: {fact: {value, evidence}}."""
    app = result.application
    return {fact: {"value": found.value,
                   "evidence": [{"file": e.file, "line": e.line, "text": e.text, "detector": e.detector,
                                 "strength": e.strength} for e in found.evidence if e.value == found.value
                                or (isinstance(found.value, list) and e.value in found.value)]}
            for fact, found in app.discovered.items() if app.is_discovered(fact)}


def document(assessment: Assessment, plan: Plan | None = None, extras: Extras | None = None) -> dict[str, Any]:
    """The whole result document as plain data; with `plan` (`assess --plan`) when given."""
    org = assessment.organization
    portfolio = assessment.portfolio
    doc = {
        "schema_version": SCHEMA_VERSION,
        "catalog": {"name": assessment.catalog.name, "version": assessment.catalog.version},
        "organization": {
            "name": org.organization.name,
            "score": org.score.value,
            "confidence": round(org.score.confidence, 2),
            "steps": _steps(org.steps),
            "findings": [finding_document(f) for f in org.findings],
        },
        "applications": [application_document(r, extras) for r in assessment.applications],
        "portfolio": {
            "applications": portfolio.applications,
            "average_score": portfolio.average_score,
            "by_verdict": dict(portfolio.by_verdict),
            "by_strategy": dict(portfolio.by_strategy),
            "top_failing_rules": [
                {"rule": rule.id, "applications": count} for rule, count in portfolio.top_failing
            ],
            "average_over": portfolio.averaged,
            "headline": [{"verdict": h.verdict, "applications": h.applications, "vms": h.vms, "vcpu": h.vcpu,
                          "with_footprint": h.footprinted} for h in portfolio.headline],
        },
    }
    if plan is not None:
        from checklist.render.plan import plan_document

        doc["plan"] = plan_document(plan)
    return doc


# Above this many applications the document is written compact and streamed:
# nobody reads it by eye, and it may be larger than the memory it should take.
INDENT_UP_TO = 200


def dumps(value: Any, *, indent: bool = False) -> bytes:
    """The JSON text of `value` in UTF-8, compact or indented by two spaces: what
    ``json.dumps(value, ensure_ascii=False)`` gives with those separators, written
    by msgspec (several times faster, which a 10,000-application result needs; the
    same library reads saved results). The only difference in text: a float below
    0.0001 is written ``1e-7`` or ``0.00001``, where json.dumps writes ``1e-07`` or ``1e-05``."""
    text = msgspec.json.encode(value)
    return msgspec.json.format(text, indent=2) if indent else text


def stream(assessment: Assessment, plan: Plan | None = None, extras: Extras | None = None) -> Iterator[bytes]:
    """The compact document in UTF-8, in pieces of one application each."""
    frame = dumps(document(replace(assessment, applications=()), plan, extras))
    cut = frame.index(b'"applications":[]') + len(b'"applications":[')
    yield frame[:cut]
    for i, result in enumerate(assessment.applications):
        yield (b"," if i else b"") + dumps(application_document(result, extras))
    yield frame[cut:] + b"\n"


def render(assessment: Assessment, options: RenderOptions) -> str | Iterator[bytes]:
    plan = None
    if options.plan:
        from checklist.plan import plan_of

        plan = plan_of(assessment)
    if len(assessment.applications) > INDENT_UP_TO:
        return stream(assessment, plan, options.extras)
    return dumps(document(assessment, plan, options.extras), indent=True).decode() + "\n"
