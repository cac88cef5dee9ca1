"""Spreadsheet inventories: one row per application, one column per field or fact.

Columns are the application's metadata (`id`, `name`, `owner`,
`criticality`, `depends_on`, `tags`, the footprint fields) and then fact
ids. Multi-value cells separate values with `;`; yes/no cells read
yes/no/true/false/y/n/1/0; an empty cell is unknown. A row becomes the same
application mapping a YAML inventory has, so one validation serves both,
and every problem names the row (as the line) and the column.

Choice cells may be written as the value or its label in any case, with
spaces around (`Linux`, ` High `, `Self-hosted database`): each such cell
is read as the value and reported as a note, never an error.

The organisation's answers live in a sheet named `organization` (XLSX) or
in a CSV of its own whose header names a `fact` and an `answer` column,
one question a row (`checklist init apps.csv` writes one beside the
applications' CSV).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from checklist.core.conditions import did_you_mean
from checklist.core.errors import ChecklistError, DocPath, PathPart, Problem
from checklist.core.fields import CRITICALITIES, FOOTPRINT_FIELDS, METADATA_COLUMNS
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
_BIG_ROW = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*?\br="(\d{7,})"')
_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row>")
TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0"}
# Where a column's cells go in the application mapping.
_ANSWER, _FOOTPRINT, _LIST, _TEXT = "answer", "footprint", "list", "text"


ORG_SHEET = "organization"
ORG_COLUMNS = ("fact", "question", "answer")  # an organisation sheet or CSV; only fact and answer are read


@dataclass
class TableSource:
    """A parsed spreadsheet: `data` shaped like a YAML inventory, and where each cell was."""

    name: str
    data: dict[str, Any]
    columns: Sequence[str]
    rows: list[int] = field(default_factory=list)  # line (CSV) or row number of each application
    problems: list[Problem] = field(default_factory=list)  # cells that could not be read
    notes: list[Problem] = field(default_factory=list)  # cells read after fixing case or spaces
    org_name: str = ""  # where the organisation's answers are (a CSV of its own, or the sheet)
    org_cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # fact -> (row, column) of its answer

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
        """(row, column) of the cell a document path came from."""
        if len(path) >= 3 and path[0] == "organization" and path[1] == "answers":
            return self.org_cells.get(str(path[2]), (1, 1))
        if len(path) < 2 or path[0] != "applications" or not isinstance(path[1], int):
            return 1, 1
        column = _column(path)
        line = self.rows[path[1]] if path[1] < len(self.rows) else 1
        return line, (list(self.columns).index(column) + 1 if column in self.columns else 1)

    def problem(self, path: DocPath, message: str, *, key: bool = False) -> Problem:
        line, column = self.locate(path, key=key)
        if path and path[0] == "organization":
            fact = str(path[2]) if len(path) > 2 else ""
            return Problem(self.org_name or self.name, message, line, column, fact)
        return Problem(self.name, message, line, column, _column(path))


def _column(path: Sequence[PathPart]) -> str:
    """The column behind a document path: ("applications", 3, "answers", "os_family")
    is the os_family column; a whole application, or its answers, is its id."""
    names = [p for p in path[2:] if isinstance(p, str) and p not in ("answers", "footprint")]
    return names[-1] if names else "id"


@dataclass(frozen=True)
class Spellings:
    """How a choice may be written: its value or label exactly, or (with a note) in
    another case or with other spaces, where that names one value only."""

    exact: Mapping[str, str]  # value or label -> value
    loose: Mapping[str, str]  # lowercase, single-spaced value or label -> value

    def read(self, text: str) -> str:
        return self.exact.get(text) or self.loose.get(" ".join(text.lower().split()), text)


def spellings(values: Mapping[str, str]) -> Spellings:
    """The spellings of choices given as value -> label."""
    exact: dict[str, str] = {}
    seen: dict[str, set[str]] = {}
    for value, label in values.items():
        exact.setdefault(value, value)
        exact.setdefault(label, value)
        for text in (value, label, value.replace("_", " ")):
            seen.setdefault(" ".join(text.lower().split()), set()).add(value)
    return Spellings(exact, {text: next(iter(found)) for text, found in seen.items() if len(found) == 1})


def _choice(text: str, lookup: Spellings | None) -> str:
    return text if lookup is None else lookup.read(text)


# What a cell may say for "asked, nobody knows" (the drop-downs offer the second).
UNKNOWN_CELLS = (UNKNOWN, "i don't know")
DONT_KNOW_CELL = "I don't know"


def read_cell(fact_type: str | None, text: str, lookup: Spellings | None = None) -> tuple[Any, str | None]:
    """A cell's typed value (None for empty) and, if it cannot be read, why."""
    value = text.strip()
    if not value:
        return None, None
    if value.lower().replace("’", "'") in UNKNOWN_CELLS:
        return UNKNOWN, None
    if fact_type == "multi":
        return [_choice(part.strip(), lookup) for part in value.split(";") if part.strip()], None
    if fact_type == "choice":
        return _choice(value, lookup), None
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


def _target(column: str, app_facts: Mapping[str, Fact]) -> tuple[str, str | None, Spellings | None]:
    """Where a column's cells go in the application mapping, the type they are read as and,
    for choices, their spellings."""
    if column in app_facts:
        fact = app_facts[column]
        return _ANSWER, fact.type, fact_spellings(fact)
    if column in FOOTPRINT_FIELDS:
        return _FOOTPRINT, "number", None
    if column in ("depends_on", "tags"):
        return _LIST, "multi", None
    if column == "criticality":
        return _TEXT, "choice", spellings({c: c for c in CRITICALITIES})
    return _TEXT, None, None


def fact_spellings(fact: Fact) -> Spellings | None:
    return spellings({c.value: c.label for c in fact.choices}) if fact.choices else None


class _Notes:
    """Cells read after fixing their case or spaces: one note per column and spelling, with
    the first cell's place and how many more there were."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.first: dict[tuple[str, str], tuple[int, int, str]] = {}
        self.count: Counter[tuple[str, str]] = Counter()

    def add(self, column: str, text: str, value: Any, line: int, index: int) -> None:
        key = (column, text.strip())
        self.count[key] += 1
        if key not in self.first:
            shown = "; ".join(value) if isinstance(value, list) else str(value)
            self.first[key] = (line, index, shown)

    def problems(self) -> list[Problem]:
        out = []
        for (column, text), (line, index, value) in self.first.items():
            more = self.count[(column, text)] - 1
            tail = f" (and {more} more cell{'s' if more > 1 else ''})" if more else ""
            out.append(Problem(self.name, f"note: read {text!r} as {value!r}{tail}", line, index, column))
        return out


def _respelled(text: str, lookup: Spellings) -> bool:
    """Whether a cell was read by fixing case or spaces (a note, not an error)."""
    parts = [part.strip() for part in text.split(";")]
    return any(part and part not in lookup.exact and " ".join(part.lower().split()) in lookup.loose
               for part in parts)


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
    # A column that cannot be read is reported and left out; the rows are still read, so that
    # one run names every problem of the file.
    ignored: set[int] = set()
    for index, column in enumerate(columns, start=1):
        if column and column not in known:
            org = catalog.facts.get(column)
            hint = (" (an organisation question: answer it in the organisation's CSV of fact and answer "
                    "columns, or the workbook's organization sheet; `checklist init` writes both)"
                    if org is not None else did_you_mean(column, known))
            problems.append(Problem(name, f"unknown column {column!r}{hint}", 1, index, column))
            ignored.add(index)
        elif column and columns.index(column) != index - 1:
            problems.append(Problem(name, f"column {column!r} appears twice", 1, index, column))
            ignored.add(index)
    if "id" not in columns:
        raise ChecklistError(problems)  # rows without ids cannot be told apart: nothing more to say of them
    apps: list[dict[str, Any]] = []
    lines: list[int] = []
    notes = _Notes(name)
    # Per column: where its value goes and how a cell is read. Cells repeat a few values
    # (yes, no, linux, …) thousands of times, so each distinct text is read once per column.
    targets = [(c, *_target(c, app_facts)) if i not in ignored and c else (c, None, None, None)
               for i, c in enumerate(columns, start=1)]
    read: dict[tuple[str, str], tuple[Any, str | None]] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue  # blank rows are common at the end of exports
        if len(cells) > len(columns):
            problems.append(Problem(name, f"{len(cells)} cells but {len(columns)} columns", line, len(columns) + 1))
            continue
        app: dict[str, Any] = {}
        answers: dict[str, Any] = {}
        footprint: dict[str, Any] = {}
        for index, ((column, target, fact_type, lookup), text) in enumerate(
                zip(targets, cells, strict=False), start=1):
            if target is None:
                if not column and text.strip():  # a header left empty above a value: whose value is it?
                    problems.append(Problem(name, f"a value ({text.strip()!r}) in a column without a name: "
                                                  "name the column in the first row, or delete the column",
                                            line, index))
                continue
            if target is _TEXT and fact_type is None:
                if text.strip():
                    app[column] = text.strip()
                continue
            key = (column, text)
            cell = read.get(key)
            if cell is None:
                cell = read[key] = read_cell(fact_type, text, lookup)
            value, error = cell
            if lookup is not None and value is not None and _respelled(text, lookup):
                notes.add(column, text, value, line, index)
            if error:
                problems.append(Problem(name, error, line, index, column))
            elif value is None:
                continue
            elif target is _ANSWER:
                answers[column] = list(value) if value.__class__ is list else value  # each app its own list
            elif target is _FOOTPRINT:
                footprint[column] = value
            elif target is _TEXT:
                app[column] = value
            else:
                app[column] = list(value) if isinstance(value, list) else [value]
        if footprint:
            app["footprint"] = footprint
        app["answers"] = answers
        apps.append(app)
        lines.append(line)
    # Unreadable cells are left out and reported with the other problems of the file.
    return TableSource(name, {"version": 1, "applications": apps}, columns, lines, problems, notes.problems())


def is_org_header(header: Sequence[str]) -> bool:
    """Whether a sheet's or CSV's header is the organisation's: `fact` and `answer` columns, no `id`."""
    names = {h.strip().lower() for h in header}
    return {"fact", "answer"} <= names and "id" not in names


def org_table(name: str, header: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]],
              catalog: Catalog) -> TableSource:
    """The organisation's answers, one question a row (columns `fact` and `answer`; others,
    such as the question's text, are for people). A row whose fact is `name` names the
    organisation."""
    names = [h.strip().lower() for h in header]
    fact_at, answer_at = names.index("fact"), names.index("answer")
    answers: dict[str, Any] = {}
    org: dict[str, Any] = {"answers": answers}
    source = TableSource(name, {"version": 1, "organization": org}, list(header), org_name=name)
    notes = _Notes(name)
    facts = catalog.facts
    for line, cells in rows:
        fact_id = cells[fact_at].strip() if fact_at < len(cells) else ""
        text = cells[answer_at] if answer_at < len(cells) else ""
        if not fact_id:
            continue
        if fact_id == "name":
            if text.strip():
                org["name"] = text.strip()
            continue
        source.org_cells[fact_id] = (line, answer_at + 1)
        fact = facts.get(fact_id)
        if fact is None or fact.scope != "organization":
            hint = (" (an application question: it is a column of the applications' sheet)" if fact is not None
                    else did_you_mean(fact_id, [f.id for f in catalog.facts_for("organization")]))
            source.problems.append(Problem(name, f"unknown organisation question {fact_id!r}{hint}", line,
                                           fact_at + 1, fact_id))
            continue
        if fact_id in answers:
            source.problems.append(Problem(name, f"{fact_id!r} is answered twice", line, fact_at + 1, fact_id))
            continue
        lookup = fact_spellings(fact)
        value, error = read_cell(fact.type, text, lookup)
        if error:
            source.problems.append(Problem(name, error, line, answer_at + 1, fact_id))
        elif value is not None:
            if lookup is not None and _respelled(text, lookup):
                notes.add(fact_id, text, value, line, answer_at + 1)
            answers[fact_id] = value
    source.notes.extend(notes.problems())
    return source


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
        if header:
            header[0] = header[0].lstrip("\ufeff")
        rows = []
        line = reader.line_num
        cells_read = len(header)
        for cells in reader:
            if counting:
                cells_read += len(cells)
                if cells_read > limit:
                    raise ChecklistError(_too_many_cells(name, line + 1, len(cells) - (cells_read - limit) + 1, limit))
            if reader.line_num - line > 1:  # the row spans lines: a cell holds line breaks
                _open_quote(name, text, delimiter, len(header), line + 1, cells, reader.line_num)
            rows.append((line + 1, cells))
            line = reader.line_num
        if rows:  # the last row: a quote open at the end of the file holds at least its line break
            _open_quote(name, text, delimiter, len(header), rows[-1][0], rows[-1][1], line)
    except csv.Error as exc:
        message = f"invalid CSV: {exc}"
        if "field larger than field limit" in str(exc):  # almost always a quote left open
            message = (f"invalid CSV: a cell longer than {csv.field_size_limit():,} characters; "
                       "is a double quote (\") left open?")
        raise ChecklistError(Problem(name, message, reader.line_num or 1, 1)) from None
    if is_org_header(header):
        return org_table(name, header, rows, catalog)
    source = table_source(name, header, rows, catalog)
    # A row of fewer cells than the header is read with the rest empty; it is often a row cut short.
    short = [line for line, cells in rows if len(cells) < len(header) and any(c.strip() for c in cells)]
    if short:
        more = f" (and {len(short) - 1} more row{'s' if len(short) > 2 else ''})" if len(short) > 1 else ""
        source.notes.append(Problem(name, f"note: fewer cells than the {len(header)} columns of the header; the "
                                    f"missing ones are read as unanswered{more}", short[0], 1))
    return source


def _open_quote(name: str, text: str, delimiter: str, width: int, line: int, cells: Sequence[str],
                end: int) -> None:
    """Refuse a quote left open: the reader would put every following row into one cell, and
    the file would read as fewer rows than it has. A cell holding line breaks is a quote left
    open when a line of it looks like a whole row, or when it runs to the end of the file and
    the file's double quotes do not pair up."""
    for column, cell in enumerate(cells, start=1):
        if "\n" not in cell and "\r" not in cell:
            continue
        rows_inside = width > 2 and any(part.count(delimiter) >= width - 1 for part in cell.splitlines()[1:])
        if rows_inside or (end >= text.count("\n") and text.count('"') % 2 == 1):
            raise ChecklistError(Problem(name, "a double quote (\") opened in this cell is never closed: the "
                                               f"rows after it, up to line {end}, were read as one cell", line, column))


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
            at = piece.find(b"row")  # C speed; the regex runs only where a row's tag is
            while at >= 0:
                found = _BIG_ROW.match(piece, max(piece.rfind(b"<", 0, at), 0))
                at = piece.find(b"row", at + 3)
                if found is None:
                    continue
                number = found.group(1)
                if int(number) > MAX_ROW:  # openpyxl would drop it, or fill the gap with millions of rows
                    return Problem(name, f"row number {int(number):,} is past a sheet's last row "
                                         f"({MAX_ROW:,}); the workbook is damaged: save it again from the "
                                         "spreadsheet", int(number), 1)
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


def sheet_text(value: Any) -> str:
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
        sheets = [s for s in book.worksheets if s.title not in (ORG_SHEET, LISTS_SHEET, QUESTIONS_SHEET)]
        shown = [s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"]  # not a hidden old copy
        sheet = book["applications"] if "applications" in book.sheetnames else (shown or sheets or book.worksheets)[0]
        header, table = _sheet_rows(sheet, name, limits)
        org_sheet = book[ORG_SHEET] if ORG_SHEET in book.sheetnames else None
        org = _sheet_rows(org_sheet, name, limits) if org_sheet is not None else None
        unread = [problem for read in (sheet, org_sheet) if read is not None
                  for problem in _unread_cells(data, getattr(read, "_worksheet_path", ""), name)]
    except ChecklistError:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise ChecklistError(_unreadable(name, exc)) from None
    finally:
        book.close()
    if header is None:
        raise ChecklistError(Problem(name, "empty sheet; expected a header row (id, name, …)", 1, 1))
    source = table_source(name, header, table, catalog)
    source.problems.extend(unread)
    if org is not None and org[0] is not None and is_org_header(org[0]):
        where = f"{name} (sheet {ORG_SHEET})"
        answers = org_table(where, org[0], org[1], catalog)
        source.data["organization"] = answers.data["organization"]
        source.org_name, source.org_cells = where, answers.org_cells
        source.problems.extend(answers.problems)
        source.notes.extend(answers.notes)
    return source


_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="(([A-Z]+)(\d+)(?::[A-Z]+\d+)?)"')
# A cell holding a formula and no saved value (`<c r="C2"><f>1+1</f><v/></c>`): a program
# that wrote the workbook without computing it; read as empty, it would say nothing.
_FORMULA_ONLY = re.compile(rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+)(\d+)"[^>]*>\s*'
                           rb'<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)'
                           rb'\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')


def _unread_cells(data: IO[bytes], member: str, name: str) -> list[Problem]:
    """The cells of a sheet that openpyxl would read as empty though they are not: merged
    cells (the value is kept in the first only) and formulas without a saved value."""
    from zipfile import ZipFile

    from openpyxl.utils import column_index_from_string

    problems: list[Problem] = []

    def scan(text: bytes) -> None:
        for ref, letters, row in _MERGED.findall(text):
            problems.append(Problem(name, f"merged cells {ref.decode()}: a merged cell keeps its value in its "
                                          "first cell only, the others read as empty; unmerge them and fill "
                                          "each cell", int(row), column_index_from_string(letters.decode())))
        for letters, row in _FORMULA_ONLY.findall(text):
            problems.append(Problem(name, f"cell {letters.decode()}{row.decode()} holds a formula without a "
                                          "saved value (written by a program that does not compute it): open "
                                          "and save the workbook in a spreadsheet, or type the value",
                                    int(row), column_index_from_string(letters.decode())))

    if member:
        with ZipFile(data) as archive, archive.open(member.lstrip("/")) as xml:
            tail = b""
            while chunk := xml.read(1 << 20):
                text = tail + chunk
                cut = max(text.rfind(b"</c>") + 4, text.rfind(b"</row>") + 6, 0)  # whole cells only
                scan(text[:cut])
                tail = text[cut:]
            scan(tail)  # the rest: the last cells, and the merged cells listed after them
    return problems


def _sheet_rows(sheet: Any, name: str, limits: Limits) -> tuple[list[str] | None, list[tuple[int, list[str]]]]:
    """A sheet's header and its numbered rows, as text, holding at most the text a file may
    (--max-input-mb): a shared string is stored once and may be used by every cell, so a
    small workbook can stand for gigabytes of text, as a CSV file cannot."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # read every row: generators write a dimension that leaves some out
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return None, []
    width = max((i + 1 for i, h in enumerate(header) if h is not None), default=0)
    table, chars = [], 0
    for number, row in enumerate(rows, start=2):
        cells = [sheet_text(v) for v in row[:width]]
        chars += sum(map(len, cells))
        if chars > limits.max_bytes:
            raise ChecklistError(Problem(name, f"the cells up to row {number:,} hold more than the "
                                               f"{limits.max_bytes / 1024 / 1024:g} MB of text a file may have (a "
                                               "text shared by many cells counts each time); raise the limit with "
                                               "'checklist --max-input-mb N …'", number, 1))
        table.append((number, cells))
    return [sheet_text(h) for h in header[:width]], table


LISTS_SHEET, QUESTIONS_SHEET = "lists", "questions"
MAX_ROW = 1_048_576  # a sheet's last row: the drop-downs hold for every row


def _allowed(fact: Fact | None, column: str) -> str:
    """The allowed answers of a column, as its header's comment says them."""
    if fact is None:
        return ", ".join(CRITICALITIES) if column == "criticality" else ""
    if fact.type == "multi":
        return "one or more of " + "; ".join(c.label for c in fact.choices) + " (separated by ';'), or unknown"
    if fact.type == "choice":
        return "one of " + "; ".join(c.label for c in fact.choices) + "; or unknown"
    if fact.type == "bool":
        return "Yes, No or unknown"
    unit = f" in {fact.unit}" if fact.unit else ""
    return f"a number{unit}, or unknown"


def _options(fact: Fact | None, column: str) -> list[str]:
    """What a column's drop-down offers: readable labels, read back as the ids."""
    if column == "criticality":
        return list(CRITICALITIES)
    if fact is None:
        return []
    if fact.type == "choice":
        return [*(c.label for c in fact.choices), DONT_KNOW_CELL]
    if fact.type == "bool":
        return ["Yes", "No", DONT_KNOW_CELL]
    return []


def blank_workbook(catalog: Catalog) -> Any:
    """A workbook to fill in: the `applications` sheet (one column per field and fact, the
    question as each header's comment, a drop-down of readable labels on every row of
    choice and yes/no columns), the `organization` sheet (one question a row, with its
    drop-down) and a `questions` sheet that explains them all."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "applications"
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    listed: dict[str, str] = {}  # column or fact -> the range of its options on the lists sheet

    def options_range(key: str, options: list[str]) -> str:
        if key not in listed:
            column = get_column_letter(len(listed) + 1)
            lists.cell(row=1, column=len(listed) + 1, value=key)
            for row, option in enumerate(options, start=2):
                lists.cell(row=row, column=len(listed) + 1, value=option)
            listed[key] = f"{quote_sheetname(LISTS_SHEET)}!${column}$2:${column}${len(options) + 1}"
        return listed[key]

    def drop_down(target: Any, cells: str, key: str, options: list[str]) -> None:
        validation = DataValidation(type="list", formula1=f"={options_range(key, options)}", allow_blank=True,
                                    showErrorMessage=True, errorTitle="Not an allowed answer",
                                    error="Choose one of the drop-down's answers.")
        validation.add(cells)
        target.add_data_validation(validation)

    facts = sorted(catalog.facts_for("application"), key=lambda f: f.step)
    columns = [*METADATA_COLUMNS, *FOOTPRINT_FIELDS, *(f.id for f in facts)]
    notes = {
        "id": "Required. Lowercase letters, digits, '.', '-' and '_'.",
        "name": "The application's name, as people know it.",
        "owner": "The team that owns it.",
        "criticality": "How critical to the business: low, medium, high or mission_critical.",
        "depends_on": "Ids of other applications it calls, separated by ';'.",
        "tags": "Free labels, separated by ';'.",
        "vm_count": "How many VMs it runs on (the hypervisor console lists them).",
        "vcpu": "Virtual CPUs of each of its VMs.",
        "memory_gb": "Memory of each of its VMs, in GB.",
        "disk_gb": "Disk of each of its VMs, in GB.",
        "avg_cpu_utilization": "Average CPU utilisation from 0 to 1 (0.35 is 35 %).",
    }
    sheet.append(columns)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        fact = catalog.facts.get(column)
        note = notes.get(column, "")
        if fact is not None:
            note = f"Step {fact.step}: {fact.text}\nAllowed: {_allowed(fact, column)}."
        if note:
            cell.comment = Comment(note, "checklist", width=360, height=140)
        options = _options(fact, column)
        letter = get_column_letter(index)
        if options:
            drop_down(sheet, f"{letter}2:{letter}{MAX_ROW}", column, options)
        longest = max([len(column), *(len(o) for o in options)])
        sheet.column_dimensions[letter].width = max(12, min(32, longest + 3))
    sheet.freeze_panes = "B2"

    org = book.create_sheet(ORG_SHEET, 1)
    org.append([*ORG_COLUMNS, "allowed answers"])
    for cell in org[1]:
        cell.font = Font(bold=True)
    org.append(["name", "The organisation's name", "", ""])
    for row, fact in enumerate(sorted(catalog.facts_for("organization"), key=lambda f: f.step), start=3):
        org.append([fact.id, f"Step {fact.step}: {fact.text}", None, _allowed(fact, fact.id)])
        options = _options(fact, fact.id)
        if options:
            drop_down(org, f"C{row}", fact.id, options)
    for letter, width in zip("ABCD", (26, 70, 30, 50), strict=True):
        org.column_dimensions[letter].width = width
    for row in org.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    questions = book.create_sheet(QUESTIONS_SHEET, 2)
    questions.append(["fact", "step", "question", "allowed answers", "why it matters"])
    for fact in sorted(catalog.facts.values(), key=lambda f: (f.scope != "organization", f.step)):
        questions.append([fact.id, fact.step, fact.text, _allowed(fact, fact.id), fact.help])
    for letter, width in zip("ABCDE", (26, 6, 60, 50, 80), strict=True):
        questions.column_dimensions[letter].width = width
    for row in questions.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return book


def workbook_bytes(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_blank_xlsx(path: Path, catalog: Catalog) -> None:
    """`blank_workbook`, written atomically."""
    from checklist.io.output import write_atomic

    write_atomic(path, workbook_bytes(blank_workbook(catalog)))


def blank_org_csv(catalog: Catalog) -> str:
    """The organisation's questions as a CSV to fill in: one question a row, the answer
    column empty (read with the applications' CSV: give both files to every command)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*ORG_COLUMNS, "allowed answers"])
    writer.writerow(["name", "The organisation's name", "", ""])
    for fact in sorted(catalog.facts_for("organization"), key=lambda f: f.step):
        writer.writerow([fact.id, f"Step {fact.step}: {fact.text}", "", _allowed(fact, fact.id)])
    return out.getvalue()
