"""One module per command: an `Options` dataclass of what the command line gives it, and
`run(options)`, which returns the process exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.core.engine import Assessment, evaluate
from checklist.core.errors import UsageError
from checklist.core.model import Catalog, Inventory
from checklist.io.catalog import default_catalog_dir, load_catalog
from checklist.io.inventory import expand_inputs, load_inventory
from checklist.io.progress import Progress
from checklist.io.source import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from checklist.render.extras import Extras

EXIT_OK = 0
EXIT_GATE = 1
EXIT_INPUT = 2
# The format an output file's extension says, for `-o FILE` without --format (a CI job's
# `-o scores.csv` is a CSV, not the terminal table in a .csv file).
FORMAT_OF_SUFFIX = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "md",
                    ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
WARNINGS_SHOWN = 20  # beyond this many, a count: a portfolio of contradictions is one message, not a flood


def print_warnings(inventory: Inventory, shown: int | None = WARNINGS_SHOWN) -> None:
    """The inventory's warnings on standard error, one line each, `warning:` after the place."""
    for problem in (found.problem() for found in inventory.warnings[:shown]):
        print(str(problem).replace(": ", ": warning: ", 1) if problem.file else f"warning: {problem}",
              file=sys.stderr)
    if shown is not None and len(inventory.warnings) > shown:
        print(f"checklist: warning: {len(inventory.warnings) - shown} more answers contradict each other; "
              "`checklist validate` lists them all", file=sys.stderr)


def assess_inputs(
    files: Sequence[str], rules: Sequence[Path], app: str | None = None, progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Catalog, Inventory, Assessment]:
    """The pipeline every reporting command shares: catalog → inventory → evaluate, files read within `limits`."""
    progress = progress or Progress(enabled=False)
    catalog = load_catalog(rules, limits)
    inventory = load_inventory(files, catalog, progress.stage("Reading", None), limits=limits)
    print_warnings(inventory)
    if app is not None and inventory.application(app) is None:
        from checklist.core.conditions import did_you_mean

        raise UsageError(f"no application {app!r} in the inventory"
                         f"{did_you_mean(app, [a.id for a in inventory.applications])}")
    count = 1 if app is not None else len(inventory.applications)
    return catalog, inventory, evaluate(catalog, inventory, only=app, tick=progress.stage("Assessing", count))


def input_files(files: Sequence[str] = (), rules: Sequence[Path] = (), questionnaires: Sequence[Path] = (),
                baseline: str | None = None, template_dir: Path | None = None) -> list[Path]:
    """Every file a command reads (inventories, catalogs, questionnaires, the baseline,
    templates), for the output guard: no result is ever written over one of them."""
    from checklist.render.templating import default_templates_dir

    found = [Path(name) for name in expand_inputs([*files, *([baseline] if baseline else [])]) if name != "-"]
    found += questionnaires
    for directory in (default_catalog_dir(), *rules, *([template_dir] if template_dir else []),
                      default_templates_dir()):
        found += [directory] if directory.is_file() else [p for p in directory.rglob("*") if p.is_file()]
    return found


def questionnaire_extras(inventory: Inventory, questionnaires: Sequence[Path], app: str | None,
                         limits: Limits = DEFAULT_LIMITS) -> Extras | None:
    """With --questionnaire: every application's (or one's) Konveyor results, which the
    renderers show beside the assessment; None without."""
    if not questionnaires:
        return None
    from checklist.interop.konveyor.assessment import assess_inventory
    from checklist.interop.konveyor.loader import load_questionnaires
    from checklist.render.konveyor import konveyor_extras

    return konveyor_extras(assess_inventory(inventory, load_questionnaires(questionnaires, limits), app))
