"""Re-scoring one application with changed answers, exactly as the engine would.

Promises: a re-score is the engine's own judgement of the changed answers
(`Evaluator.judge` once, then `Evaluator.rejudge` per change), reached through
the evaluator's public calls only, so it agrees with `evaluate` to the last bit
and a change to how the engine evaluates touches no file of the plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checklist.core.engine import AppResult, Evaluator, Judgement
from checklist.core.model import Catalog, Organization


@dataclass(frozen=True)
class Rescored:
    score: float
    verdict: str
    strategy: str


class Rescorer:
    """Re-scores one application with changed answers: the engine's own judgement of
    them (`Evaluator.rejudge`), which shares its findings with every other re-score."""

    def __init__(self, catalog: Catalog, result: AppResult, organization: Organization,
                 assess: Evaluator | None = None) -> None:
        self.answers = {**organization.known, **result.application.known}
        self.evaluations = 0
        self.assess = assess if assess is not None else Evaluator(catalog, organization)
        self.base: Judgement | None = None  # of the answers as they are, when first needed

    def __call__(self, known_changes: Mapping[str, Any]) -> Rescored:
        self.evaluations += 1
        if self.base is None:
            self.base = self.assess.judge(self.answers)
        judged = self.assess.rejudge(self.base, known_changes)
        return Rescored(judged.score.value, judged.verdict, judged.strategy)
