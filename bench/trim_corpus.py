"""Keep of the real corpus's checkouts only what a scan reads evidence from, with the licences.

    python3 bench/trim_corpus.py DIR            # DIR: full checkouts, as bench/scan_quality.py --corpus takes

Writes tests/data/scan/corpus/NAME (replacing it) for each repository of
tests/data/scan/corpus.yaml: every file some evidence of a scan of its applications points to
(a deployment file at the repository's top included) and the repository's licence files.
Then it scans the trimmed trees and exits 1 unless every application's proposals — values,
strengths and evidence — are the same as from the full checkout: a file left out held no
evidence shown, and the evidence shown comes first in the walk's order, so the trimmed tree
is the full one as far as the scan can tell.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from scan_quality import TREES, corpus_targets, repository_name, scans

LICENCES = ("LICENSE", "LICENCE", "COPYING", "NOTICE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkouts", type=Path)
    args = parser.parse_args()
    apps, full_targets = corpus_targets(args.checkouts)
    full = scans(full_targets, args.checkouts)
    keep: dict[str, set[str]] = {}
    for app, (_, tree), scan in zip(apps, full_targets, full, strict=True):
        name = repository_name(app)
        checkout = (args.checkouts / name).resolve()
        files = keep.setdefault(name, {p.name for p in checkout.iterdir() if p.name.upper().startswith(LICENCES)})
        for proposal in scan.proposals:
            for evidence in proposal.evidence:
                files.add(os.path.relpath(os.path.normpath(tree.resolve() / evidence.file), checkout))
    for name, files in keep.items():
        shutil.rmtree(TREES / name, ignore_errors=True)
        for file in sorted(files):
            target = TREES / name / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(args.checkouts / name / file, target)
    _, trimmed_targets = corpus_targets(TREES)
    different = [app["id"] for app, a, b in zip(apps, full, scans(trimmed_targets, TREES), strict=True)
                 if a.proposals != b.proposals]
    size = sum(f.stat().st_size for f in TREES.rglob("*") if f.is_file())
    print(f"{sum(len(f) for f in keep.values())} files, {size / 1e6:.1f} MB in {TREES}")
    if different:
        print("the trimmed trees answer otherwise for: " + ", ".join(different), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
