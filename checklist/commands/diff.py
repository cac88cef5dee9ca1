"""`checklist diff BEFORE AFTER`: what changed between two inventories or saved results."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

from checklist.catalog import Catalog, load_catalog
from checklist.commands import EXIT_OK
from checklist.diffing import Snapshot, compare, snapshot_of, snapshot_of_document
from checklist.engine import evaluate
from checklist.errors import ChecklistError, Problem
from checklist.inventory import load_inventory
from checklist.output import emit
from checklist.report import RenderOptions
from checklist.report.diff import DIFF_FORMATS
from checklist.results import read_result, result_head
from checklist.source import LIMITS, load_file
from checklist.workers import cores, running_workers


def load_snapshot(name: str, catalog: Catalog) -> Snapshot:
    """An inventory (file or directory) evaluated now, or a result saved by `assess --format json`."""
    path = Path(name)
    if path.is_file() and path.suffix.lower() == ".json":
        org_facts = [f.id for f in catalog.facts_for("organization")]
        snapshot = read_result(path, name, org_facts)  # a result as checklist writes it, read lean
        if snapshot is not None:
            return snapshot
        source = load_file(path, name)
        if isinstance(source.data, Mapping) and "schema_version" in source.data:  # a result, keys reordered
            return snapshot_of_document(source.data, name, org_facts,
                                        lambda where, message: source.problem(where, message))
    if not path.exists():
        raise ChecklistError(Problem(name, "file or directory not found"))
    return snapshot_of(evaluate(catalog, load_inventory([name], catalog)), name)


# Saved results at least this large are read side by side, BEFORE in a worker process
# (about 5 s each for the 236 MB of 10,000 applications); smaller ones are not worth a process.
PARALLEL_FROM_BYTES = 16 * 1024 * 1024


def _saved_result_size(name: str) -> int:
    """The size of a file that begins as a saved result does, else 0."""
    path = Path(name)
    if not (path.is_file() and path.suffix.lower() == ".json") or result_head(path, name) is None:
        return 0
    return path.stat().st_size


def _snapshot_in_worker(name: str, org_facts: list[str], limits: dict[str, int]
                        ) -> tuple[Snapshot | None, tuple[Problem, ...]]:
    """`load_snapshot` of a saved result in a worker: the snapshot, or the problems (an
    exception carrying them would not come back whole)."""
    for key, value in limits.items():
        setattr(LIMITS, key, value)
    try:
        snapshot = read_result(Path(name), name, org_facts)
    except ChecklistError as error:
        return None, error.problems
    if snapshot is None:  # pragma: no cover - the parent read its head already
        return None, (Problem(name, "not a saved result"),)
    return snapshot, ()


def load_both(before: str, after: str, catalog: Catalog) -> tuple[Snapshot, Snapshot]:
    """The two snapshots; two large saved results are read at the same time on two cores.
    Either way a problem of BEFORE is reported before one of AFTER."""
    if cores() < 2 or min(_saved_result_size(before), _saved_result_size(after)) < PARALLEL_FROM_BYTES:
        return load_snapshot(before, catalog), load_snapshot(after, catalog)
    org_facts = [f.id for f in catalog.facts_for("organization")]
    with running_workers(1) as pool:
        job = pool.apply_async(_snapshot_in_worker, (before, org_facts, dataclasses.asdict(LIMITS)))
        later: ChecklistError | None = None
        try:
            second = load_snapshot(after, catalog)
        except ChecklistError as error:
            later = error
        first, problems = job.get()
    if first is None:
        raise ChecklistError(problems)
    if later is not None:
        raise later
    return first, second


def run(before: str, after: str, rules: Sequence[Path], fmt: str, output: Path | None,
        color: bool, width: int) -> int:
    catalog = load_catalog(rules)
    diff = compare(*load_both(before, after, catalog))
    emit(DIFF_FORMATS[fmt](diff, RenderOptions(color=color and output is None, width=width)), output,
         [before, after])
    return EXIT_OK
