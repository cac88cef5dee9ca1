"""A saved result as a diff reads it: per application its score, verdict, strategy, step
statuses and the answers its rules read. `app_snapshot` checks an application of a saved
result (`assess --format json`) and keeps only that; pure, so that both the reader of saved
results (checklist.io.results) and the diff (checklist.diff) build on it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checklist.core.errors import ChecklistError, DocPath, Problem
from checklist.core.vocabulary import VERDICTS


@dataclass(frozen=True)
class AppSnapshot:
    id: str
    name: str
    score: float
    verdict: str
    strategy: str
    steps: Mapping[int, str]
    facts: Mapping[str, Any]  # application facts the rules read → answer (None: unanswered)
    confidence: float | None = None  # None: a saved result without it


@dataclass(frozen=True)
class Snapshot:
    label: str
    organization_score: float | None
    applications: Mapping[str, AppSnapshot]  # in the order of the source


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
        if app.id in snapshots:
            raise ChecklistError(within(i)(("id",), appears_twice(app.id)))
        snapshots[app.id] = app
    return Snapshot(label, organization_score(document.get("organization")), snapshots)


def appears_twice(app_id: str) -> str:
    return f"application {app_id!r} appears twice in this result; a saved result lists each application once"


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
    confidence: Any = entry.get("confidence")
    known = confidence is not None and _is_score(confidence) and confidence <= 1
    return AppSnapshot(entry["id"], entry.get("name") or entry["id"], float(entry["score"]), entry["verdict"],
                       entry.get("strategy", ""), steps, read, float(confidence) if known else None)


def _list(entry: dict[str, Any], key: str, refuse: Callable[[DocPath, str], ChecklistError]) -> list[Any]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise refuse((key,), "expected a list")
    return value


def count_values(app: AppSnapshot) -> int:
    """How many values a snapshot keeps: one for the application, each step status, each
    answer, and each value inside an answer that is a list or mapping."""
    count = 1 + len(app.steps) + len(app.facts)
    stack = [value for value in app.facts.values() if isinstance(value, _CONTAINERS)]
    while stack:
        value = stack.pop()
        items = value.values() if isinstance(value, dict) else value
        count += len(items)
        stack.extend(item for item in items if isinstance(item, _CONTAINERS))
    return count


_CONTAINERS = (list, dict)  # a tuple: `list | dict` would be built anew at every call
