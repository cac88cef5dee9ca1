"""PDF report: the HTML report through WeasyPrint with print CSS (imported only here).

WeasyPrint may fetch nothing from the network: its URL fetcher serves
`data:` URLs and files inside the template directories, and refuses the rest.

WeasyPrint uses one core, and a large portfolio with --details has a page per
application, so such a report is cut where the template marks it (`<!-- pdf-part -->`,
before each application page), the parts are rendered in worker processes
and the PDFs joined with pypdf. Each part is told the page number it starts
at and the total, so "Page N of M" runs on across the parts; the numbers are
first guessed from the HTML and a part whose guess was wrong is rendered again.
The workers start before the HTML is written, so that their import of
WeasyPrint overlaps it.
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checklist.io.workers import cores, running_workers
from checklist.render.document import render_html
from checklist.render.templating import default_templates_dir

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from checklist.core.engine import Assessment
    from checklist.render import RenderOptions

PART_MARK = "<!-- pdf-part -->"
# Fewer application pages than this render faster in one process: every part
# pays for its own font subsetting, and joining costs about 7 ms a page.
MIN_PARTS = 40
MAX_WORKERS = 4
# Table rows a page holds, to guess how many pages a long table (the heatmap) takes.
ROWS_PER_PAGE = {"a4": 50, "letter": 46}


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


def _render(html: str, roots: list[Path]) -> tuple[bytes, int]:
    """One document to PDF: its bytes and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(roots[-1]) + "/", url_fetcher=_fetcher(roots)).render()
    pdf: bytes = document.write_pdf()
    return pdf, len(document.pages)


@dataclass(frozen=True)
class _Part:
    head: str  # up to and including <body>: the styles every part needs
    body: str

    def numbered(self, first_page: int, total: int) -> str:
        """The part as a document whose pages are numbered from `first_page` of `total`."""
        style = f"<style>@page :first {{ counter-reset: page {first_page} }}</style>"
        head = re.sub(r"counter\(\s*pages\s*\)", f'"{total}"', self.head)
        head = head.replace("</head>", style + "</head>", 1) if "</head>" in head else head + style
        return head + self.body


def _workers() -> int:
    override = os.environ.get("CHECKLIST_PDF_WORKERS", "")
    if override.isdigit() and int(override) > 0:
        return int(override)
    return min(cores(), MAX_WORKERS)


def split(html: str, workers: int) -> list[_Part]:
    """The document cut at its part marks into at most `workers` parts of about equal size,
    or one part when it is small, has no marks, or styles `@page :first` (which would
    match the first page of every part)."""
    pieces = html.split(PART_MARK)
    body_tag = re.search(r"<body[^>]*>", pieces[0])
    if workers < 2 or len(pieces) < MIN_PARTS or body_tag is None or re.search(r"@page\s*:first", pieces[0]):
        return [_Part(html, "")]
    head = pieces[0][: body_tag.end()]
    pieces[0] = pieces[0][body_tag.end():]
    costs = [_cost(p) for p in pieces]
    target = sum(costs) / workers
    groups: list[list[str]] = [[]]
    size = 0
    for piece, cost in zip(pieces, costs, strict=True):
        if size >= target * len(groups) and len(groups) < workers:
            groups.append([])
        groups[-1].append(piece)
        size += cost
    return [_Part(head, "".join(group)) for group in groups if group]


def _cost(piece: str) -> int:
    """About how long `piece` takes to render, in arbitrary units: its text and its
    elements, weighted alike on an application page (an element costs the engine more
    than its bytes say, and the front pages have the most elements for their size)."""
    return len(piece) + 39 * piece.count("<")


def guess_pages(body: str, paper: str) -> int:
    """Pages a part will take: one per section, more for a section with a long table."""
    sections = body.split("<section")[1:] or [body]
    rows = ROWS_PER_PAGE.get(paper, ROWS_PER_PAGE["letter"])
    return sum(max(1, math.ceil(section.count("<tr") / rows)) for section in sections)


def _starts(pages: list[int]) -> list[int]:
    return [1 + sum(pages[:i]) for i in range(len(pages))]


def _import_weasyprint() -> None:
    import weasyprint  # noqa: F401  about a second

    logging.getLogger("weasyprint").setLevel(logging.ERROR)


# Set in a worker whose import of WeasyPrint failed, and raised by its first task: an
# initializer that raises would make the pool start a new worker, forever.
_import_error: Exception | None = None


def _start_worker() -> None:
    """Import WeasyPrint, or keep the failure for the first task to report."""
    global _import_error
    try:
        _import_weasyprint()
    except Exception as exc:  # reported by the first task instead
        _import_error = exc


def _render_in_worker(html: str, roots: list[Path]) -> tuple[bytes, int]:
    if _import_error is not None:
        raise _import_error
    return _render(html, roots)


def render_parts(parts: list[_Part], roots: list[Path], paper: str, pool: Pool) -> list[bytes]:
    """Each part's PDF, rendered in parallel and numbered as pages of one document."""
    pages = [guess_pages(part.body, paper) for part in parts]

    def run(indexes: list[int]) -> dict[int, tuple[bytes, int]]:
        starts, total = _starts(pages), sum(pages)
        jobs = {i: pool.apply_async(_render_in_worker, (parts[i].numbered(starts[i], total), roots))
                for i in indexes}
        return {i: job.get() for i, job in jobs.items()}

    done = run(list(range(len(parts))))
    actual = [done[i][1] for i in range(len(parts))]
    if actual != pages:
        # A wrong guess only moves page numbers: render again what carries a wrong one.
        wrong = [i for i in range(len(parts))
                 if sum(actual) != sum(pages) or _starts(actual)[i] != _starts(pages)[i]]
        pages = actual
        done.update(run(wrong))
    return [done[i][0] for i in range(len(parts))]


def join(pdfs: list[bytes]) -> bytes:
    """One PDF from several, with the first one's metadata (title, creator)."""
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(io.BytesIO(pdf)) for pdf in pdfs]
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader)
    if readers[0].metadata:
        writer.add_metadata(dict(readers[0].metadata))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render(assessment: Assessment, options: RenderOptions) -> bytes:
    roots = [default_templates_dir().resolve()]
    if options.template_dir is not None:
        roots.append(options.template_dir.resolve())
    workers = _workers()
    if workers < 2:
        _import_weasyprint()
        return _render(render_html(assessment, options, pdf=True), roots)[0]
    # A page per application, and many of them: parts in parallel. Otherwise one worker,
    # which imports WeasyPrint (about a second) while this process writes the HTML.
    parted = options.details and options.single is None and len(assessment.applications) >= MIN_PARTS
    with running_workers(workers if parted else 1, _start_worker) as pool:
        html = render_html(assessment, options, pdf=True)
        parts = split(html, workers) if parted else []
        if len(parts) < 2:  # one document (a template without part marks, too)
            return pool.apply_async(_render_in_worker, (html, roots)).get()[0]
        return join(render_parts(parts, roots, options.paper, pool))
