"""The bundled samples: what a newcomer runs first must show the whole range of results."""

from __future__ import annotations

import json

from helpers import REPO

from checklist.core.engine import evaluate
from checklist.core.model import Catalog
from checklist.core.vocabulary import NEEDS_PLATFORM, STAYS, VERDICTS
from checklist.io.inventory import inventory_schema, load_inventory


def test_portfolio_sample_produces_every_verdict_and_each_kind_of_strategy(default_catalog: Catalog) -> None:
    inventory = load_inventory([str(REPO / "samples" / "portfolio.yaml")], default_catalog)
    assert len(inventory.applications) >= 12
    portfolio = evaluate(default_catalog, inventory).portfolio
    assert [v for v in VERDICTS if not portfolio.by_verdict[v]] == []
    used = {s for s, n in portfolio.by_strategy.items() if n}
    assert {"containerize", "replatform", "refactor", "managed_service", "complete_assessment"} <= used
    assert len(used & set(STAYS)) >= 2 and len(used & set(NEEDS_PLATFORM)) == len(NEEDS_PLATFORM)


def test_single_app_sample_has_one_application(default_catalog: Catalog) -> None:
    inventory = load_inventory([str(REPO / "samples" / "single-app.yaml")], default_catalog)
    assert len(inventory.applications) == 1


def test_shipped_inventory_schema_is_the_one_the_catalog_generates(default_catalog: Catalog) -> None:
    # Editors read the shipped file (the samples point at it); it must not drift from the catalog.
    shipped = json.loads((REPO / "checklist" / "io" / "schemas" / "inventory.schema.json").read_text())
    assert shipped == inventory_schema(default_catalog)
