"""How right `checklist scan` is: precision and recall per fact on the labelled corpus.

    python3 bench/scan_quality.py --corpus DIR          # checkouts of tests/data/scan/corpus.yaml
    python3 bench/scan_quality.py --corpus DIR --details

DIR holds one checkout per repository the corpus names, as DIR/NAME (the part of
`owner/name` after the slash), at the commit the corpus gives; the script says which
are missing. Precision is over what the scanner answers and the labels know (`expected`
and `absent`); recall over what the labels say code can show (`expected`). A multi
answer counts value by value. Prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from checklist.discover import scan_paths
from checklist.discover.detectors import load_detectors
from checklist.io.catalog import load_catalog

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "scan" / "corpus.yaml"


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def score(apps: list[dict[str, Any]], found: dict[str, dict[str, Any]]) -> tuple[dict[str, Counter[str]], list[str]]:
    """Per fact: answered (scored), right, expected, found; and the mistakes, one line each."""
    per_fact: dict[str, Counter[str]] = {}
    mistakes: list[str] = []
    for app in apps:
        answers = found[app["id"]]
        truth = {**app.get("absent", {}), **app.get("expected", {})}
        for fact, value in answers.items():
            if fact not in truth:
                continue
            counts = per_fact.setdefault(fact, Counter())
            right = _values(truth[fact])
            for item in _values(value):
                counts["answered"] += 1
                if item in right:
                    counts["right"] += 1
                else:
                    mistakes.append(f"{app['id']}: {fact} = {item!r}, labelled {truth[fact]!r}")
        for fact, value in app.get("expected", {}).items():
            counts = per_fact.setdefault(fact, Counter())
            proposed = _values(answers[fact]) if fact in answers else []
            for item in _values(value):
                counts["expected"] += 1
                counts["found"] += item in proposed
    return per_fact, mistakes


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "—"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="directory of checkouts")
    parser.add_argument("--details", action="store_true", help="list every wrong answer")
    args = parser.parse_args()
    apps = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["apps"]
    missing = [a for a in apps if not (args.corpus / a["repository"].split("/")[1]).is_dir()]
    if missing:
        for app in missing:
            print(f"missing: {args.corpus / app['repository'].split('/')[1]} "
                  f"({app['repository']} at {app['commit']})", file=sys.stderr)
        return 2
    catalog = load_catalog()
    detectors = load_detectors(catalog)
    targets = [(a["id"], args.corpus / a["repository"].split("/")[1] / a["path"]) for a in apps]
    found = {scan.id: scan.answers() for scan in scan_paths(targets, detectors, catalog)}
    per_fact, mistakes = score(apps, found)
    total: Counter[str] = Counter()
    print(f"{len(apps)} applications, {len({a['repository'] for a in apps})} repositories\n")
    print("| fact | answered | right | precision | labelled | found | recall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for fact in sorted(per_fact):
        c = per_fact[fact]
        total.update(c)
        print(f"| {fact} | {c['answered']} | {c['right']} | {_ratio(c['right'], c['answered'])} | {c['expected']} "
              f"| {c['found']} | {_ratio(c['found'], c['expected'])} |")
    print(f"| **overall** | {total['answered']} | {total['right']} | **{_ratio(total['right'], total['answered'])}** "
          f"| {total['expected']} | {total['found']} | **{_ratio(total['found'], total['expected'])}** |")
    if args.details and mistakes:
        print("\nWrong answers:\n")
        for line in mistakes:
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
