"""Time the planning step (`checklist.plan.make_plan`) on generated portfolios.

    python3 bench/plan.py              # 100, 1,000 and 10,000 applications
    python3 bench/plan.py 1000         # one size

Loads and assesses first (not timed), then reports the CPU time of each part
of the plan, so a figure measured on a busy machine still compares: waves,
quick wins (and how many applications hit the exact search's limit and were
solved greedily), portfolio wins, effort and the business case.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import portfolio, write

from checklist.core.engine import Evaluator, evaluate
from checklist.io.catalog import load_catalog
from checklist.io.inventory import load_inventory
from checklist.plan.effort import estimate_effort
from checklist.plan.portfolio import portfolio_wins
from checklist.plan.quick_wins import SEARCH_BUDGET, SEARCH_LIMIT, find_quick_win
from checklist.plan.rescore import Rescorer
from checklist.plan.waves import plan_waves


def measure(apps: int) -> dict[str, float]:
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inventory.json"
        write(portfolio(catalog, apps), path)
        inventory = load_inventory([str(path)], catalog)
    assessment = evaluate(catalog, inventory)
    assert catalog.planning is not None
    org = inventory.organization
    times: dict[str, float] = {}
    start = time.process_time()
    plan_waves(assessment, 5, 3)
    times["waves"] = time.process_time() - start
    start = time.process_time()
    # as make_plan does: one compiled evaluator shared by every re-score, and its search limit
    assess = Evaluator(catalog, org)
    rescorers = {r.application.id: Rescorer(catalog, r, org, assess) for r in assessment.applications}
    not_ready = [r for r in assessment.applications if r.verdict != "ready"]
    limit = max(SEARCH_LIMIT, SEARCH_BUDGET // max(1, len(not_ready)))
    wins = [find_quick_win(catalog, r, org, limit, rescorers[r.application.id], assess) for r in not_ready]
    times["quick wins"] = time.process_time() - start
    times["greedy"] = sum(1 for w in wins if w.found and not w.proven_cheapest)
    start = time.process_time()
    portfolio_wins(catalog, assessment, inventory, rescorers=rescorers)
    times["portfolio wins"] = time.process_time() - start
    start = time.process_time()
    estimate_effort(assessment, catalog.planning)
    times["effort"] = time.process_time() - start
    return times


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000, 10000]
    print("| applications | waves (s) | quick wins (s) | solved greedily | portfolio wins (s) | effort (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        t = measure(size)
        print(f"| {size:,} | {t['waves']:.2f} | {t['quick wins']:.2f} | {t['greedy']:.0f} | "
              f"{t['portfolio wins']:.2f} | {t['effort']:.2f} |")


if __name__ == "__main__":
    main()
