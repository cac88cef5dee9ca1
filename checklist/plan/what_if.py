"""What-if: a copy of the inventory with some answers changed, and the applications
whose score, verdict or strategy the change moves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from checklist.core.engine import (
    Assessment,
)
from checklist.core.model import Catalog, Inventory
from checklist.plan.changes import with_answers, with_org_answers
from checklist.plan.rescore import Rescored


@dataclass(frozen=True)
class WhatIfChange:
    application: str | None  # None: an organisation answer
    fact: str
    value: Any


@dataclass(frozen=True)
class WhatIf:
    application: str
    changes: Mapping[str, Any]
    before: Rescored
    after: Rescored


def apply_what_if(inventory: Inventory, changes: Sequence[WhatIfChange], catalog: Catalog) -> Inventory:
    """A copy of `inventory` with the answers changed; the original is untouched."""
    org_change = {c.fact: c.value for c in changes if c.application is None}
    org = with_org_answers(inventory.organization, org_change, catalog) if org_change else inventory.organization
    per_app: dict[str, dict[str, Any]] = {}
    for c in changes:
        if c.application is not None:
            per_app.setdefault(c.application, {})[c.fact] = c.value
    apps = tuple(with_answers(a, per_app[a.id], catalog) if a.id in per_app else a for a in inventory.applications)
    return replace(inventory, organization=org, applications=apps)


def compare_what_if(before: Assessment, after: Assessment, changes: Sequence[WhatIfChange]) -> tuple[WhatIf, ...]:
    """Old → new for every application a change names, and, for organisation changes,
    every application whose score, verdict or strategy moved."""
    org_change = {c.fact: c.value for c in changes if c.application is None}
    per_app: dict[str, dict[str, Any]] = {}
    for c in changes:
        if c.application is not None:
            per_app.setdefault(c.application, {})[c.fact] = c.value
    out = []
    for old, new in zip(before.applications, after.applications, strict=True):
        app_id = old.application.id
        was = Rescored(old.score.value, old.verdict, old.strategy)
        now = Rescored(new.score.value, new.verdict, new.strategy)
        if app_id in per_app or (org_change and was != now):
            out.append(WhatIf(app_id, {**org_change, **per_app.get(app_id, {})}, was, now))
    return tuple(out)
