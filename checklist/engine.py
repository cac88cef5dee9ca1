"""Evaluate a catalog against an inventory: pure functions, no I/O.

Every number here can be checked by hand: a finding records the facts it
read, and an application's score is ``100 × Σ weight·credit / Σ weight``
over its known rules (see `Score`). `explain` prints exactly these terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checklist.catalog import UNKNOWN, Catalog, Rule, Scoring
from checklist.errors import Problem
from checklist.inventory import Application, Inventory, Organization, check_answer, known_answers

if TYPE_CHECKING:
    from checklist.konveyor import KonveyorResult

VERDICTS = ("ready", "ready_with_changes", "needs_refactoring", "not_suitable", "insufficient_data")
STRATEGIES = ("containerize", "replatform", "refactor", "retain_on_vm", "rewrite",
              "windows_containers", "sandboxed_runtime", "complete_assessment")
STEP_STATUSES = ("done", "partly", "not_started", "unknown", "not_applicable")
KNOWN = ("pass", "partial", "fail")
SEVERITY_ORDER = {"blocker": 0, "major": 1, "minor": 2}


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

    @property
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
    # Set only by `assess --questionnaire` (checklist.konveyor.attach); renderers show it when present.
    konveyor: KonveyorResult | None = None

    @property
    def unknowns(self) -> tuple[str, ...]:
        """Facts whose answers would raise confidence, in catalog order."""
        missing: dict[str, None] = {}
        for finding in self.findings:
            if finding.result == UNKNOWN:
                missing.update((f, None) for f, v in finding.facts.items() if v is None)
        return tuple(missing)


@dataclass(frozen=True)
class OrgResult:
    organization: Organization
    findings: tuple[Finding, ...]
    score: Score
    steps: tuple[StepStatus, ...]


@dataclass(frozen=True)
class Portfolio:
    applications: int
    average_score: float
    by_verdict: Mapping[str, int]
    by_strategy: Mapping[str, int]
    top_failing: tuple[tuple[Rule, int], ...]  # rules failing in most applications


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


FindingCache = dict[tuple[str, tuple[Any, ...]], Finding]


def _finding(rule: Rule, answers: Mapping[str, Any], cache: FindingCache | None = None) -> Finding:
    """The rule's finding for these answers. A finding depends only on the values of
    the facts the rule reads, so across a portfolio it is computed once per distinct
    combination and shared (findings are immutable)."""
    values = tuple(answers.get(f) for f in rule.facts)
    key = (rule.id, values)
    if cache is not None and key in cache:
        return cache[key]
    result, message = evaluate_rule(rule, answers)
    facts = {f: (list(v) if isinstance(v, tuple) else v) for f, v in zip(rule.facts, values, strict=True)}
    finding = Finding(rule, result, message, facts)
    if cache is not None:
        cache[key] = finding
    return finding


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


def verdict_for(score: Score, blockers: Sequence[Finding], scoring: Scoring) -> str:
    """The verdict: insufficient data, then failing blockers, then score bands."""
    if score.confidence < scoring.confidence_floor:
        return "insufficient_data"
    if blockers:
        return "not_suitable"
    for verdict in ("ready", "ready_with_changes", "needs_refactoring"):
        if score.value >= scoring.thresholds[verdict]:
            return verdict
    return "not_suitable"


def strategy_for(verdict: str, blockers: Sequence[Finding], scoring: Scoring) -> str:
    """The migration strategy a verdict implies; failing blockers name their own."""
    if verdict == "not_suitable" and blockers:
        named = [b.rule.strategy for b in blockers if b.rule.strategy]
        ranked = sorted(named, key=lambda s: scoring.strategy_priority.index(s)
                        if s in scoring.strategy_priority else len(scoring.strategy_priority))
        if ranked:
            return ranked[0]
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


def remediations_for(findings: Sequence[Finding], score: Score, scoring: Scoring) -> tuple[Remediation, ...]:
    """Failing and partial rules, ranked by the score the app gains if each passed."""
    items = []
    for finding in findings:
        if finding.result not in ("fail", "partial"):
            continue
        weight = finding.rule.weight
        lifted = Score(score.earned + weight * (scoring.credit["pass"] - scoring.credit[finding.result]),
                       score.known_weight, score.applicable_weight)
        items.append(Remediation(finding.rule, finding.result, round(lifted.value - score.value, 1)))
    items.sort(key=lambda r: (-r.gain, SEVERITY_ORDER[r.rule.severity]))
    return tuple(items)


def evaluate_application(
    catalog: Catalog, app: Application, organization: Organization, rules: Sequence[Rule] | None = None,
    cache: FindingCache | None = None,
) -> AppResult:
    """Every application rule for one app (org answers visible to its conditions)."""
    answers = {**organization.known, **app.known}
    app_rules = rules if rules is not None else [r for r in catalog.rules if r.scope == "application"]
    findings = tuple(_finding(rule, answers, cache) for rule in app_rules)
    score = score_findings(findings, catalog.scoring)
    blockers = tuple(f for f in findings if f.rule.severity == "blocker" and f.result == "fail")
    verdict = verdict_for(score, blockers, catalog.scoring)
    return AppResult(
        application=app,
        findings=findings,
        score=score,
        verdict=verdict,
        strategy=strategy_for(verdict, blockers, catalog.scoring),
        blockers=blockers,
        steps=step_statuses(findings, (s.number for s in catalog.steps)),
        remediations=remediations_for(findings, score, catalog.scoring),
    )


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
    for result in results:
        for finding in result.findings:
            if finding.result == "fail":
                failing[finding.rule.id] += 1
                rules[finding.rule.id] = finding.rule
    average = round(sum(r.score.value for r in results) / len(results), 1) if results else 0.0
    return Portfolio(
        applications=len(results),
        average_score=average,
        by_verdict={v: verdicts.get(v, 0) for v in VERDICTS},
        by_strategy={s: strategies.get(s, 0) for s in STRATEGIES},
        top_failing=tuple((rules[rid], count) for rid, count in failing.most_common(10)),
    )


def evaluate(catalog: Catalog, inventory: Inventory, only: str | None = None) -> Assessment:
    """Assess every application (or only the one with id `only`) and the organisation."""
    app_rules = [r for r in catalog.rules if r.scope == "application"]
    apps = [a for a in inventory.applications if only is None or a.id == only]
    cache: FindingCache = {}
    results = tuple(evaluate_application(catalog, app, inventory.organization, app_rules, cache) for app in apps)
    return Assessment(
        catalog=catalog,
        organization=evaluate_organization(catalog, inventory.organization),
        applications=results,
        portfolio=summarize(results),
    )


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
