"""Our catalog as one Konveyor questionnaire: one question per fact, each answer's risk
from the rules it makes fail (red for a blocker, yellow for a major)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checklist.core.vocabulary import SEVERITY_ORDER

if TYPE_CHECKING:
    from checklist.core.model import Catalog, Fact, Rule


RED_SEVERITY, YELLOW_SEVERITY = "blocker", "major"


@dataclass(frozen=True)
class ExportedAnswer:
    text: str
    value: Any  # the answer as our inventory writes it
    risk: str
    rule: Rule | None  # the most severe rule this answer makes fail (or partly fail)
    message: str


def _number_bounds(fact: Fact, catalog: Catalog) -> list[float]:
    """The thresholds our rules compare a number fact with (gte / lt), ascending."""
    bounds: set[float] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("fact") == fact.id:
                for op in ("gte", "lt"):
                    if isinstance(node.get(op), int | float):
                        bounds.add(float(node[op]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for rule in catalog.rules:
        for outcome in rule.outcomes:
            if outcome.when is not None:
                walk(outcome.when.source)
        if rule.applies_when is not None:
            walk(rule.applies_when.source)
    return sorted(bounds)


def _num(value: float) -> str:
    return f"{value:g}"


def fact_options(fact: Fact, catalog: Catalog) -> list[tuple[str, Any]]:
    """(answer text, our value) for every answer a fact becomes in Konveyor (single choice)."""
    if fact.type == "choice":
        return [(c.label, c.value) for c in fact.choices]
    if fact.type == "multi":
        return [(c.label, [c.value]) for c in fact.choices]
    if fact.type == "bool":
        return [("Yes", True), ("No", False)]
    unit = f" {fact.unit}" if fact.unit else ""
    bounds = _number_bounds(fact, catalog)
    if not bounds:
        return [("Any value", fact.minimum or 0)]
    options: list[tuple[str, Any]] = [(f"Less than {_num(bounds[0])}{unit}", fact.minimum or 0)]
    for low, high in itertools.pairwise(bounds):
        options.append((f"{_num(low)} to less than {_num(high)}{unit}", low))
    options.append((f"{_num(bounds[-1])}{unit} or more", bounds[-1]))
    return options


RESULT_RANK = {"fail": 0, "partial": 1, "unknown": 2, "pass": 3, "not_applicable": 3}


def _normalise(fact: Fact, value: Any) -> Any:
    return tuple(value) if fact.type == "multi" else value


def _blame(catalog: Catalog, rule: Rule, fact: Fact, value: Any, options: Sequence[Any]) -> tuple[str, str] | None:
    """("fail" or "partial", the rule's message) when answering `value` makes `rule` fail
    (or only partly pass); None when it does not.

    Situations are every combination of the application's other answers the
    rule reads, with the organisation's answers at their worst (nothing
    prepared yet). The answer is to blame when, in more than half of the
    situations where the rule applies, the rule fails with it and another
    answer to the same question would do better. So an answer that only
    removes an exemption (an architecture other than batch, which needs a
    health check) is not blamed, and an answer that is a problem in most
    settings (no health check) is.
    """
    from checklist.core.engine import evaluate_rule

    product = itertools.product
    read = dict.fromkeys([*rule.facts, *(rule.applies_when.facts if rule.applies_when else ())])
    others = [catalog.facts[f] for f in read if f != fact.id and f in catalog.facts]
    org = [f for f in others if f.scope == "organization"]
    app = [f for f in others if f.scope != "organization"]

    def choices(f: Fact) -> list[Any]:
        return [_normalise(f, v) for _, v in fact_options(f, catalog)]

    worst: tuple[float, float, str] = (0.0, 0.0, "")  # (share failing, share failing or partial, message)
    for org_values in product(*(choices(f) for f in org)):
        applies = failing = weak = 0
        message = ""
        for app_values in product(*(choices(f) for f in app)):
            context = dict(zip([f.id for f in (*org, *app)], (*org_values, *app_values), strict=True))
            result, text = evaluate_rule(rule, {**context, fact.id: _normalise(fact, value)})
            if result == "not_applicable":
                continue
            applies += 1
            if result not in ("fail", "partial"):
                continue
            better = [evaluate_rule(rule, {**context, fact.id: _normalise(fact, o)})[0] for o in options if o != value]
            if not any(RESULT_RANK[o] > RESULT_RANK[result] for o in better):
                continue  # as bad whatever this question says: not this answer's doing
            weak += 1
            if result == "fail":
                failing += 1
                message = text
            elif not message:
                message = text
        if applies:
            shares = (failing / applies, weak / applies, message)
            worst = max(worst, shares)
    if worst[0] > 0.5:
        return "fail", worst[2]
    if worst[1] > 0.5:
        return "partial", worst[2]
    return None


def answer_risk(catalog: Catalog, fact: Fact, value: Any, options: Sequence[Any]) -> tuple[str, Rule | None, str]:
    """Risk of answering `value`: red if it makes a blocker fail, yellow a major, else green.

    Only rules of the fact's own scope count: an organisation answer (no
    Windows hosts) is a risk through the organisation's rules, not through
    every application rule that reads it. See `_blame` for "makes it fail".
    Also returns the most severe rule the answer makes fail (or partly
    pass) and its message, for the answer's rationale and mitigation.
    """
    worst: tuple[int, int, Rule, str] | None = None  # (result rank, severity rank, rule, message)
    for rule in catalog.rules:
        if rule.scope != fact.scope:
            continue
        if fact.id not in rule.facts and not (rule.applies_when and fact.id in rule.applies_when.facts):
            continue
        blamed = _blame(catalog, rule, fact, value, options)
        if blamed is None:
            continue
        rank = (0 if blamed[0] == "fail" else 1, SEVERITY_ORDER[rule.severity])  # failures first
        if worst is None or rank < worst[:2]:
            worst = (*rank, rule, blamed[1])
    if worst is None:
        return "green", None, ""
    result_rank, _, rule, message = worst
    if result_rank == 0 and rule.severity == RED_SEVERITY:
        return "red", rule, message
    if result_rank == 0 and rule.severity == YELLOW_SEVERITY:
        return "yellow", rule, message
    return "green", rule, message


def export_answers(catalog: Catalog, fact: Fact) -> list[ExportedAnswer]:
    options = fact_options(fact, catalog)
    values = [v for _, v in options]
    exported = []
    for text, value in options:
        level, rule, message = answer_risk(catalog, fact, value, values)
        exported.append(ExportedAnswer(text, value, level, rule, message))
    return exported


def export_questionnaire(catalog: Catalog, texts: Mapping[str, Any]) -> dict[str, Any]:
    """Our catalog as one Konveyor questionnaire document (what Konveyor's UI imports).

    One section per step (order = step number) holding one question per fact
    (order 1, 2, … in catalog order); one answer per choice, then an unknown
    answer. `texts` holds the words that are not in the catalog (see
    templates/konveyor-export.yaml).
    """
    unknown = texts["unknown_answer"]
    sections = []
    for step in catalog.steps:
        facts = [f for f in catalog.facts.values() if f.step == step.number]
        if not facts:
            continue
        questions = []
        for q_order, fact in enumerate(facts, 1):
            answers: list[dict[str, Any]] = []
            for a_order, item in enumerate(export_answers(catalog, fact), 1):
                answers.append({
                    "order": a_order,
                    "text": item.text,
                    "risk": item.risk,
                    "rationale": f"{item.message} (rule {item.rule.id})" if item.rule else "",
                    "mitigation": item.rule.remediation if item.rule else "",
                })
            answers.append({"order": len(answers) + 1, "text": unknown["text"], "risk": "unknown",
                            "rationale": unknown["rationale"], "mitigation": unknown["mitigation"]})
            scope = texts["scope_prefix"].get(fact.scope, "")
            questions.append({"order": q_order, "text": f"{scope}{fact.text}", "explanation": fact.help,
                              "answers": answers})
        sections.append({"order": step.number, "name": f"{step.number}. {step.phase}: {step.title}",
                         "questions": questions})
    return {
        "name": texts["name"],
        "description": f"{texts['description']} ({catalog.name} {catalog.version})",
        "required": False,
        "sections": sections,
        "thresholds": dict(texts["thresholds"]),
        "riskMessages": dict(texts["riskMessages"]),
    }

