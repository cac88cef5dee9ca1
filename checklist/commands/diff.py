"""`checklist diff BEFORE AFTER`: what changed between two inventories or saved results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from checklist.catalog import Catalog, load_catalog
from checklist.commands import EXIT_OK
from checklist.diffing import Snapshot, compare, snapshot_of, snapshot_of_document
from checklist.engine import VERDICTS, evaluate
from checklist.errors import ChecklistError, Problem
from checklist.inventory import load_inventory
from checklist.output import emit
from checklist.report import RenderOptions
from checklist.report.diff import DIFF_FORMATS
from checklist.source import Source, load_file


def _is_result(data: Any) -> bool:
    return isinstance(data, Mapping) and "schema_version" in data


def _check_result(source: Source) -> None:
    """A saved result must at least have what a diff reads; say where it does not."""
    data = source.data
    apps = data.get("applications")
    if not isinstance(apps, list):
        raise ChecklistError(source.problem(("applications",) if "applications" in data else (),
                                            "a saved result needs 'applications', a list"))
    for i, entry in enumerate(apps):
        if not isinstance(entry, Mapping):
            raise ChecklistError(source.problem(("applications", i), "expected a mapping"))
        for key, kind in (("id", str), ("score", (int, float)), ("verdict", str)):
            if not isinstance(entry.get(key), kind) or isinstance(entry.get(key), bool):
                raise ChecklistError(source.problem(("applications", i, key) if key in entry
                                                    else ("applications", i), f"expected '{key}' here"))
        if entry["verdict"] not in VERDICTS:
            raise ChecklistError(source.problem(("applications", i, "verdict"),
                                                f"{entry['verdict']!r} is not a verdict"))


def load_snapshot(name: str, catalog: Catalog) -> Snapshot:
    """An inventory (file or directory) evaluated now, or a result saved by `assess --format json`."""
    path = Path(name)
    if path.is_file() and path.suffix.lower() == ".json":
        source = load_file(path, name)
        if _is_result(source.data):
            _check_result(source)
            org_facts = [f.id for f in catalog.facts_for("organization")]
            return snapshot_of_document(source.data, name, org_facts)
    if not path.exists():
        raise ChecklistError(Problem(name, "file or directory not found"))
    return snapshot_of(evaluate(catalog, load_inventory([name], catalog)), name)


def run(before: str, after: str, rules: Sequence[Path], fmt: str, output: Path | None,
        color: bool, width: int) -> int:
    catalog = load_catalog(rules)
    diff = compare(load_snapshot(before, catalog), load_snapshot(after, catalog))
    emit(DIFF_FORMATS[fmt](diff, RenderOptions(color=color and output is None, width=width)), output,
         [before, after])
    return EXIT_OK
