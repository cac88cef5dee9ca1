"""The frozen model: a catalog (steps, facts, rules, scoring, planning, labels) and an
inventory (the organisation and its applications), as the loaders in `checklist.io` build them.
Nothing here reads a file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from checklist.core.conditions import Condition, did_you_mean
from checklist.core.errors import DocPath, Located, Problem
from checklist.core.vocabulary import UNKNOWN


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Fact:
    """A question; its id is the key in inventories, CSV columns and conditions."""

    id: str
    scope: str  # "organization" | "application"
    type: str  # "choice" | "multi" | "bool" | "number"
    step: int
    text: str
    help: str
    choices: tuple[Choice, ...] = ()
    exclusive: tuple[str, ...] = ()
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    optional: bool = False
    ask_when: Condition | None = None
    changed_by: str = "team"  # team | organisation | vendor | nobody: who can change the answer
    answered_by: tuple[str, ...] = ()  # who usually knows the answer

    @property
    def controllable(self) -> bool:
        """Whether the team or the organisation can change the answer (what-if and plans may)."""
        return self.changed_by in ("team", "organisation")

    @cached_property
    def values(self) -> frozenset[str]:
        return frozenset(c.value for c in self.choices)

    def label(self, value: str) -> str:
        """The human label of a choice value (the value itself if unlabelled)."""
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True)
class Step:
    number: int
    phase: str
    title: str
    scope: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Outcome:
    when: Condition | None
    result: str
    message: str


@dataclass(frozen=True)
class Example:
    result: str
    answers: Mapping[str, Any]
    origin: Problem  # where the example is written, for reporting a mismatch


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    step: int
    scope: str
    category: str
    severity: str
    weight: float
    effort: str
    rationale: str
    remediation: str
    outcomes: tuple[Outcome, ...]
    facts: tuple[str, ...]
    strategy: str | None = None
    applies_when: Condition | None = None
    examples: tuple[Example, ...] = ()
    origin: str = ""  # file:line, for messages
    problem: str = ""  # how a failure is named ("Runs on a mainframe"); the title when empty
    action: str = ""  # the fix as an imperative; the title when empty
    caps: str | None = None  # while failing, the verdict is at most this band
    caps_reason: str = ""
    requires: str | None = None  # the organisation fact that provides the platform capability
    fix: Mapping[str, Any] | None = None  # the answers its action leaves behind; None: its passing examples

    @property
    def problem_text(self) -> str:
        return self.problem or self.title

    @property
    def action_text(self) -> str:
        return self.action or self.title


@dataclass(frozen=True)
class Scoring:
    credit: Mapping[str, float]
    confidence_floor: float
    thresholds: Mapping[str, float]
    strategy_by_verdict: Mapping[str, str]
    strategy_priority: tuple[str, ...]
    strategy_when: tuple[StrategyWhen, ...] = ()


@dataclass(frozen=True)
class StrategyWhen:
    """A strategy that follows from what an application is (a data store goes to a managed service)."""

    when: Condition
    verdicts: frozenset[str]
    strategy: str
    reason: str


@dataclass(frozen=True)
class Consistency:
    """A combination of answers that contradicts itself or looks like a slip."""

    id: str
    when: Condition
    message: str
    level: str  # warning | error


@dataclass(frozen=True)
class Assumption:
    """One business-case assumption, printed next to every estimate that uses it."""

    id: str
    text: str
    unit: str
    default: float
    conservative: float  # the value the low case uses
    optimistic: float  # the value the high case uses
    reason: str
    source: str = ""  # a public source for the value, where one exists
    label: str = ""  # a short name, where the page has no room for `text`

    @property
    def low(self) -> float:
        return min(self.conservative, self.optimistic)

    @property
    def high(self) -> float:
        return max(self.conservative, self.optimistic)


def answer_key(value: Any) -> str:
    """An answer as the planning tables key it: a choice as it is, a yes/no as true/false."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


@dataclass(frozen=True)
class Work:
    """One item of the organisation's programme (or a node pool): the person-days and calendar
    weeks it takes from each answer of an organisation fact; an answer not listed costs nothing."""

    id: str
    fact: str
    text: str
    days: Mapping[str, float]
    weeks: Mapping[str, float]
    reason: str
    source: str = ""
    gpus: int = 0  # GPUs per node of this pool, and per VM of an application that needs it
    per_application: bool = False  # each application that needs it gets a pool of its own

    def worst(self) -> str:
        """The answer that costs most: what an unanswered question counts as."""
        return max(self.days, key=lambda k: (self.days[k], self.weeks.get(k, 0.0)))


@dataclass(frozen=True)
class Baseline:
    """The move itself: person-days per activity by workload kind, criticality scaling some."""

    note: str
    activities: Mapping[str, str]  # id -> words, in order
    by_kind: Mapping[str, Mapping[str, float]]  # workload_kind value, or "other" -> activity -> days
    criticality: Mapping[str, float]  # multiplies the `scaled` activities
    scaled: tuple[str, ...]

    def days(self, kind: str | None, criticality: str) -> dict[str, float]:
        """Person-days per activity for an application of this kind and criticality (medium when none)."""
        table = self.by_kind.get(kind or "", self.by_kind["other"])
        factor = self.criticality.get(criticality or "medium", self.criticality["medium"])
        return {a: table.get(a, 0.0) * (factor if a in self.scaled else 1.0) for a in self.activities}


@dataclass(frozen=True)
class Stay:
    """What staying costs: its own cost line, or None when the catalog cannot know it."""

    days: float | None
    text: str


@dataclass(frozen=True)
class Pilots:
    note: str
    criticality: tuple[str, ...]
    verdicts: tuple[str, ...]
    when: Condition | None
    minimum: int


@dataclass(frozen=True)
class Planning:
    """Parameters of `checklist plan` (rules/planning.yaml)."""

    person_days: Mapping[str, float]  # effort -> person-days of one fix
    sizes: tuple[tuple[str, float | None], ...]  # (T-shirt size, up to days); the last has no limit
    effort_note: str
    assumptions: Mapping[str, Assumption]
    business_case_note: str
    baseline: Baseline
    platform_note: str
    work: tuple[Work, ...]
    pools: tuple[Work, ...]
    stays: Mapping[str, Stay]
    vendor_weeks: float
    vendor_text: str
    vendor_reason: str
    pilots: Pilots
    currency: str
    per_core_licence: Condition | None  # applications licensed per core of every host they may run on
    texts: Mapping[str, str | Mapping[str, str]]

    def size(self, days: float) -> str:
        """The T-shirt size of an effort of `days` person-days."""
        for size, limit in self.sizes:
            if limit is None or days <= limit:
                return size
        return self.sizes[-1][0]  # pragma: no cover - the catalog check makes the last size unbounded

    def say(self, key: str, count: int | None = None, /, **values: Any) -> str:
        """The plan's text `key` (rules/planning.yaml) with its `{fields}` filled in."""
        return fill(self.texts, key, count, values)


def fill(texts: Mapping[str, str | Mapping[str, str]], key: str, count: int | None,
         values: Mapping[str, Any]) -> str:
    """The text `key` with its `{fields}` filled in; a text with `one` and `many` forms is
    chosen by `count` (also available as `{count}`)."""
    text = texts[key]
    if not isinstance(text, str):
        text = text["one" if count == 1 else "many"]
    return text.format_map({"count": count, **values})


@dataclass(frozen=True)
class Labels:
    """Words for the result's vocabulary (rules/labels.yaml); an id in plain words when missing."""

    verdicts: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # id -> (label, meaning)
    strategies: Mapping[str, str] = field(default_factory=dict)
    decided_by: Mapping[str, str] = field(default_factory=dict)
    answered_by: Mapping[str, str] = field(default_factory=dict)
    capabilities: Mapping[str, str] = field(default_factory=dict)  # org fact or platform strategy -> words
    stays: Mapping[str, str] = field(default_factory=dict)  # stays-where-it-is strategy -> end of a sentence
    texts: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)  # key -> template, or {one, many}

    def verdict(self, verdict: str) -> str:
        return self.verdicts[verdict][0] if verdict in self.verdicts else _plain(verdict)

    def meaning(self, verdict: str) -> str:
        return self.verdicts[verdict][1] if verdict in self.verdicts else ""

    def strategy(self, strategy: str) -> str:
        return self.strategies.get(strategy) or _plain(strategy)

    def reason(self, decided_by: str) -> str:
        return self.decided_by.get(decided_by) or _plain(decided_by)

    def say(self, key: str, count: int | None = None, /, **values: Any) -> str:
        """The sentence `key` of rules/labels.yaml's texts with its `{fields}` filled in; a text
        with `one` and `many` forms is chosen by `count` (also available as `{count}`)."""
        return fill(self.texts, key, count, values)

    def who(self, fact: Fact) -> str:
        """Who usually knows the answer to `fact`, in words ("the DBA or operations"), or ""."""
        names = [self.answered_by.get(w) or w for w in fact.answered_by]
        return " or ".join(names)


def _plain(word: str) -> str:
    return word.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Catalog:
    name: str
    version: str
    title: str
    scoring: Scoring
    steps: tuple[Step, ...]
    facts: Mapping[str, Fact]
    rules: tuple[Rule, ...]
    directories: tuple[str, ...] = ()
    planning: Planning | None = None  # None when a catalog of one's own has no planning section
    consistency: tuple[Consistency, ...] = ()
    labels: Labels = field(default_factory=Labels)
    _by_id: Mapping[str, Rule] = field(default_factory=dict, repr=False)

    def rule(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    def step(self, number: int) -> Step:
        for step in self.steps:
            if step.number == number:
                return step
        raise KeyError(number)

    def facts_for(self, scope: str) -> list[Fact]:
        """Facts of one scope, in catalog order."""
        return [f for f in self.facts.values() if f.scope == scope]


def suggest_rule(catalog: Catalog, rule_id: str) -> str:
    """A "did you mean" hint for a rule id the catalog does not have."""
    return did_you_mean(rule_id, (r.id for r in catalog.rules))


@dataclass(frozen=True)
class Organization:
    name: str = ""
    answers: Mapping[str, Any] = field(default_factory=dict)  # as written, "unknown" included
    known: Mapping[str, Any] = field(default_factory=dict)  # answered facts only, normalised


@dataclass(frozen=True)
class Evidence:
    """What a scan found for one answer: where (`file:line`, or a host command), the text it
    found (a secret's value is never kept), the detector and how strong it is."""

    file: str
    line: int
    text: str
    detector: str
    strength: str  # strong | medium | weak
    value: Any = None  # the value this evidence points to (it may lose to stronger evidence)

    @property
    def place(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Discovered:
    """An answer a scan proposed, with its evidence; a person's answer to the same fact wins."""

    value: Any
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Application:
    id: str
    name: str
    answers: Mapping[str, Any]
    known: Mapping[str, Any]
    owner: str = ""
    criticality: str = ""
    depends_on: tuple[str, ...] = ()
    footprint: Mapping[str, float] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    # Konveyor questionnaire answers: [{name, answers: {"S.Q": answer}}], read by checklist.interop.konveyor.
    questionnaires: tuple[Mapping[str, Any], ...] = ()
    # Answers a scan proposed (DESIGN.md "Discovery"); `known` includes those no person answered.
    discovered: Mapping[str, Discovered] = field(default_factory=dict)
    # Where the application is written; its line is worked out only when shown,
    # because finding positions means a slower second parse of the file.
    source: Located | None = field(default=None, compare=False, repr=False)
    index: int = 0

    def is_discovered(self, fact_id: str) -> bool:
        """Whether the answer to `fact_id` that counts comes from a scan, not from a person."""
        return fact_id in self.discovered and self.answers.get(fact_id) in (None, UNKNOWN)

    @property
    def origin(self) -> str:
        """`file:line` where the application is defined."""
        if self.source is None:
            return ""
        return f"{self.source.name}:{self.source.problem(('applications', self.index), '').line}"


@dataclass(frozen=True)
class Inventory:
    organization: Organization
    applications: tuple[Application, ...]
    files: tuple[str, ...] = ()
    warnings: tuple[Inconsistency, ...] = ()  # answers that contradict each other (the catalog's consistency checks)
    notes: tuple[Problem, ...] = ()  # spreadsheet cells read after fixing their case or spaces

    def application(self, app_id: str) -> Application | None:
        for app in self.applications:
            if app.id == app_id:
                return app
        return None


@dataclass(frozen=True)
class Inconsistency:
    """One of the catalog's consistency checks that holds for one application. It is placed in
    its file only when shown: placing costs more than checking, and a portfolio may hold thousands."""

    application: Application
    check: Consistency

    def problem(self) -> Problem:
        """The located problem, at the answer of the first fact the check reads."""
        app, check = self.application, self.check
        fact = next((f for f in check.when.facts if f in app.answers), None)
        where: DocPath = ("applications", app.index, "answers", *((fact,) if fact else ()))
        message = f"{app.id}: {check.message} ({check.id})"
        return app.source.problem(where, message) if app.source is not None else Problem("", message)
