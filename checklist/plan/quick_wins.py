"""Quick wins: for one application, the cheapest set of remediations (in
person-days) that lifts it into the next verdict band, found by re-scoring.

A remediation is simulated by giving the rule's facts a passing answer taken from
the rule's own ``examples`` (the smallest edit of a multi-value answer first), and
the application is evaluated again with every rule, so a change that helps one
rule and hurts another shows as such. The cheapest set is searched exactly, by
enumerating sets in order of rising person-days, up to `SEARCH_LIMIT` evaluations
per application (more in a small portfolio: they share `SEARCH_BUDGET`); beyond
that a greedy search (best score gain per person-day first, then dropping what is
not needed) gives a good set, marked as not proven cheapest."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from checklist.core.answers import known_answers
from checklist.core.engine import (
    AppResult,
    Evaluator,
)
from checklist.core.model import Catalog, Organization, Rule
from checklist.core.vocabulary import LADDER, rung
from checklist.plan.changes import merge_answers, passing_change, with_answers
from checklist.plan.effort import is_vendors
from checklist.plan.rescore import Rescored, Rescorer

# A blocker whose strategy is a rewrite is never part of a quick win: its remedy is
# a new application, which no effort size in the catalog describes. (Blockers that
# keep an app on VMs can have real fixes: a network licence, capabilities instead of
# privileged mode, a managed database.)
NOT_QUICK = frozenset({"rewrite"})

SEARCH_LIMIT = 2000  # evaluations per application before the quick-win search turns greedy...
SEARCH_BUDGET = 200_000  # ...or this many shared by the applications of a small portfolio


def not_quick(rule: Rule) -> bool:
    return rule.severity == "blocker" and rule.strategy in NOT_QUICK


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
                   limit: int = SEARCH_LIMIT, rescore: Rescorer | None = None,
                   assess: Evaluator | None = None) -> QuickWin:
    """The cheapest set (in person-days) of this application's remediations whose passing
    answers lift it at least one verdict band; failing blockers are always in the set."""
    assert catalog.planning is not None
    app = result.application
    rank = rung(result.verdict)

    def without(target: str | None, note: str) -> QuickWin:
        return QuickWin(app.id, result.score.value, result.verdict, target, note=note)

    planning = catalog.planning
    say = planning.say
    if rank is None:
        return without(None, say("qw_unassessed"))
    target = rank + 1
    assess = assess or (rescore.assess if rescore else Evaluator(catalog, organization))
    rescore = rescore or Rescorer(catalog, result, organization, assess)
    limit += rescore.evaluations
    answers = rescore.answers
    days = planning.person_days
    required: list[tuple[Rule, dict[str, Any]]] = []
    optional: list[tuple[Rule, dict[str, Any]]] = []
    # the deciding blockers first, so that an application that cannot move is told why in their words
    for remediation in sorted(result.remediations, key=lambda r: r.rule.id not in result.reason.rules):
        rule = remediation.rule
        blocking = rule.severity == "blocker" and remediation.result == "fail"
        if not_quick(rule):
            if blocking:
                return without(LADDER[target], say("qw_rewrite", rule=rule.id))
            continue
        change = passing_change(catalog, rule, answers, "application")
        if change is None:
            if blocking and rule.requires:
                need = catalog.labels.capabilities.get(rule.requires, rule.requires)
                return without(LADDER[target], say("qw_platform", need=need, rule=rule.id))
            if blocking:
                text = "qw_vendor" if is_vendors(rule, catalog.facts) else "qw_world"
                return without(LADDER[target], say(text, rule=rule.id, weeks=f"{planning.vendor_weeks:g}",
                                                   strategy=catalog.labels.strategy(rule.strategy or "")))
            continue
        (required if blocking else optional).append((rule, change))
    optional.sort(key=lambda item: days[item[0].effort])

    normalised = {id(change): known_answers(change, catalog.facts) for _, change in required + optional}

    def outcome(chosen: Sequence[tuple[Rule, dict[str, Any]]]) -> Rescored:
        # Changes to different facts simply combine; only a fact that two remediations
        # both answer (a list such as state_location) needs merging.
        combined: dict[str, Any] = {}
        for _, change in chosen:
            known = normalised[id(change)]
            if not combined.keys().isdisjoint(known):
                merged = merge_answers((c for _, c in chosen), answers, catalog.facts)
                return rescore(known_answers(merged, catalog.facts))
            combined.update(known)
        return rescore(combined)

    if not _reaches(outcome(required + optional), target):
        return without(LADDER[target], say("qw_none", target=catalog.labels.verdict(LADDER[target]).lower()))
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
