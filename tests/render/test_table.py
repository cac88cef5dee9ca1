"""The terminal table of a large portfolio: plain aligned lines, same content and order."""

from __future__ import annotations

import re
from typing import Any

from helpers import large_assessment

from checklist.core.model import Catalog
from checklist.render import ASSESSMENT, RenderOptions
from checklist.render.table import RICH_UP_TO, ranked


def test_a_large_portfolio_lists_every_application_readiest_first_in_aligned_columns(
        default_catalog: Catalog) -> None:
    assessment = large_assessment(default_catalog, RICH_UP_TO + 40)
    text = ASSESSMENT["table"](assessment, RenderOptions(width=100))
    assert isinstance(text, str)
    listing = text.split("The 19 steps")[0]
    rows = [line for line in listing.splitlines() if re.match(r"  app-\d+ ", line)]
    assert [row.split()[0] for row in rows] == [r.application.id for r in ranked(assessment)]
    header = next(line for line in listing.splitlines() if line.startswith("  Application"))
    score_end = header.index("Score") + len("Score")
    verdict_at = header.index("Verdict")
    for row, result in zip(rows, ranked(assessment), strict=True):
        assert row[:score_end].endswith(f"{result.score.value:.1f}")  # right-aligned under its header
        assert row[verdict_at:].startswith(result.verdict.replace("_", " "))
        for blocker in result.blockers:
            assert blocker.rule.id in row
    assert "\x1b[" not in text and "\t" not in listing and "\nline" not in listing  # names are cleaned
    assert "Portfolio" in text and f"{len(rows)} applications" in text


def test_a_large_portfolio_in_colour_paints_the_verdict_only(default_catalog: Catalog) -> None:
    assessment = large_assessment(default_catalog, RICH_UP_TO + 1)
    text = ASSESSMENT["table"](assessment, RenderOptions(color=True, width=100))
    assert isinstance(text, str)
    first = next(line for line in text.splitlines() if line.startswith("  app-"))
    assert re.search(r"\x1b\[[0-9;]+m(ready|ready with changes|needs refactoring|not suitable|insufficient data)",
                     first)


def _words_whole(text: str, vocabulary: set[str]) -> None:
    """Every line of `text` fits 80 columns, and each word of `vocabulary` that appears is whole."""
    assert all(len(line) <= 80 for line in text.splitlines()), max(text.splitlines(), key=len)
    pieces = set(re.findall(r"[\w-]+", text))
    for word in vocabulary:
        halves = [(word[:i], word[i:]) for i in range(2, len(word) - 1)]
        assert not any(a in pieces and b in pieces and word not in pieces for a, b in halves), word


def test_the_assess_table_fits_80_columns_without_breaking_words(default_catalog: Catalog) -> None:
    from helpers import REPO

    from checklist.core.engine import evaluate
    from checklist.io.inventory import load_inventory

    assessment = evaluate(default_catalog, load_inventory([str(REPO / "samples" / "portfolio.yaml")],
                                                          default_catalog))
    text = ASSESSMENT["table"](assessment, RenderOptions(width=80))
    assert isinstance(text, str)
    vocabulary = {"containerize", "refactoring", "Verdict", "Strategy", *(
        b.rule.id for r in assessment.applications for b in r.blockers)}
    _words_whole(text, vocabulary)
    for result in assessment.applications:  # every blocker id whole, on its own line under the name
        for blocker in result.blockers:
            assert f"✗ {blocker.rule.id}" in text
    assert "98% conf." in text


def test_explain_fits_80_columns_and_can_show_only_what_fails(capsys: Any) -> None:
    from helpers import REPO

    from checklist.commands import explain

    sample = str(REPO / "samples" / "portfolio.yaml")
    explain.run(explain.Options([sample], "php-shop", width=80))
    full = capsys.readouterr().out
    explain.run(explain.Options([sample], "php-shop", width=80, failing_only=True))
    failing = capsys.readouterr().out
    heads = re.findall(r"^  ([a-z0-9-]+) · (\w+)", failing, re.M)
    assert heads and all(result in ("fail", "partial") for _, result in heads)
    assert len(re.findall(r"^  ([a-z0-9-]+) · (\w+)", full, re.M)) > len(heads)
    assert "Score      = 100 ×" in failing  # the arithmetic stays whole
    _words_whole(failing, {"dependencies", "containers", "state-local-disk"})


def test_rules_list_fits_80_columns_with_ids_whole(capsys: Any, default_catalog: Catalog) -> None:
    from checklist.commands import rules

    rules.list_rules(rules.ListOptions(width=80))
    text = capsys.readouterr().out
    _words_whole(text, {"containers", "measured", *(r.id for r in default_catalog.rules)})
    assert all(re.search(rf"^  {re.escape(r.id)}\s", text, re.M) for r in default_catalog.rules)  # whole, a line each
