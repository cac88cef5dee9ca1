"""Editing a spreadsheet inventory in place: the interview's CSV and XLSX files.

A CSV is edited row by row: only the header (when a column is added) and
the application's own row are written anew, in the file's delimiter and
line ending; every other line stays byte for byte as it was. An XLSX
workbook is opened and saved with openpyxl, which keeps the cells, their
styles, comments, drop-downs, column widths and every sheet, but not
charts, images or pivot tables. Answers are written as the ids a CSV
holds (`linux`, `yes`, `local_disk; external_services`). Every save is
atomic (see `checklist.io.output.write_atomic`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checklist.core.errors import ChecklistError, Problem, UsageError
from checklist.core.fields import FOOTPRINT_FIELDS, METADATA_COLUMNS
from checklist.core.model import Catalog
from checklist.io.editing import PLANNING_FIELDS
from checklist.io.output import write_atomic
from checklist.io.source import read_text
from checklist.io.tabular import (
    ORG_COLUMNS,
    ORG_SHEET,
    blank_workbook,
    fact_spellings,
    is_org_header,
    read_cell,
    sheet_text,
    workbook_bytes,
)

NO_QUESTIONNAIRES = ("Konveyor questionnaire answers have no column in a spreadsheet: keep them in a YAML or JSON "
                     "inventory (checklist interview inventory.yaml --questionnaire FILE)")


def cell_text(value: Any) -> str:
    """An answer as a spreadsheet cell holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def sheet_value(value: Any) -> Any:
    """An answer as a workbook cell holds it: numbers as numbers, the rest as a CSV cell's text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return cell_text(value) or None


def no_organization(path: Path) -> UsageError:
    return UsageError(f"{path} holds applications only; the organisation's answers go in a CSV of fact and answer "
                      f"columns: checklist interview {path.with_name(path.stem + '-organization.csv')} --org")


class _Table:
    """What both spreadsheet kinds share: typed answers from rows of text."""

    catalog: Catalog
    path: Path
    header: list[str]
    is_org: bool

    def _typed(self, fact_id: str, text: str) -> Any:
        fact = self.catalog.facts.get(fact_id)
        if fact is None:
            return None
        value, error = read_cell(fact.type, text, fact_spellings(fact))
        return None if error else value

    def _row_answers(self, cells: Sequence[str]) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for column, text in zip(self.header, cells, strict=False):
            fact = self.catalog.facts.get(column.strip())
            if fact is not None and fact.scope == "application":
                value = self._typed(fact.id, text)
                if value is not None:
                    answers[fact.id] = value
        return answers

    def _org_answers(self, rows: Sequence[Sequence[str]]) -> dict[str, Any]:
        names = [h.strip().lower() for h in self.header]
        fact_at, answer_at = names.index("fact"), names.index("answer")
        answers: dict[str, Any] = {}
        for cells in rows:
            fact_id = cells[fact_at].strip() if fact_at < len(cells) else ""
            text = cells[answer_at] if answer_at < len(cells) else ""
            value = self._typed(fact_id, text) if fact_id != "name" else None
            if value is not None:
                answers[fact_id] = value
        return answers

    def prepare(self, app_id: str | None) -> None:
        """Nothing to find ahead: rows are found by id when written."""

    def discovered(self, app_id: str) -> dict[str, dict[str, Any]]:
        """None: a spreadsheet has no column for a scan's answers and their evidence."""
        return {}

    def _row_planning(self, cells: Sequence[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for column, text in zip(self.header, cells, strict=False):
            name = column.strip()
            if name in PLANNING_FIELDS and text.strip():
                if name == "depends_on":
                    found[name] = [p.strip() for p in text.split(";") if p.strip()]
                elif name == "criticality":
                    found[name] = text.strip()
                else:
                    value, error = read_cell("number", text)
                    if not error and value is not None:
                        found[name] = value
        return found

    def questionnaire_answers(self, app_id: str, name: str) -> dict[str, Any]:
        raise UsageError(NO_QUESTIONNAIRES)

    def set_questionnaire_answer(self, app_id: str, name: str, key: str, value: Any) -> None:
        raise UsageError(NO_QUESTIONNAIRES)


class CsvDocument(_Table):
    """A CSV inventory (applications) or an organisation's CSV, open for editing."""

    def __init__(self, path: Path, catalog: Catalog, text: str, delimiter: str = ",", newline: str = "\n",
                 bom: str = "") -> None:
        self.path, self.catalog = path, catalog
        self.delimiter, self.newline, self.bom = delimiter, newline, bom
        self.lines = _lines(text)
        # Each record: [first line, line after it, its cells].
        self.records: list[list[Any]] = []
        reader = csv.reader(iter(self.lines), delimiter=delimiter)
        first = 0
        for cells in reader:
            self.records.append([first, reader.line_num, cells])
            first = reader.line_num
        if not self.records:
            raise ChecklistError(Problem(str(path), "empty CSV file; expected a header row (id, name, …)", 1, 1))
        self.header = [h.lstrip("\ufeff") for h in self.records[0][2]]
        self.is_org = is_org_header(self.header)

    @classmethod
    def load(cls, path: Path, catalog: Catalog) -> CsvDocument:
        raw = path.read_bytes()
        text = read_text(path, str(path))
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first.count)
        newline = "\r\n" if "\r\n" in text[: len(first) + 2] else "\n"
        return cls(path, catalog, text, delimiter, newline, "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else "")

    @classmethod
    def create(cls, path: Path, catalog: Catalog, organization: bool) -> CsvDocument:
        if organization:
            from checklist.io.tabular import blank_org_csv

            return cls(path, catalog, blank_org_csv(catalog))
        columns = [*METADATA_COLUMNS, *FOOTPRINT_FIELDS, *(f.id for f in catalog.facts_for("application"))]
        return cls(path, catalog, ",".join(columns) + "\n")

    # -- reading --
    def _apps(self) -> list[list[Any]]:
        return [] if self.is_org else [r for r in self.records[1:] if any(c.strip() for c in r[2])]

    def _id_of(self, record: list[Any]) -> str:
        at = self.header.index("id") if "id" in self.header else 0
        return str(record[2][at]).strip() if at < len(record[2]) else ""

    def application_ids(self) -> list[str]:
        return [self._id_of(r) for r in self._apps()]

    def answers(self, app_id: str | None) -> dict[str, Any]:
        if app_id is None:
            return self._org_answers([r[2] for r in self.records[1:]]) if self.is_org else {}
        record = self._record(app_id)
        return self._row_answers(record[2]) if record is not None else {}

    def _record(self, app_id: str) -> list[Any] | None:
        return next((r for r in self._apps() if self._id_of(r) == app_id), None)

    # -- changing --
    def _column(self, name: str) -> int:
        if name not in self.header:
            self.header.append(name)
            self.records[0][2] = [*self.records[0][2], name]
            self._rewrite(self.records[0])
        return self.header.index(name)

    def _put(self, record: list[Any], column: int, text: str) -> None:
        cells = list(record[2])
        cells.extend([""] * (column + 1 - len(cells)))
        cells[column] = text
        record[2] = cells
        self._rewrite(record)

    def _rewrite(self, record: list[Any]) -> None:
        """Write one record's lines anew; shift the records after it."""
        out = io.StringIO()
        csv.writer(out, delimiter=self.delimiter, lineterminator=self.newline).writerow(record[2])
        new = _lines(out.getvalue())
        first, last = record[0], record[1]
        if last == len(self.lines) and self.lines and not self.lines[-1].endswith(("\n", "\r")) and new:
            new[-1] = new[-1].rstrip("\r\n")  # the file had no newline at its end: keep it so
        self.lines[first:last] = new
        shift = len(new) - (last - first)
        record[1] = first + len(new)
        for other in self.records:
            if other is not record and other[0] >= last:
                other[0] += shift
                other[1] += shift

    def _append(self, cells: list[str]) -> list[Any]:
        if self.lines and not self.lines[-1].endswith(("\n", "\r")):
            self.lines[-1] += self.newline
        record = [len(self.lines), len(self.lines), cells]
        self.records.append(record)
        self._rewrite(record)
        return record

    def add_application(self, app_id: str, name: str, owner: str, criticality: str) -> None:
        if self.is_org:
            raise UsageError(f"{self.path} is the organisation's CSV; interview an application in the "
                             "applications' CSV")
        values = {"id": app_id, "name": name, "owner": owner, "criticality": criticality}
        for column in values:
            self._column(column)
        self._append([values.get(c, "") for c in self.header])

    def set_answer(self, app_id: str | None, fact_id: str, value: Any) -> None:
        text = cell_text(value)
        if app_id is None:
            if not self.is_org:
                raise no_organization(self.path)
            names = [h.strip().lower() for h in self.header]
            fact_at, answer_at = names.index("fact"), names.index("answer")
            record = next((r for r in self.records[1:] if fact_at < len(r[2]) and r[2][fact_at].strip() == fact_id),
                          None)
            if record is None:
                cells = [""] * len(self.header)
                cells[fact_at] = fact_id
                record = self._append(cells)
            self._put(record, answer_at, text)
            return
        record = self._record(app_id)
        if record is None:
            raise ChecklistError(Problem(str(self.path), f"no application {app_id!r} in this inventory"))
        self._put(record, self._column(fact_id), text)

    def planning(self, app_id: str) -> dict[str, Any]:
        record = self._record(app_id)
        return self._row_planning(record[2]) if record is not None else {}

    def set_planning(self, app_id: str, key: str, value: Any) -> None:
        record = self._record(app_id)
        if record is None:
            raise ChecklistError(Problem(str(self.path), f"no application {app_id!r} in this inventory"))
        self._put(record, self._column(key), cell_text(value))

    def set_name(self, name: str) -> None:
        """The organisation's name (its CSV's `name` row)."""
        if self.is_org and name:
            self.set_answer(None, "name", name)

    def render(self) -> str:
        return self.bom + "".join(self.lines)

    def save(self) -> None:
        write_atomic(self.path, self.render())


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


class XlsxDocument(_Table):
    """A workbook inventory open for editing: the applications' sheet and the organization sheet."""

    def __init__(self, path: Path, catalog: Catalog, book: Any) -> None:
        self.path, self.catalog, self.book = path, catalog, book
        names = [s for s in book.sheetnames if s not in (ORG_SHEET, "lists", "questions")]
        self.sheet = book["applications"] if "applications" in book.sheetnames else book[(names or book.sheetnames)[0]]
        self.header = [sheet_text(c.value).strip() for c in self.sheet[1]] if self.sheet.max_row >= 1 else []
        self.is_org = False

    @classmethod
    def load(cls, path: Path, catalog: Catalog) -> XlsxDocument:
        from openpyxl import load_workbook

        try:
            return cls(path, catalog, load_workbook(path))
        except Exception as exc:  # already read once by load_inventory; a damaged file lands here only if it changed
            raise ChecklistError(Problem(str(path), f"not a readable .xlsx workbook ({exc})", 1, 1)) from None

    @classmethod
    def create(cls, path: Path, catalog: Catalog) -> XlsxDocument:
        return cls(path, catalog, blank_workbook(catalog))

    def _rows(self) -> list[tuple[int, list[str]]]:
        return [(number, [sheet_text(v) for v in row])
                for number, row in enumerate(self.sheet.iter_rows(min_row=2, values_only=True), start=2)
                if any(v is not None and str(v).strip() for v in row)]

    def application_ids(self) -> list[str]:
        at = self.header.index("id") if "id" in self.header else 0
        return [cells[at].strip() for _, cells in self._rows() if at < len(cells)]

    def _row(self, app_id: str) -> tuple[int, list[str]] | None:
        at = self.header.index("id") if "id" in self.header else 0
        return next(((n, c) for n, c in self._rows() if at < len(c) and c[at].strip() == app_id), None)

    def _org(self) -> Any:
        if ORG_SHEET not in self.book.sheetnames:
            org = self.book.create_sheet(ORG_SHEET, 1)
            org.append(list(ORG_COLUMNS))
        return self.book[ORG_SHEET]

    def _org_header(self) -> list[str]:
        return [sheet_text(c.value).strip().lower() for c in self._org()[1]]

    def answers(self, app_id: str | None) -> dict[str, Any]:
        if app_id is None:
            if ORG_SHEET not in self.book.sheetnames:
                return {}
            header, self.header = self.header, self._org_header()
            try:
                if not is_org_header(self.header):
                    return {}
                return self._org_answers([[sheet_text(v) for v in row]
                                          for row in self.book[ORG_SHEET].iter_rows(min_row=2, values_only=True)])
            finally:
                self.header = header
        row = self._row(app_id)
        return self._row_answers(row[1]) if row is not None else {}

    def _column(self, name: str) -> int:
        if name not in self.header:
            self.header.append(name)
            self.sheet.cell(row=1, column=len(self.header), value=name)
        return self.header.index(name) + 1

    def add_application(self, app_id: str, name: str, owner: str, criticality: str) -> None:
        rows = self._rows()
        number = (rows[-1][0] if rows else 1) + 1
        for column, value in (("id", app_id), ("name", name), ("owner", owner), ("criticality", criticality)):
            if value:
                self.sheet.cell(row=number, column=self._column(column), value=value)

    def set_answer(self, app_id: str | None, fact_id: str, value: Any) -> None:
        if app_id is None:
            org = self._org()
            header = self._org_header()
            if not is_org_header(header):
                raise UsageError(f"{self.path}: the {ORG_SHEET} sheet needs a header row with fact and answer columns")
            fact_at, answer_at = header.index("fact") + 1, header.index("answer") + 1
            number = next((r[0].row for r in org.iter_rows(min_row=2, min_col=fact_at, max_col=fact_at)
                           if sheet_text(r[0].value).strip() == fact_id), org.max_row + 1)
            org.cell(row=number, column=fact_at, value=fact_id)
            org.cell(row=number, column=answer_at, value=sheet_value(value))
            return
        row = self._row(app_id)
        if row is None:
            raise ChecklistError(Problem(str(self.path), f"no application {app_id!r} in this inventory"))
        self.sheet.cell(row=row[0], column=self._column(fact_id), value=sheet_value(value))

    def planning(self, app_id: str) -> dict[str, Any]:
        row = self._row(app_id)
        return self._row_planning(row[1]) if row is not None else {}

    def set_planning(self, app_id: str, key: str, value: Any) -> None:
        row = self._row(app_id)
        if row is None:
            raise ChecklistError(Problem(str(self.path), f"no application {app_id!r} in this inventory"))
        self.sheet.cell(row=row[0], column=self._column(key), value=sheet_value(value))

    def set_name(self, name: str) -> None:
        if name:
            self.set_answer(None, "name", name)

    def save(self) -> None:
        write_atomic(self.path, workbook_bytes(self.book))


def is_table(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".xlsx")


def load_table(path: Path, catalog: Catalog) -> CsvDocument | XlsxDocument:
    return XlsxDocument.load(path, catalog) if path.suffix.lower() == ".xlsx" else CsvDocument.load(path, catalog)


def create_table(path: Path, catalog: Catalog, organization: bool) -> CsvDocument | XlsxDocument:
    if path.suffix.lower() == ".xlsx":
        return XlsxDocument.create(path, catalog)
    return CsvDocument.create(path, catalog, organization)

