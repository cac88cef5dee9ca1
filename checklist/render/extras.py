"""What an assessment's renderers show beside it, from another source (Konveyor's risk with
`--questionnaire`: checklist.render.konveyor builds it): one shape for every format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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
