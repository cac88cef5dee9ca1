"""`checklist diff BEFORE AFTER`: what changed between two inventories or saved results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from checklist.commands import EXIT_OK, input_files
from checklist.core.engine import evaluate
from checklist.core.errors import ChecklistError, Problem
from checklist.core.model import Catalog
from checklist.core.snapshot import Snapshot, snapshot_of_document
from checklist.diff import compare, snapshot_of
from checklist.io.catalog import load_catalog
from checklist.io.inventory import load_inventory
from checklist.io.output import emit, guard_output
from checklist.io.results import STREAM_FROM, no_collection, read_result
from checklist.io.source import DEFAULT_LIMITS, Limits, Source, load_file
from checklist.io.workers import cores, running_workers
from checklist.render import DIFF, RenderOptions


def load_snapshot(names: str | Sequence[str], catalog: Catalog, limits: Limits = DEFAULT_LIMITS) -> Snapshot:
    """Inventories (files or directories, merged as `assess` merges them) evaluated now, or a
    result saved by `assess --format json`."""
    if not isinstance(names, str):
        if len(names) != 1:
            for name in names:
                if not Path(name).exists():
                    raise ChecklistError(Problem(name, "file or directory not found"))
            return snapshot_of(evaluate(catalog, load_inventory(list(names), catalog, limits=limits)),
                               " + ".join(names))
        names = names[0]
    name = names
    path = Path(name)
    read: dict[str, Source] = {}
    if path.is_file() and path.suffix.lower() == ".json":
        org_facts = [f.id for f in catalog.facts_for("organization")]
        snapshot = read_result(path, name, org_facts, limits)  # a result as checklist writes it, read lean
        if snapshot is not None:
            return snapshot
        source = read[name] = load_file(path, name, limits)
        if isinstance(source.data, Mapping) and "schema_version" in source.data:  # a result, keys reordered
            return snapshot_of_document(source.data, name, org_facts,
                                        lambda where, message: source.problem(where, message))
    if not path.exists():
        raise ChecklistError(Problem(name, "diff reads files, not standard input: save it to a file first"
                                     if name == "-" else "file or directory not found"))
    return snapshot_of(evaluate(catalog, load_inventory([name], catalog, read=read, limits=limits)), name)


def _both(before: Sequence[str], after: Sequence[str], catalog: Catalog,
          limits: Limits) -> tuple[Snapshot, Snapshot]:
    """The two sides' snapshots. Two large saved results are read at once, the first in a
    worker process, when there are two cores: each is a second or more of decoding."""
    org_facts = [f.id for f in catalog.facts_for("organization")]
    if cores() > 1 and all(len(side) == 1 and _large_json(side[0]) for side in (before, after)):
        with running_workers(1) as pool:
            pending = pool.apply_async(read_result, (Path(before[0]), before[0], org_facts, limits))
            try:
                read_after: Snapshot | ChecklistError | None = read_result(Path(after[0]), after[0], org_facts,
                                                                         limits)
            except ChecklistError as exc:
                read_after = exc
            read_before = pending.get()  # its problem, if any, is the first one reported
        if isinstance(read_after, ChecklistError):
            raise read_after
        if read_before is not None and read_after is not None:
            return read_before, read_after
    return load_snapshot(before, catalog, limits), load_snapshot(after, catalog, limits)


def _large_json(name: str) -> bool:
    path = Path(name)
    return path.suffix.lower() == ".json" and path.is_file() and path.stat().st_size > STREAM_FROM


@dataclass(frozen=True)
class Options:
    """`checklist diff` as the command line gives it."""

    before: Sequence[str]  # inventories (files or directories) or a saved result
    after: Sequence[str]
    rules: Sequence[Path] = ()
    fmt: str = "table"
    output: Path | None = None
    color: bool = False
    width: int = 120
    force: bool = False
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def run(options: Options) -> int:
    inputs = input_files([*options.before, *options.after], options.rules)
    guard_output(options.output, "diff" if options.fmt == "json" else options.fmt, inputs, force=options.force)
    catalog = load_catalog(options.rules, options.limits)
    before, after = _both(options.before, options.after, catalog, options.limits)
    view = RenderOptions(color=options.color and options.output is None, width=options.width)
    with no_collection():
        diff = compare(before, after, catalog.labels, {step.number: step.title for step in catalog.steps})
        emit(DIFF[options.fmt](diff, view), options.output, inputs)
    return EXIT_OK
