"""PDF report: the HTML report through WeasyPrint with print CSS (imported only here).

WeasyPrint may fetch nothing from the network: its URL fetcher serves
`data:` URLs and files inside the template directories, and refuses the rest.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checklist.report.document import render_html
from checklist.report.templating import default_templates_dir

if TYPE_CHECKING:
    from checklist.engine import Assessment
    from checklist.report import RenderOptions


def _fetcher(allowed: list[Path]) -> Any:
    """A URL fetcher for `data:` URLs and files inside `allowed` directories only."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                target = Path(unquote(urlparse(url).path)).resolve()
                if not any(target.is_relative_to(root) for root in allowed):
                    raise ValueError(f"checklist reports read no file outside their templates: {url}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"data", "file"}, allow_redirects=False, timeout=1)


def render(assessment: Assessment, options: RenderOptions) -> bytes:
    from weasyprint import HTML  # imported here: it costs about a second

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    html = render_html(assessment, options, pdf=True)
    roots = [default_templates_dir().resolve()]
    if options.template_dir is not None:
        roots.append(options.template_dir.resolve())
    document = HTML(string=html, base_url=str(roots[-1]) + "/", url_fetcher=_fetcher(roots))
    pdf: bytes = document.write_pdf()
    return pdf
