"""Output formats: one renderer per format, found through one registry.

A renderer is ``render(assessment, options) -> str | bytes`` (or an iterable
of text pieces, written as they come, for outputs too big to hold). Heavy
dependencies are imported inside each renderer, so listing the formats
costs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checklist.core.engine import Assessment
    from checklist.diff import Diff
    from checklist.io.output import Content


@dataclass(frozen=True)
class AppExtra:
    """What one application shows beside its assessment, in each kind of output."""

    cell: str  # the table's column, in short lines
    line: str  # the same on one line (the plain table of a large portfolio)
    style: str  # the colour of both (a style name of checklist.render.table)
    csv: tuple[str, ...]  # the cells under `Extras.csv_columns`
    fields: Mapping[str, Any]  # added to the application's JSON entry
    section: Mapping[str, Any]  # what the report templates find under the application's `Extras.name`


@dataclass(frozen=True)
class Extras:
    """Per-application results from beside the assessment (Konveyor's risk with `--questionnaire`:
    checklist.render.konveyor), which every assessment renderer adds in its own way. An
    application without an entry shows an empty cell, and nothing elsewhere. With no
    application to show, there are no extras (None), so no empty column either."""

    name: str  # the key of the report templates' application data
    header: str  # the table's column
    width: int  # the narrowest that column may be
    csv_columns: tuple[str, ...]
    apps: Mapping[str, AppExtra]  # by application id


@dataclass(frozen=True)
class RenderOptions:
    """What a renderer may need beyond the assessment."""

    color: bool = False
    width: int = 120
    # documents (md, html, pdf)
    title: str = ""
    date: dt.date | None = None
    paper: str = "a4"
    template_dir: Path | None = None
    single: str | None = None  # the application a one-application report covers
    progress: Diff | None = None  # documents: the comparison with a baseline ("progress since")
    # include the plan (roadmap, quick wins, business case): None is the format's default,
    # yes for documents, no for JSON (`assess --plan` asks for it)
    plan: bool | None = None
    extras: Extras | None = None


Renderer = Callable[["Assessment", RenderOptions], "Content"]

# format name -> module in checklist.render providing `render`
FORMATS: dict[str, str] = {
    "table": "table",
    "json": "json",
    "jsonl": "jsonl",
    "csv": "csvtable",
    "md": "md",
    "html": "html",
    "pdf": "pdf",
}
# Formats that are documents for people, written by `checklist report`.
DOCUMENTS = ("md", "html", "pdf")


def renderer(name: str) -> Renderer:
    """The render function of a registered format."""
    module = import_module(f"checklist.render.{FORMATS[name]}")
    render: Renderer = module.render
    return render
