"""The assessment as the public JSON document (DESIGN.md, "Assessment result").

Fields are only ever added; `schema_version` changes only if one is removed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checklist.engine import AppResult, Assessment, Finding, StepStatus
    from checklist.report import RenderOptions

SCHEMA_VERSION = 1


def _steps(steps: tuple[StepStatus, ...]) -> list[dict[str, Any]]:
    return [{"step": s.step, "status": s.status} for s in steps]


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


def application_document(result: AppResult) -> dict[str, Any]:
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
        "blockers": [
            {"rule": b.rule.id, "step": b.rule.step, "strategy": b.rule.strategy, "message": b.message}
            for b in result.blockers
        ],
        "steps": _steps(result.steps),
        "findings": [finding_document(f) for f in result.findings],
        "remediations": [
            {"rule": r.rule.id, "gain": r.gain, "effort": r.rule.effort, "severity": r.rule.severity,
             "text": r.text}
            for r in result.remediations
        ],
        "unknowns": list(result.unknowns),
    }
    if result.konveyor is not None:  # only with `assess --questionnaire`
        from checklist.konveyor import result_document

        entry.update(result_document(result.konveyor))
    return entry


def document(assessment: Assessment) -> dict[str, Any]:
    """The whole result document as plain data."""
    org = assessment.organization
    portfolio = assessment.portfolio
    return {
        "schema_version": SCHEMA_VERSION,
        "catalog": {"name": assessment.catalog.name, "version": assessment.catalog.version},
        "organization": {
            "name": org.organization.name,
            "score": org.score.value,
            "confidence": round(org.score.confidence, 2),
            "steps": _steps(org.steps),
            "findings": [finding_document(f) for f in org.findings],
        },
        "applications": [application_document(r) for r in assessment.applications],
        "portfolio": {
            "applications": portfolio.applications,
            "average_score": portfolio.average_score,
            "by_verdict": dict(portfolio.by_verdict),
            "by_strategy": dict(portfolio.by_strategy),
            "top_failing_rules": [
                {"rule": rule.id, "applications": count} for rule, count in portfolio.top_failing
            ],
        },
    }


# Above this many applications the document is written compact: Python's JSON
# encoder is many times faster without indentation, and nobody reads it by eye.
INDENT_UP_TO = 200


def render(assessment: Assessment, options: RenderOptions) -> str:
    indent = 2 if len(assessment.applications) <= INDENT_UP_TO else None
    separators = None if indent else (",", ":")
    return json.dumps(document(assessment), indent=indent, separators=separators, ensure_ascii=False) + "\n"
