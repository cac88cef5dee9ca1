"""Evaluate a catalog against an inventory: pure functions, no I/O.

Every number here can be checked by hand: a finding records the facts it
read, and an application's score is ``100 × Σ weight·credit / Σ weight``
over its known rules (see `Score`). `explain` prints exactly these terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any

from checklist.core.answers import check_answer, known_answers
from checklist.core.errors import Problem
from checklist.core.model import Application, Catalog, Inventory, Organization, Rule, Scoring
from checklist.core.vocabulary import (
    BANDS,
    KNOWN,
    MOVABLE,
    SEVERITY_ORDER,
    STRATEGIES,
    UNKNOWN,
    VERDICTS,
    verdict_of_blocker,
)


@dataclass(frozen=True)
class VerdictReason:
    """Which step of the judgement decided the verdict, and the rules that did."""

    decided_by: str  # blocker | insufficient_data | cap | band
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One rule's result for one application (or the organisation)."""

    rule: Rule
    result: str
    message: str
    facts: Mapping[str, Any]  # every fact the rule reads → its answer (None when unanswered)

    @property
    def known(self) -> bool:
        return self.result in KNOWN


@dataclass(frozen=True)
class Score:
    """The arithmetic behind a score, kept so that it can be shown."""

    earned: float  # Σ weight × credit over known rules
    known_weight: float  # Σ weight over known rules
    applicable_weight: float  # Σ weight over rules that apply (known or unknown)

    @cached_property
    def value(self) -> float:
        """0–100, one decimal; 0 when nothing is known."""
        return round(100 * self.earned / self.known_weight, 1) if self.known_weight else 0.0

    @property
    def confidence(self) -> float:
        """Share of applicable weight that is known, 0–1."""
        return self.known_weight / self.applicable_weight if self.applicable_weight else 0.0


@dataclass(frozen=True)
class StepStatus:
    step: int
    status: str


@dataclass(frozen=True)
class Remediation:
    rule: Rule
    result: str  # fail or partial: what fixing it changes
    gain: float  # score points the application gains if this rule passed
    # How remediations are ranked: larger gain first, then the more severe rule
    rank: tuple[float, int] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank", (-self.gain, SEVERITY_ORDER[self.rule.severity]))

    @property
    def text(self) -> str:
        return self.rule.remediation


@dataclass(frozen=True)
class AppResult:
    application: Application
    findings: tuple[Finding, ...]
    score: Score
    verdict: str
    strategy: str
    blockers: tuple[Finding, ...]
    steps: tuple[StepStatus, ...]
    remediations: tuple[Remediation, ...]
    reason: VerdictReason = field(compare=False)
    # The findings again, as the engine's shared groups of them (`Evaluator`): encoders and
    # counters over a portfolio handle each distinct group once.
    parts: tuple[Part, ...] = field(compare=False, repr=False)

    @property
    def unknowns(self) -> tuple[str, ...]:
        """Facts whose answers would raise confidence, in catalog order."""
        return tuple(dict.fromkeys(f for part in self.parts for f in part.unknowns))

    @property
    def scored(self) -> bool:
        """False for insufficient data: such an app shows no number and is left out of every average."""
        return self.verdict != "insufficient_data"

    @property
    def prerequisites(self) -> tuple[str, ...]:
        """The organisation capabilities (fact ids) the app waits for: its failing platform blockers'."""
        return tuple(dict.fromkeys(b.rule.requires for b in self.blockers if b.rule.requires))


@dataclass(frozen=True)
class OrgResult:
    organization: Organization
    findings: tuple[Finding, ...]
    score: Score
    steps: tuple[StepStatus, ...]


@dataclass(frozen=True)
class Headline:
    """One verdict's share of the portfolio: applications, and VMs and vCPU where the footprint is known."""

    verdict: str
    applications: int
    vms: float
    vcpu: float
    footprinted: int  # applications of this verdict whose VM count is known


@dataclass(frozen=True)
class Portfolio:
    applications: int
    average_score: float  # over the applications that can move (MOVABLE) only
    by_verdict: Mapping[str, int]
    by_strategy: Mapping[str, int]
    top_failing: tuple[tuple[Rule, int], ...]  # rules failing in most applications
    headline: tuple[Headline, ...] = ()  # per verdict, in VERDICTS order
    averaged: int = 0  # how many applications the average is over


@dataclass(frozen=True)
class Assessment:
    catalog: Catalog
    organization: OrgResult
    applications: tuple[AppResult, ...]
    portfolio: Portfolio


def evaluate_rule(rule: Rule, answers: Mapping[str, Any]) -> tuple[str, str]:
    """(result, message) of one rule: the first outcome whose condition holds.

    Not applicable when `applies_when` is false; unknown when it, or any
    outcome condition tried before one that holds, cannot be decided.
    """
    if rule.applies_when is not None:
        applies = rule.applies_when.evaluate(answers)
        if applies is None:
            return UNKNOWN, _needs(rule, answers)
        if not applies:
            return "not_applicable", "Does not apply to this application."
    for outcome in rule.outcomes:
        if outcome.when is None:
            return outcome.result, outcome.message
        holds = outcome.when.evaluate(answers)
        if holds:
            return outcome.result, outcome.message
        if holds is None:
            return UNKNOWN, _needs(rule, answers)
    return UNKNOWN, _needs(rule, answers)  # pragma: no cover - the catalog requires a fallback


def _needs(rule: Rule, answers: Mapping[str, Any]) -> str:
    missing = [f for f in rule.facts if f not in answers]
    return f"Unknown until answered: {', '.join(missing)}." if missing else "Unknown."


def _finding(rule: Rule, answers: Mapping[str, Any]) -> Finding:
    result, message = evaluate_rule(rule, answers)
    facts = {f: (list(v) if isinstance(v, tuple) else v) for f in rule.facts for v in (answers.get(f),)}
    return Finding(rule, result, message, facts)


def score_findings(findings: Iterable[Finding], scoring: Scoring) -> Score:
    """The score terms over `findings`; unknown and n/a carry no credit."""
    earned = known = applicable = 0.0
    for finding in findings:
        if finding.result == "not_applicable":
            continue
        weight = finding.rule.weight
        applicable += weight
        if finding.known:
            known += weight
            earned += weight * scoring.credit[finding.result]
    return Score(earned, known, applicable)


def verdict_for(score: Score, blockers: Sequence[Finding], capped: Sequence[Finding],
                scoring: Scoring) -> tuple[str, VerdictReason]:
    """The verdict and what decided it, in the order an expert judges (DESIGN.md "Judgement").

    1. A failing blocker decides at any confidence: a stays-where-it-is strategy
       gives not_suitable, a platform capability needs_platform; when blockers of
       both kinds fail, the application stays (not_suitable).
    2. Below the confidence floor: insufficient_data.
    3. A failing rule with `caps` holds the verdict at most at that band.
    4. Otherwise the score's band; a low score is work (needs_refactoring), never a "no".
    """
    if blockers:
        kinds = {verdict_of_blocker(b.rule.strategy) for b in blockers}
        verdict = "not_suitable" if "not_suitable" in kinds else "needs_platform"
        deciding = [b.rule.id for b in blockers if verdict_of_blocker(b.rule.strategy) == verdict]
        return verdict, VerdictReason("blocker", tuple(deciding))
    if score.confidence < scoring.confidence_floor:
        return "insufficient_data", VerdictReason("insufficient_data")
    band = next((v for v in BANDS[:-1] if score.value >= scoring.thresholds[v]), BANDS[-1])
    if capped:
        cap = BANDS[max(BANDS.index(f.rule.caps) for f in capped)]
        if BANDS.index(cap) >= BANDS.index(band):  # in ladder order a cap comes before the band
            return cap, VerdictReason("cap", tuple(f.rule.id for f in capped if f.rule.caps == cap))
    return band, VerdictReason("band")


def strategy_for(verdict: str, blockers: Sequence[Finding], scoring: Scoring,
                 answers: Mapping[str, Any] | None = None) -> str:
    """The migration strategy: the deciding blocker's (the most conservative by the catalog's
    priority), a strategy the catalog gives to this kind of application, or the verdict's."""
    if blockers and verdict in ("not_suitable", "needs_platform"):
        named = [b.rule.strategy for b in blockers if b.rule.strategy
                 and verdict_of_blocker(b.rule.strategy) == verdict]
        priority = scoring.strategy_priority
        ranked = sorted(named, key=lambda s: priority.index(s) if s in priority else len(priority))
        if ranked:
            return ranked[0]
    if answers is not None and verdict in MOVABLE:
        for rule in scoring.strategy_when:
            if verdict in rule.verdicts and rule.when.evaluate(answers):
                return rule.strategy
    return scoring.strategy_by_verdict[verdict]


def step_statuses(findings: Sequence[Finding], numbers: Iterable[int]) -> tuple[StepStatus, ...]:
    """done / partly / not_started / unknown / not_applicable per step, from its rules."""
    by_step: dict[int, list[str]] = {}
    for finding in findings:
        by_step.setdefault(finding.rule.step, []).append(finding.result)
    statuses = []
    for number in numbers:
        if number in by_step:
            statuses.append(StepStatus(number, _step_status(by_step[number])))
    return tuple(statuses)


def _step_status(results: Sequence[str]) -> str:
    applicable = [r for r in results if r != "not_applicable"]
    if not applicable:
        return "not_applicable"
    known = [r for r in applicable if r in KNOWN]
    if not known:
        return "unknown"
    if len(known) == len(applicable) and all(r == "pass" for r in known):
        return "done"
    if all(r == "fail" for r in known):
        return "not_started"
    return "partly"


def _remediation_gain(score: Score, weight: float, result: str, scoring: Scoring) -> float:
    lifted = Score(score.earned + weight * (scoring.credit["pass"] - scoring.credit[result]),
                   score.known_weight, score.applicable_weight)
    return round(lifted.value - score.value, 1)


def remediations_for(findings: Sequence[Finding], score: Score, scoring: Scoring) -> tuple[Remediation, ...]:
    """Failing and partial rules, ranked by the score the app gains if each passed."""
    items = [Remediation(f.rule, f.result, _remediation_gain(score, f.rule.weight, f.result, scoring))
             for f in findings if f.result in ("fail", "partial")]
    items.sort(key=RANK)
    return tuple(items)


RANK = attrgetter("rank")


def _getter(indexes: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A C-speed function picking `indexes` out of a sequence, always as a tuple."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    if len(indexes) == 1:
        (only,) = indexes
        return lambda values: (values[only],)
    return lambda values: ()


class _RuleSlot:
    """One rule compiled for a portfolio run: how to pick its inputs, and its findings so far.

    A finding depends only on the values of the facts its rule reads, so
    across a portfolio it is computed once per distinct combination and
    shared (findings are immutable).
    """

    __slots__ = ("blocker", "findings", "pick", "rule")

    def __init__(self, rule: Rule, positions: Mapping[str, int]) -> None:
        self.rule = rule
        indexes = [positions[f] for f in rule.facts]
        # The key of a finding: the values the rule reads (the bare value when it reads one).
        self.pick = itemgetter(indexes[0]) if len(indexes) == 1 else _getter(indexes)
        self.blocker = rule.severity == "blocker"
        self.findings: dict[Any, Finding] = {}  # by the value(s) the rule reads

    def finding(self, vector: Sequence[Any], answers: Mapping[str, Any]) -> Finding:
        key = self.pick(vector)
        found = self.findings.get(key)
        if found is None:
            found = self.findings[key] = _finding(self.rule, answers)
        return found


class Part:
    """What a run of consecutive rules finds for one combination of the values they read,
    summed up once and shared by every application that gives those values."""

    __slots__ = ("applicable", "blockers", "capped", "earned", "failing", "findings", "fixes", "known", "results",
                 "status", "unknowns")

    def __init__(self, findings: tuple[Finding, ...], blocking: Sequence[bool], credit: Mapping[str, float],
                 step: int | None) -> None:
        self.findings = findings
        self.results = tuple(f.result for f in findings)
        self.earned = self.known = self.applicable = 0.0
        fixes: list[tuple[float, Rule, str]] = []
        blockers: list[Finding] = []
        missing: dict[str, None] = {}
        for finding, blocker in zip(findings, blocking, strict=True):
            result = finding.result
            if result == "not_applicable":
                continue
            weight = finding.rule.weight
            self.applicable += weight
            if result in KNOWN:
                self.known += weight
                self.earned += weight * credit[result]
                if result != "pass":
                    # what passing would add to the score's earned weight, and the rule
                    fixes.append((weight * (credit["pass"] - credit[result]), finding.rule, result))
                    if blocker and result == "fail":
                        blockers.append(finding)
            else:
                missing.update((f, None) for f, v in finding.facts.items() if v is None)
        self.fixes, self.blockers, self.unknowns = tuple(fixes), tuple(blockers), tuple(missing)
        self.failing = tuple(f.rule for f in findings if f.result == "fail")
        self.capped = tuple(f for f in findings if f.result == "fail" and f.rule.caps)
        # The step's status, when these are all the rules of one step
        self.status = None if step is None else StepStatus(step, _step_status(self.results))


class _Group:
    """Consecutive rules evaluated together: their findings depend only on the values of
    the facts they read, so each distinct combination is worked out once per portfolio."""

    __slots__ = ("blocking", "facts", "parts", "pick", "slots", "step")

    def __init__(self, slots: list[_RuleSlot], positions: Mapping[str, int], step: int | None) -> None:
        self.slots = slots
        self.blocking = [slot.blocker for slot in slots]
        self.facts = tuple(dict.fromkeys(f for slot in slots for f in slot.rule.facts))  # that its rules read
        indexes = [positions[f] for f in self.facts]
        self.pick = itemgetter(indexes[0]) if len(indexes) == 1 else _getter(indexes)
        self.step = step  # the step whose rules are exactly these, or None
        self.parts: dict[Any, Part] = {}  # by the value(s) the rules read

    def part(self, vector: Sequence[Any], answers: Mapping[str, Any], credit: Mapping[str, float]) -> Part:
        findings = tuple(slot.finding(vector, answers) for slot in self.slots)
        self.parts[self.pick(vector)] = part = Part(findings, self.blocking, credit, self.step)
        return part


def _sums_exact(rules: Sequence[Rule], credit: Mapping[str, float]) -> bool:
    """Whether every weight and weight × credit is a multiple of 1/1024 and their total is
    far below 2**53: then floats add them exactly, in whatever order or grouping."""
    terms = [r.weight for r in rules] + [r.weight * c for r in rules for c in credit.values()]
    return all((t * 1024).is_integer() for t in terms) and sum(map(abs, terms)) < 2**40


class Evaluator:
    """Every application rule of a catalog, compiled once and applied to many applications.

    Produces exactly what `evaluate_application` defines, only faster: an
    application's answers are read once into a vector; consecutive rules of
    one step are evaluated together as a group, and what a group finds (its
    findings, score terms, step status) is computed once per distinct
    combination of the answers it reads and shared between applications.
    Groups span several rules only when the score terms add up exactly in any
    order (whole-number weights do): otherwise each rule is its own group, so
    a score never depends on how the rules were grouped.
    """

    def __init__(self, catalog: Catalog, organization: Organization) -> None:
        self.scoring = catalog.scoring
        rules = [r for r in catalog.rules if r.scope == "application"]
        self.fact_ids = tuple(dict.fromkeys(f for r in rules for f in r.facts))
        positions = {f: i for i, f in enumerate(self.fact_ids)}
        slots = [_RuleSlot(rule, positions) for rule in rules]
        self.organization = organization
        numbers = [step.number for step in catalog.steps if any(r.step == step.number for r in rules)]
        self.exact = _sums_exact(rules, self.scoring.credit)
        if self.exact:
            runs = [list(run) for _, run in groupby(slots, key=lambda slot: slot.rule.step)]
        else:
            runs = [[slot] for slot in slots]
        # Each group's step status is the step's when the groups are the steps, in step order.
        whole = [run[0].rule.step for run in runs] == numbers
        self.groups = [_Group(run, positions, run[0].rule.step if whole else None) for run in runs]
        # otherwise: per step, its number, how to pick its rules' results, statuses seen
        self.steps: list[tuple[int, Callable[[Sequence[Any]], tuple[Any, ...]], dict[tuple[Any, ...], StepStatus]]]
        self.steps = [] if whole else [
            (number, _getter([i for i, r in enumerate(rules) if r.step == number]), {}) for number in numbers
        ]
        self.remediations: dict[tuple[str, str, float], Remediation] = {}
        self.gains: dict[tuple[float, float], dict[float, float]] = {}  # per score: the gain of each lift
        self.positions = positions
        self.readers: dict[str, list[int]] = {}  # fact id → the groups whose rules read it
        for number, group in enumerate(self.groups):
            for fact in group.facts:
                self.readers.setdefault(fact, []).append(number)

    def vector(self, answers: Mapping[str, Any]) -> list[Any]:
        """The values of the facts the rules read, in the order the groups pick them."""
        return list(map(answers.get, self.fact_ids))

    def part(self, number: int, vector: Sequence[Any], answers: Mapping[str, Any]) -> Part:
        """What group `number` finds for these answers (`vector` made from `answers`)."""
        group = self.groups[number]
        return group.parts.get(group.pick(vector)) or group.part(vector, answers, self.scoring.credit)

    def __call__(self, app: Application) -> AppResult:
        answers = {**self.organization.known, **app.known}
        vector = self.vector(answers)
        credit = self.scoring.credit
        parts = []
        earned = known = applicable = 0.0
        findings: list[Finding] = []
        fixes: list[tuple[float, Rule, str]] = []
        blockers: list[Finding] = []
        capped: list[Finding] = []
        for group in self.groups:
            part = group.parts.get(group.pick(vector)) or group.part(vector, answers, credit)
            parts.append(part)
            earned += part.earned
            known += part.known
            applicable += part.applicable
            findings += part.findings
            if part.fixes:
                fixes += part.fixes
                blockers += part.blockers
                capped += part.capped
        score = Score(earned, known, applicable)
        verdict, reason = verdict_for(score, blockers, capped, self.scoring)
        return AppResult(
            application=app,
            findings=tuple(findings),
            score=score,
            verdict=verdict,
            strategy=strategy_for(verdict, blockers, self.scoring, answers),
            blockers=tuple(blockers),
            steps=self._steps(parts),
            remediations=self._remediations(fixes, score),
            reason=reason,
            parts=tuple(parts),
        )

    def _steps(self, parts: Sequence[Part]) -> tuple[StepStatus, ...]:
        if not self.steps:
            return tuple(part.status for part in parts)  # type: ignore[misc]
        results = [r for part in parts for r in part.results]
        statuses = []
        for number, pick, seen in self.steps:
            key = pick(results)
            status = seen.get(key)
            if status is None:
                status = seen[key] = StepStatus(number, _step_status(key))
            statuses.append(status)
        return tuple(statuses)

    def _remediations(self, fixes: Sequence[tuple[float, Rule, str]], score: Score) -> tuple[Remediation, ...]:
        # `_remediation_gain` with the same arithmetic, each gain worked out once per score
        earned, known, value = score.earned, score.known_weight, score.value
        gains = self.gains.get((earned, known))
        if gains is None:
            gains = self.gains[earned, known] = {}
        items = []
        for lift, rule, result in fixes:
            gain = gains.get(lift)
            if gain is None:
                gain = gains[lift] = round(round(100 * (earned + lift) / known, 1) - value, 1)
            item = self.remediations.get((rule.id, result, gain))
            if item is None:
                item = self.remediations[rule.id, result, gain] = Remediation(rule, result, gain)
            items.append(item)
        items.sort(key=RANK)
        return tuple(items)


def evaluate_application(catalog: Catalog, app: Application, organization: Organization) -> AppResult:
    """Every application rule for one app (org answers visible to its conditions)."""
    return Evaluator(catalog, organization)(app)


def evaluate_organization(catalog: Catalog, organization: Organization) -> OrgResult:
    """The organisation-scope rules over the organisation's answers."""
    rules = [r for r in catalog.rules if r.scope == "organization"]
    findings = tuple(_finding(rule, organization.known) for rule in rules)
    return OrgResult(
        organization=organization,
        findings=findings,
        score=score_findings(findings, catalog.scoring),
        steps=step_statuses(findings, (s.number for s in catalog.steps)),
    )


def summarize(results: Sequence[AppResult]) -> Portfolio:
    """Counts per verdict and strategy, the average score, the most common failures."""
    verdicts = Counter(r.verdict for r in results)
    strategies = Counter(r.strategy for r in results)
    failing: Counter[str] = Counter()
    rules: dict[str, Rule] = {}
    # counted a shared group of findings at a time, in order of first appearance: ties rank as
    # they would counting each application's findings in turn
    for part, count in Counter(part for result in results for part in result.parts).items():
        for rule in part.failing:
            failing[rule.id] += count
            rules[rule.id] = rule
    movable = [r.score.value for r in results if r.verdict in MOVABLE]
    average = round(sum(movable) / len(movable), 1) if movable else 0.0
    return Portfolio(
        applications=len(results),
        average_score=average,
        by_verdict={v: verdicts.get(v, 0) for v in VERDICTS},
        by_strategy={s: strategies.get(s, 0) for s in STRATEGIES},
        top_failing=tuple((rules[rid], count) for rid, count in failing.most_common(10)),
        headline=tuple(_headline(v, [r for r in results if r.verdict == v]) for v in VERDICTS),
        averaged=len(movable),
    )


def _headline(verdict: str, results: Sequence[AppResult]) -> Headline:
    vms = vcpu = 0.0
    footprinted = 0
    for result in results:
        footprint = result.application.footprint
        if "vm_count" in footprint:
            footprinted += 1
            vms += footprint["vm_count"]
            vcpu += footprint["vm_count"] * footprint.get("vcpu", 0)
    return Headline(verdict, len(results), vms, vcpu, footprinted)


def evaluate(catalog: Catalog, inventory: Inventory, only: str | None = None,
             tick: Callable[[int], None] | None = None) -> Assessment:
    """Assess every application (or only the one with id `only`) and the organisation.
    `tick(1)` is called after each application, for a progress display."""
    apps = [a for a in inventory.applications if only is None or a.id == only]
    assess = Evaluator(catalog, inventory.organization)
    results = tuple(map(assess, apps) if tick is None else _counted(map(assess, apps), tick))
    return Assessment(
        catalog=catalog,
        organization=evaluate_organization(catalog, inventory.organization),
        applications=results,
        portfolio=summarize(results),
    )


def _counted(results: Iterable[AppResult], tick: Callable[[int], None]) -> Iterator[AppResult]:
    for result in results:
        yield result
        tick(1)


def check_examples(catalog: Catalog) -> list[Problem]:
    """Every rule example whose answers are invalid or whose result differs."""
    problems: list[Problem] = []
    for rule in catalog.rules:
        for example in rule.examples:
            where = example.origin
            bad = []
            for key, value in example.answers.items():
                fact = catalog.facts.get(key)
                error = f"unknown fact {key!r}" if fact is None else check_answer(fact, value)
                if error:
                    bad.append(f"{key}: {error}")
            if bad:
                problems.append(Problem(where.file, f"example answers: {bad[0]}", where.line, where.column, where.path))
                continue
            result, _ = evaluate_rule(rule, known_answers(example.answers, catalog.facts))
            if result != example.result:
                problems.append(Problem(where.file, f"rule {rule.id!r} gives {result!r} for this example, "
                                        f"which expects {example.result!r}", where.line, where.column, where.path))
    return problems


# The verdicts `--fail-under` fails whatever the score: nothing that cannot move passes a gate.
GATE_VERDICTS = ("needs_platform", "not_suitable", "insufficient_data")


@dataclass(frozen=True)
class Gate:
    """A CI gate (`--fail-under`, `--fail-on`, `--min-confidence`); with all three None nothing fails."""

    fail_under: float | None = None
    fail_on: tuple[str, ...] | None = None  # verdicts that fail; GATE_VERDICTS with --fail-under alone
    min_confidence: float | None = None

    def failures(self, results: Iterable[AppResult]) -> list[tuple[AppResult, str]]:
        """Each failing application with why, in the order given (DESIGN.md "Gate")."""
        verdicts = self.fail_on if self.fail_on is not None else GATE_VERDICTS if self.fail_under is not None else ()
        failing = []
        for result in results:
            why = self._why(result, verdicts)
            if why:
                failing.append((result, why))
        return failing

    def _why(self, result: AppResult, verdicts: Sequence[str]) -> str:
        if result.verdict in verdicts:
            blockers = ", ".join(f"{b.rule.problem_text} ({b.rule.id})" for b in result.blockers
                                 if b.rule.id in result.reason.rules)
            detail = (f": {blockers}" if blockers else
                      f": confidence {result.score.confidence:.0%}" if not result.scored else "")
            return f"has verdict {result.verdict.replace('_', ' ')}{detail}"
        if self.fail_under is not None and result.scored and result.score.value < self.fail_under:
            return f"scores {result.score.value:.1f}, below --fail-under {self.fail_under:g}"
        if self.min_confidence is not None and result.score.confidence < self.min_confidence:
            return (f"has confidence {result.score.confidence:.0%}, below --min-confidence "
                    f"{self.min_confidence:g}")
        return ""

