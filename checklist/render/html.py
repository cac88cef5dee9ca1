"""HTML report: one self-contained file (inline CSS and SVG, no scripts, fonts or links)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from checklist.render.document import render_html

if TYPE_CHECKING:
    from checklist.core.engine import Assessment
    from checklist.render import RenderOptions


def render(assessment: Assessment, options: RenderOptions) -> str:
    return render_html(assessment, options)
