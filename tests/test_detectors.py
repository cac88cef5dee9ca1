"""Every detector's examples (rules/detectors/*.yaml): a tiny tree, and whether the detector
fires on it. A new detector brings its own cases; this one test runs them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.core.errors import ChecklistError
from checklist.core.model import Catalog
from checklist.discover.detectors import Detector, load_detectors
from checklist.discover.scanner import scan_tree
from checklist.io.catalog import load_catalog

CATALOG = load_catalog()
DETECTORS = load_detectors(CATALOG)


def _cases() -> list[tuple[Detector, int]]:
    return [(d, i) for d in DETECTORS for i in range(len(d.examples))]


@pytest.mark.parametrize(("detector", "index"), _cases(), ids=lambda v: v.id if isinstance(v, Detector) else str(v))
def test_detector_example(detector: Detector, index: int, tmp_path: Path) -> None:
    example = detector.examples[index]
    for name, text in example.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    fired = [f for f in scan_tree(tmp_path, [detector]) if f.detector is detector]
    assert bool(fired) == example.proposes, f"{example.origin.file}:{example.origin.line}: {detector.id} " \
        f"{'did not fire' if example.proposes else 'fired: ' + str(fired[:1])}"


def test_every_application_fact_with_evidence_is_a_real_choice(default_catalog: Catalog) -> None:
    """Detectors cover many facts and never propose a value the catalog does not have."""
    facts = {d.fact for d in DETECTORS}
    assert len(facts) >= 25, sorted(facts)
    for d in DETECTORS:
        fact = default_catalog.facts[d.fact]
        assert fact.scope == "application"
        assert isinstance(d.value, bool) if fact.type == "bool" else d.value in fact.values


def test_a_detector_with_an_unknown_value_is_refused(tmp_path: Path) -> None:
    (tmp_path / "detectors").mkdir()
    (tmp_path / "detectors" / "mine.yaml").write_text(
        "detectors:\n"
        "  - id: mine\n"
        "    fact: runtime\n"
        "    value: cobolt\n"
        "    strength: strong\n"
        "    match: [{file: x.cbl}]\n"
        "    examples: [{files: {x.cbl: ''}}, {files: {y: ''}, proposes: false}]\n", encoding="utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_detectors(CATALOG, [tmp_path])
    problem = caught.value.problems[0]
    assert (problem.line, "cobolt" in problem.message, "cobol" in problem.message) == (4, True, True)


def test_a_bad_regular_expression_is_located(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "detectors:\n"
        "  - id: mine\n"
        "    fact: runtime\n"
        "    value: cobol\n"
        "    strength: strong\n"
        "    match:\n"
        "      - code: {languages: [text], regex: 'a(b'}\n"
        "    examples: [{files: {x.cbl: ''}}, {files: {y: ''}, proposes: false}]\n", encoding="utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_detectors(CATALOG, [tmp_path])
    problem = caught.value.problems[0]
    assert problem.line == 7 and "not a regular expression" in problem.message
