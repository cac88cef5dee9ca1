"""What changed between two assessments: per application and for the portfolio.

Pure functions. Either side is a `Snapshot`, taken from an assessment (an
inventory evaluated now) or from a saved JSON result (`assess --format
json`); both carry the same facts, read from the findings, so an inventory
and the result saved from it compare as equal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from checklist.core.engine import Assessment
from checklist.core.errors import ChecklistError, DocPath, Problem
from checklist.core.model import Labels
from checklist.core.vocabulary import MOVABLE, VERDICTS, rung

# Step statuses from least to most done; unknown and n/a are not on the ladder.
STEP_LADDER = ("not_started", "partly", "done")


@dataclass(frozen=True)
class AppSnapshot:
    id: str
    name: str
    score: float
    verdict: str
    strategy: str
    steps: Mapping[int, str]
    facts: Mapping[str, Any]  # application facts the rules read → answer (None: unanswered)


@dataclass(frozen=True)
class Snapshot:
    label: str
    organization_score: float | None
    applications: Mapping[str, AppSnapshot]  # in the order of the source


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def snapshot_of(assessment: Assessment, label: str) -> Snapshot:
    """The snapshot of an assessment made now. Applications share most of their findings
    (the engine makes one per rule and answers read), so each finding's answers are
    picked out once."""
    app_facts = {fid for fid, fact in assessment.catalog.facts.items() if fact.scope == "application"}
    answers_of: dict[int, dict[str, Any]] = {}  # by finding (all alive in `assessment`)
    apps: dict[str, AppSnapshot] = {}
    for result in assessment.applications:
        read: dict[str, Any] = {}
        for finding in result.findings:
            answers = answers_of.get(id(finding))
            if answers is None:
                answers = answers_of[id(finding)] = {fid: _plain(value) for fid, value in finding.facts.items()
                                                     if fid in app_facts}
            read.update(answers)
        app = result.application
        apps[app.id] = AppSnapshot(app.id, app.name, result.score.value, result.verdict, result.strategy,
                                   {s.step: s.status for s in result.steps}, read)
    return Snapshot(label, assessment.organization.score.value, apps)


def snapshot_of_document(document: Mapping[str, Any], label: str, org_facts: Sequence[str],
                         locate: Callable[[DocPath, str], Problem]) -> Snapshot:
    """The snapshot of a saved result document read whole; `locate` places a problem at
    a path in the document."""
    apps = document.get("applications")
    if not isinstance(apps, list):
        raise ChecklistError(locate(("applications",) if "applications" in document else (),
                                    "a saved result needs 'applications', a list"))

    def within(i: int) -> Callable[[DocPath, str], Problem]:
        return lambda path, message: locate(("applications", i, *path), message)

    snapshots: dict[str, AppSnapshot] = {}
    for i, entry in enumerate(apps):
        app = app_snapshot(entry, org_facts, within(i))
        snapshots[app.id] = app
    return Snapshot(label, organization_score(document.get("organization")), snapshots)


def organization_score(organization: Any) -> float | None:
    """The score of a saved result's organization block, None when it has none."""
    score: Any = organization.get("score") if isinstance(organization, Mapping) else None
    return float(score) if _is_score(score) else None


def _is_score(value: Any) -> bool:
    """A number from 0 to 100, as every score is (and within what a float holds)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100


def app_snapshot(entry: Any, org_facts: Sequence[str], locate: Callable[[DocPath, str], Problem]) -> AppSnapshot:
    """The snapshot of one application of a saved result, after checking that it has what
    a diff reads; `locate` places a problem at a path in the application. (JSON is read
    into dicts and lists; `isinstance` against them is several times cheaper than against
    Mapping, and a 10,000-application result has 1.5 million of them.)"""

    def refuse(path: DocPath, message: str) -> ChecklistError:
        return ChecklistError(locate(path, message))

    if not isinstance(entry, dict):
        raise refuse((), "expected a mapping")
    for key in ("id", "score", "verdict"):
        if key not in entry:
            raise refuse((), f"expected '{key}' here")
        if not (_is_score(entry[key]) if key == "score" else isinstance(entry[key], str)):
            raise refuse((key,), "expected a score from 0 to 100" if key == "score" else f"expected '{key}' here")
    if entry["verdict"] not in VERDICTS:
        raise refuse(("verdict",), f"{entry['verdict']!r} is not a verdict")
    for key in ("name", "strategy"):
        if not isinstance(entry.get(key, ""), str):
            raise refuse((key,), "expected text")
    steps: dict[int, str] = {}
    for i, step in enumerate(_list(entry, "steps", refuse)):
        if not (isinstance(step, dict) and type(step.get("step")) is int and isinstance(step.get("status"), str)):
            raise refuse(("steps", i), 'expected a step like {"step": 9, "status": "done"}')
        steps[step["step"]] = step["status"]
    read: dict[str, Any] = {}
    for i, finding in enumerate(_list(entry, "findings", refuse)):
        if not isinstance(finding, dict):
            raise refuse(("findings", i), "expected a mapping")
        facts = finding.get("facts")
        if facts:
            if not isinstance(facts, dict):
                raise refuse(("findings", i, "facts"), "expected a mapping of facts to answers")
            read.update(facts)
    for fid in org_facts:
        read.pop(fid, None)
    return AppSnapshot(entry["id"], entry.get("name") or entry["id"], float(entry["score"]), entry["verdict"],
                       entry.get("strategy", ""), steps, read)


def _list(entry: dict[str, Any], key: str, refuse: Callable[[DocPath, str], ChecklistError]) -> list[Any]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise refuse((key,), "expected a list")
    return value


def count_values(app: AppSnapshot) -> int:
    """How many values a snapshot keeps: one for the application, each step status, each
    answer, and each value inside an answer that is a list or mapping."""
    count = 1 + len(app.steps) + len(app.facts)
    stack = [value for value in app.facts.values() if isinstance(value, list | dict)]
    while stack:
        value = stack.pop()
        items = value.values() if isinstance(value, dict) else value
        count += len(items)
        stack.extend(item for item in items if isinstance(item, list | dict))
    return count


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


def compare(before: Snapshot, after: Snapshot, labels: Labels | None = None) -> Diff:
    """Per application (after's order, then the removed ones) and for the portfolio."""
    changes: list[AppChange] = []
    for app_id, now in after.applications.items():
        was = before.applications.get(app_id)
        if was is None:
            changes.append(AppChange(app_id, now.name, "added", None, now.score, None, now.verdict, None,
                                     now.strategy, (), (), {}))
            continue
        done, regressed = _steps(was.steps, now.steps)
        facts = {f: (was.facts.get(f), now.facts.get(f)) for f in dict.fromkeys([*was.facts, *now.facts])
                 if was.facts.get(f) != now.facts.get(f)}
        same = (was.score == now.score and was.verdict == now.verdict and was.strategy == now.strategy
                and was.steps == now.steps and not facts)
        changes.append(AppChange(app_id, now.name, "same" if same else "changed", was.score, now.score,
                                 was.verdict, now.verdict, was.strategy, now.strategy, done, regressed, facts))
    for app_id, was in before.applications.items():
        if app_id not in after.applications:
            changes.append(AppChange(app_id, was.name, "removed", was.score, None, was.verdict, None,
                                     was.strategy, None, (), (), {}))
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
    return Diff(before.label, after.label, tuple(changes), portfolio, labels or Labels())
