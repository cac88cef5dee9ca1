"""How right `checklist scan` is: precision and recall per fact on labelled corpora.

    python3 bench/scan_quality.py                       # both corpora in this repository
    python3 bench/scan_quality.py --corpus DIR          # the real corpus from full checkouts in DIR
    python3 bench/scan_quality.py --details             # also every wrong answer

The real corpus (tests/data/scan/corpus.yaml) is fourteen applications of eleven public
repositories. tests/data/scan/corpus/NAME holds, for each repository, the files a scan of its
applications reads evidence from, with the repository's licence; `--corpus DIR` scans full
checkouts instead (DIR/NAME, the part of `owner/name` after the slash, at the commit the labels
give; the script says which are missing), and the answers must be the same. Each checkout
is the repository of its applications: a service scanned in a subdirectory is read with the
deployment files at the top that describe it, as in a git checkout. The mirror corpus
(tests/data/scan/mirror.yaml) is twelve small trees written for this repository.

Precision is over what the scanner answers and the labels know (`expected` and `absent`);
recall over what the labels say code can show (`expected`). A multi answer counts value by
value. Prints Markdown for bench/RESULTS.md; with --check, exits 1 when the issue's targets
are missed (precision ≥ 0.95 overall and ≥ 0.9 on every fact answered, recall ≥ 0.75
overall) on either corpus.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from checklist.discover import TreeScan, scan_paths
from checklist.discover.detectors import load_detectors
from checklist.io.catalog import load_catalog

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "scan"
MIRROR = DATA / "mirror.yaml"
CORPUS = DATA / "corpus.yaml"
TREES = DATA / "corpus"  # the files of the real corpus the scan reads, by repository
TARGETS = {"precision": 0.95, "fact_precision": 0.9, "recall": 0.75}


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
                if item not in proposed and fact not in answers:
                    mistakes.append(f"{app['id']}: {fact} not found, labelled {value!r}")
    return per_fact, mistakes


def missed_targets(per_fact: dict[str, Counter[str]]) -> list[str]:
    """The issue's targets this scoring misses, one line each (none: all met)."""
    total: Counter[str] = Counter()
    out = []
    for fact, c in sorted(per_fact.items()):
        total.update(c)
        if c["answered"] and c["right"] / c["answered"] < TARGETS["fact_precision"]:
            out.append(f"{fact}: precision {c['right']}/{c['answered']} < {TARGETS['fact_precision']}")
    if total["answered"] and total["right"] / total["answered"] < TARGETS["precision"]:
        out.append(f"overall precision {total['right']}/{total['answered']} < {TARGETS['precision']}")
    if not total["expected"] or total["found"] / total["expected"] < TARGETS["recall"]:
        out.append(f"overall recall {total['found']}/{total['expected']} < {TARGETS['recall']}")
    return out


Targets = list[tuple[str, Path]]


def mirror_targets(labels: Path = MIRROR) -> tuple[list[dict[str, Any]], Targets]:
    apps = yaml.safe_load(labels.read_text(encoding="utf-8"))["apps"]
    return apps, [(a["id"], labels.parent / a["path"]) for a in apps]


def corpus_targets(checkouts: Path = TREES) -> tuple[list[dict[str, Any]], Targets]:
    """The real corpus's labels and its trees under `checkouts` (one directory per repository)."""
    apps = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["apps"]
    return apps, [(a["id"], checkouts / repository_name(a) / a["path"]) for a in apps]


def repository_name(app: dict[str, Any]) -> str:
    return str(app["repository"]).split("/")[1]


def scans(targets: Targets, checkouts: Path | None = None) -> list[TreeScan]:
    """The scans of `targets`; with `checkouts`, each tree's repository is its checkout there,
    without, each tree is an application alone."""
    catalog = load_catalog()
    detectors = load_detectors(catalog)
    if checkouts is None:
        return scan_paths(targets, detectors, catalog, repository=lambda _: None)
    top = checkouts.resolve()
    return scan_paths(targets, detectors, catalog,
                      repository=lambda tree: top / tree.resolve().relative_to(top).parts[0])


def run(apps: list[dict[str, Any]], targets: Targets,
        checkouts: Path | None = None) -> tuple[dict[str, Counter[str]], list[str]]:
    return score(apps, {scan.id: scan.answers() for scan in scans(targets, checkouts)})


def table(per_fact: dict[str, Counter[str]]) -> str:
    total: Counter[str] = Counter()
    lines = ["| fact | answered | right | precision | labelled | found | recall |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for fact in sorted(per_fact):
        c = per_fact[fact]
        total.update(c)
        lines.append(f"| {fact} | {c['answered']} | {c['right']} | {_ratio(c['right'], c['answered'])} "
                     f"| {c['expected']} | {c['found']} | {_ratio(c['found'], c['expected'])} |")
    lines.append(f"| **overall** | {total['answered']} | {total['right']} "
                 f"| **{_ratio(total['right'], total['answered'])}** | {total['expected']} | {total['found']} "
                 f"| **{_ratio(total['found'], total['expected'])}** |")
    return "\n".join(lines)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "—"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="directory of full checkouts of the real corpus")
    parser.add_argument("--details", action="store_true", help="list every wrong and missed answer")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    checkouts = args.corpus or TREES
    apps, targets = corpus_targets(checkouts)
    missing = sorted({str(path.parent) for _, path in targets if not path.is_dir()})
    if missing:
        print("missing: " + ", ".join(missing), file=sys.stderr)
        return 2
    failed = False
    for title, (labels, trees, top) in {
        f"Real corpus: {len(apps)} applications of {len({a['repository'] for a in apps})} repositories"
        f" ({'full checkouts' if args.corpus else 'the files in tests/data/scan/corpus'})": (apps, targets, checkouts),
        "Mirror corpus: 12 trees written for this repository": (*mirror_targets(), None),
    }.items():
        per_fact, mistakes = run(labels, trees, top)
        print(f"### {title}\n\n{table(per_fact)}")
        if args.details and mistakes:
            print("\nWrong or missed answers:\n\n" + "\n".join(f"- {line}" for line in mistakes))
        missed = missed_targets(per_fact)
        if missed:
            print("\nTargets missed: " + "; ".join(missed))
            failed = True
        print()
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
