"""Spreadsheet inventories: one row per application, one column per field or fact.

Columns are the application's metadata (`id`, `name`, `owner`,
`criticality`, `depends_on`, `tags`, the footprint fields) and then fact
ids. Multi-value cells separate values with `;`; yes/no cells read
yes/no/true/false/y/n/1/0; an empty cell is unknown. A row becomes the same
application mapping a YAML inventory has, so one validation serves both,
and every problem names the row (as the line) and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from checklist.core.conditions import did_you_mean
from checklist.core.errors import ChecklistError, DocPath, PathPart, Problem
from checklist.core.fields import FOOTPRINT_FIELDS, METADATA_COLUMNS
from checklist.core.model import Catalog, Fact
from checklist.core.vocabulary import UNKNOWN
from checklist.io.source import DEFAULT_LIMITS, Limits, read_bytes

if TYPE_CHECKING:
    from zipfile import ZipFile

# How much bigger than --max-input-mb a workbook may be once unpacked (XML compresses about 5 to 10 times).
UNPACKED_RATIO = 5
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
# A sheet row holds at most this many cells in Excel, LibreOffice and the file format.
MAX_COLUMNS = 16_384
# The start of a cell element (`<c …>`, `<c/>`, `<x:c …>`) and of a row element, in a sheet's XML.
_CELL = re.compile(rb"<(?:[\w.-]+:)?c[ \t\r\n/>]")
_ROW = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*?\br="(\d+)"')
_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row>")
TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0"}
# Where a column's cells go in the application mapping.
_ANSWER, _FOOTPRINT, _LIST, _TEXT = "answer", "footprint", "list", "text"


@dataclass
class TableSource:
    """A parsed spreadsheet: `data` shaped like a YAML inventory, and where each cell was."""

    name: str
    data: dict[str, Any]
    columns: Sequence[str]
    rows: list[int] = field(default_factory=list)  # line (CSV) or row number of each application
    problems: list[Problem] = field(default_factory=list)  # cells that could not be read

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
        """(row, column) of the cell a document path came from."""
        if len(path) < 2 or path[0] != "applications" or not isinstance(path[1], int):
            return 1, 1
        column = _column(path)
        line = self.rows[path[1]] if path[1] < len(self.rows) else 1
        return line, (list(self.columns).index(column) + 1 if column in self.columns else 1)

    def problem(self, path: DocPath, message: str, *, key: bool = False) -> Problem:
        line, column = self.locate(path, key=key)
        return Problem(self.name, message, line, column, _column(path))


def _column(path: Sequence[PathPart]) -> str:
    """The column behind a document path: ("applications", 3, "answers", "os_family")
    is the os_family column; a whole application, or its answers, is its id."""
    names = [p for p in path[2:] if isinstance(p, str) and p not in ("answers", "footprint")]
    return names[-1] if names else "id"


def _cell(fact_type: str | None, text: str) -> tuple[Any, str | None]:
    """A cell's typed value (None for empty) and, if it cannot be read, why."""
    value = text.strip()
    if not value:
        return None, None
    if value.lower() == UNKNOWN:
        return UNKNOWN, None
    if fact_type == "multi":
        return [part.strip() for part in value.split(";") if part.strip()], None
    if fact_type == "bool":
        lowered = value.lower()
        if lowered in TRUE:
            return True, None
        if lowered in FALSE:
            return False, None
        return None, f"expected yes or no, got {value!r}"
    if fact_type == "number":
        try:
            number = float(value)
        except ValueError:
            return None, f"expected a number, got {value!r}"
        return (int(number) if number.is_integer() else number), None
    return value, None


def _target(column: str, app_facts: Mapping[str, Fact]) -> tuple[str, str | None]:
    """Where a column's cells go in the application mapping, and the type they are read as."""
    if column in app_facts:
        return _ANSWER, app_facts[column].type
    if column in FOOTPRINT_FIELDS:
        return _FOOTPRINT, "number"
    if column in ("depends_on", "tags"):
        return _LIST, "multi"
    return _TEXT, None


def table_source(name: str, header: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]],
                 catalog: Catalog) -> TableSource:
    """Turn a header and numbered rows into an inventory, or raise every problem found."""
    problems: list[Problem] = []
    columns = [h.strip() for h in header]
    app_facts = {f.id: f for f in catalog.facts_for("application")}
    known = [*METADATA_COLUMNS, *FOOTPRINT_FIELDS, *app_facts]
    if "id" not in columns:
        problems.append(Problem(name, "no 'id' column: the first row must name the columns (id, name, …, fact ids)",
                                1, 1))
    for index, column in enumerate(columns, start=1):
        if column and column not in known:
            org = catalog.facts.get(column)
            hint = (" (an organisation question: answer it in a YAML or JSON file's organization block)"
                    if org is not None else did_you_mean(column, known))
            problems.append(Problem(name, f"unknown column {column!r}{hint}", 1, index, column))
    if len(set(columns)) != len(columns):
        repeated = next(c for c in columns if columns.count(c) > 1)
        second = columns.index(repeated, columns.index(repeated) + 1)
        problems.append(Problem(name, f"column {repeated!r} appears twice", 1, second + 1, repeated))
    if problems:
        raise ChecklistError(problems)
    apps: list[dict[str, Any]] = []
    lines: list[int] = []
    # Per column: where its value goes and how a cell is read. Cells repeat a few values
    # (yes, no, linux, …) thousands of times, so each distinct text is read once per type.
    targets = [(c, *_target(c, app_facts)) for c in columns]
    read: dict[tuple[str | None, str], tuple[Any, str | None]] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue  # blank rows are common at the end of exports
        if len(cells) > len(columns):
            problems.append(Problem(name, f"{len(cells)} cells but {len(columns)} columns", line, len(columns) + 1))
            continue
        app: dict[str, Any] = {}
        answers: dict[str, Any] = {}
        footprint: dict[str, Any] = {}
        for index, ((column, target, fact_type), text) in enumerate(zip(targets, cells, strict=False), start=1):
            if target is _TEXT:
                if text.strip():
                    app[column] = text.strip()
                continue
            key = (fact_type, text)
            cell = read.get(key)
            if cell is None:
                cell = read[key] = _cell(fact_type, text)
            value, error = cell
            if error:
                problems.append(Problem(name, error, line, index, column))
            elif value is None:
                continue
            elif target is _ANSWER:
                answers[column] = list(value) if value.__class__ is list else value  # each app its own list
            elif target is _FOOTPRINT:
                footprint[column] = value
            else:
                app[column] = list(value) if isinstance(value, list) else [value]
        if footprint:
            app["footprint"] = footprint
        app["answers"] = answers
        apps.append(app)
        lines.append(line)
    # Unreadable cells are left out and reported with the other problems of the file.
    return TableSource(name, {"version": 1, "applications": apps}, columns, lines, problems)


def read_csv(text: str, name: str, catalog: Catalog, limits: Limits = DEFAULT_LIMITS) -> TableSource:
    """A CSV inventory (comma, semicolon or tab separated, detected from the header) of at
    most `limits.max_nodes` cells."""
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    # Lines as StringIO(newline="") would give them, without its copy of the text at 4 bytes a character.
    lines: Iterator[str] = (match.group() for match in _LINE.finditer(text))
    limit = limits.max_nodes
    counting = text.count(delimiter) + text.count("\n") >= limit  # cells may be over the limit
    if counting:
        lines = _within_limit(lines, delimiter, name, limit)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise ChecklistError(Problem(name, "empty CSV file; expected a header row (id, name, …)", 1, 1))
        rows = []
        line = reader.line_num
        cells_read = len(header)
        for cells in reader:
            if counting:
                cells_read += len(cells)
                if cells_read > limit:
                    raise ChecklistError(_too_many_cells(name, line + 1, len(cells) - (cells_read - limit) + 1, limit))
            rows.append((line + 1, cells))
            line = reader.line_num
    except csv.Error as exc:
        message = f"invalid CSV: {exc}"
        if "field larger than field limit" in str(exc):  # almost always a quote left open
            message = (f"invalid CSV: a cell longer than {csv.field_size_limit():,} characters; "
                       "is a double quote (\") left open?")
        raise ChecklistError(Problem(name, message, reader.line_num or 1, 1)) from None
    return table_source(name, header, rows, catalog)


def _within_limit(lines: Iterator[str], delimiter: str, name: str, limit: int) -> Iterator[str]:
    """`lines`, refusing one that alone holds more cells than a file may: the reader would
    build its row whole (a line of 48 million commas was a list of 48 million cells)."""
    for number, line in enumerate(lines, start=1):
        if line.count(delimiter) >= limit:
            raise ChecklistError(_too_many_cells(name, number, limit + 1, limit))
        yield line


def _too_many_cells(name: str, line: int, column: int, limit: int, where: str = "file") -> Problem:
    return Problem(name, f"more than {limit:,} cells in one {where}; "
                         "raise the limit with 'checklist --max-nodes N …'", line, column)


def _unreadable(name: str, exc: Exception) -> Problem:
    reason = " ".join(str(exc).split())[:120]
    return Problem(name, f"not a readable .xlsx workbook ({reason or type(exc).__name__})", 1, 1)


def _cells_over(archive: ZipFile, name: str, limit: int) -> Problem | None:
    """The problem of the first cell over a limit in any sheet of a workbook, or None.
    Counted on the XML as it unpacks, before openpyxl, which builds a whole row (about 600
    bytes a cell) before it yields it: a 0.5 MB workbook of one 10-million-cell row took
    6.5 GB and a minute. A row may have MAX_COLUMNS cells and a sheet `limit`."""
    for info in archive.infolist():
        if info.filename.endswith(".xml"):
            with archive.open(info) as member:
                over = _sheet_cells_over(member, name, limit)
            if over is not None:
                return over
    return None


def _sheet_cells_over(member: IO[bytes], name: str, limit: int) -> Problem | None:
    total, rows, row_cells, tail = 0, 0, 0, b""
    while chunk := member.read(1 << 20):
        text = tail + chunk
        # A tag that starts in the last 64 bytes may be cut: it is left for the next chunk.
        last = text.rfind(b"<", max(len(text) - 64, 0))
        text, tail = (text[:last], text[last:]) if last >= 0 else (text, b"")
        pieces = _ROW_END.split(text)
        for i, piece in enumerate(pieces):
            cells = _count_cells(piece)
            row_cells += cells
            total += cells
            if row_cells > MAX_COLUMNS or total > limit:
                number = _ROW.findall(piece)
                row = int(number[-1]) if number else rows + 1
                column = row_cells - (total - limit) + 1  # of the first cell over the sheet's limit
                if column > MAX_COLUMNS + 1 or total <= limit:
                    return Problem(name, f"more than {MAX_COLUMNS:,} cells in one row", row, MAX_COLUMNS + 1)
                return _too_many_cells(name, row, column, limit, "sheet")
            if i < len(pieces) - 1:  # a row ended
                rows, row_cells = rows + 1, 0
    return None


def _count_cells(xml: bytes) -> int:
    if b":c" in xml:  # perhaps a prefixed cell (`<x:c …>`)
        return len(_CELL.findall(xml))
    return sum(xml.count(b"<c" + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))


def _text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path, name: str, catalog: Catalog, limits: Limits = DEFAULT_LIMITS) -> TableSource:
    """An XLSX inventory within `limits`: the sheet named `applications`, else the first sheet."""
    from zipfile import BadZipFile, ZipFile

    from openpyxl import load_workbook  # imported here: only spreadsheets need it

    data = io.BytesIO(read_bytes(path, name, limits))
    try:
        archive = ZipFile(data)
    except (BadZipFile, OSError, ValueError):
        raise ChecklistError(Problem(name, "not a readable .xlsx workbook (not a zip archive); "
                                           "save it from the spreadsheet as .xlsx or .csv", 1, 1)) from None
    with archive:
        # A workbook is a zip: refuse one that would unpack to far more than its size (a zip bomb).
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > UNPACKED_RATIO * limits.max_bytes:
            raise ChecklistError(Problem(name, f"unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than the "
                                               f"{UNPACKED_RATIO * limits.max_bytes / 1024 / 1024:g} MB a workbook "
                                               "may hold; raise the limit with 'checklist --max-input-mb N …'", 1, 1))
        try:
            over = _cells_over(archive, name, limits.max_nodes)
        except Exception as exc:  # a damaged member: zlib, zipfile and CRC errors all mean the same here
            raise ChecklistError(_unreadable(name, exc)) from None
    if over is not None:
        raise ChecklistError(over)
    try:
        book = load_workbook(data, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook; all mean the same here
        raise ChecklistError(_unreadable(name, exc)) from None
    try:
        sheet = book["applications"] if "applications" in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ChecklistError(Problem(name, "empty sheet; expected a header row (id, name, …)", 1, 1))
        width = max((i + 1 for i, h in enumerate(header) if h is not None), default=0)
        table = [(number, [_text(v) for v in row[:width]]) for number, row in enumerate(rows, start=2)]
    except ChecklistError:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise ChecklistError(_unreadable(name, exc)) from None
    finally:
        book.close()
    return table_source(name, [_text(h) for h in header[:width]], table, catalog)


def write_blank_xlsx(path: Path, catalog: Catalog) -> None:
    """A workbook to fill in: one column per field and fact, the question as each
    header's comment, and for choice and yes/no facts a drop-down of the allowed values."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "applications"
    facts = sorted(catalog.facts_for("application"), key=lambda f: f.step)
    columns = [*METADATA_COLUMNS, *FOOTPRINT_FIELDS, *(f.id for f in facts)]
    notes = {
        "id": "Required. Lowercase letters, digits, '.', '-' and '_'.",
        "criticality": "low, medium, high or mission_critical.",
        "depends_on": "Ids of other applications, separated by ';'.",
        "tags": "Free labels, separated by ';'.",
        "avg_cpu_utilization": "Average CPU utilisation from 0 to 1.",
    }
    sheet.append(columns)
    last_row = 2000
    lists: dict[str, list[str]] = {"criticality": ["low", "medium", "high", "mission_critical"]}
    for fact in facts:
        if fact.type == "choice":
            lists[fact.id] = [*(c.value for c in fact.choices), UNKNOWN]
        elif fact.type == "bool":
            lists[fact.id] = ["yes", "no", UNKNOWN]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        question = catalog.facts.get(column)
        note = notes.get(column, "")
        if question is not None:
            allowed = ("; ".join(c.value for c in question.choices) + " (several, separated by ';')"
                       if question.type == "multi" else ", ".join(lists.get(column, [])) or "a number")
            note = f"Step {question.step}: {question.text}\nAllowed: {allowed}; or unknown."
        if note:
            cell.comment = Comment(note, "checklist", width=320, height=120)
        if column in lists:
            values = lists[column]
            validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                        showErrorMessage=True, errorTitle="Not an allowed answer",
                                        error=f"Choose one of: {', '.join(values)}")
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(28, len(column) + 4))
    sheet.freeze_panes = "B2"
    questions = book.create_sheet("questions")
    questions.append(["fact", "step", "question", "allowed answers", "why it matters"])
    for fact in facts:
        allowed = ", ".join(c.value for c in fact.choices) if fact.choices else fact.type
        questions.append([fact.id, fact.step, fact.text, allowed, fact.help])
    buffer = io.BytesIO()
    book.save(buffer)
    from checklist.io.output import write_atomic

    write_atomic(path, buffer.getvalue())
