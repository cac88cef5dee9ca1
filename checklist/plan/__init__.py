"""From score to plan: effort, quick wins, what-if, migration waves and the business case.

Pure functions over an `Assessment` (no I/O), one concern per module:

- `capabilities`: the node pools each application needs, and the organisation's
  programme (platform, skills, pools) in person-days and weeks;
- `effort`: the move of each application (its baseline and its team's fixes), what
  staying costs, and vendor lead times, per application, verdict, step and activity;
- `changes`: the answers a remediation would give (facts the team or the
  organisation controls only), merged and applied to copies;
- `rescore`: re-scoring an application with changed answers (the one module
  that reaches into the engine's evaluator);
- `quick_wins`: the cheapest set of fixes that lifts an application a band;
- `portfolio`: organisation steps and fixes re-scored across the portfolio;
- `waves`: the platform wave, the pilots, later waves by risk, move groups and every
  dependency that crosses between containers and VMs;
- `business_case`: the move's cost and the run-cost saving in money, low to high;
- `what_if`: a copy of the inventory with answers changed, and what moved.

This module assembles them into one `Plan`. Every figure is either re-scored
by the engine or computed from a footprint and an assumption of the catalog's
``planning`` section; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checklist.core.engine import Assessment, Evaluator, evaluate
from checklist.core.model import Catalog, Inventory, Planning
from checklist.plan.business_case import BusinessCase, Estimate, business_case
from checklist.plan.capabilities import Programme, needed_capabilities, programme
from checklist.plan.effort import AppEffort, Effort, estimate_effort, moves
from checklist.plan.portfolio import PortfolioWin, portfolio_wins
from checklist.plan.quick_wins import SEARCH_BUDGET, SEARCH_LIMIT, QuickWin, find_quick_win
from checklist.plan.rescore import Rescored, Rescorer
from checklist.plan.waves import Boundary, Crossing, Wave, Waves, plan_waves
from checklist.plan.what_if import WhatIf, WhatIfChange, apply_what_if, compare_what_if

__all__ = [
    "AppEffort", "Boundary", "BusinessCase", "Crossing", "Effort", "Estimate", "Plan", "PortfolioWin", "Programme",
    "QuickWin", "Rescored",
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
    programme: Programme  # what the organisation builds in the platform wave
    capabilities: Mapping[str, tuple[str, ...]]  # moving application -> the node pools it needs
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
    planning = catalog.planning
    org = inventory.organization
    moving = [r for r in assessment.applications if moves(r)]
    capabilities = {r.application.id: needed_capabilities(r, org) for r in moving}
    built = programme(planning, org, capabilities, capabilities)
    effort = estimate_effort(assessment, planning, built)
    waves = plan_waves(assessment, wave_size, pilots, capabilities, [i.work.fact for i in built.items])
    # One re-scorer per application, shared: it remembers the rule results it has seen.
    assess = Evaluator(catalog, org)  # compiled once, its table of findings shared by every re-score
    rescorers = {r.application.id: Rescorer(catalog, r, org, assess) for r in assessment.applications}
    not_ready = [r for r in assessment.applications if r.verdict != "ready"]
    limit = max(SEARCH_LIMIT, SEARCH_BUDGET // max(1, len(not_ready)))
    return Plan(
        assessment=assessment,
        planning=planning,
        effort=effort,
        quick_wins=tuple(find_quick_win(catalog, r, org, limit, rescorers[r.application.id], assess)
                         for r in not_ready),
        portfolio_wins=portfolio_wins(catalog, assessment, inventory, rescorers=rescorers, programme=built),
        waves=waves,
        business_case=business_case(assessment, (a for w in waves.waves for a in w.applications), planning,
                                    capabilities, effort.total_days),
        what_if=compared,
        programme=built,
        capabilities=capabilities,
    )

