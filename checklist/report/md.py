"""Markdown report: GitHub and GitLab flavoured, valid pipe tables, no raw HTML."""

from checklist.report.document import render_markdown as render

__all__ = ["render"]
