"""`checklist validate`: every problem in inventories and catalogs, one per line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checklist.commands import EXIT_INPUT, EXIT_OK, print_warnings
from checklist.core.engine import check_examples
from checklist.core.errors import ChecklistError, Problem
from checklist.core.model import Inventory
from checklist.io.catalog import load_catalog
from checklist.io.inventory import load_inventory
from checklist.io.progress import Progress
from checklist.io.source import DEFAULT_LIMITS, Limits


@dataclass(frozen=True)
class Options:
    """`checklist validate` as the command line gives it."""

    files: Sequence[str] = ()
    rules: Sequence[Path] = ()
    questionnaires: Sequence[Path] = ()
    quiet: bool = False
    limits: Limits = DEFAULT_LIMITS  # what every input file is read within (--max-input-mb and the like)


def run(options: Options) -> int:
    files, rules = options.files, options.rules
    problems: list[Problem] = []
    try:
        # Catalog authors get their examples checked too.
        catalog = load_catalog(rules, options.limits)
    except ChecklistError as exc:
        problems.extend(exc.problems)
        catalog = None
    if catalog is not None and rules:
        examples = check_examples(catalog)
        problems.extend(examples)
        catalog = None if examples else catalog
    inventory: Inventory | None = None
    notes: tuple[Problem, ...] = ()
    if catalog is not None and files:
        try:
            with Progress.for_terminal(options.quiet) as progress:
                inventory = load_inventory(files, catalog, progress.stage("Reading", None), limits=options.limits)
            notes = inventory.notes
        except ChecklistError as exc:
            problems.extend(exc.problems)
            notes = exc.notes
    elif catalog is not None:
        print(f"catalog {catalog.name} {catalog.version}: ok ({len(catalog.rules)} rules, "
              f"{len(catalog.facts)} facts, {len(catalog.steps)} steps)")
    # the questionnaires, and the inventory's answers to them
    answers = _konveyor(inventory, options.questionnaires, options.limits)
    problems.extend(answers)
    # Any problem here may have stopped the inventory's answers to the questionnaires being checked.
    if inventory is not None and not answers:
        apps = len(inventory.applications)
        print(f"{', '.join(inventory.files)}: ok ({apps} application{'s' if apps != 1 else ''})")
        print_warnings(inventory, shown=None)
    for note in notes:  # accepted spellings: said, but not problems
        print(note, file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
    if len(problems) > 1:  # one problem is one line, like every other command prints it
        print(f"{len(problems)} problems found", file=sys.stderr)
    if problems:
        return EXIT_INPUT
    return EXIT_OK


def _konveyor(inventory: Inventory | None, paths: Sequence[Path], limits: Limits) -> list[Problem]:
    """Every problem in the Konveyor questionnaires, and in the inventory's answers to them."""
    if not paths:
        return []
    from checklist.interop.konveyor.assessment import assess_inventory
    from checklist.interop.konveyor.loader import load_questionnaires

    try:
        questionnaires = load_questionnaires(paths, limits)
        if inventory is not None:
            assess_inventory(inventory, questionnaires)
    except ChecklistError as exc:
        return list(exc.problems)
    names = ", ".join(repr(q.name) for q in questionnaires)
    print(f"{', '.join(str(p) for p in paths)}: ok (Konveyor questionnaire{'s' if len(questionnaires) != 1 else ''} "
          f"{names})")
    return []
