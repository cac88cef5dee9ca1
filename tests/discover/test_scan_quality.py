"""The scan's quality on the mirror corpus (tests/data/scan/mirror.yaml), scored by
bench/scan_quality.py as bench/RESULTS.md reports it: the issue's targets hold."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from helpers import REPO

BENCH = REPO / "bench" / "scan_quality.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scan_quality", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_mirror_corpus_meets_the_precision_and_recall_targets() -> None:
    bench = _bench()
    apps, targets = bench.mirror_targets()
    assert len(apps) >= 12 and all(path.is_dir() for _, path in targets)
    per_fact, mistakes = bench.run(apps, targets)
    assert bench.missed_targets(per_fact) == [], "\n".join(mistakes)


def test_a_wrong_answer_misses_the_targets() -> None:
    """The scoring can fail: one wrong answer of two is below every precision target."""
    bench = _bench()
    apps = [{"id": "a", "expected": {"runtime": "java", "os_family": "linux"}}]
    per_fact, mistakes = bench.score(apps, {"a": {"runtime": "java", "os_family": "windows"}})
    assert mistakes == ["a: os_family = 'windows', labelled 'linux'"]
    assert bench.missed_targets(per_fact) == ["os_family: precision 0/1 < 0.9", "overall precision 1/2 < 0.95",
                                              "overall recall 1/2 < 0.75"]


def test_the_real_corpus_meets_the_precision_and_recall_targets() -> None:
    bench = _bench()
    apps, targets = bench.corpus_targets()
    assert len(apps) >= 12 and len({a["ecosystem"].split()[0] for a in apps}) >= 7
    assert all(path.is_dir() for _, path in targets)
    per_fact, mistakes = bench.run(apps, targets, bench.TREES)
    assert bench.missed_targets(per_fact) == [], "\n".join(mistakes)


def test_each_repository_of_the_real_corpus_comes_with_its_licence() -> None:
    bench = _bench()
    apps, _ = bench.corpus_targets()
    for app in apps:
        tree = bench.TREES / bench.repository_name(app)
        assert any(p.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")) for p in tree.iterdir()), tree
