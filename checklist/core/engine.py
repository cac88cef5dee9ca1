"""Evaluate a catalog against an inventory: pure functions, no I/O.

Promises: every number can be checked by hand. A finding records the facts
it read; an application's score is ``100 × Σ weight·credit / Σ weight`` over
its known rules, summed in catalog order (`score_findings`); the verdict
follows the judgement ladder (`verdict_for`); `explain` prints these terms.
`Evaluator` applies the same definitions to a whole portfolio quickly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

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

    @property
    def unknowns(self) -> tuple[str, ...]:
        """Facts whose answers would raise confidence, in catalog order."""
        return tuple(dict.fromkeys(fact for finding in self.findings if finding.result == UNKNOWN
                                   for fact, value in finding.facts.items() if value is None))

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


def score_terms(finding: Finding, scoring: Scoring) -> tuple[float, float, float]:
    """What one finding adds to the (earned, known, applicable) weights of a score:
    unknown and n/a carry no credit, and n/a no weight either."""
    result, weight = finding.result, finding.rule.weight
    if result == "not_applicable":
        return 0.0, 0.0, 0.0
    if result == UNKNOWN:
        return 0.0, 0.0, weight
    return weight * scoring.credit[result], weight, weight


def score_findings(findings: Iterable[Finding], scoring: Scoring) -> Score:
    """The score of `findings`: their `score_terms` summed in the order of the findings."""
    terms = [score_terms(f, scoring) for f in findings]
    return _summed(*zip(*terms, strict=True)) if terms else Score(0.0, 0.0, 0.0)


def _summed(earned: Iterable[float], known: Iterable[float], applicable: Iterable[float]) -> Score:
    return Score(sum(earned, 0.0), sum(known, 0.0), sum(applicable, 0.0))


def verdict_for(score: Score, blockers: Sequence[Finding], capped: Sequence[Finding],
                scoring: Scoring) -> tuple[str, VerdictReason]:
    """The verdict and what decided it, in the order an expert judges (README, "Judgement").

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
    """The score points an application gains if a rule of `weight` giving `result` passed."""
    lifted = Score(score.earned + weight * (scoring.credit["pass"] - scoring.credit[result]),
                   score.known_weight, score.applicable_weight)
    return round(lifted.value - score.value, 1)


RANK = attrgetter("rank")


def _getter(indexes: Sequence[int]) -> Callable[[Sequence[Any]], Any]:
    """A C-speed function picking `indexes` out of a sequence: the bare value for one index."""
    if len(indexes) == 1:
        return itemgetter(indexes[0])
    return itemgetter(*indexes) if indexes else lambda values: ()


class _RuleSlot:
    """One rule compiled for many evaluations: how to pick its inputs, and what it found so far.

    A finding depends only on the values of the facts its rule reads, so it
    is made once per distinct combination of them and shared (findings are
    immutable), with its `score_terms`.
    """

    __slots__ = ("decides", "found", "pick", "rule", "scoring")

    def __init__(self, rule: Rule, positions: Mapping[str, int], scoring: Scoring) -> None:
        self.rule, self.scoring = rule, scoring
        self.pick = _getter([positions[f] for f in rule.facts])  # the key: the values the rule reads
        self.decides = rule.severity == "blocker" or bool(rule.caps)  # whether its failing can decide a verdict
        self.found: dict[Any, tuple[Finding, float, float, float]] = {}

    def finding(self, key: Any, answers: Mapping[str, Any]) -> tuple[Finding, float, float, float]:
        """The finding for `answers`, whose values of the rule's facts are `key`, and its terms."""
        found = self.found.get(key)
        if found is None:
            finding = _finding(self.rule, answers)
            found = self.found[key] = (finding, *score_terms(finding, self.scoring))
        return found


class Judgement(NamedTuple):
    """What the application rules make of one set of answers (the organisation's included)."""

    answers: Mapping[str, Any]
    findings: tuple[Finding, ...]
    score: Score
    verdict: str
    reason: VerdictReason
    strategy: str
    blockers: tuple[Finding, ...]
    capped: tuple[Finding, ...]  # failing rules with `caps`
    # for `rejudge`: the values of the facts the rules read, and each finding's `score_terms` by column
    vector: Sequence[Any]
    terms: Sequence[Sequence[float]]


class Evaluator:
    """Every application rule of a catalog, compiled once and applied to many sets of answers.

    Gives exactly what the definitions above give (`score_findings`,
    `verdict_for`, `strategy_for`, `step_statuses`, `_remediation_gain`), in
    the same order of arithmetic. What makes it fast over a portfolio: each
    rule's finding is made once per distinct combination of the answers it
    reads and shared, and so are step statuses and remediations, which are
    values; `rejudge` looks again only at the rules that read a changed answer.
    """

    def __init__(self, catalog: Catalog, organization: Organization) -> None:
        self.scoring = catalog.scoring
        self.organization = organization
        rules = [r for r in catalog.rules if r.scope == "application"]
        self.fact_ids = tuple(dict.fromkeys(f for r in rules for f in r.facts))
        self.positions = {f: i for i, f in enumerate(self.fact_ids)}
        self.slots = [_RuleSlot(rule, self.positions, self.scoring) for rule in rules]
        self.deciders = [i for i, slot in enumerate(self.slots) if slot.decides]
        self.readers: dict[str, list[int]] = {}  # fact id -> the rules (their indexes) that read it
        for i, rule in enumerate(rules):
            for fact in rule.facts:
                self.readers.setdefault(fact, []).append(i)
        numbers = [step.number for step in catalog.steps if any(r.step == step.number for r in rules)]
        # per step: its number and how to pick its rules' results out of all the results
        self.steps = [(number, _getter([i for i, r in enumerate(rules) if r.step == number])) for number in numbers]
        self.statuses: dict[tuple[int, Any], StepStatus] = {}  # by step and its rules' results
        self.remediations: dict[tuple[str, str, float], Remediation] = {}
        self.gains: dict[tuple[float, float, float, str], float] = {}  # by score terms, weight and result

    def judge(self, answers: Mapping[str, Any]) -> Judgement:
        """The findings, score and verdict of these answers (the organisation's included)."""
        vector = list(map(answers.get, self.fact_ids))
        found = [slot.finding(slot.pick(vector), answers) for slot in self.slots]
        findings, *terms = zip(*found, strict=True) if found else ((), (), (), ())
        fails = [f for f in findings if f.result == "fail"]
        blockers = tuple(f for f in fails if f.rule.severity == "blocker")
        return self._judged(answers, vector, findings, terms, blockers, tuple(f for f in fails if f.rule.caps))

    def rejudge(self, base: Judgement, changes: Mapping[str, Any]) -> Judgement:
        """`judge` of `base`'s answers with `changes` made; `base` must be this evaluator's."""
        answers = {**base.answers, **changes}
        vector = list(base.vector)
        for fact in changes.keys() & self.positions.keys():
            vector[self.positions[fact]] = changes[fact]
        findings = list(base.findings)
        earned, known, applicable = map(list, base.terms)
        decided = False  # whether a rule that can decide the verdict fails now or failed before
        for i in {i for fact in changes for i in self.readers.get(fact, ())}:
            slot = self.slots[i]
            key = slot.pick(vector)
            found = slot.found.get(key) or slot.finding(key, answers)
            finding, old = found[0], findings[i]
            if finding is not old:
                decided = decided or (slot.decides and (finding.result == "fail" or old.result == "fail"))
                findings[i] = finding
                earned[i], known[i], applicable[i] = found[1:]
        blockers, capped = base.blockers, base.capped
        if decided:
            fails = [f for f in map(findings.__getitem__, self.deciders) if f.result == "fail"]
            blockers = tuple(f for f in fails if f.rule.severity == "blocker")
            capped = tuple(f for f in fails if f.rule.caps)
        return self._judged(answers, vector, tuple(findings), (earned, known, applicable), blockers, capped)

    def _judged(self, answers: Mapping[str, Any], vector: Sequence[Any], findings: tuple[Finding, ...],
                terms: Sequence[Sequence[float]], blockers: tuple[Finding, ...], capped: tuple[Finding, ...],
                ) -> Judgement:
        score = _summed(*terms)
        verdict, reason = verdict_for(score, blockers, capped, self.scoring)
        strategy = strategy_for(verdict, blockers, self.scoring, answers)
        return Judgement(answers, findings, score, verdict, reason, strategy, blockers, capped, vector, terms)

    def __call__(self, app: Application) -> AppResult:
        judged = self.judge({**self.organization.known, **app.known})
        return AppResult(
            application=app,
            findings=judged.findings,
            score=judged.score,
            verdict=judged.verdict,
            strategy=judged.strategy,
            blockers=judged.blockers,
            steps=self._steps(judged.findings),
            remediations=self._remediations(judged.findings, judged.score),
            reason=judged.reason,
        )

    def _steps(self, findings: Sequence[Finding]) -> tuple[StepStatus, ...]:
        """`step_statuses` of the findings, each distinct status one shared value."""
        results = [f.result for f in findings]
        statuses = []
        for number, pick in self.steps:
            picked = pick(results)
            status = self.statuses.get((number, picked))
            if status is None:
                status = StepStatus(number, _step_status(picked if isinstance(picked, tuple) else (picked,)))
                self.statuses[number, picked] = status
            statuses.append(status)
        return tuple(statuses)

    def _remediations(self, findings: Sequence[Finding], score: Score) -> tuple[Remediation, ...]:
        """Failing and partial rules, ranked by the score the app gains if each passed."""
        items = []
        for finding in findings:
            result = finding.result
            if result == "fail" or result == "partial":
                rule = finding.rule
                key = (score.earned, score.known_weight, rule.weight, result)
                gain = self.gains.get(key)
                if gain is None:
                    gain = self.gains[key] = _remediation_gain(score, rule.weight, result, self.scoring)
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
    # in order of first failure, so that ties rank in the order the findings come
    failing = Counter(f.rule.id for result in results for f in result.findings if f.result == "fail")
    rules = {f.rule.id: f.rule for result in results[:1] for f in result.findings}  # every app has every rule
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
        """Each failing application with why, in the order given (README, `checklist assess`: the gate)."""
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

