"""Re-scoring one application with changed answers, exactly as the engine would.

The only module of the plan that reaches into the engine's evaluator (its answer
vector and groups of rules). Quick wins and portfolio wins re-score through
`Rescorer`; elsewhere the plan uses only the engine's public calls (`evaluate`,
an `Evaluator` called on an application, `evaluate_rule`), so a change to how
the engine evaluates touches this file alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checklist.core.engine import (
    AppResult,
    Evaluator,
    Finding,
    Score,
    evaluate_rule,
    strategy_for,
    verdict_for,
)
from checklist.core.model import Catalog, Organization
from checklist.core.vocabulary import KNOWN


@dataclass(frozen=True)
class Rescored:
    score: float
    verdict: str
    strategy: str


class Rescorer:
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
