"""Write synthetic portfolios with realistic answer mixes, for benchmarks.

    python bench/generate.py 10000 bench/data/apps-10k.yaml
    python bench/generate.py 10000 bench/data/apps-10k.json
    python bench/generate.py 10000 bench/data/apps-10k.csv
    python bench/generate.py 10000 bench/data/apps-10k-files/   # one YAML file per application

Answers are drawn per fact from weights that resemble a typical enterprise
portfolio (mostly Linux, some Windows, a few mainframes; most apps with some
state; a tenth of answers unknown), seeded so runs are repeatable.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from checklist.core.model import Catalog, Fact
from checklist.io.catalog import load_catalog

# Weights for the first choices of some facts; others are drawn uniformly.
SKEW = {
    "os_family": [80, 15, 3, 2],
    "kernel_dependencies": [85, 8, 3, 2, 2],
    "hardware_dependencies": [90, 4, 2, 1, 2, 1],
    "licensing_model": [70, 10, 15, 5],
    "state_location": [25, 40, 25, 5, 5],
    "persistent_data": [30, 35, 25, 10],
}


def answer(fact: Fact, rng: random.Random) -> Any:
    if fact.type == "bool":
        return rng.random() < 0.6
    if fact.type == "number":
        return rng.choice([2, 5, 15, 40, 90, 240]) if fact.id == "startup_seconds" else rng.choice([5, 50, 300, 2000])
    values = [c.value for c in fact.choices]
    weights = SKEW.get(fact.id, [1] * len(values))[: len(values)]
    weights += [1] * (len(values) - len(weights))
    first = rng.choices(values, weights)[0]
    if fact.type == "multi":
        if first in fact.exclusive:
            return [first]
        extra = rng.choice([v for v in values if v not in fact.exclusive])
        return sorted({first, extra}) if rng.random() < 0.3 else [first]
    return first


def portfolio(catalog: Catalog, count: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    app_facts = catalog.facts_for("application")
    apps = []
    for i in range(count):
        answers = {f.id: answer(f, rng) for f in app_facts if rng.random() > 0.1}
        app: dict[str, Any] = {
            "id": f"app-{i:06d}",
            "name": f"Application {i}",
            "owner": f"team-{i % 97}",
            "criticality": rng.choice(["low", "medium", "high", "mission_critical"]),
            "answers": answers,
        }
        if i and rng.random() < 0.3:
            app["depends_on"] = [f"app-{rng.randrange(i):06d}"]
        apps.append(app)
    org = {f.id: answer(f, rng) for f in catalog.facts_for("organization")}
    return {"version": 1, "organization": {"name": "Synthetic Corp", "answers": org}, "applications": apps}


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(map(str, value))
    return "" if value is None else str(value)


def write(data: dict[str, Any], path: Path) -> None:
    if not path.suffix:  # a directory: one YAML file per application, the organisation in the first
        path.mkdir(parents=True, exist_ok=True)
        for i, app in enumerate(data["applications"]):
            one = {"version": 1, **({"organization": data["organization"]} if i == 0 else {}), "applications": [app]}
            write(one, path / f"{app['id']}.yaml")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":  # applications only: organisation answers live in YAML or JSON
        import csv

        facts = [f.id for f in load_catalog().facts_for("application")]
        columns = ["id", "name", "owner", "criticality", "depends_on", *facts]
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for app in data["applications"]:
                row = {**app, **app["answers"]}
                writer.writerow([_cell(row.get(c)) for c in columns])
        return
    if path.suffix == ".json":
        path.write_text(json.dumps(data, indent=1))
    else:
        import yaml

        path.write_text(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                                  default_flow_style=None, width=200))


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    write(portfolio(load_catalog(), count), target)
    print(f"wrote {count} applications to {target}")
