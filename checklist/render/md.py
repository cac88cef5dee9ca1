"""Markdown report: GitHub and GitLab flavoured, valid pipe tables, no raw HTML."""

from checklist.render.document import render_markdown as render

__all__ = ["render"]
