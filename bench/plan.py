"""Time the planning step on generated portfolios.

    python3 bench/plan.py                              # CPU time of each part: 100, 1,000, 10,000 apps
    python3 bench/plan.py 1000                         # one size
    python3 bench/plan.py --against /tmp/old-plan      # `checklist plan` of 10,000 apps, old and new side by side
    python3 bench/plan.py --against DIR --apps 1000 --runs 3

Parts: loads and assesses first (not timed), then reports the CPU time of each
part of the plan, so a figure measured on a busy machine still compares:
waves, quick wins (and how many applications hit the exact search's limit and
were solved greedily), portfolio wins, and the rest (capabilities, the
organisation's programme, effort, the business case).

Side by side: the portfolio is written by the *other* checkout's generator, so
both catalogs accept every answer; then the two commands run alternately in
new processes, `--runs` times each, and the median and slowest wall time and
the peak RSS (GNU time) of each are printed with the ratio new / old.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import portfolio, write

from checklist.core.engine import Evaluator, evaluate
from checklist.io.catalog import load_catalog
from checklist.io.inventory import load_inventory
from checklist.plan.business_case import business_case
from checklist.plan.capabilities import needed_capabilities, programme
from checklist.plan.effort import estimate_effort, moves
from checklist.plan.portfolio import portfolio_wins
from checklist.plan.quick_wins import SEARCH_BUDGET, SEARCH_LIMIT, find_quick_win
from checklist.plan.rescore import Rescorer
from checklist.plan.waves import plan_waves

HERE = Path(__file__).resolve().parents[1]


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
    moving = [r for r in assessment.applications if moves(r)]
    needs = {r.application.id: needed_capabilities(r, org) for r in moving}
    built = programme(catalog.planning, org, needs, needs)
    effort = estimate_effort(assessment, catalog.planning, built)
    business_case(assessment, needs, catalog.planning, needs, effort.total_days)
    times["rest"] = time.process_time() - start
    return times


def _run(checkout: Path, inventory: Path, out: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KB) and CPU seconds (user + system) of `checklist plan` from
    `checkout`, in a new process."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out.unlink(missing_ok=True)  # `plan` has no --force: it never overwrites a file it did not write
    command = ["/usr/bin/time", "-f", "%e %M %U %S", sys.executable, "-m", "checklist", "plan", str(inventory),
               "-f", "json", "-o", str(out)]
    done = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=True)
    wall, rss, user, system = done.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss), float(user) + float(system)


def side_by_side(old: Path, apps: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inventory = Path(tmp) / f"apps-{apps}.json"
        subprocess.run([sys.executable, str(old / "bench" / "generate.py"), str(apps), str(inventory)], cwd=old,
                       env={**os.environ, "PYTHONPATH": str(old)}, check=True, capture_output=True)
        results: dict[str, list[tuple[float, int, float]]] = {"old": [], "new": []}
        for _ in range(runs):  # alternately, so that a busy minute weighs on both
            results["old"].append(_run(old, inventory, Path(tmp) / "old.json"))
            results["new"].append(_run(HERE, inventory, Path(tmp) / "new.json"))
    median = {k: statistics.median(w for w, _, _ in v) for k, v in results.items()}
    cpu = {k: statistics.median(c for _, _, c in v) for k, v in results.items()}
    print(f"`checklist plan` of {apps:,} applications, JSON out, {runs} runs each, alternately")
    print("| | wall, median | slowest | CPU (user + sys), median | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, checkout in (("old", old), ("new", HERE)):
        walls = [w for w, _, _ in results[name]]
        rss = max(r for _, r, _ in results[name])
        print(f"| {name} ({checkout}) | {median[name]:.1f} s | {max(walls):.1f} s | {cpu[name]:.1f} s "
              f"| {rss / 1024:.0f} MB |")
    print(f"\nnew / old: median wall {median['new'] / median['old']:.2f}, median CPU {cpu['new'] / cpu['old']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--against", type=Path, help="another checkout to run side by side with this one")
    parser.add_argument("--apps", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.against:
        side_by_side(args.against.resolve(), args.apps, args.runs)
        return
    print("| applications | waves (s) | quick wins (s) | solved greedily | portfolio wins (s) | the rest (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes or [100, 1000, 10000]:
        t = measure(size)
        print(f"| {size:,} | {t['waves']:.2f} | {t['quick wins']:.2f} | {t['greedy']:.0f} | "
              f"{t['portfolio wins']:.2f} | {t['rest']:.2f} |")


if __name__ == "__main__":
    main()
