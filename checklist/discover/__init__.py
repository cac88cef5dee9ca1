"""`checklist scan`: answers proposed from source trees, each with its evidence.

Pipeline: detectors (rules/detectors/*.yaml) → `scan_tree` (findings: a detector
fired at file:line) → `resolve` (one proposal per fact). Stronger evidence wins;
when the strongest evidence points to different values, the fact is left
unknown and the disagreement is shown. A fact with no evidence is never
proposed: a scan does not guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checklist.core.model import Catalog, Evidence, Labels
from checklist.discover.detectors import STRENGTH, Detector
from checklist.discover.scanner import Finding, plan, repository_of, scan_deployment, scan_tree
from checklist.io.tree import TreeLimits, TreeStats

__all__ = ["Proposal", "ScanResult", "TreeScan", "evidence_entry", "resolve", "scan_application", "scan_paths"]


@dataclass(frozen=True)
class Proposal:
    """The answer a scan proposes for one fact (None: the evidence disagrees), with all of
    the evidence found, the winning value's first."""

    fact: str
    value: Any
    strength: str
    evidence: tuple[Evidence, ...]

    @property
    def disputed(self) -> bool:
        """Whether some evidence points to another value."""
        return any(e.value != self.value and not _within(e.value, self.value) for e in self.evidence)

    @property
    def others(self) -> list[Any]:
        """The other values some evidence points to, strongest first."""
        out: list[Any] = []
        for e in self.evidence:
            if e.value != self.value and not _within(e.value, self.value) and e.value not in out:
                out.append(e.value)
        return out


def _within(value: Any, answer: Any) -> bool:
    return isinstance(answer, list) and value in answer


@dataclass(frozen=True)
class TreeScan:
    """What a scan found in one tree."""

    id: str
    path: str
    proposals: tuple[Proposal, ...]
    stats: TreeStats = field(default_factory=TreeStats)
    footprint: Mapping[str, Any] = field(default_factory=dict)  # from an archive, when asked for
    unread: tuple[str, ...] = ()  # what the collection script could not read on the VM

    def answers(self) -> dict[str, Any]:
        return {p.fact: p.value for p in self.proposals if p.value is not None}

    def discovered(self) -> dict[str, dict[str, Any]]:
        """The proposals as an inventory's `discovered` block (DESIGN.md "Discovery"): each
        decided answer with its evidence; an evidence line names its value only when it
        points elsewhere, which is how a disagreement stays visible."""
        return {p.fact: {"value": p.value, "evidence": [evidence_entry(e, p.value) for e in p.evidence]}
                for p in self.proposals if p.value is not None}


@dataclass(frozen=True)
class ScanResult:
    """What one `checklist scan` found, the subject its renderers show."""

    scans: tuple[TreeScan, ...]
    labels: Labels = field(default_factory=Labels)


def evidence_entry(evidence: Evidence, answer: Any = None) -> dict[str, Any]:
    """One evidence line as plain data: file, line, text, detector, strength (and value when
    it differs from `answer`)."""
    entry: dict[str, Any] = {"file": evidence.file}
    if evidence.line:
        entry["line"] = evidence.line
    if evidence.text:
        entry["text"] = evidence.text
    entry["detector"] = evidence.detector
    entry["strength"] = evidence.strength
    if evidence.value != answer and not _within(evidence.value, answer):
        entry["value"] = evidence.value
    return entry


def _evidence(finding: Finding) -> Evidence:
    d = finding.detector
    return Evidence(finding.file, finding.line, finding.text, d.id, d.strength, d.value)


def resolve(findings: Sequence[Finding], catalog: Catalog) -> tuple[Proposal, ...]:
    """One proposal per fact with evidence, in catalog order.

    For a choice or yes/no fact, the value whose strongest evidence is strongest wins, then
    the value more detectors support; a tie leaves the fact unknown (value None). For a
    multi fact, every value with evidence is proposed, strongest first; an exclusive value
    such as `none` only when nothing else was found.
    """
    by_fact: dict[str, list[Finding]] = {}
    for finding in findings:
        by_fact.setdefault(finding.detector.fact, []).append(finding)
    proposals = []
    for fact_id, fact in catalog.facts.items():
        found = by_fact.get(fact_id)
        if not found:
            continue
        ranking: dict[Any, tuple[int, int]] = {}
        detectors: dict[Any, set[str]] = {}
        for finding in found:
            key = finding.detector.value
            detectors.setdefault(key, set()).add(finding.detector.id)
            best = max(ranking.get(key, (0, 0))[0], finding.detector.rank)
            ranking[key] = (best, len(detectors[key]))
        ordered = sorted(ranking, key=lambda k: ranking[k], reverse=True)
        if fact.type == "multi":
            chosen = [v for v in ordered if v not in fact.exclusive] or ordered[:1]
            value: Any = [v for v in (c.value for c in fact.choices) if v in chosen]
            strength = ranking[chosen[0]][0]
        else:
            tie = len(ordered) > 1 and ranking[ordered[0]] == ranking[ordered[1]]
            value = None if tie else ordered[0]
            strength = ranking[ordered[0]][0]
        order = {k: i for i, k in enumerate(ordered)}
        evidence = sorted((_evidence(f) for f in found), key=lambda e: (order[e.value], -STRENGTH[e.strength]))
        proposals.append(Proposal(fact_id, value, _strength_name(strength), tuple(evidence)))
    return tuple(proposals)


def _strength_name(rank: int) -> str:
    return next(name for name, r in STRENGTH.items() if r == rank)


def scan_paths(paths: Sequence[tuple[str, Path]], detectors: Sequence[Detector], catalog: Catalog,
               limits: TreeLimits | None = None, tick: Callable[[int], None] | None = None,
               repository: Callable[[Path], Path | None] = repository_of) -> list[TreeScan]:
    """Scan each (application id, tree) and resolve its findings. A tree below the top of its
    repository (`repository`: a git checkout's top) is read with the repository's deployment
    files that describe it."""
    arranged = plan(detectors)
    out = []
    for app_id, root in paths:
        stats = TreeStats()
        findings = _tree_findings(app_id, root, arranged, limits, stats, tick, repository)
        out.append(TreeScan(app_id, str(root), resolve(findings, catalog), stats))
    return out


def _tree_findings(app_id: str, root: Path, arranged: Any, limits: TreeLimits | None, stats: TreeStats,
                   tick: Callable[[int], None] | None,
                   repository: Callable[[Path], Path | None] = repository_of) -> list[Finding]:
    findings = scan_tree(root, arranged, limits, stats, tick)
    top = repository(root)
    if top is not None and top.resolve() != root.resolve():
        findings.extend(scan_deployment(top, root, {app_id, root.resolve().name}, arranged, limits))
    return findings


def scan_application(app_id: str, trees: Sequence[Path], archives: Sequence[tuple[str, Mapping[str, str]]],
                     detectors: Sequence[Detector], catalog: Catalog, limits: TreeLimits | None = None,
                     tick: Callable[[int], None] | None = None, with_footprint: bool = False) -> TreeScan:
    """One application from its source trees and the archives collected on its VMs (name, files
    by name), resolved together: where the code and the host disagree, the proposal is disputed
    and its evidence shows both sides."""
    from checklist.discover.host import footprint, records, scan_records, unread

    arranged = plan([d for d in detectors if not d.host])
    on_host = [d for d in detectors if d.host]
    stats = TreeStats()
    findings: list[Finding] = []
    for root in trees:
        findings.extend(_tree_findings(app_id, root, arranged, limits, stats, tick))
    measured: dict[str, Any] = {}
    closed: list[str] = []
    for _, files in archives:
        findings.extend(scan_records(records(files), on_host))
        closed.extend(p for p in unread(files) if p not in closed)
        if with_footprint:  # per VM, as the inventory's footprint is: the largest of the VMs collected
            for key, amount in footprint(files).items():
                measured[key] = max(measured.get(key, amount), amount)
    where = " + ".join([str(t) for t in trees] + [name for name, _ in archives])
    return TreeScan(app_id, where, resolve(findings, catalog), stats, measured, tuple(closed))
