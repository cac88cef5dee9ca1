"""One module per command; each `run(...)` returns the process exit code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from checklist.catalog import Catalog, load_catalog
from checklist.engine import Assessment, evaluate
from checklist.errors import UsageError
from checklist.inventory import Inventory, load_inventory
from checklist.progress import Progress

EXIT_OK = 0
EXIT_GATE = 1
EXIT_INPUT = 2


def assess_inputs(
    files: Sequence[str], rules: Sequence[Path], app: str | None = None, progress: Progress | None = None
) -> tuple[Catalog, Inventory, Assessment]:
    """The pipeline every reporting command shares: catalog → inventory → evaluate."""
    progress = progress or Progress(enabled=False)
    catalog = load_catalog(rules)
    inventory = load_inventory(files, catalog, progress.stage("Reading", None))
    if app is not None and inventory.application(app) is None:
        from checklist.conditions import did_you_mean

        raise UsageError(f"no application {app!r} in the inventory"
                         f"{did_you_mean(app, [a.id for a in inventory.applications])}")
    count = 1 if app is not None else len(inventory.applications)
    return catalog, inventory, evaluate(catalog, inventory, only=app, tick=progress.stage("Assessing", count))
