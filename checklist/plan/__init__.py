"""From score to plan: effort, quick wins, what-if, migration waves and the business case.

Pure functions over an `Assessment` (no I/O). Every figure is either
re-scored by the engine or computed from a footprint and an assumption of
the catalog's ``planning`` section; nothing is guessed.

Quick wins are found by re-scoring, not estimated: a remediation is
simulated by giving the rule's facts a passing answer taken from the rule's
own ``examples`` (the smallest edit of a multi-value answer first), and the
application is evaluated again with every rule, so a change that helps one
rule and hurts another shows as such. The cheapest set of remediations is
searched exactly, by enumerating sets in order of rising person-days, up to
`SEARCH_LIMIT` evaluations per application (more in a small portfolio: they
share `SEARCH_BUDGET`); beyond that a greedy search
(best score gain per person-day first, then dropping what is not needed)
gives a good set, marked as not proven cheapest.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from checklist.core.answers import known_answers
from checklist.core.engine import (
    AppResult,
    Assessment,
    Evaluator,
    Finding,
    Score,
    evaluate,
    evaluate_organization,
    evaluate_rule,
    strategy_for,
    verdict_for,
)
from checklist.core.model import Application, Assumption, Catalog, Fact, Inventory, Organization, Planning, Rule
from checklist.core.vocabulary import KNOWN, LADDER, STAYS, VERDICTS, rung

# Strategies that keep an application on VMs: it is listed apart, not planned in a wave.
RETAINED = STAYS
PILOT_CRITICALITIES = ("low", "medium")
# A blocker whose strategy is a rewrite is never part of a quick win: its remedy is
# a new application, which no effort size in the catalog describes. (Blockers that
# keep an app on VMs can have real fixes: a network licence, capabilities instead of
# privileged mode, a managed database.)
NOT_QUICK = frozenset({"rewrite"})

SEARCH_LIMIT = 2000  # evaluations per application before the quick-win search turns greedy...
SEARCH_BUDGET = 200_000  # ...or this many shared by the applications of a small portfolio
PORTFOLIO_WINS = 10


def _not_quick(rule: Rule) -> bool:
    return rule.severity == "blocker" and rule.strategy in NOT_QUICK


# -- effort ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppEffort:
    days: float
    size: str
    rules: tuple[Rule, ...]  # failing and partial rules, as the engine ranks them


@dataclass(frozen=True)
class Effort:
    applications: Mapping[str, AppEffort]
    organization_days: float
    organization_rules: tuple[Rule, ...]
    by_verdict: Mapping[str, float]  # applications' days per verdict
    by_step: Mapping[int, float]  # applications' and organisation's days per step

    @property
    def applications_days(self) -> float:
        return sum(e.days for e in self.applications.values())

    @property
    def total_days(self) -> float:
        return self.applications_days + self.organization_days


def _open_rules(findings: Iterable[Finding]) -> list[Rule]:
    return [f.rule for f in findings if f.result in ("fail", "partial")]


def estimate_effort(assessment: Assessment, planning: Planning) -> Effort:
    """Person-days per application (Σ over its failing and partial rules), per verdict and per step."""
    days = planning.person_days
    apps: dict[str, AppEffort] = {}
    by_verdict = {v: 0.0 for v in VERDICTS}
    by_step: dict[int, float] = {}
    for result in assessment.applications:
        rules = tuple(r.rule for r in result.remediations)
        total = sum(days[r.effort] for r in rules)
        apps[result.application.id] = AppEffort(total, planning.size(total), rules)
        by_verdict[result.verdict] += total
        for rule in rules:
            by_step[rule.step] = by_step.get(rule.step, 0.0) + days[rule.effort]
    org_rules = tuple(_open_rules(assessment.organization.findings))
    for rule in org_rules:
        by_step[rule.step] = by_step.get(rule.step, 0.0) + days[rule.effort]
    return Effort(apps, sum(days[r.effort] for r in org_rules), org_rules, by_verdict, dict(sorted(by_step.items())))


# -- simulating a remediation ---------------------------------------------------------------


def _mentioned(source: Any, fact: str) -> set[str]:
    """Values of `fact` that a condition's source names (``in`` and ``contains``)."""
    found: set[str] = set()
    if isinstance(source, Mapping):
        if source.get("fact") == fact:
            for op in ("in", "contains", "equals"):
                value = source.get(op)
                if isinstance(value, str):
                    found.add(value)
                elif isinstance(value, list):
                    found.update(v for v in value if isinstance(v, str))
        for key in ("all", "any"):
            for part in source.get(key, ()):
                found |= _mentioned(part, fact)
        if "not" in source:
            found |= _mentioned(source["not"], fact)
    return found


def _rule_mentions(rule: Rule, fact: str) -> set[str]:
    found = _mentioned(rule.applies_when.source, fact) if rule.applies_when else set()
    for outcome in rule.outcomes:
        if outcome.when is not None:
            found |= _mentioned(outcome.when.source, fact)
    return found


def _candidates(rule: Rule, current: Mapping[str, Any], facts: Mapping[str, Fact], scope: str) -> list[dict[str, Any]]:
    """Answers that might make `rule` pass, in the order the catalog lists its passing
    examples (only facts of `scope`); for a multi-value fact the smallest edit comes
    first: drop the values the rule objects to and keep the rest."""
    out: list[dict[str, Any]] = []
    for example in rule.examples:
        if example.result != "pass":
            continue
        change = {k: v for k, v in example.answers.items() if k in facts and facts[k].scope == scope}
        if not change or not _controllable(change, current, facts):
            continue
        minimal = dict(change)
        for fid, value in change.items():
            fact = facts[fid]
            have = current.get(fid)
            if fact.type != "multi" or not isinstance(value, list) or not isinstance(have, tuple):
                continue
            objected = _rule_mentions(rule, fid) - set(value)
            kept = [v for v in have if v not in objected and v not in fact.exclusive]
            minimal[fid] = kept or ([fact.exclusive[0]] if fact.exclusive else list(value))
        for candidate in (minimal, change):
            if candidate not in out:
                out.append(candidate)
    return out


def _controllable(change: Mapping[str, Any], current: Mapping[str, Any], facts: Mapping[str, Fact]) -> bool:
    """Whether `change` alters only answers the team or the organisation can change: a vendor's
    decision or a fact of the world (the OS a mainframe runs, the data's size) is never "fixed"."""
    return all(facts[k].controllable or _same(v, current.get(k)) for k, v in change.items())


def _same(value: Any, have: Any) -> bool:
    return bool((tuple(value) if isinstance(value, list) else value) == have)


def merge_answers(changes: Iterable[Mapping[str, Any]], current: Mapping[str, Any],
                  facts: Mapping[str, Fact]) -> dict[str, Any]:
    """Several remediations' answers as one: multi values combine their removals and
    additions relative to `current` (normalised answers); other facts, the last wins."""
    merged: dict[str, Any] = {}
    removed: dict[str, set[str]] = {}
    added: dict[str, list[str]] = {}
    for change in changes:
        for fid, value in change.items():
            fact = facts[fid]
            if fact.type == "multi" and isinstance(value, list):
                have = list(current.get(fid) or ())
                removed.setdefault(fid, set()).update(v for v in have if v not in value)
                bucket = added.setdefault(fid, [])
                bucket.extend(v for v in value if v not in have and v not in bucket)
            else:
                merged[fid] = value
    for fid in dict.fromkeys([*removed, *added]):  # in the order the changes name them, not a set's
        fact = facts[fid]
        values = [v for v in (current.get(fid) or ()) if v not in removed.get(fid, set())]
        values += [v for v in added.get(fid, []) if v not in values]
        if len(values) > 1:
            values = [v for v in values if v not in fact.exclusive] or values[:1]
        if not values:
            values = [fact.exclusive[0]] if fact.exclusive else added.get(fid, [])[:1]
        merged[fid] = values
    return merged


@dataclass(frozen=True)
class Rescored:
    score: float
    verdict: str
    strategy: str


class _Rescorer:
    """Re-scores one application with changed answers, to the engine's last bit.

    When the catalog's weights and credits add up exactly in any order (the
    engine's own test for evaluating a step's rules together), only the groups
    of rules that read a changed fact are looked up again, in the evaluator's
    shared table of what each combination of answers finds, and their score
    terms replace the old ones. Otherwise only the rules that read a changed
    fact are evaluated again (each distinct combination once), and every term
    is summed again in the order of `score_findings`.
    The engine's `Evaluator` still has the final word on what a plan reports."""

    def __init__(self, catalog: Catalog, result: AppResult, organization: Organization,
                 assess: Evaluator | None = None) -> None:
        self.scoring = catalog.scoring
        self.findings = result.findings
        self.answers = {**organization.known, **result.application.known}
        self.evaluations = 0
        self.assess = assess if assess is not None else Evaluator(catalog, organization)
        if self.assess.exact:
            self.vector = self.assess.vector(self.answers)
            self.parts = [self.assess.part(n, self.vector, self.answers) for n in range(len(self.assess.groups))]
            self.score = result.score
            self.blockers = list(result.blockers)
            self.capped = [c for part in self.parts for c in part.capped]
            return
        self.results = [f.result for f in result.findings]
        self.readers: dict[str, list[int]] = {}
        for i, finding in enumerate(result.findings):
            for fid in finding.rule.facts:
                self.readers.setdefault(fid, []).append(i)
        self.weights = [f.rule.weight for f in result.findings]
        self.blocking = [f.rule.severity == "blocker" for f in result.findings]
        self.known_results: dict[tuple[int, tuple[Any, ...]], str] = {}

    def __call__(self, known_changes: Mapping[str, Any]) -> Rescored:
        self.evaluations += 1
        answers = {**self.answers, **known_changes}
        if self.assess.exact:
            score, blockers, capped = self._by_parts(known_changes, answers)
        else:
            score, blockers, capped = self._by_rules(known_changes, answers)
        verdict, _ = verdict_for(score, blockers, capped, self.scoring)
        return Rescored(score.value, verdict, strategy_for(verdict, blockers, self.scoring, answers))

    def _by_parts(self, known_changes: Mapping[str, Any],
                  answers: Mapping[str, Any]) -> tuple[Score, list[Finding], list[Finding]]:
        # The terms are multiples of 1/1024 far below 2**53, so taking a part's terms out
        # and putting another's in gives the very sum the engine makes over all parts.
        assess, vector = self.assess, list(self.vector)
        for fid, value in known_changes.items():
            if fid in assess.positions:
                vector[assess.positions[fid]] = value
        score, blockers, capped = self.score, self.blockers, self.capped
        earned, known, applicable = score.earned, score.known_weight, score.applicable_weight
        parts = self.parts
        for number in {n for fid in known_changes for n in assess.readers.get(fid, ())}:
            old, new = self.parts[number], assess.part(number, vector, answers)
            if new is old:
                continue
            earned += new.earned - old.earned
            known += new.known - old.known
            applicable += new.applicable - old.applicable
            if old.blockers or new.blockers or old.capped or new.capped:
                parts = parts if parts is not self.parts else list(parts)
                parts[number] = new
        if parts is not self.parts:
            blockers = [b for part in parts for b in part.blockers]
            capped = [c for part in parts for c in part.capped]
        return Score(earned, known, applicable), blockers, capped

    def _by_rules(self, known_changes: Mapping[str, Any],
                  answers: Mapping[str, Any]) -> tuple[Score, list[Finding], list[Finding]]:
        results = list(self.results)
        for i in {i for fid in known_changes for i in self.readers.get(fid, ())}:
            rule = self.findings[i].rule
            key = (i, tuple(answers.get(f) for f in rule.facts))
            if key not in self.known_results:
                self.known_results[key] = evaluate_rule(rule, answers)[0]
            results[i] = self.known_results[key]
        credit = self.scoring.credit
        earned = known = applicable = 0.0
        blockers, capped = [], []
        for i, (weight, blocking, result) in enumerate(zip(self.weights, self.blocking, results, strict=True)):
            if result == "not_applicable":
                continue
            applicable += weight
            if result in KNOWN:
                known += weight
                earned += weight * credit[result]
                if blocking and result == "fail":
                    blockers.append(self.findings[i])
                if result == "fail" and self.findings[i].rule.caps:
                    capped.append(self.findings[i])
        return Score(earned, known, applicable), blockers, capped


def _known(change: Mapping[str, Any], facts: Mapping[str, Fact]) -> dict[str, Any]:
    return known_answers(change, facts)


def passing_change(catalog: Catalog, rule: Rule, answers: Mapping[str, Any], scope: str) -> dict[str, Any] | None:
    """The first candidate answers (facts of `scope` only) that make `rule` pass given
    `answers`, or None when none of the rule's passing examples does."""
    for candidate in _candidates(rule, answers, catalog.facts, scope):
        if evaluate_rule(rule, {**answers, **_known(candidate, catalog.facts)})[0] == "pass":
            return candidate
    return None


# -- quick wins -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuickWin:
    """The cheapest set of remediations found that lifts one application to the next band."""

    application: str
    score_before: float
    verdict_before: str
    target: str | None  # the next band; None when there is none to reach (insufficient data)
    rules: tuple[Rule, ...] = ()
    answers: Mapping[str, Any] = field(default_factory=dict)  # inventory answers that simulate them
    score_after: float | None = None
    verdict_after: str | None = None
    strategy_after: str | None = None
    days: float = 0.0
    proven_cheapest: bool = False
    note: str = ""  # why there is no quick win, when `rules` is empty

    @property
    def found(self) -> bool:
        return bool(self.rules)


def _reaches(outcome: Rescored, target: int) -> bool:
    rank = rung(outcome.verdict)
    return rank is not None and rank >= target


def _subsets_by_cost(costs: Sequence[float]) -> Iterable[tuple[float, tuple[int, ...]]]:
    """Every subset of indices of `costs` (sorted ascending), cheapest total first."""
    heap: list[tuple[float, int, tuple[int, ...]]] = [(0.0, 0, ())]
    counter = 1
    while heap:
        total, _, chosen = heapq.heappop(heap)
        yield total, chosen
        last = chosen[-1] if chosen else -1
        if last + 1 < len(costs):
            heapq.heappush(heap, (total + costs[last + 1], counter, (*chosen, last + 1)))
            counter += 1
            if chosen:
                heapq.heappush(heap, (total - costs[last] + costs[last + 1], counter, (*chosen[:-1], last + 1)))
                counter += 1


def find_quick_win(catalog: Catalog, result: AppResult, organization: Organization,
                   limit: int = SEARCH_LIMIT, rescore: _Rescorer | None = None,
                   assess: Evaluator | None = None) -> QuickWin:
    """The cheapest set (in person-days) of this application's remediations whose passing
    answers lift it at least one verdict band; failing blockers are always in the set."""
    assert catalog.planning is not None
    app = result.application
    rank = rung(result.verdict)

    def without(target: str | None, note: str) -> QuickWin:
        return QuickWin(app.id, result.score.value, result.verdict, target, note=note)

    if rank is None:
        return without(None, "Too few answers to place it in a band: answer the open questions first.")
    target = rank + 1
    assess = assess or (rescore.assess if rescore else Evaluator(catalog, organization))
    rescore = rescore or _Rescorer(catalog, result, organization, assess)
    limit += rescore.evaluations
    answers = rescore.answers
    days = catalog.planning.person_days
    required: list[tuple[Rule, dict[str, Any]]] = []
    optional: list[tuple[Rule, dict[str, Any]]] = []
    # the deciding blockers first, so that an application that cannot move is told why in their words
    for remediation in sorted(result.remediations, key=lambda r: r.rule.id not in result.reason.rules):
        rule = remediation.rule
        blocking = rule.severity == "blocker" and remediation.result == "fail"
        if _not_quick(rule):
            if blocking:
                return without(LADDER[target], f"Its blocker {rule.id} calls for a rewrite: not a quick win.")
            continue
        change = passing_change(catalog, rule, answers, "application")
        if change is None:
            if blocking and rule.requires:
                need = catalog.labels.capabilities.get(rule.requires, rule.requires)
                return without(LADDER[target], f"It waits for {need}, the organisation's to provide "
                                              f"(blocker {rule.id}).")
            if blocking:
                return without(LADDER[target], f"Its blocker {rule.id} is not the team's to fix (a vendor's "
                                              f"decision or a fact of the world); its way forward: "
                                              f"{catalog.labels.strategy(rule.strategy or '')}.")
            continue
        (required if blocking else optional).append((rule, change))
    optional.sort(key=lambda item: days[item[0].effort])

    normalised = {id(change): _known(change, catalog.facts) for _, change in required + optional}

    def outcome(chosen: Sequence[tuple[Rule, dict[str, Any]]]) -> Rescored:
        # Changes to different facts simply combine; only a fact that two remediations
        # both answer (a list such as state_location) needs merging.
        combined: dict[str, Any] = {}
        for _, change in chosen:
            known = normalised[id(change)]
            if not combined.keys().isdisjoint(known):
                merged = merge_answers((c for _, c in chosen), answers, catalog.facts)
                return rescore(_known(merged, catalog.facts))
            combined.update(known)
        return rescore(combined)

    if not _reaches(outcome(required + optional), target):
        return without(LADDER[target], f"Even every remediation together does not reach "
                                      f"{LADDER[target].replace('_', ' ')}.")
    # Sets come cheapest first, so the first that reaches the band is a cheapest one;
    # sets of the same cost are all tried and the highest score wins.
    costs = [days[rule.effort] for rule, _ in optional]
    best: tuple[float, float, int, tuple[int, ...]] | None = None  # (cost, -score, size, subset)
    for total, chosen in _subsets_by_cost(costs):
        if (best is not None and total > best[0]) or rescore.evaluations >= limit:
            break
        reached = outcome(required + [optional[i] for i in chosen])
        if _reaches(reached, target):
            key = (total, -reached.score, len(chosen), chosen)
            if best is None or key < best:
                best = key
    if best is not None:
        picked = required + [optional[i] for i in best[3]]
    else:
        picked = _greedy(required, optional, target, outcome, days)
    # The final word is the engine's own evaluation of the changed application.
    merged = merge_answers((c for _, c in picked), answers, catalog.facts)
    scored = assess(with_answers(result.application, merged, catalog))
    chosen_ids = {rule.id for rule, _ in picked}
    ranked = tuple(r.rule for r in result.remediations if r.rule.id in chosen_ids)
    return QuickWin(app.id, result.score.value, result.verdict, LADDER[target], rules=ranked, answers=merged,
                    score_after=scored.score.value, verdict_after=scored.verdict, strategy_after=scored.strategy,
                    days=sum(days[r.effort] for r in ranked), proven_cheapest=best is not None)


def _greedy(required: list[tuple[Rule, dict[str, Any]]], optional: list[tuple[Rule, dict[str, Any]]],
            target: int, outcome: Any, days: Mapping[str, float]) -> list[tuple[Rule, dict[str, Any]]]:
    """Add the remediation with the best score gain per person-day until the band is
    reached, then drop, most expensive first, every one the band does not need."""
    chosen = list(required)
    left = list(optional)
    current = outcome(chosen)
    while not _reaches(current, target) and left:
        gains = []
        for item in left:
            trial = outcome([*chosen, item])
            gains.append(((trial.score - current.score) / days[item[0].effort], trial, item))
        _, current, item = max(gains, key=lambda g: g[0])
        chosen.append(item)
        left.remove(item)
    for item in sorted(chosen[len(required):], key=lambda i: -days[i[0].effort]):
        trial = outcome([c for c in chosen if c is not item])
        if _reaches(trial, target):
            chosen.remove(item)
    return chosen


def with_answers(app: Application, change: Mapping[str, Any], catalog: Catalog) -> Application:
    """`app` with some answers replaced (values as an inventory writes them)."""
    answers = {**app.answers, **change}
    return replace(app, answers=answers, known=known_answers(answers, catalog.facts))


def with_org_answers(org: Organization, change: Mapping[str, Any], catalog: Catalog) -> Organization:
    answers = {**org.answers, **change}
    return replace(org, answers=answers, known=known_answers(answers, catalog.facts))


@dataclass(frozen=True)
class PortfolioWin:
    """One organisation step or one remediation applied wherever it is open, re-scored."""

    kind: str  # "organisation_step" | "remediation"
    step: int
    rules: tuple[Rule, ...]
    lifted: tuple[str, ...]  # applications that reach a better verdict band
    improved: int  # applications whose score rises
    applications: int  # applications the change is made in (remediations)
    days: float
    organization_gain: float = 0.0  # organisation readiness points (organisation steps)


def portfolio_wins(catalog: Catalog, assessment: Assessment, inventory: Inventory,
                   limit: int = PORTFOLIO_WINS, rescorers: dict[str, _Rescorer] | None = None,
                   ) -> tuple[PortfolioWin, ...]:
    """Every open organisation step and the `limit` remediations that lift the most
    applications, most applications lifted first."""
    assert catalog.planning is not None
    days = catalog.planning.person_days
    org = inventory.organization
    wins: list[PortfolioWin] = []
    rescorers = {} if rescorers is None else rescorers
    assess = Evaluator(catalog, org)

    def rescorer(result: AppResult) -> _Rescorer:
        app_id = result.application.id
        if app_id not in rescorers:
            rescorers[app_id] = _Rescorer(catalog, result, org, assess)
        return rescorers[app_id]

    app_rules = [r for r in catalog.rules if r.scope == "application"]
    # Organisation steps: every open organisation rule of the step made to pass at once.
    by_step: dict[int, list[Rule]] = {}
    for rule in _open_rules(assessment.organization.findings):
        by_step.setdefault(rule.step, []).append(rule)
    for step, rules in sorted(by_step.items()):
        changes = [c for c in (passing_change(catalog, r, org.known, "organization") for r in rules) if c]
        if not changes:
            continue
        merged = merge_answers(changes, org.known, catalog.facts)
        new_org = with_org_answers(org, merged, catalog)
        gain = round(evaluate_organization(catalog, new_org).score.value - assessment.organization.score.value, 1)
        readers = {r.id for r in app_rules if set(merged).intersection(r.facts)}
        lifted: list[str] = []
        improved = 0
        if readers:
            known = _known(merged, catalog.facts)
            for result in assessment.applications:
                if any(f.rule.id in readers for f in result.findings):
                    after = rescorer(result)(known)
                    lifted += _lifted(result, after.verdict)
                    improved += after.score > result.score.value
        wins.append(PortfolioWin("organisation_step", step, tuple(rules), tuple(lifted), improved, 0,
                                 sum(days[r.effort] for r in rules), gain))
    # Remediations: one application rule made to pass in every application where it is open.
    open_in: dict[str, list[AppResult]] = {}
    for result in assessment.applications:
        for remediation in result.remediations:
            open_in.setdefault(remediation.rule.id, []).append(result)
    for rule in app_rules:
        if _not_quick(rule):
            continue
        lifted, improved, applied = [], 0, 0
        for result in open_in.get(rule.id, []):
            rescore = rescorer(result)
            change = passing_change(catalog, rule, rescore.answers, "application")
            if change is None:
                continue
            applied += 1
            rescored = rescore(_known(change, catalog.facts))
            lifted += _lifted(result, rescored.verdict)
            improved += rescored.score > result.score.value
        if applied:
            wins.append(PortfolioWin("remediation", rule.step, (rule,), tuple(lifted), improved, applied,
                                     days[rule.effort] * applied))

    def rank(w: PortfolioWin) -> tuple[float, ...]:
        return (-len(w.lifted), -w.improved, -w.organization_gain, w.days, w.step)

    steps = [w for w in wins if w.kind == "organisation_step"]
    fixes = sorted((w for w in wins if w.kind == "remediation" and (w.lifted or w.improved)), key=rank)
    return tuple(sorted(steps + fixes[:limit], key=rank))


def _lifted(result: AppResult, verdict: str) -> list[str]:
    before, after = rung(result.verdict), rung(verdict)
    return [result.application.id] if before is not None and after is not None and after > before else []


# -- waves ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wave:
    number: int
    name: str
    applications: tuple[str, ...]


@dataclass(frozen=True)
class Boundary:
    """An application that stays on VMs, and the containerised applications that call it."""

    application: str
    strategy: str
    called_by: tuple[str, ...]


@dataclass(frozen=True)
class Waves:
    waves: tuple[Wave, ...]
    move_groups: tuple[tuple[str, ...], ...]  # dependency cycles: they move together
    retained: tuple[Boundary, ...]
    unassessed: tuple[str, ...]  # insufficient data: assess them before planning them

    def wave_of(self, app_id: str) -> int | None:
        for wave in self.waves:
            if app_id in wave.applications:
                return wave.number
        return None


def _components(nodes: Sequence[str], edges: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    """Strongly connected components (Tarjan, iterative), each in `nodes` order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[tuple[str, ...]] = []
    order = {n: i for i, n in enumerate(nodes)}
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                out.append(tuple(sorted(group, key=order.__getitem__)))
    return out


def _readiness(result: AppResult) -> tuple[int, float]:
    return (rung(result.verdict) or 0, result.score.value)


def plan_waves(assessment: Assessment, wave_size: int, pilots: int) -> Waves:
    """Pilot wave (number 0), then waves of at most `wave_size` applications, readiest
    first. An application never moves before the applications it depends on that also
    move (earlier or in the same wave); a dependency cycle is one move group, kept in one
    wave even if that wave then holds more than `wave_size`."""
    results = {r.application.id: r for r in assessment.applications}
    order = list(results)
    position = {app_id: i for i, app_id in enumerate(order)}
    moving = [i for i in order if results[i].strategy not in RETAINED and results[i].verdict != "insufficient_data"]
    moving_set = set(moving)
    deps = {i: [d for d in results[i].application.depends_on if d in moving_set] for i in moving}
    groups = _components(moving, deps)
    group_of = {member: g for g in groups for member in g}
    needs = {g: {group_of[d] for m in g for d in deps[m]} - {g} for g in groups}
    # A dependency inherits the readiness of the readiest application waiting for it. The
    # components come dependencies first, so walking them backwards passes each priority on
    # after everything waiting for that group has passed on its own.
    own = {g: max(_readiness(results[m]) for m in g) for g in groups}
    priority = dict(own)
    for g in reversed(groups):
        for need in needs[g]:
            priority[need] = max(priority[need], priority[g])

    placed: dict[tuple[str, ...], int] = {}
    waves: list[list[str]] = []
    # Pilots: ready, low or medium criticality, no cycle, and nothing that must move first.
    pilot: list[str] = []
    candidates = sorted((g for g in groups if len(g) == 1 and not needs[g]),
                        key=lambda g: (-own[g][1], position[g[0]]))
    for g in candidates:
        result = results[g[0]]
        if len(pilot) < pilots and result.verdict == "ready" and result.application.criticality in PILOT_CRITICALITIES:
            pilot.append(g[0])
            placed[g] = 0
    waves.append(pilot)
    # Each wave takes, again and again, the best-ranked group whose needs have moved (in an
    # earlier wave or this one) and that still fits; a group that does not fit waits for the
    # next wave, as the wave only fills up.
    rank = {g: (tuple(-x for x in priority[g]), tuple(-x for x in own[g]), position[g[0]]) for g in groups}
    waiting_for = {g: len(needs[g] - placed.keys()) for g in groups if g not in placed}
    needed_by: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for g in waiting_for:
        for need in needs[g]:
            needed_by.setdefault(need, []).append(g)
    movable = [(rank[g], g) for g, count in waiting_for.items() if not count]
    heapq.heapify(movable)
    while movable:
        number = len(waves)
        wave: list[str] = []
        later = []
        while movable and len(wave) < wave_size:
            item = heapq.heappop(movable)
            g = item[1]
            if wave and len(wave) + len(g) > wave_size:
                later.append(item)
                continue
            wave.extend(g)
            placed[g] = number
            for waiting in needed_by.get(g, ()):
                waiting_for[waiting] -= 1
                if not waiting_for[waiting]:
                    heapq.heappush(movable, (rank[waiting], waiting))
        waves.append(wave)
        for item in later:
            heapq.heappush(movable, item)
    callers: dict[str, list[str]] = {}
    for i in moving:
        for dep in results[i].application.depends_on:
            callers.setdefault(dep, []).append(i)
    retained = tuple(Boundary(i, results[i].strategy, tuple(callers.get(i, ()))) for i in order
                     if results[i].strategy in RETAINED)
    return Waves(
        waves=tuple(Wave(n, "pilot" if n == 0 else f"wave {n}", tuple(w)) for n, w in enumerate(waves)),
        move_groups=tuple(g for g in groups if len(g) > 1),
        retained=retained,
        unassessed=tuple(i for i in order if results[i].verdict == "insufficient_data"),
    )


# -- business case --------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    applications: int
    vms_retired: int
    container_hosts: int
    net_vms_retired: int
    vcpu_before: float
    vcpu_after: float
    memory_reclaimed_gb: float
    storage_saved_gb: float
    start_seconds_before: float | None  # mean time to add an instance, over apps with startup_seconds
    start_seconds_after: float | None

    @property
    def vcpu_reclaimed(self) -> float:
        return round(self.vcpu_before - self.vcpu_after, 1)


@dataclass(frozen=True)
class BusinessCase:
    assumptions: Mapping[str, Assumption]
    note: str
    low: Estimate
    expected: Estimate
    high: Estimate
    estimated: tuple[str, ...]
    not_estimated: tuple[str, ...]  # moving applications without a usable footprint
    measured_utilization: int  # estimated applications whose CPU utilisation is measured


REQUIRED_FOOTPRINT = ("vm_count", "vcpu", "memory_gb")


def _estimate(apps: Sequence[Application], values: Mapping[str, float]) -> Estimate:
    vms = 0.0
    vcpu_before = vcpu_after = memory_needed = memory_reclaimed = storage = 0.0
    starts: list[float] = []
    for app in apps:
        fp = app.footprint
        count = fp["vm_count"]
        vcpu = count * fp["vcpu"]
        utilization = fp.get("avg_cpu_utilization", values["current_cpu_utilization"])
        needed = min(vcpu, vcpu * utilization / values["target_cpu_utilization"])
        memory = count * fp["memory_gb"]
        saved_memory = min(memory, count * values["guest_os_memory_gb"])
        vms += count
        vcpu_before += vcpu
        vcpu_after += needed
        memory_reclaimed += saved_memory
        memory_needed += memory - saved_memory
        storage += count * max(0.0, values["guest_os_disk_gb"] - values["image_size_gb"])
        startup = app.known.get("startup_seconds")
        if isinstance(startup, int | float) and not isinstance(startup, bool):
            starts.append(float(startup))
    hosts = max(math.ceil(round(vcpu_after / values["container_host_vcpu"], 6)),
                math.ceil(round(memory_needed / values["container_host_memory_gb"], 6))) if apps else 0
    mean = sum(starts) / len(starts) if starts else None
    return Estimate(
        applications=len(apps),
        vms_retired=int(vms),
        container_hosts=hosts,
        net_vms_retired=int(vms) - hosts,
        vcpu_before=round(vcpu_before, 1),
        vcpu_after=round(vcpu_after, 1),
        memory_reclaimed_gb=round(memory_reclaimed, 1),
        storage_saved_gb=round(storage, 1),
        start_seconds_before=None if mean is None else round(values["vm_start_minutes"] * 60 + mean, 1),
        start_seconds_after=None if mean is None else round(values["container_start_seconds"] + mean, 1),
    )


def business_case(assessment: Assessment, waves: Waves, planning: Planning) -> BusinessCase:
    """Low, expected and high estimates for the applications the waves move."""
    moving = {a for w in waves.waves for a in w.applications}
    apps = [r.application for r in assessment.applications if r.application.id in moving]
    estimated = [a for a in apps if all(k in a.footprint for k in REQUIRED_FOOTPRINT)]
    estimated_ids = {a.id for a in estimated}
    a = planning.assumptions
    cases = {name: {k: getattr(v, name) for k, v in a.items()} for name in ("conservative", "default", "optimistic")}
    return BusinessCase(
        assumptions=a,
        note=planning.business_case_note,
        low=_estimate(estimated, cases["conservative"]),
        expected=_estimate(estimated, cases["default"]),
        high=_estimate(estimated, cases["optimistic"]),
        estimated=tuple(x.id for x in estimated),
        not_estimated=tuple(x.id for x in apps if x.id not in estimated_ids),
        measured_utilization=sum("avg_cpu_utilization" in x.footprint for x in estimated),
    )


# -- what-if --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfChange:
    application: str | None  # None: an organisation answer
    fact: str
    value: Any


@dataclass(frozen=True)
class WhatIf:
    application: str
    changes: Mapping[str, Any]
    before: Rescored
    after: Rescored


def apply_what_if(inventory: Inventory, changes: Sequence[WhatIfChange], catalog: Catalog) -> Inventory:
    """A copy of `inventory` with the answers changed; the original is untouched."""
    org_change = {c.fact: c.value for c in changes if c.application is None}
    org = with_org_answers(inventory.organization, org_change, catalog) if org_change else inventory.organization
    per_app: dict[str, dict[str, Any]] = {}
    for c in changes:
        if c.application is not None:
            per_app.setdefault(c.application, {})[c.fact] = c.value
    apps = tuple(with_answers(a, per_app[a.id], catalog) if a.id in per_app else a for a in inventory.applications)
    return replace(inventory, organization=org, applications=apps)


def compare_what_if(before: Assessment, after: Assessment, changes: Sequence[WhatIfChange]) -> tuple[WhatIf, ...]:
    """Old → new for every application a change names, and, for organisation changes,
    every application whose score, verdict or strategy moved."""
    org_change = {c.fact: c.value for c in changes if c.application is None}
    per_app: dict[str, dict[str, Any]] = {}
    for c in changes:
        if c.application is not None:
            per_app.setdefault(c.application, {})[c.fact] = c.value
    out = []
    for old, new in zip(before.applications, after.applications, strict=True):
        app_id = old.application.id
        was = Rescored(old.score.value, old.verdict, old.strategy)
        now = Rescored(new.score.value, new.verdict, new.strategy)
        if app_id in per_app or (org_change and was != now):
            out.append(WhatIf(app_id, {**org_change, **per_app.get(app_id, {})}, was, now))
    return tuple(out)


# -- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    assessment: Assessment  # with the what-if answers, when there are any
    planning: Planning
    effort: Effort
    quick_wins: tuple[QuickWin, ...]  # every application not ready, in assessment order
    portfolio_wins: tuple[PortfolioWin, ...]
    waves: Waves
    business_case: BusinessCase
    what_if: tuple[WhatIf, ...] = ()


def plan_of(assessment: Assessment) -> Plan | None:
    """The default plan of an assessed portfolio, as reports and `assess --plan` show it;
    None when the catalog has no planning section or there is nothing to plan."""
    if assessment.catalog.planning is None or not assessment.applications:
        return None
    inventory = Inventory(assessment.organization.organization, tuple(r.application for r in assessment.applications))
    return make_plan(assessment.catalog, inventory, assessment=assessment)


def make_plan(catalog: Catalog, inventory: Inventory, *, wave_size: int = 5, pilots: int = 3,
              what_if: Sequence[WhatIfChange] = (), assessment: Assessment | None = None) -> Plan:
    """The whole plan for `inventory` (with the `what_if` answers applied, if any)."""
    if catalog.planning is None:
        raise ValueError("the catalog has no planning section")
    compared: tuple[WhatIf, ...] = ()
    if what_if:
        before = assessment or evaluate(catalog, inventory)
        inventory = apply_what_if(inventory, what_if, catalog)
        assessment = evaluate(catalog, inventory)
        compared = compare_what_if(before, assessment, what_if)
    elif assessment is None:
        assessment = evaluate(catalog, inventory)
    waves = plan_waves(assessment, wave_size, pilots)
    org = inventory.organization
    # One re-scorer per application, shared: it remembers the rule results it has seen.
    assess = Evaluator(catalog, org)  # compiled once, its table of findings shared by every re-score
    rescorers = {r.application.id: _Rescorer(catalog, r, org, assess) for r in assessment.applications}
    not_ready = [r for r in assessment.applications if r.verdict != "ready"]
    limit = max(SEARCH_LIMIT, SEARCH_BUDGET // max(1, len(not_ready)))
    return Plan(
        assessment=assessment,
        planning=catalog.planning,
        effort=estimate_effort(assessment, catalog.planning),
        quick_wins=tuple(find_quick_win(catalog, r, org, limit, rescorers[r.application.id], assess)
                         for r in not_ready),
        portfolio_wins=portfolio_wins(catalog, assessment, inventory, rescorers=rescorers),
        waves=waves,
        business_case=business_case(assessment, waves, catalog.planning),
        what_if=compared,
    )

