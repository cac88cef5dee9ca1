"""`checklist scan`: propose answers from source trees, each with its evidence; print them, or
merge them into an inventory in place."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checklist.commands import EXIT_OK, input_files
from checklist.core.errors import ChecklistError, Problem, UsageError
from checklist.core.fields import APP_ID_PATTERN
from checklist.core.model import Catalog
from checklist.core.text import answer_text, clean
from checklist.core.vocabulary import UNKNOWN
from checklist.discover import ScanResult, TreeScan, scan_application
from checklist.discover.detectors import load_detectors
from checklist.io.archive import Archive, is_archive, read_archive
from checklist.io.catalog import load_catalog
from checklist.io.output import emit, guard_output
from checklist.io.progress import Progress
from checklist.io.source import DEFAULT_LIMITS, Limits
from checklist.io.tree import TreeLimits
from checklist.render import SCAN, RenderOptions

_APP_ID = re.compile(APP_ID_PATTERN)


def app_id_for(path: Path) -> str:
    """An application id from a directory's name: lower case, other characters as '-'."""
    name = path.resolve().name.lower()
    slug = re.sub(r"[^a-z0-9._-]+", "-", name).strip("-._") or "app"
    return slug if _APP_ID.match(slug) else f"app-{slug}"


@dataclass(frozen=True)
class Target:
    """One application to scan: its source trees and the archives collected on its VMs."""

    id: str
    trees: tuple[Path, ...] = ()
    archives: tuple[Archive, ...] = ()


def _targets(paths: Sequence[str], app: str | None) -> list[Target]:
    if app is not None and not _APP_ID.match(app):
        raise UsageError(f"{app!r} is not a valid application id: use lowercase letters, digits, '.', '-' and '_'")
    trees: list[Path] = []
    archives: list[Archive] = []
    targets = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise ChecklistError(Problem(name, "not found"))
        if is_archive(path):
            archive = read_archive(path)
            archives.append(archive)
            targets.append(Target(app or app_id_for(Path(archive.host or path.name)), archives=(archive,)))
        elif path.is_dir():
            trees.append(path)
            targets.append(Target(app or app_id_for(path), trees=(path,)))
        else:
            raise ChecklistError(Problem(name, "expected a directory (a source tree or a checkout), or an archive "
                                               "of `checklist collect` (.tar.gz)"))
    if app is not None:
        if len(trees) > 1:
            raise UsageError("--app names the application of one PATH (a source tree, with the archives collected "
                             "on its VMs); give one tree, or leave --app out to name each application after its "
                             "directory")
        return [Target(app, tuple(trees), tuple(archives))]
    ids = [t.id for t in targets]
    if len(set(ids)) != len(ids):
        raise UsageError("two PATHs give the same application id; scan them one at a time with --app")
    return targets


def merge_into(inventory: Path, scans: Sequence[TreeScan], catalog: Catalog,
               limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Store each scan's discovered answers in `inventory`, in place (the interview's
    comment-keeping, atomic editor). A person's answers are never changed; the previous
    scan's discovered answers are replaced. Returns the lines to tell the user."""
    from checklist.io.editing import InventoryDocument, editing_lock
    from checklist.io.inventory import load_inventory

    if inventory.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise UsageError(f"{inventory}: --into edits YAML or JSON inventories; write one with --format yaml "
                         "-o FILE instead")
    with editing_lock(inventory):  # not while an interview edits it
        if inventory.exists():
            load_inventory([str(inventory)], catalog, limits=limits)  # refuse to edit a broken file
            document = InventoryDocument.load(inventory, limits)
        else:
            document = InventoryDocument.create(inventory, "")
        labels = catalog.labels
        said = []
        for scan in scans:
            if scan.id not in document.application_ids():
                document.add_application(scan.id, "", "", "")
            document.prepare(scan.id)
            person = {k: v for k, v in document.answers(scan.id).items() if v is not None and v != UNKNOWN}
            discovered = scan.discovered()
            document.set_discovered(scan.id, discovered)
            if scan.footprint:
                document.set_footprint(scan.id, dict(scan.footprint))
            kept = [f for f in discovered if f in person]
            for fact in kept:
                found = discovered[fact]
                if found["value"] != person[fact]:
                    first = found["evidence"][0]
                    place = f"{first['file']}:{first['line']}" if first.get("line") else first["file"]
                    said.append(labels.say("scan_person_differs", app=scan.id, fact=fact,
                                           answer=answer_text(person[fact]), found=answer_text(found["value"]),
                                           place=place))
            said.append(labels.say("scan_merged", len(discovered), inventory=str(inventory), app=scan.id,
                                   kept=len(kept)))
        document.save()
        load_inventory([str(inventory)], catalog, limits=limits)  # what was written reads back
    return said


@dataclass(frozen=True)
class Options:
    """`checklist scan` as the command line gives it."""

    paths: Sequence[str]
    app: str | None = None  # the application of the one PATH; else each is named after its directory
    into: Path | None = None  # an inventory to store the answers in, in place
    output: Path | None = None
    fmt: str = "table"
    rules: Sequence[Path] = ()
    color: bool = False
    width: int = 120
    quiet: bool = False
    force: bool = False
    footprint: bool = False  # also measure vCPU, memory and disk from the archives
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def run(options: Options) -> int:
    targets = _targets(options.paths, options.app)
    into, output = options.into, options.output
    inputs = input_files([str(into)] if into is not None else [], options.rules)
    guard_output(output, "table" if options.fmt == "table" else "scan", inputs, force=options.force,
                 within=[Path(p) for p in options.paths])
    if into is not None and output is not None and output.absolute() == into.absolute():  # not made yet
        raise ChecklistError(Problem(str(output), "is an input file; choose another --output"))
    catalog = load_catalog(options.rules, options.limits)
    detectors = load_detectors(catalog, options.rules, options.limits)
    if options.footprint and not any(t.archives for t in targets):
        raise UsageError("--footprint measures the VM from an archive of `checklist collect`; give one")
    with Progress.for_terminal(options.quiet) as progress:
        tick = progress.stage("Scanning", None)
        scans = [scan_application(t.id, t.trees, [(a.path, a.files) for a in t.archives], detectors, catalog,
                                  TreeLimits(), tick, options.footprint) for t in targets]
    if into is not None:
        for line in merge_into(into, scans, catalog, options.limits):
            print(f"checklist: {clean(line)}", file=sys.stderr)
    render = RenderOptions(color=options.color and output is None, width=options.width)
    emit(SCAN[options.fmt](ScanResult(tuple(scans), catalog.labels), render), output, inputs)
    return EXIT_OK
