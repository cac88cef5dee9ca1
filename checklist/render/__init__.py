"""Output formats: one `Renderer` per format, found through one registry per subject.

A renderer is ``render(subject, options) -> str | bytes`` (or an iterable
of text pieces, written as they come, for outputs too big to hold); every
option is in `RenderOptions`, including what an assessment shows beside it
(`Extras`). Heavy dependencies are imported inside each renderer, so
listing the formats costs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from checklist.core.engine import Assessment
    from checklist.diff import Diff
    from checklist.discover import ScanResult
    from checklist.io.output import Content
    from checklist.plan import Plan
    from checklist.render.extras import Extras


@dataclass(frozen=True)
class RenderOptions:
    """What a renderer may need beyond its subject."""

    color: bool = False
    width: int = 120
    # documents (md, html, pdf)
    title: str = ""
    date: dt.date | None = None
    paper: str = "a4"
    template_dir: Path | None = None
    single: str | None = None  # the application a one-application report covers
    details: bool = False  # documents: a page per application, not only the one-line register
    progress: Diff | None = None  # documents: the comparison with a baseline ("progress since")
    # include the plan (roadmap, quick wins, business case): None is the format's default,
    # yes for documents, no for JSON (`assess --plan` asks for it)
    plan: bool | None = None
    extras: Extras | None = None


S = TypeVar("S", contravariant=True)


class Renderer(Protocol[S]):
    """One output format of one subject (an assessment, a plan, a diff)."""

    def __call__(self, subject: S, options: RenderOptions, /) -> Content:
        """The whole output, or for one too big to hold, its pieces as they are written."""
        ...


class Registry(Generic[S]):
    """The formats of one subject: name -> "module:function" in checklist.render. A renderer's
    module is imported only when it is used, so listing the formats (--help) costs nothing."""

    def __init__(self, formats: Mapping[str, str]) -> None:
        self.formats = formats

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.formats)

    def __getitem__(self, name: str) -> Renderer[S]:
        module, _, function = self.formats[name].partition(":")
        found: Renderer[S] = getattr(import_module(f"checklist.render.{module}"), function)
        return found


# One registry per subject; the command line's --format choices are their names.
ASSESSMENT: Registry[Assessment] = Registry({
    "table": "table:render", "json": "json:render", "jsonl": "jsonl:render", "csv": "csvtable:render",
    "md": "document:render_markdown", "html": "document:render_html", "pdf": "pdf:render",
})
PLAN: Registry[Plan] = Registry({"table": "plan:render_table", "json": "plan:render_json", "md": "plan:render_md"})
DIFF: Registry[Diff] = Registry({"table": "diff:render_table", "json": "diff:render_json", "md": "diff:render_md"})
SCAN: Registry[ScanResult] = Registry({"table": "scan:render_table", "json": "scan:render_json",
                                       "yaml": "scan:render_yaml"})
# The assessment's formats that are documents for people, written by `checklist report`.
DOCUMENTS = ("md", "html", "pdf")
