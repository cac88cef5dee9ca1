"""Read Konveyor questionnaires (YAML or JSON), in both shapes Konveyor uses: a single
questionnaire document, and the hub's seed file ``kind: questionnaire`` with ``items:``.
Every mistake is a located problem; names are unique across the files read."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from checklist.core.errors import ChecklistError, DocPath, Located, Problem
from checklist.interop.konveyor.model import Answer, Question, Questionnaire, Section, Tag, Thresholds
from checklist.io.source import DEFAULT_LIMITS, Limits, Source, load_file

SEED_KIND = "questionnaire"


def _tags(raw: Any) -> tuple[Tag, ...]:
    return tuple(Tag(t["category"], t["tag"]) for t in raw or ())


def _repeats(seen: dict[Any, int], key: Any, index: int) -> int | None:
    """The index where `key` was first seen, or None when this is the first time
    (and then `key` is recorded at `index`)."""
    first = seen.setdefault(key, index)
    return None if first == index else first


def _order(raw: Mapping[str, Any], source: Located, where: DocPath, problems: list[Problem]) -> int:
    """`order`, a whole number as Konveyor's is (JSON Schema counts 1.0 as an integer; a
    question keyed "1.0.1" would match no answer)."""
    order = raw["order"]
    if type(order) is not int:
        problems.append(source.problem((*where, "order"), f"expected a whole number such as 1, got {order!r}"))
        return int(order)
    return order


def _build_questionnaire(raw: Mapping[str, Any], source: Located, where: DocPath,
                         problems: list[Problem]) -> Questionnaire:
    """A validated questionnaire mapping as a Questionnaire; appends what the schema cannot say."""
    sections: list[Section] = []
    seen_sections: dict[int, int] = {}
    for si, section_raw in enumerate(raw["sections"]):
        s_where = (*where, "sections", si)
        s_order = _order(section_raw, source, s_where, problems)
        if (first := _repeats(seen_sections, s_order, si)) is not None:
            problems.append(source.problem((*s_where, "order"), f"section order {s_order} is also used by "
                                           f"sections[{first}]; answers name questions by section and question "
                                           "order, so each must be unique"))
        questions: list[Question] = []
        seen_questions: dict[int, int] = {}
        for qi, question_raw in enumerate(section_raw["questions"]):
            q_where = (*s_where, "questions", qi)
            q_order = _order(question_raw, source, q_where, problems)
            if (first := _repeats(seen_questions, q_order, qi)) is not None:
                problems.append(source.problem((*q_where, "order"), f"question order {q_order} is also used by "
                                               f"questions[{first}] of this section; each must be unique"))
            if question_raw.get("includeFor") and question_raw.get("excludeFor"):
                problems.append(source.problem((*q_where, "excludeFor"),
                                               "a question has includeFor or excludeFor, not both", key=True))
            answers: list[Answer] = []
            texts: dict[str, int] = {}
            orders: dict[int, int] = {}
            for ai, answer_raw in enumerate(question_raw["answers"]):
                a_where = (*q_where, "answers", ai)
                if (first := _repeats(texts, answer_raw["text"].strip().casefold(), ai)) is not None:
                    problems.append(source.problem((*a_where, "text"),
                                                   f"answer {answer_raw['text']!r} repeats answers[{first}] "
                                                   "(texts are compared ignoring case)"))
                a_order = _order(answer_raw, source, a_where, problems)
                if (first := _repeats(orders, a_order, ai)) is not None:
                    problems.append(source.problem((*a_where, "order"),
                                                   f"answer order {answer_raw['order']} is also used by "
                                                   f"answers[{first}]"))
                answers.append(Answer(
                    order=a_order, text=answer_raw["text"], risk=answer_raw["risk"],
                    rationale=answer_raw.get("rationale") or "", mitigation=answer_raw.get("mitigation") or "",
                    apply_tags=_tags(answer_raw.get("applyTags")),
                    auto_answer_for=_tags(answer_raw.get("autoAnswerFor")),
                ))
            questions.append(Question(
                section=s_order, order=q_order, text=question_raw["text"],
                explanation=question_raw.get("explanation") or "", answers=tuple(answers),
                include_for=_tags(question_raw.get("includeFor")), exclude_for=_tags(question_raw.get("excludeFor")),
            ))
        sections.append(Section(s_order, section_raw.get("name") or "", tuple(questions)))
    thresholds = raw["thresholds"]
    return Questionnaire(
        name=raw["name"], description=raw.get("description") or "", required=bool(raw.get("required", False)),
        sections=tuple(sections),
        thresholds=Thresholds(thresholds["red"], thresholds["yellow"], thresholds["unknown"]),
        risk_messages={k: v for k, v in (raw.get("riskMessages") or {}).items() if v},
        source=source, where=where,
    )


# A plain scalar that YAML 1.1 reads as true/false or a number: one token, no spaces.
_TOKEN = re.compile(r"[^\s,\]}#]+")


def _as_written(data: Any, node: Mapping[str, Any], schema: Mapping[str, Any], source: Any, path: DocPath) -> Any:
    """`data` with every value the schema types as text kept as the file writes it.

    Konveyor reads its YAML with Go's yaml.v3 into typed fields: an answer written `Yes` or
    `No` is the text "Yes" there, where YAML 1.1 (PyYAML) reads true and false."""
    while "$ref" in node:  # only the schema's own definitions: "#/$defs/name"
        ref = node["$ref"].rsplit("/", 1)[-1]
        node = {**schema["$defs"][ref], **{k: v for k, v in node.items() if k != "$ref"}}
    if isinstance(data, dict):
        properties = node.get("properties", {})
        extra = node.get("additionalProperties")
        return {k: _as_written(v, properties.get(k, extra if isinstance(extra, dict) else {}), schema, source,
                               (*path, k)) for k, v in data.items()}
    if isinstance(data, list):
        items = node.get("items", {})
        return [_as_written(v, items if isinstance(items, dict) else {}, schema, source, (*path, i))
                for i, v in enumerate(data)]
    if node.get("type") == "string" and isinstance(data, bool | int | float):
        line, column = source.locate(path)
        lines = source.text.splitlines()
        written = _TOKEN.match(lines[line - 1], column - 1) if 0 < line <= len(lines) else None
        return written.group() if written else str(data)
    return data


def parse_questionnaires(source: Located) -> list[Questionnaire]:
    """Every questionnaire in a parsed document (one, or a seed file's items); located errors."""
    from checklist.io.schemas import load_schema, schema_problems, validator_for

    data = source.data
    if data is None:
        raise ChecklistError(Problem(source.name, "empty file; expected a Konveyor questionnaire", 1, 1))
    schema = load_schema("konveyor-questionnaire")
    seed = isinstance(data, dict) and "kind" in data
    if seed:
        kind = data["kind"]
        if not isinstance(kind, str) or kind.lower() != SEED_KIND:
            raise ChecklistError(source.problem(("kind",), f"expected kind 'questionnaire' (a Konveyor seed file of "
                                                           f"questionnaires), got {kind!r}"))
        schema = {**schema, "$ref": "#/$defs/seed"}
    if getattr(source, "kind", "") == "yaml" and isinstance(getattr(source, "text", None), str):
        data = _as_written(data, schema, schema, source, ())
        source.data = data
    problems = schema_problems(validator_for(schema), data, source)
    if problems:
        raise ChecklistError(problems)
    items: list[tuple[Mapping[str, Any], DocPath]] = (
        [(item, ("items", i)) for i, item in enumerate(data["items"])] if seed else [(data, ())])
    result: list[Questionnaire] = []
    for raw, where in items:
        questionnaire = _build_questionnaire(raw, source, where, problems)
        for other in result:
            if other.name == questionnaire.name:
                problems.append(source.problem((*where, "name"), f"questionnaire {questionnaire.name!r} is already "
                                               f"defined at {other.origin}"))
        result.append(questionnaire)
    if problems:
        problems.sort(key=lambda p: (p.line, p.column))
        raise ChecklistError(problems)
    return result


def load_questionnaires(paths: Sequence[Path], limits: Limits = DEFAULT_LIMITS) -> list[Questionnaire]:
    """Read Konveyor questionnaire files (YAML or JSON) within `limits`; names must be unique across them."""
    found: list[Questionnaire] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            source: Source = load_file(path, str(path), limits)
            for questionnaire in parse_questionnaires(source):
                twin = next((q for q in found if q.name == questionnaire.name), None)
                if twin is not None:
                    problems.append(source.problem((*questionnaire.where, "name"), f"questionnaire "
                                                   f"{questionnaire.name!r} is already defined at {twin.origin}"))
                found.append(questionnaire)
        except ChecklistError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ChecklistError(problems)
    return found
