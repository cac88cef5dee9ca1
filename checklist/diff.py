"""What changed between two assessments: per application and for the portfolio.

Pure functions. Either side is a `Snapshot`, taken from an assessment (an
inventory evaluated now) or from a saved JSON result (`assess --format
json`); both carry the same facts, read from the findings, so an inventory
and the result saved from it compare as equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checklist.core.engine import Assessment
from checklist.core.model import Labels
from checklist.core.snapshot import AppSnapshot, Snapshot
from checklist.core.vocabulary import MOVABLE, VERDICTS, rung

# Step statuses from least to most done; unknown and n/a are not on the ladder.
STEP_LADDER = ("not_started", "partly", "done")






def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def snapshot_of(assessment: Assessment, label: str) -> Snapshot:
    """The snapshot of an assessment made now."""
    app_facts = {fid for fid, fact in assessment.catalog.facts.items() if fact.scope == "application"}
    apps: dict[str, AppSnapshot] = {}
    for result in assessment.applications:
        read = {fid: _plain(value) for finding in result.findings for fid, value in finding.facts.items()
                if fid in app_facts}
        app = result.application
        apps[app.id] = AppSnapshot(app.id, app.name, result.score.value, result.verdict, result.strategy,
                                   {s.step: s.status for s in result.steps}, read, result.score.confidence)
    return Snapshot(label, assessment.organization.score.value, apps)














@dataclass(frozen=True)
class AppChange:
    id: str
    name: str
    change: str  # added | removed | changed | same
    score_before: float | None
    score_after: float | None
    verdict_before: str | None
    verdict_after: str | None
    strategy_before: str | None
    strategy_after: str | None
    steps_done: tuple[int, ...]
    steps_regressed: tuple[int, ...]
    facts_changed: Mapping[str, tuple[Any, Any]]
    confidence_before: float | None = None
    confidence_after: float | None = None

    @property
    def score_change(self) -> float | None:
        if self.score_before is None or self.score_after is None:
            return None
        return round(self.score_after - self.score_before, 1)


@dataclass(frozen=True)
class Diff:
    before: str
    after: str
    applications: tuple[AppChange, ...]
    portfolio: Mapping[str, Any]
    labels: Labels = field(default_factory=Labels, compare=False)  # the catalog's words for verdicts
    step_titles: Mapping[int, str] = field(default_factory=dict, compare=False)  # step number -> its title

    @property
    def changed(self) -> tuple[AppChange, ...]:
        return tuple(a for a in self.applications if a.change != "same")


def _steps(before: Mapping[int, str], after: Mapping[int, str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    done, regressed = [], []
    for step in sorted(set(before) | set(after)):
        was, now = before.get(step), after.get(step)
        if now == "done" and was != "done":
            done.append(step)
        elif (was == "done" and now != "done") or (
                was in STEP_LADDER and now in STEP_LADDER and STEP_LADDER.index(now) < STEP_LADDER.index(was)):
            regressed.append(step)
    return tuple(done), tuple(regressed)


def _average(apps: Mapping[str, AppSnapshot]) -> float:
    """The average score of the applications that can move, as the assessment reports it."""
    scores = [a.score for a in apps.values() if a.verdict in MOVABLE]
    return round(sum(scores) / len(scores), 1) if scores else 0.0


def compare(before: Snapshot, after: Snapshot, labels: Labels | None = None,
            step_titles: Mapping[int, str] | None = None) -> Diff:
    """Per application (after's order, then the removed ones) and for the portfolio."""
    changes: list[AppChange] = []
    for app_id, now in after.applications.items():
        was = before.applications.get(app_id)
        if was is None:
            changes.append(AppChange(app_id, now.name, "added", None, now.score, None, now.verdict, None,
                                     now.strategy, (), (), {}, None, now.confidence))
            continue
        # Most applications are unchanged between two runs: their mappings compare equal at C speed.
        done, regressed = ((), ()) if was.steps == now.steps else _steps(was.steps, now.steps)
        facts = {} if was.facts == now.facts else {
            f: (was.facts.get(f), now.facts.get(f)) for f in dict.fromkeys([*was.facts, *now.facts])
            if was.facts.get(f) != now.facts.get(f)}
        same = (was.score == now.score and was.verdict == now.verdict and was.strategy == now.strategy
                and was.steps == now.steps and not facts)
        changes.append(AppChange(app_id, now.name, "same" if same else "changed", was.score, now.score,
                                 was.verdict, now.verdict, was.strategy, now.strategy, done, regressed, facts,
                                 was.confidence, now.confidence))
    for app_id, was in before.applications.items():
        if app_id not in after.applications:
            changes.append(AppChange(app_id, was.name, "removed", was.score, None, was.verdict, None,
                                     was.strategy, None, (), (), {}, was.confidence, None))
    kept = [c for c in changes if c.change in ("changed", "same")]

    def moved(up: bool) -> int:
        count = 0
        for c in kept:
            a, b = rung(c.verdict_before or ""), rung(c.verdict_after or "")
            if a is not None and b is not None and (b > a if up else b < a):
                count += 1
        return count

    org_before, org_after = before.organization_score, after.organization_score
    portfolio = {
        "applications_before": len(before.applications),
        "applications_after": len(after.applications),
        "average_score_before": _average(before.applications),
        "average_score_after": _average(after.applications),
        "average_score_change": round(_average(after.applications) - _average(before.applications), 1),
        "organization_score_before": org_before,
        "organization_score_after": org_after,
        "by_verdict": {v: {"before": sum(a.verdict == v for a in before.applications.values()),
                           "after": sum(a.verdict == v for a in after.applications.values())} for v in VERDICTS},
        "added": sum(c.change == "added" for c in changes),
        "removed": sum(c.change == "removed" for c in changes),
        "changed": sum(c.change == "changed" for c in changes),
        "same": sum(c.change == "same" for c in changes),
        "scores_up": sum((c.score_change or 0) > 0 for c in kept),
        "scores_down": sum((c.score_change or 0) < 0 for c in kept),
        "verdicts_up": moved(True),
        "verdicts_down": moved(False),
        "steps_done": sum(len(c.steps_done) for c in kept),
        "steps_regressed": sum(len(c.steps_regressed) for c in kept),
    }
    return Diff(before.label, after.label, tuple(changes), portfolio, labels or Labels(), dict(step_titles or {}))
