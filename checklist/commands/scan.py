"""`checklist scan`: propose answers from source trees, each with its evidence; print them, or
merge them into an inventory in place."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from checklist.commands import EXIT_OK
from checklist.core.errors import ChecklistError, Problem, UsageError
from checklist.core.fields import APP_ID_PATTERN
from checklist.core.model import Catalog
from checklist.core.text import answer_text, clean
from checklist.core.vocabulary import UNKNOWN
from checklist.discover import TreeScan, scan_paths
from checklist.discover.detectors import load_detectors
from checklist.io.catalog import load_catalog
from checklist.io.output import check_target, emit
from checklist.io.progress import Progress
from checklist.io.tree import TreeLimits
from checklist.render import RenderOptions
from checklist.render.scan import SCAN_FORMATS

_APP_ID = re.compile(APP_ID_PATTERN)


def app_id_for(path: Path) -> str:
    """An application id from a directory's name: lower case, other characters as '-'."""
    name = path.resolve().name.lower()
    slug = re.sub(r"[^a-z0-9._-]+", "-", name).strip("-._") or "app"
    return slug if _APP_ID.match(slug) else f"app-{slug}"


def _targets(paths: Sequence[str], app: str | None) -> list[tuple[str, Path]]:
    if app is not None and len(paths) != 1:
        raise UsageError("--app names the application of one PATH; give one PATH, or leave --app out to "
                         "name each application after its directory")
    if app is not None and not _APP_ID.match(app):
        raise UsageError(f"{app!r} is not a valid application id: use lowercase letters, digits, '.', '-' and '_'")
    targets = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise ChecklistError(Problem(name, "not found"))
        if not path.is_dir():
            raise ChecklistError(Problem(name, "expected a directory (a source tree or a checkout)"))
        targets.append((app or app_id_for(path), path))
    ids = [i for i, _ in targets]
    if len(set(ids)) != len(ids):
        raise UsageError("two PATHs give the same application id; scan them one at a time with --app")
    return targets


def merge_into(inventory: Path, scans: Sequence[TreeScan], catalog: Catalog) -> list[str]:
    """Store each scan's discovered answers in `inventory`, in place (the interview's
    comment-keeping, atomic editor). A person's answers are never changed; the previous
    scan's discovered answers are replaced. Returns the lines to tell the user."""
    from checklist.io.editing import InventoryDocument
    from checklist.io.inventory import load_inventory

    if inventory.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise UsageError(f"{inventory}: --into edits YAML or JSON inventories; write one with --format yaml "
                         "-o FILE instead")
    if inventory.exists():
        load_inventory([str(inventory)], catalog)  # refuse to edit a broken file
        document = InventoryDocument.load(inventory)
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
    load_inventory([str(inventory)], catalog)  # what was written reads back
    return said


def run(paths: Sequence[str], app: str | None, into: Path | None, output: Path | None, fmt: str,
        rules: Sequence[Path], color: bool, width: int, quiet: bool = False, force: bool = False) -> int:
    targets = _targets(paths, app)
    inputs = [str(into)] if into is not None else []
    check_target(output, "table" if fmt == "table" else "scan", force, inputs)
    catalog = load_catalog(rules)
    detectors = load_detectors(catalog, rules)
    with Progress.for_terminal(quiet) as progress:
        scans = scan_paths(targets, detectors, catalog, TreeLimits(), progress.stage("Scanning", None))
    if into is not None:
        for line in merge_into(into, scans, catalog):
            print(f"checklist: {clean(line)}", file=sys.stderr)
    options = RenderOptions(color=color and output is None, width=width)
    emit(SCAN_FORMATS[fmt](scans, catalog, options), output, inputs)
    return EXIT_OK
