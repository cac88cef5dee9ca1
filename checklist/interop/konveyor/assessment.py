"""An application's Konveyor assessment: its answers in the inventory and its tags,
scored over every questionnaire given (`scoring`), with located mistakes.

Which questions and answers apply follows tackle2-hub's ``assessment`` package:

- a question with ``includeFor`` is kept only when the application has one of
  those tags (its ``excludeFor`` is then ignored); otherwise one with
  ``excludeFor`` is dropped when the application has one of those tags;
- for every question, the first answer in list order one of whose
  ``autoAnswerFor`` tags the application has is selected automatically; an
  explicit answer in the inventory wins.

Tags are matched exactly (category and tag name, case-sensitive), as the
hub's tag resolver does; an inventory writes them as ``"Category/Tag"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checklist.core.conditions import did_you_mean
from checklist.core.errors import ChecklistError, DocPath, Problem
from checklist.interop.konveyor.model import Answer, Question, Questionnaire, Tag
from checklist.interop.konveyor.scoring import Counts, aggregate_confidence, aggregate_risk, confidence, risk

if TYPE_CHECKING:
    from checklist.core.model import Application, Inventory


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

