"""HTML report: one self-contained file (inline CSS and SVG, no scripts, fonts or links)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from checklist.report.document import render_html

if TYPE_CHECKING:
    from checklist.engine import Assessment
    from checklist.report import RenderOptions


def render(assessment: Assessment, options: RenderOptions) -> str:
    return render_html(assessment, options)
