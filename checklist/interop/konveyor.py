"""Konveyor interoperability: its questionnaires, scored exactly as Konveyor scores them.

Konveyor (Tackle 2 hub, Red Hat MTA) assesses applications with
questionnaires: sections of questions whose answers carry a risk (green,
yellow, red, unknown). This module reads those questionnaires in both shapes
Konveyor uses (a single questionnaire document, and the hub's seed file
``kind: questionnaire`` with ``items:``), scores an application's answers
with Konveyor's own rules, writes our catalog as a Konveyor questionnaire,
and reads Konveyor's application CSV. It is pure: no printing, and files
are read only by `load_questionnaires`.

The semantics follow tackle2-hub's ``assessment`` package:

- a question with ``includeFor`` is kept only when the application has one of
  those tags (its ``excludeFor`` is then ignored); otherwise one with
  ``excludeFor`` is dropped when the application has one of those tags;
- for every question, the first answer in list order one of whose
  ``autoAnswerFor`` tags the application has is selected automatically; an
  explicit answer in the inventory wins;
- risk: N kept questions, an unanswered one counting as unknown; red when
  red/N ≥ thresholds.red/100, else yellow, else unknown by the same test,
  else green; N = 0 is unknown;
- confidence: Pathfinder's formula (see `confidence`);
- over several questionnaires: any red → red, else any unknown → unknown,
  else any yellow → yellow, else green; confidence is the integer mean.

Tags are matched exactly (category and tag name, case-sensitive), as the
hub's tag resolver does; an inventory writes them as ``"Category/Tag"``.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checklist.core.conditions import Suggestions, did_you_mean
from checklist.core.errors import ChecklistError, DocPath, Located, Problem
from checklist.io.source import Source, load_file

if TYPE_CHECKING:
    from checklist.core.model import Application, Catalog, Fact, Inventory, Rule

RISKS = ("green", "yellow", "red", "unknown")
SEED_KIND = "questionnaire"

# Pathfinder's confidence constants, as tackle2-hub's assessment package has them.
ADJUSTER = {"red": 0.5, "yellow": 0.98}
MULTIPLIER = {"red": 0.6, "yellow": 0.95}
WEIGHT = {"red": 1, "yellow": 80, "green": 100, "unknown": 70}


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, order=True)
class Tag:
    """A Konveyor tag: a category and a tag name (``Runtime/Quarkus`` in an inventory)."""

    category: str
    tag: str

    def __str__(self) -> str:
        return f"{self.category}/{self.tag}"

    @classmethod
    def parse(cls, text: str) -> Tag | None:
        """``"Category/Tag"`` as a Tag; None when there is no ``/`` (a free tag of ours)."""
        category, slash, tag = text.partition("/")
        return cls(category.strip(), tag.strip()) if slash and category.strip() and tag.strip() else None


@dataclass(frozen=True)
class Answer:
    order: int
    text: str
    risk: str
    rationale: str = ""
    mitigation: str = ""
    apply_tags: tuple[Tag, ...] = ()
    auto_answer_for: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class Question:
    section: int  # the order of its section
    order: int
    text: str
    explanation: str
    answers: tuple[Answer, ...]
    include_for: tuple[Tag, ...] = ()
    exclude_for: tuple[Tag, ...] = ()

    @property
    def key(self) -> str:
        """How an inventory names the question: ``"S.Q"`` (section and question order)."""
        return f"{self.section}.{self.order}"

    def find(self, value: Any) -> Answer | None:
        """The answer named by `value`: its text (any case) or its order."""
        if isinstance(value, bool):  # YAML reads an unquoted Yes/No as true/false
            value = "yes" if value else "no"
        if isinstance(value, int):
            by_order = [a for a in self.answers if a.order == value]
            return by_order[0] if by_order else self._by_text(str(value))
        if not isinstance(value, str):
            return None
        found = self._by_text(value)
        if found is None and value.strip().isdigit():
            by_order = [a for a in self.answers if a.order == int(value)]
            return by_order[0] if by_order else None
        return found

    def _by_text(self, text: str) -> Answer | None:
        wanted = text.strip().casefold()
        for answer in self.answers:
            if answer.text.strip().casefold() == wanted:
                return answer
        return None


@dataclass(frozen=True)
class Section:
    order: int
    name: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Thresholds:
    """Percentages: the share of kept questions at a risk that makes the questionnaire that risk."""

    red: int
    yellow: int
    unknown: int


@dataclass(frozen=True)
class Questionnaire:
    name: str
    description: str
    required: bool
    sections: tuple[Section, ...]
    thresholds: Thresholds
    risk_messages: Mapping[str, str] = field(default_factory=dict)
    # Where it is written; its line is worked out only for a message (a second, slower parse).
    source: Located | None = field(default=None, compare=False, repr=False)
    where: DocPath = field(default=(), compare=False, repr=False)

    @property
    def origin(self) -> str:
        """`file:line` where the questionnaire is defined."""
        if self.source is None:
            return ""
        return f"{self.source.name}:{self.source.problem(self.where, '').line}"

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, key: str) -> Question | None:
        for question in self.questions:
            if question.key == key:
                return question
        return None


# --------------------------------------------------------------------------- reading


def _tags(raw: Any) -> tuple[Tag, ...]:
    return tuple(Tag(t["category"], t["tag"]) for t in raw or ())


def _repeats(seen: dict[Any, int], key: Any, index: int) -> int | None:
    """The index where `key` was first seen, or None when this is the first time
    (and then `key` is recorded at `index`)."""
    first = seen.setdefault(key, index)
    return None if first == index else first


def _build_questionnaire(raw: Mapping[str, Any], source: Located, where: DocPath,
                         problems: list[Problem]) -> Questionnaire:
    """A validated questionnaire mapping as a Questionnaire; appends what the schema cannot say."""
    sections: list[Section] = []
    seen_sections: dict[int, int] = {}
    for si, section_raw in enumerate(raw["sections"]):
        s_where = (*where, "sections", si)
        s_order = section_raw["order"]
        if (first := _repeats(seen_sections, s_order, si)) is not None:
            problems.append(source.problem((*s_where, "order"), f"section order {s_order} is also used by "
                                           f"sections[{first}]; answers name questions by section and question "
                                           "order, so each must be unique"))
        questions: list[Question] = []
        seen_questions: dict[int, int] = {}
        for qi, question_raw in enumerate(section_raw["questions"]):
            q_where = (*s_where, "questions", qi)
            q_order = question_raw["order"]
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
                if (first := _repeats(orders, answer_raw["order"], ai)) is not None:
                    problems.append(source.problem((*a_where, "order"),
                                                   f"answer order {answer_raw['order']} is also used by "
                                                   f"answers[{first}]"))
                answers.append(Answer(
                    order=answer_raw["order"], text=answer_raw["text"], risk=answer_raw["risk"],
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


def load_questionnaires(paths: Sequence[Path]) -> list[Questionnaire]:
    """Read Konveyor questionnaire files (YAML or JSON); names must be unique across them."""
    found: list[Questionnaire] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            source: Source = load_file(path, str(path))
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


# --------------------------------------------------------------------------- Konveyor's arithmetic


@dataclass(frozen=True)
class Counts:
    red: int = 0
    yellow: int = 0
    green: int = 0
    unknown: int = 0

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green + self.unknown

    @classmethod
    def of(cls, risks: Iterable[str]) -> Counts:
        counted = Counter(risks)
        return cls(counted["red"], counted["yellow"], counted["green"], counted["unknown"])


def risk(counts: Counts, thresholds: Thresholds) -> str:
    """A questionnaire's risk from its kept questions' risks (tackle2-hub ``Assessment.Risk``)."""
    total = counts.total
    if total == 0:
        return "unknown"
    # Floats, compared as the hub compares them; for shares of whole counts this
    # agrees with exact fractions.
    if counts.red / total >= thresholds.red / 100:
        return "red"
    if counts.yellow / total >= thresholds.yellow / 100:
        return "yellow"
    if counts.unknown / total >= thresholds.unknown / 100:
        return "unknown"
    return "green"


def confidence(counts: Counts) -> int:
    """Pathfinder's confidence, 0–100 (tackle2-hub ``Assessment.Confidence``).

    adj = 0.5^R (if R > 0) × 0.98^Y (if Y > 0); c = 0; R times c = 0.6·c + 1·adj;
    Y times c = 0.95·c + 80·adj; c += 100·G·adj + 70·U·adj; floor(100·c / (100·N)).
    """
    total = counts.total
    if total == 0:
        return 0
    adjuster = 1.0
    if counts.red > 0:
        adjuster *= math.pow(ADJUSTER["red"], counts.red)
    if counts.yellow > 0:
        adjuster *= math.pow(ADJUSTER["yellow"], counts.yellow)
    value = 0.0
    for _ in range(counts.red):
        value = value * MULTIPLIER["red"] + WEIGHT["red"] * adjuster
    for _ in range(counts.yellow):
        value = value * MULTIPLIER["yellow"] + WEIGHT["yellow"] * adjuster
    value += counts.green * WEIGHT["green"] * adjuster
    value += counts.unknown * WEIGHT["unknown"] * adjuster
    return int(value / float(WEIGHT["green"] * total) * 100)  # Go's int(): truncation, i.e. floor here


def aggregate_risk(risks: Sequence[str]) -> str:
    """The risk over several questionnaires (tackle2-hub ``assessment.Risk``)."""
    if not risks:
        return "unknown"
    for level in ("red", "unknown", "yellow"):
        if level in risks:
            return level
    return "green"


def aggregate_confidence(values: Sequence[int]) -> int:
    """The confidence over several questionnaires: the integer mean (sum // count)."""
    return sum(values) // len(values) if values else 0


def kept(question: Question, tags: frozenset[Tag]) -> bool:
    """Whether the question is asked of an application with `tags` (includeFor wins over excludeFor)."""
    if question.include_for:
        return any(t in tags for t in question.include_for)
    if question.exclude_for:
        return not any(t in tags for t in question.exclude_for)
    return True


def auto_answer(question: Question, tags: frozenset[Tag]) -> Answer | None:
    """The first answer, in list order, one of whose autoAnswerFor tags the application has."""
    for answer in question.answers:
        if any(t in tags for t in answer.auto_answer_for):
            return answer
    return None


# --------------------------------------------------------------------------- one application


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answer: Answer | None
    auto: bool  # selected by autoAnswerFor, not by the inventory

    @property
    def risk(self) -> str:
        return self.answer.risk if self.answer is not None else "unknown"


@dataclass(frozen=True)
class QuestionnaireResult:
    questionnaire: Questionnaire
    questions: tuple[QuestionResult, ...]  # the kept questions only
    risk: str
    confidence: int
    counts: Counts
    derived_tags: tuple[Tag, ...]

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.answer is not None)

    @property
    def message(self) -> str:
        return self.questionnaire.risk_messages.get(self.risk, "")


@dataclass(frozen=True)
class KonveyorResult:
    """An application's Konveyor assessment over every questionnaire given."""

    questionnaires: tuple[QuestionnaireResult, ...]
    risk: str
    confidence: int

    @property
    def derived_tags(self) -> tuple[Tag, ...]:
        return tuple(dict.fromkeys(t for q in self.questionnaires for t in q.derived_tags))

    @property
    def message(self) -> str:
        """The risk message of the first questionnaire whose own risk is the overall risk."""
        for result in self.questionnaires:
            if result.risk == self.risk and result.message:
                return result.message
        return ""


def app_tags(tags: Iterable[str]) -> frozenset[Tag]:
    """An inventory's ``"Category/Tag"`` strings as Konveyor tags (others are ignored)."""
    return frozenset(t for t in (Tag.parse(text) for text in tags) if t is not None)


def assess_questionnaire(questionnaire: Questionnaire, tags: frozenset[Tag],
                         answers: Mapping[str, Answer]) -> QuestionnaireResult:
    """Konveyor's result for one application: `answers` are explicit, by question key."""
    results: list[QuestionResult] = []
    for question in questionnaire.questions:
        if not kept(question, tags):
            continue
        explicit = answers.get(question.key)
        if explicit is not None:
            results.append(QuestionResult(question, explicit, auto=False))
        else:
            automatic = auto_answer(question, tags)
            results.append(QuestionResult(question, automatic, auto=automatic is not None))
    counts = Counts.of(r.risk for r in results)
    derived = tuple(dict.fromkeys(t for r in results if r.answer is not None for t in r.answer.apply_tags))
    return QuestionnaireResult(questionnaire, tuple(results), risk(counts, questionnaire.thresholds),
                               confidence(counts), counts, derived)


def explicit_answers(app: Application, questionnaire: Questionnaire) -> tuple[dict[str, Answer], list[Problem]]:
    """The application's answers to `questionnaire` from its inventory entry, and located mistakes."""
    chosen: dict[str, Answer] = {}
    problems: list[Problem] = []

    def problem(path: DocPath, message: str, key: bool = False) -> None:
        where = ("applications", app.index, "questionnaires", *path)
        if app.source is not None:
            problems.append(app.source.problem(where, message, key=key))
        else:
            problems.append(Problem(app.id, message))

    first: int | None = None
    for i, entry in enumerate(app.questionnaires):
        if entry.get("name") != questionnaire.name:
            continue
        if first is not None:  # the interview edits the first entry: a second one would silently compete
            problem((i, "name"), f"questionnaire {questionnaire.name!r} is already answered in questionnaires[{first}]"
                                 "; put all its answers in that one entry")
            continue
        first = i
        for key, value in (entry.get("answers") or {}).items():
            if not isinstance(key, str):
                problem((i, "answers", key), f"write the question key in quotes, \"S.Q\" (YAML read {key!r} as a "
                                             "number)", key=True)
                continue
            question = questionnaire.question(key.strip())
            if question is None:
                keys = [q.key for q in questionnaire.questions]
                problem((i, "answers", key), f"no question {key!r} in questionnaire {questionnaire.name!r}"
                                             f"{did_you_mean(key, keys)}; keys are section.question orders: "
                                             f"{', '.join(keys[:12])}{' …' if len(keys) > 12 else ''}", key=True)
                continue
            answer = question.find(value)
            if answer is None:
                options = ", ".join(f"{a.text!r} ({a.order})" for a in question.answers)
                hint = did_you_mean(str(value), [a.text for a in question.answers])
                shown = repr(value)
                if isinstance(value, bool):  # Python's True is not what the user wrote
                    shown = (f"{str(value).lower()} (YAML reads an unquoted yes, no, on or off as true or false: "
                             "quote the answer)")
                problem((i, "answers", key), f"{shown} is not an answer to {question.text!r}{hint}; "
                                             f"expected a text or an order: {options}")
                continue
            chosen[question.key] = answer
    return chosen, problems


def assess_application(app: Application, questionnaires: Sequence[Questionnaire]) -> tuple[KonveyorResult,
                                                                                             list[Problem]]:
    """Konveyor's assessment of one application over every questionnaire."""
    tags = app_tags(app.tags)
    results: list[QuestionnaireResult] = []
    problems: list[Problem] = []
    for questionnaire in questionnaires:
        answers, found = explicit_answers(app, questionnaire)
        problems.extend(found)
        results.append(assess_questionnaire(questionnaire, tags, answers))
    return KonveyorResult(
        tuple(results),
        aggregate_risk([r.risk for r in results]),
        aggregate_confidence([r.confidence for r in results]),
    ), problems


def assess_inventory(inventory: Inventory, questionnaires: Sequence[Questionnaire],
                     only: str | None = None) -> dict[str, KonveyorResult]:
    """Every application's (or one's) Konveyor result by id; raises on invalid answers."""
    results: dict[str, KonveyorResult] = {}
    problems: list[Problem] = []
    for app in inventory.applications:
        if only is not None and app.id != only:
            continue
        results[app.id], found = assess_application(app, questionnaires)
        problems.extend(found)
    if problems:
        raise ChecklistError(problems)
    return results


# --------------------------------------------------------------------------- export: our catalog as a questionnaire

RED_SEVERITY, YELLOW_SEVERITY = "blocker", "major"
SEVERITY_RANK = {"blocker": 0, "major": 1, "minor": 2}


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
        rank = (0 if blamed[0] == "fail" else 1, SEVERITY_RANK[rule.severity])  # failures first
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


# --------------------------------------------------------------------------- import: Konveyor's application CSV

# Columns of a record type 1 row, by position, as tackle2-hub's importer reads them.
APP_COLUMNS = ("record type", "application name", "description", "comments", "business service", "dependency",
               "dependency direction", "binary group", "binary artifact", "binary version", "binary packaging",
               "repository kind", "repository url", "repository branch", "repository path", "owner", "contributors")
TAG_PAIRS = 20
DIRECTIONS = ("northbound", "southbound")


def slug(name: str) -> str:
    """An application id from a name: lowercase letters and digits joined by '-'.
    Accented letters keep their base letter (``Über`` → ``uber``), not a gap."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text or "app"


@dataclass(frozen=True)
class CsvImport:
    """Konveyor's application CSV as our inventory, and what the reader should know."""

    inventory: dict[str, Any]
    renamed: tuple[tuple[str, str, str], ...]  # (name, plain slug, id given) for every collision
    dependencies: int


def _owner(text: str) -> str:
    """Konveyor writes stakeholders as ``Name <email>``; our owner is the name."""
    match = re.match(r"\s*(.+?)\s*<[^>]*>\s*$", text)
    return match.group(1) if match else text.strip()


def read_application_csv(text: str, display: str) -> CsvImport:
    """Parse Konveyor's application import CSV (record types 1 and 2) into an inventory.

    Columns are positional, as the hub reads them; the first row is a header.
    A header whose 16th column names a tag category (the older layout without
    owner and contributors) moves the tag pairs to start there.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []  # (the line the row starts on, its cells)
    start = 1
    try:
        for cells in reader:  # a quoted cell may hold line breaks, so rows and lines differ
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ChecklistError(Problem(display, f"invalid CSV: {exc}", start, 1)) from None
    problems: list[Problem] = []
    if not rows:
        raise ChecklistError(Problem(display, "empty file; expected Konveyor's application CSV", 1, 1))
    header = [cell.strip().lower() for cell in rows[0][1]]
    tags_from = 15 if len(header) > 15 and header[15].startswith("tag") else len(APP_COLUMNS)
    apps: list[dict[str, Any]] = []
    by_name: dict[str, tuple[dict[str, Any], int]] = {}
    links: list[tuple[int, int, str, str, str]] = []  # (line, column, app name, dependency name, direction)
    used: set[str] = set()
    suffixes: dict[str, int] = {}  # the last number given to each slug that was taken
    renamed: list[tuple[str, str, str]] = []
    for line, row in rows[1:]:
        row = [cell.strip() for cell in row]
        if not any(row):
            continue
        kind = row[0]
        if kind not in ("1", "2"):
            problems.append(Problem(display, f"record type {kind!r}: expected 1 (an application) or 2 (a dependency)",
                                    line, 1, "record type"))
            continue
        if len(row) < 7:
            problems.append(Problem(display, f"a record type {kind} row needs at least 7 columns, this one has "
                                             f"{len(row)}", line, 1))
            continue
        name = row[1]
        if not name:
            problems.append(Problem(display, "the application name is empty", line, 2, "application name"))
            continue
        if row[5] or row[6]:
            links.append((line, 6, name, row[5], row[6]))
        if kind == "2":
            continue
        folded = name.casefold()
        if folded in by_name:
            problems.append(Problem(display, f"application {name!r} is already defined on line {by_name[folded][1]}",
                                    line, 2, "application name"))
            continue
        base = slug(name)
        app_id, n = base, suffixes.get(base, 1)  # the numbers below n were taken when last tried
        while app_id in used:
            n += 1
            app_id = f"{base}-{n}"
        suffixes[base] = n
        if app_id != base:
            renamed.append((name, base, app_id))
        used.add(app_id)
        app: dict[str, Any] = {"id": app_id, "name": name}
        owner = _owner(row[15]) if tags_from > 15 and len(row) > 15 else ""
        if owner:
            app["owner"] = owner
        tags: list[str] = []
        for pair in range(TAG_PAIRS):
            at = tags_from + 2 * pair
            if at >= len(row):
                break
            category, tag = row[at] if at < len(row) else "", row[at + 1] if at + 1 < len(row) else ""
            if not tag:
                continue
            if not category:
                problems.append(Problem(display, f"tag {tag!r} has no tag category", line, at + 1))
                continue
            if "/" in category:
                problems.append(Problem(display, f"tag category {category!r} contains '/', which separates category "
                                                 "and tag in an inventory", line, at + 1))
                continue
            text_tag = f"{category}/{tag}"
            if text_tag not in tags:
                tags.append(text_tag)
        if tags:
            app["tags"] = tags
        app["answers"] = {}
        apps.append(app)
        by_name[folded] = (app, line)
    dependencies = 0
    names = Suggestions([a["name"] for a in apps])
    for line, column, name, other, direction in links:
        if not other or not direction:
            missing = "dependency" if not other else "dependency direction"
            problems.append(Problem(display, f"the {missing} is empty", line, column if not other else column + 1,
                                    missing))
            continue
        if direction.lower() not in DIRECTIONS:
            problems.append(Problem(display, f"direction {direction!r}: expected northbound or southbound",
                                    line, column + 1, "dependency direction"))
            continue
        ends = []
        for end, col in ((name, 2), (other, column)):
            found = by_name.get(end.casefold())
            if found is None:
                hint = names(end)
                problems.append(Problem(display, f"no application {end!r} in this file{hint}", line, col))
            ends.append(found[0] if found else None)
        app_entry, dep_entry = ends
        if app_entry is None or dep_entry is None:
            continue
        if app_entry is dep_entry:
            problems.append(Problem(display, "an application cannot depend on itself", line, column))
            continue
        # southbound: the application calls the dependency; northbound: the dependency calls it.
        source, target = (app_entry, dep_entry) if direction.lower() == "southbound" else (dep_entry, app_entry)
        depends = source.setdefault("depends_on", [])
        if target["id"] not in depends:
            depends.append(target["id"])
            dependencies += 1
    if problems:
        raise ChecklistError(problems)
    for app in apps:  # our key order: metadata, then answers last
        if "depends_on" in app:
            app["answers"] = app.pop("answers")
    return CsvImport({"version": 1, "applications": apps}, tuple(renamed), dependencies)
