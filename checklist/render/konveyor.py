"""Konveyor's results as every assessment output shows them beside the assessment
(`assess --questionnaire`, `report --questionnaire`): the one place that knows
how they look; the renderers only add the `Extras` this builds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from checklist.render.extras import AppExtra, Extras

if TYPE_CHECKING:
    from checklist.interop.konveyor.assessment import KonveyorResult

RISK_STYLE = {"green": "green", "yellow": "yellow", "red": "bold red", "unknown": "magenta"}


def result_document(result: KonveyorResult) -> dict[str, Any]:
    """The fields `assess --questionnaire` adds to an application in the JSON result."""
    return {
        "questionnaires": [
            {
                "name": q.questionnaire.name,
                "risk": q.risk,
                "confidence": q.confidence,
                "message": q.message,
                "answered": q.answered,
                "counts": {"red": q.counts.red, "yellow": q.counts.yellow, "green": q.counts.green,
                           "unknown": q.counts.unknown},
                "derived_tags": [str(t) for t in q.derived_tags],
                "questions": [
                    {"key": r.question.key, "text": r.question.text,
                     "answer": r.answer.text if r.answer is not None else None,
                     "auto": r.auto, "risk": r.risk}
                    for r in q.questions
                ],
            }
            for q in result.questionnaires
        ],
        "konveyor_risk": result.risk,
        "konveyor_confidence": result.confidence,
        "konveyor_message": result.message,
        "konveyor_derived_tags": [str(t) for t in result.derived_tags],
    }


def section(result: KonveyorResult) -> dict[str, Any]:
    """The report's data: risk and confidence, and the answers behind a risk."""
    return {
        "risk": result.risk, "confidence": result.confidence, "message": result.message,
        "derived_tags": [str(t) for t in result.derived_tags],
        "questionnaires": [
            {"name": q.questionnaire.name, "risk": q.risk, "confidence": q.confidence, "message": q.message,
             "answered": q.answered, "questions": len(q.questions),
             "attention": [{"text": r.question.text, "answer": r.answer.text if r.answer else "", "risk": r.risk}
                           for r in q.questions if r.risk in ("red", "yellow")]}
            for q in result.questionnaires
        ],
    }


def konveyor_extras(results: Mapping[str, KonveyorResult]) -> Extras | None:
    """Every application's Konveyor result (by id), for the renderers; None when there is none."""
    if not results:
        return None
    return Extras("konveyor", "Konveyor", 9, ("konveyor_risk", "konveyor_confidence"), {
        app_id: AppExtra(f"{k.risk}\nconf. {k.confidence}", f"{k.risk}, confidence {k.confidence}",
                         RISK_STYLE[k.risk], (k.risk, str(k.confidence)), result_document(k), section(k))
        for app_id, k in results.items()
    })
