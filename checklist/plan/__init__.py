"""From score to plan: effort, quick wins, what-if, migration waves and the business case.

Pure functions over an `Assessment` (no I/O), one concern per module:

- `effort`: person-days per application, verdict and step;
- `changes`: the answers a remediation would give (facts the team or the
  organisation controls only), merged and applied to copies;
- `rescore`: re-scoring an application with changed answers (the one module
  that reaches into the engine's evaluator);
- `quick_wins`: the cheapest set of fixes that lifts an application a band;
- `portfolio`: organisation steps and fixes re-scored across the portfolio;
- `waves`: migration waves, move groups and the container–VM boundary;
- `business_case`: low, expected and high estimates from the footprints;
- `what_if`: a copy of the inventory with answers changed, and what moved.

This module assembles them into one `Plan`. Every figure is either re-scored
by the engine or computed from a footprint and an assumption of the catalog's
``planning`` section; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checklist.core.engine import Assessment, Evaluator, evaluate
from checklist.core.model import Catalog, Inventory, Planning
from checklist.plan.business_case import BusinessCase, Estimate, business_case
from checklist.plan.effort import AppEffort, Effort, estimate_effort
from checklist.plan.portfolio import PortfolioWin, portfolio_wins
from checklist.plan.quick_wins import SEARCH_BUDGET, SEARCH_LIMIT, QuickWin, find_quick_win
from checklist.plan.rescore import Rescored, Rescorer
from checklist.plan.waves import Boundary, Wave, Waves, plan_waves
from checklist.plan.what_if import WhatIf, WhatIfChange, apply_what_if, compare_what_if

__all__ = [
    "AppEffort", "Boundary", "BusinessCase", "Effort", "Estimate", "Plan", "PortfolioWin", "QuickWin", "Rescored",
    "Wave", "Waves", "WhatIf", "WhatIfChange", "make_plan", "plan_of",
]


@dataclass(frozen=True)
class Plan:
    assessment: Assessment  # with the what-if answers, when there are any
    planning: Planning
    effort: Effort
    quick_wins: tuple[QuickWin, ...]  # every application not ready, in assessment order
    portfolio_wins: tuple[PortfolioWin, ...]
    waves: Waves
    business_case: BusinessCase
    what_if: tuple[WhatIf, ...] = ()


def plan_of(assessment: Assessment) -> Plan | None:
    """The default plan of an assessed portfolio, as reports and `assess --plan` show it;
    None when the catalog has no planning section or there is nothing to plan."""
    if assessment.catalog.planning is None or not assessment.applications:
        return None
    inventory = Inventory(assessment.organization.organization, tuple(r.application for r in assessment.applications))
    return make_plan(assessment.catalog, inventory, assessment=assessment)


def make_plan(catalog: Catalog, inventory: Inventory, *, wave_size: int = 5, pilots: int = 3,
              what_if: Sequence[WhatIfChange] = (), assessment: Assessment | None = None) -> Plan:
    """The whole plan for `inventory` (with the `what_if` answers applied, if any)."""
    if catalog.planning is None:
        raise ValueError("the catalog has no planning section")
    compared: tuple[WhatIf, ...] = ()
    if what_if:
        before = assessment or evaluate(catalog, inventory)
        inventory = apply_what_if(inventory, what_if, catalog)
        assessment = evaluate(catalog, inventory)
        compared = compare_what_if(before, assessment, what_if)
    elif assessment is None:
        assessment = evaluate(catalog, inventory)
    waves = plan_waves(assessment, wave_size, pilots)
    org = inventory.organization
    # One re-scorer per application, shared: it remembers the rule results it has seen.
    assess = Evaluator(catalog, org)  # compiled once, its table of findings shared by every re-score
    rescorers = {r.application.id: Rescorer(catalog, r, org, assess) for r in assessment.applications}
    not_ready = [r for r in assessment.applications if r.verdict != "ready"]
    limit = max(SEARCH_LIMIT, SEARCH_BUDGET // max(1, len(not_ready)))
    return Plan(
        assessment=assessment,
        planning=catalog.planning,
        effort=estimate_effort(assessment, catalog.planning),
        quick_wins=tuple(find_quick_win(catalog, r, org, limit, rescorers[r.application.id], assess)
                         for r in not_ready),
        portfolio_wins=portfolio_wins(catalog, assessment, inventory, rescorers=rescorers),
        waves=waves,
        business_case=business_case(assessment, waves, catalog.planning),
        what_if=compared,
    )

