"""A Konveyor questionnaire as frozen dataclasses: sections of questions whose answers
carry a risk, and the thresholds that turn the answers' risks into the questionnaire's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checklist.core.errors import DocPath, Located


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

