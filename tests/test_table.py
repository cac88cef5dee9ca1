"""The terminal table of a large portfolio: plain aligned lines, same content and order."""

from __future__ import annotations

import re

from test_json import large_assessment

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
