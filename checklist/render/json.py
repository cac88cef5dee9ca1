"""The assessment as the public JSON document (DESIGN.md, "Assessment result").

Fields are only ever added. Version 2 added the judgement (`scored`,
`verdict_reason`, `prerequisites`, the headline by verdict, the verdict
needs_platform and five strategies) and removed nothing of version 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from json.encoder import encode_basestring  # the C encoder json.dumps uses for a str
from typing import TYPE_CHECKING, Any

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


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _string(value: str | None) -> bytes:
    """`_compact(value)` in UTF-8 for a string or None, without json.dumps's per-call set-up."""
    return b"null" if value is None else encode_basestring(value).encode()


def _memo(encode: Callable[[Any], bytes]) -> Callable[[Iterable[Any]], bytes]:
    """The texts `encode` gives for several objects, joined with commas. Each object's
    text is encoded once, keyed by identity: the assessment keeps every object alive
    while its text is produced."""
    seen: dict[int, bytes] = {}

    def texts(objects: Iterable[Any]) -> bytes:
        found = list(map(seen.get, map(id, objects)))
        if None in found:
            for i, obj in enumerate(objects):
                if found[i] is None:
                    found[i] = seen[id(obj)] = encode(obj)
        return b",".join(found)  # type: ignore[arg-type]

    return texts


def _compact_memo(make: Callable[[Any], dict[str, Any]]) -> Callable[[Iterable[Any]], bytes]:
    """`_memo` of the compact text of `make`'s document, in UTF-8."""
    return _memo(lambda obj: _compact(make(obj)).encode())


class CompactEncoder:
    """Compact JSON text of applications, in UTF-8, identical to ``json.dumps`` of their
    documents. It is built as bytes, the way it is written: text would be copied once
    more, and as wide characters whenever one piece held a character beyond Latin-1.

    Findings (in the engine's groups of them), step statuses and remediations
    are shared between applications (the engine computes each distinct one
    once), so each is encoded once here too and an application's text is
    mostly joined from ready pieces.
    """

    def __init__(self, extras: Extras | None = None) -> None:
        self._extras = extras.apps if extras else {}
        findings = _compact_memo(finding_document)
        self._parts = _memo(lambda part: findings(part.findings))
        self._blockers = _compact_memo(blocker_document)
        self._steps = _compact_memo(step_document)
        self._remediations = _compact_memo(remediation_document)
        self._reasons: dict[Any, bytes] = {}

    def _reason(self, result: AppResult) -> bytes:
        text = self._reasons.get(result.reason)
        if text is None:
            text = self._reasons[result.reason] = _compact(reason_document(result)).encode()
        return text

    def application(self, result: AppResult) -> bytes:
        """The text of `application_document(result)`."""
        app = result.application
        return b"".join((
            b'{"id":', _string(app.id), b',"name":', _string(app.name), b',"owner":', _string(app.owner),
            b',"criticality":', _string(app.criticality),
            b',"score":', repr(result.score.value).encode(),
            b',"confidence":', repr(round(result.score.confidence, 2)).encode(),
            b',"verdict":', _string(result.verdict), b',"strategy":', _string(result.strategy),
            b',"blockers":[', self._blockers(result.blockers),
            b'],"steps":[', self._steps(result.steps),
            b'],"findings":[', self._parts(result.parts),
            b'],"remediations":[', self._remediations(result.remediations),
            b'],"unknowns":[', b",".join(map(_string, result.unknowns)),
            b'],"scored":', b"true" if result.scored else b"false",
            b',"verdict_reason":', self._reason(result), b',"prerequisites":[',
            b",".join(map(_string, result.prerequisites)), b"]", self._extra(app.id), _discovered(result), b"}",
        ))

    def _extra(self, app_id: str) -> bytes:
        """The extra fields of `application_document`, as compact text after a comma, or nothing."""
        extra = self._extras.get(app_id)
        return b"," + _compact(extra.fields)[1:-1].encode() if extra and extra.fields else b""


def _discovered(result: AppResult) -> bytes:
    """The `discovered` field of `application_document`, as compact text after a comma, or nothing."""
    found = discovered_document(result) if result.application.discovered else None
    return b',"discovered":' + _compact(found).encode() if found else b""


def stream(assessment: Assessment, plan: Plan | None = None, extras: Extras | None = None) -> Iterator[bytes]:
    """The compact document in UTF-8, in pieces of one application each."""
    frame = _compact(document(replace(assessment, applications=()), plan)).encode()
    cut = frame.index(b'"applications":[]') + len(b'"applications":[')
    yield frame[:cut]
    encoder = CompactEncoder(extras)
    for i, result in enumerate(assessment.applications):
        yield (b"," if i else b"") + encoder.application(result)
    yield frame[cut:] + b"\n"


def render(assessment: Assessment, options: RenderOptions) -> str | Iterator[bytes]:
    plan = None
    if options.plan:
        from checklist.plan import plan_of

        plan = plan_of(assessment)
    if len(assessment.applications) > INDENT_UP_TO:
        return stream(assessment, plan, options.extras)
    return json.dumps(document(assessment, plan, options.extras), indent=2, ensure_ascii=False) + "\n"
