"""`checklist validate`: every problem in inventories and catalogs, one per line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from checklist.catalog import load_catalog
from checklist.commands import EXIT_INPUT, EXIT_OK
from checklist.errors import ChecklistError, Problem
from checklist.inventory import load_inventory


def run(files: Sequence[str], rules: Sequence[Path]) -> int:
    problems: list[Problem] = []
    try:
        # Catalog authors get their examples checked too.
        catalog = load_catalog(rules, check_examples=bool(rules))
    except ChecklistError as exc:
        problems.extend(exc.problems)
        catalog = None
    if catalog is not None and files:
        try:
            inventory = load_inventory(files, catalog)
        except ChecklistError as exc:
            problems.extend(exc.problems)
        else:
            apps = len(inventory.applications)
            print(f"{', '.join(inventory.files)}: ok ({apps} application{'s' if apps != 1 else ''})")
    elif catalog is not None:
        print(f"catalog {catalog.name} {catalog.version}: ok ({len(catalog.rules)} rules, "
              f"{len(catalog.facts)} facts, {len(catalog.steps)} steps)")
    for problem in problems:
        print(problem, file=sys.stderr)
    if len(problems) > 1:  # one problem is one line, like every other command prints it
        print(f"{len(problems)} problems found", file=sys.stderr)
    if problems:
        return EXIT_INPUT
    return EXIT_OK
