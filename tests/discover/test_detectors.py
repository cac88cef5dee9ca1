"""Every detector's examples (rules/detectors/*.yaml): a tiny tree, and whether the detector
fires on it. A new detector brings its own cases; this one test runs them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checklist.core.errors import ChecklistError
from checklist.core.model import Catalog
from checklist.discover.detectors import CodeMatch, Detector, load_detectors
from checklist.discover.host import records, scan_records
from checklist.discover.literals import required_literals
from checklist.discover.scanner import scan_tree
from checklist.io.catalog import load_catalog

CATALOG = load_catalog()
DETECTORS = load_detectors(CATALOG)


def _cases() -> list[tuple[Detector, int]]:
    return [(d, i) for d in DETECTORS for i in range(len(d.examples))]


@pytest.mark.parametrize(("detector", "index"), _cases(), ids=lambda v: v.id if isinstance(v, Detector) else str(v))
def test_detector_example(detector: Detector, index: int, tmp_path: Path) -> None:
    example = detector.examples[index]
    if detector.host:  # the example is a tiny collected archive: its files by name
        fired = scan_records(records(example.files), [detector])
        assert bool(fired) == example.proposes, f"{example.origin.file}:{example.origin.line}: {detector.id} " \
            f"{'did not fire' if example.proposes else 'fired: ' + str(fired[:1])}"
        return
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


@pytest.mark.parametrize(("pattern", "flags", "literals"), [
    (r"@(Scheduled|EnableScheduling)\b", 0, ("EnableScheduling", "Scheduled")),
    (r"(?<![\w.])(10\.\d{1,3}|192\.168)\.\d", 0, ("10.", "192.168")),  # the parser shares the "1"
    (r"\bgh[pou]_[A-Za-z0-9]{36}", 0, ("gho_", "ghp_", "ghu_")),
    (r"(optional)?required\(", 0, ("required(",)),
    (r"[^x]yz|abc", 0, None),  # one alternative has no literal of three characters
    (r"LOG_CHANNEL=(stderr|stdout)", re.IGNORECASE, ("log_channel=",)),
])
def test_a_pattern_is_searched_only_in_files_with_its_literals(pattern: str, flags: int,
                                                                literals: tuple[str, ...] | None) -> None:
    assert required_literals(re.compile(pattern, flags)) == literals


def test_every_example_match_holds_one_of_its_patterns_literals() -> None:
    """The literal check never hides a match: every text a code pattern matches in the examples
    contains one of the literals it was given."""
    for detector in DETECTORS:
        for matcher in detector.matchers:
            if not isinstance(matcher, CodeMatch) or matcher.literals is None:
                continue
            for example in detector.examples:
                for text in example.files.values():
                    for found in matcher.regex.finditer(text):
                        seen = found.group().lower() if matcher.ignorecase else found.group()
                        assert any(literal in seen for literal in matcher.literals), (detector.id, seen)
