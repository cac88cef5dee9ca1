"""CSV inventories in, CSV and JSON Lines out, and blank inventories from `checklist init`."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import REPO
from typer.testing import CliRunner

from checklist.cli import app
from checklist.core.errors import ChecklistError
from checklist.core.model import Catalog
from checklist.io import tabular
from checklist.io.inventory import load_inventory, stdin_kind

HEADER = "id,name,criticality,depends_on,os_family,state_location,runs_as_root,startup_seconds,vm_count\n"


def test_csv_rows_become_applications_with_typed_answers(tmp_path: Path, default_catalog: Catalog) -> None:
    path = tmp_path / "apps.csv"
    path.write_text(HEADER + "web,Web,high,db,linux,local_disk; external_services,yes,12,3\n"
                    "db,DB,,,windows,,No,unknown,\n\n")
    inventory = load_inventory([str(path)], default_catalog)
    web, db = inventory.applications
    assert web.answers == {"os_family": "linux", "state_location": ["local_disk", "external_services"],
                           "runs_as_root": True, "startup_seconds": 12}
    assert web.depends_on == ("db",) and web.footprint == {"vm_count": 3} and web.criticality == "high"
    assert db.answers == {"os_family": "windows", "runs_as_root": False, "startup_seconds": "unknown"}
    assert "state_location" not in db.known  # an empty cell is unknown, never guessed


def test_a_repeated_cell_reads_alike_in_every_row(tmp_path: Path, default_catalog: Catalog) -> None:
    path = tmp_path / "apps.csv"
    rows = "".join(f"app-{i},App {i},,,linux,local_disk; external_services,maybe,12,\n" for i in range(3))
    path.write_text(HEADER + rows)
    with pytest.raises(ChecklistError) as caught:
        load_inventory([str(path)], default_catalog)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, 7), (3, 7), (4, 7)]  # each row its own
    path.write_text(HEADER + rows.replace("maybe", "yes"))
    first, second, _ = load_inventory([str(path)], default_catalog).applications
    assert first.answers == second.answers and first.answers["state_location"] == ["local_disk", "external_services"]
    first.answers["state_location"].append("oops")  # one application's list is not another's
    assert second.answers["state_location"] == ["local_disk", "external_services"]


@pytest.mark.parametrize(("row", "expected"), [
    ("web,Web,high,,windoze,,yes,12,",
     "apps.csv:2:5: os_family: text 'windoze' is not an answer (did you mean 'windows'?)"),
    ("web,Web,high,,linux,,maybe,12,", "apps.csv:2:7: runs_as_root: expected yes or no, got 'maybe'"),
    ("web,Web,high,,linux,,yes,soon,", "apps.csv:2:8: startup_seconds: expected a number, got 'soon'"),
    ("web,Web,urgent,,linux,,yes,1,", "apps.csv:2:3: criticality: "),
    ("web,Web,high,nope,linux,,yes,1,", "apps.csv:2:4: depends_on: 'nope' is not an application"),
])
def test_csv_problems_name_row_and_column(tmp_path: Path, default_catalog: Catalog, row: str, expected: str) -> None:
    path = tmp_path / "apps.csv"
    path.write_text(HEADER + row + "\n")
    with pytest.raises(ChecklistError) as caught:
        load_inventory([str(path)], default_catalog)
    assert str(caught.value.problems[0]).replace(str(tmp_path) + "/", "").startswith(expected)


def test_unknown_csv_column_suggests_the_fact(tmp_path: Path, default_catalog: Catalog) -> None:
    path = tmp_path / "apps.csv"
    path.write_text("id,stat_location,orchestrator\nweb,stateless,none\n")
    with pytest.raises(ChecklistError) as caught:
        load_inventory([str(path)], default_catalog)
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].endswith("1:2: stat_location: unknown column 'stat_location' (did you mean 'state_location'?)")
    assert "1:3: orchestrator: unknown column 'orchestrator' (an organisation question" in messages[1]


def test_csv_and_yaml_inputs_merge_and_clash_on_ids(tmp_path: Path, default_catalog: Catalog) -> None:
    (tmp_path / "apps.csv").write_text("id,name\nbilling-api,Billing again\n")
    result = CliRunner().invoke(app, ["validate", str(REPO / "samples" / "portfolio.yaml"),
                                      str(tmp_path / "apps.csv")])
    assert result.exit_code == 2
    assert "apps.csv:2:1: id: application id 'billing-api' is already used at" in result.output
    assert "portfolio.yaml:" in result.output


def test_csv_output_has_one_row_per_application_and_neutralises_formulas(tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_text("id,name,owner,os_family\nweb,=HYPERLINK(\"http://x\"),@team,linux\nsafe,Plain,-ops,linux\n")
    result = CliRunner().invoke(app, ["assess", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["web", "safe"]
    assert rows[0]["name"] == "'=HYPERLINK(\"http://x\")" and rows[0]["owner"] == "'@team"
    assert rows[1]["owner"] == "'-ops"
    assert {"score", "confidence", "verdict", "strategy", "blockers", "top_remediation"} <= set(rows[0])


def test_jsonl_output_is_one_application_document_per_line() -> None:
    sample = str(REPO / "samples" / "portfolio.yaml")
    lines = CliRunner().invoke(app, ["assess", sample, "--format", "jsonl"]).stdout.splitlines()
    whole = json.loads(CliRunner().invoke(app, ["assess", sample, "--format", "json"]).stdout)
    assert [json.loads(line) for line in lines] == whole["applications"]


@pytest.mark.parametrize("name", ["blank.yaml", "blank.json", "blank.csv"])
def test_init_writes_a_blank_inventory_that_validates(tmp_path: Path, default_catalog: Catalog, name: str) -> None:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["init", str(out)])
    assert result.exit_code == 0, result.output
    inventory = load_inventory([str(out)], default_catalog)
    for application in inventory.applications:
        assert application.known == {}  # nothing is answered for the user
    text = out.read_text()
    for fact in default_catalog.facts_for("application"):
        assert fact.id in text
    if name.endswith(".yaml"):
        assert default_catalog.facts["state_location"].text in text  # the question as a comment
    again = CliRunner().invoke(app, ["init", str(out)])
    assert again.exit_code == 2 and "--force" in again.output


def test_init_refuses_an_unknown_extension(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and not (tmp_path / "x.txt").exists()


def _filled_workbook(tmp_path: Path, cells: dict[str, object]) -> Path:
    from openpyxl import load_workbook

    blank = tmp_path / "blank.xlsx"
    assert CliRunner().invoke(app, ["init", str(blank)]).exit_code == 0
    book = load_workbook(blank)
    sheet = book["applications"]
    column = {cell.value: cell.column for cell in sheet[1]}
    for name, value in {"id": "web", "name": "Web", **cells}.items():
        sheet.cell(row=2, column=column[name], value=value)
    path = tmp_path / "filled.xlsx"
    book.save(path)
    return path


def test_xlsx_from_init_offers_drop_downs_and_reads_back(tmp_path: Path, default_catalog: Catalog) -> None:
    from openpyxl import load_workbook

    path = _filled_workbook(tmp_path, {"os_family": "linux", "runs_as_root": True, "startup_seconds": 12.0,
                                       "state_location": "local_disk; external_services", "vm_count": 3})
    sheet = load_workbook(path)["applications"]
    header = {cell.value: cell for cell in sheet[1]}
    assert default_catalog.facts["os_family"].text in header["os_family"].comment.text
    os_letter = header["os_family"].column_letter
    assert f"{os_letter}2:{os_letter}1048576" in {str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    (web,) = load_inventory([str(path)], default_catalog).applications
    assert web.answers == {"os_family": "linux", "runs_as_root": True, "startup_seconds": 12,
                           "state_location": ["local_disk", "external_services"]}
    assert web.footprint == {"vm_count": 3}


def test_xlsx_problems_name_row_and_column(tmp_path: Path, default_catalog: Catalog) -> None:
    path = _filled_workbook(tmp_path, {"os_family": "windoze"})
    with pytest.raises(ChecklistError) as caught:
        load_inventory([str(path)], default_catalog)
    problem = caught.value.problems[0]
    assert (problem.line, problem.path) == (2, "os_family")
    assert "did you mean 'windows'" in problem.message


def test_a_file_that_is_not_a_workbook_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("id,name\n")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "not a readable .xlsx workbook" in result.output


def test_csv_on_standard_input_is_read_as_csv(tmp_path: Path) -> None:
    text = HEADER + "web,Web,high,,linux,external_services,no,12,3\nbatch,Batch,low,,windws,,,,\n"
    result = CliRunner().invoke(app, ["assess", "-", "--format", "jsonl"], input=text)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("<stdin>:3:5: os_family: text 'windws' is not an answer")
    result = CliRunner().invoke(app, ["assess", "-", "--format", "jsonl"], input=text.replace("windws", "windows"))
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["web", "batch"]


@pytest.mark.parametrize(("text", "name"), [
    ("id;name;os_family\nweb;Web;linux\n", "Web"),  # many locales export with ';'
    ("id\nweb\n", "web"),  # one column: a list of application ids
])
def test_a_csv_on_standard_input_is_read_as_csv(text: str, name: str) -> None:
    # Read from a file it works, so it must from a pipe.
    result = CliRunner().invoke(app, ["assess", "-", "--format", "jsonl"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == name


@pytest.mark.parametrize(("text", "kind"), [
    ('{"applications": []}', "json"), ("\ufeff[1]", "json"), ("id,name\nweb,Web\n", "csv"),
    ("applications:\n  - id: web\n", "yaml"), ("# apps, owned by ops\napplications: []\n", "yaml"),
    ("- id: a, b\n", "yaml"), ("---\napplications: []\n", "yaml"), ("id\nweb\n", "csv"),
    ("id;name\nweb;Web\n", "csv"), ("id\tname\nweb\tWeb\n", "csv"),
])
def test_what_standard_input_is_read_as(text: str, kind: str) -> None:
    assert stdin_kind(text) == kind


class _Trickle(io.BytesIO):
    """A sheet member that unpacks a few bytes at a time, so tags and rows are cut anywhere."""

    def __init__(self, data: bytes, rng: random.Random) -> None:
        super().__init__(data)
        self.rng = rng

    def read(self, size: int | None = -1) -> bytes:
        return super().read(self.rng.randint(1, 200))


def test_workbook_cells_are_counted_wherever_the_unpacked_xml_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    # the cells of a sheet are counted on its XML before openpyxl builds a row: the first cell
    # over a row's or the sheet's limit must be found the same whatever the chunk boundaries
    rng = random.Random(4)
    kinds = [b'<c r="A1"><v>1</v></c>', b"<c/>", b'<x:c t="s">x</x:c>', b"<col/>"]  # <col/> is not a cell
    for _ in range(500):
        rows = [[rng.choice(kinds) for _ in range(rng.randint(0, 12))] for _ in range(rng.randint(1, 30))]
        xml = b"<sheetData>" + b"".join(b'<row r="%d" spans="1:3">' % (i + 1) + b"".join(cells) + b"</row>"
                                        for i, cells in enumerate(rows)) + b"</sheetData>"
        counts = [sum(c != b"<col/>" for c in cells) for cells in rows]
        limit, widest = rng.randint(1, sum(counts) + 2), rng.randint(3, 14)
        monkeypatch.setattr(tabular, "MAX_COLUMNS", widest)
        expected, before = None, 0
        for number, count in enumerate(counts, start=1):
            over = [widest + 1] * (count > widest) + [limit - before + 1] * (before + count > limit)
            if over:
                expected = (number, min(over))
                break
            before += count
        found = tabular._sheet_cells_over(_Trickle(xml, rng), "sheet.xml", limit)
        assert ((found.line, found.column) if found else None) == expected, (counts, limit, widest)


def test_validate_names_every_problem_of_a_csv_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    # an unknown column, a bad id and three bad answers: one run lists all five
    path.write_text("id,name,bogus,os_family,runtime,desktop_gui\n"
                    "Bad Id,X,1,windoze,jav,maybe\n")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if not line.endswith("problems found")]
    assert [line.split(": ")[1] for line in lines] == ["bogus", "id", "os_family", "runtime", "desktop_gui"]
    assert "5 problems found" in result.stderr


def test_choice_cells_in_another_case_are_read_with_a_note(tmp_path: Path, default_catalog: Catalog) -> None:
    path = tmp_path / "apps.csv"
    path.write_text("id,criticality,os_family,runtime,state_location\n"
                    "web, High ,LINUX,Java,Local disk; EXTERNAL_SERVICES\n"
                    "api,high,linux,java,local_disk\n")
    web, _ = load_inventory([str(path)], default_catalog).applications
    assert web.criticality == "high" and web.answers["os_family"] == "linux" and web.answers["runtime"] == "java"
    assert web.answers["state_location"] == ["local_disk", "external_services"]
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    notes = result.stderr.splitlines()
    assert f"{path}:2:2: criticality: note: read 'High' as 'high'" in notes
    assert f"{path}:2:3: os_family: note: read 'LINUX' as 'linux'" in notes
    assert len(notes) == 4  # one note a spelling: 'api' is written as the ids are


def test_organisation_answers_come_from_a_csv_of_their_own(tmp_path: Path, default_catalog: Catalog) -> None:
    apps = tmp_path / "apps.csv"
    org = tmp_path / "apps-organization.csv"
    result = CliRunner().invoke(app, ["init", str(apps)])
    assert result.exit_code == 0 and org.exists()
    assert f"{len(default_catalog.facts_for('application'))} application questions" in result.stderr
    rows = list(csv.reader(io.StringIO(org.read_text())))
    assert [r[0] for r in rows[2:]] == [f.id for f in sorted(default_catalog.facts_for("organization"),
                                                                key=lambda f: f.step)]
    text = org.read_text().replace("windows_container_hosts,", "windows_container_hosts,").replace(
        "name,The organisation's name,,", "name,The organisation's name,Acme,")
    text = "\n".join(line.replace(",,", ",No,", 1) if line.startswith("windows_container_hosts,") else line
                     for line in text.splitlines()) + "\n"
    org.write_text(text)
    apps.write_text(apps.read_text() + "web" + "," * (apps.read_text().count(",")) + "\n")
    inventory = load_inventory([str(apps), str(org)], default_catalog)
    assert inventory.organization.name == "Acme"
    assert inventory.organization.answers == {"windows_container_hosts": False}
    org.write_text(text.replace("windows_container_hosts,", "windows_hosts,"))
    with pytest.raises(ChecklistError) as caught:
        load_inventory([str(org)], default_catalog)
    assert "unknown organisation question 'windows_hosts'" in str(caught.value.problems[0])


def test_an_unanswered_organisation_is_not_scored_zero(tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_text("id,os_family\nweb,linux\n")
    result = CliRunner().invoke(app, ["assess", str(path)], env={"COLUMNS": "200"})
    assert "readiness 0.0" not in result.stdout
    assert "Organisation not scored: 0 of" in result.stdout


def test_the_workbook_has_readable_drop_downs_on_every_row_and_an_organisation_sheet(
    tmp_path: Path, default_catalog: Catalog
) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "apps.xlsx"
    assert CliRunner().invoke(app, ["init", str(path)]).exit_code == 0
    book = load_workbook(path)
    sheet, lists = book["applications"], book["lists"]
    header = {cell.value: cell for cell in sheet[1]}
    by_range = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    letter = header["os_family"].column_letter
    formula = by_range[f"{letter}2:{letter}1048576"]  # every row the sheet can have
    column = formula.split("!$")[1].split("$")[0]
    offered = [c.value for c in lists[column][1:] if c.value]
    assert offered == [c.label for c in default_catalog.facts["os_family"].choices] + ["I don't know"]
    comment = header["desktop_gui"].comment.text
    assert comment.endswith("Allowed: Yes, No or unknown.") and "; or unknown." not in comment
    org = book["organization"]
    assert [c.value for c in org[1]][:3] == ["fact", "question", "answer"]
    # the labels the drop-downs offer read back as the ids
    sheet["A2"], sheet[f"{letter}2"] = "web", offered[1]
    sheet[f"{header['desktop_gui'].column_letter}2"] = "I don't know"
    org["C4"] = "Yes"  # the second question: executive_sponsor
    book.save(path)
    inventory = load_inventory([str(path)], default_catalog)
    assert inventory.applications[0].answers == {"os_family": "windows", "desktop_gui": "unknown"}
    assert inventory.organization.answers == {"executive_sponsor": True}


def _reworked_workbook(tmp_path: Path, rows: int, change: Callable[[bytes], bytes]) -> Path:
    """A workbook from openpyxl of `rows` applications, its sheet's XML changed by `change`."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "applications"
    sheet.append(["id", "name"])
    for i in range(rows):
        sheet.append([f"app-{i}", f"App {i}"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "apps.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return path


def test_a_workbook_whose_dimension_understates_the_sheet_reads_every_row(tmp_path: Path,
                                                                        default_catalog: Catalog) -> None:
    # some generators write <dimension ref="A1:B1"> whatever the sheet holds; openpyxl in
    # read-only mode trusted it and the workbook validated as "ok (0 applications)"
    path = _reworked_workbook(tmp_path, 3, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B1"',
                                                              xml))
    assert b'ref="A1:B1"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    source = tabular.read_xlsx(path, "apps.xlsx", default_catalog)
    assert [a["id"] for a in source.data["applications"]] == ["app-0", "app-1", "app-2"]
    assert source.rows == [2, 3, 4]


def test_a_workbook_row_past_the_last_row_of_a_sheet_is_a_located_error(tmp_path: Path,
                                                                       default_catalog: Catalog) -> None:
    path = _reworked_workbook(tmp_path, 2, lambda xml: xml.replace(b'r="3"', b'r="1048577"').replace(
        b'A3"', b'A1048577"').replace(b'B3"', b'B1048577"'))
    with pytest.raises(ChecklistError) as caught:
        tabular.read_xlsx(path, "apps.xlsx", default_catalog)
    assert [str(p) for p in caught.value.problems] == [
        "apps.xlsx:1048577:1: row number 1,048,577 is past a sheet's last row (1,048,576); the workbook is "
        "damaged: save it again from the spreadsheet"]


def test_a_workbook_row_after_a_gap_of_a_million_rows_is_read_at_its_row(tmp_path: Path,
                                                                       default_catalog: Catalog) -> None:
    path = _reworked_workbook(tmp_path, 2, lambda xml: xml.replace(b'r="3"', b'r="1000000"').replace(
        b'A3"', b'A1000000"').replace(b'B3"', b'B1000000"'))
    source = tabular.read_xlsx(path, "apps.xlsx", default_catalog)
    assert [a["id"] for a in source.data["applications"]] == ["app-0", "app-1"]
    assert source.rows == [2, 1_000_000]


@pytest.mark.parametrize(("text", "expected"), [
    ('id,name,owner\na,"A,x\nb,B,y\nc,C,z\n',
     "apps.csv:2:2: a double quote (\") opened in this cell is never closed: the rows "
     "after it, up to line 4, were read as one cell"),
    ('id,name\na,A\nb,"B\n', "apps.csv:3:2: a double quote (\") opened in this cell is never closed: the rows "
                             "after it, up to line 3, were read as one cell"),
])
def test_a_csv_quote_left_open_is_refused_where_it_opened(text: str, expected: str,
                                                          default_catalog: Catalog) -> None:
    # the reader put every following row into one cell: 1 application instead of 3, exit 0
    with pytest.raises(ChecklistError) as caught:
        tabular.read_csv(text, "apps.csv", default_catalog)
    assert [str(p) for p in caught.value.problems] == [expected]


def test_a_csv_cell_with_a_line_break_is_still_one_cell(default_catalog: Catalog) -> None:
    source = tabular.read_csv('id,name,owner\na,"two\nlines",x\nb,"B, and\n,C",y\n', "apps.csv", default_catalog)
    assert [a["name"] for a in source.data["applications"]] == ["two\nlines", "B, and\n,C"]


def test_csv_rows_of_fewer_cells_than_the_header_are_noted(tmp_path: Path) -> None:
    (tmp_path / "apps.csv").write_text("id,name,owner\na,A,x\nb,B\nc\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "apps.csv")])
    assert result.exit_code == 0
    assert ("apps.csv:3:1: note: fewer cells than the 3 columns of the header; the missing ones are read as "
            "unanswered (and 1 more row)") in result.output


def test_a_hidden_first_sheet_is_not_read_instead_of_the_visible_one(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    old = book.active
    old.title, old.sheet_state = "last year", "hidden"
    old.append(["id"])
    old.append(["retired-app"])
    shown = book.create_sheet("portfolio")
    shown.append(["id", "os_family"])
    shown.append(["web", "linux"])
    book.active = 1
    path = tmp_path / "apps.xlsx"
    book.save(path)
    result = CliRunner().invoke(app, ["assess", str(path), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["web"]


def test_cells_a_workbook_would_read_as_empty_are_located_errors(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "os_family", "data_size_gb"])
    sheet.append(["web", "linux", "=2*4"])  # written by a program: no saved value
    sheet.append(["api", "linux", 3])
    sheet.append(["batch", None, None])
    sheet["B3"] = "windows"
    sheet.merge_cells("B3:B4")  # batch would read as unanswered, not as windows
    path = tmp_path / "apps.xlsx"
    book.save(path)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        f"{path}:2:3: cell C2 holds a formula without a saved value (written by a program that does not compute "
        "it): open and save the workbook in a spreadsheet, or type the value",
        f"{path}:3:2: merged cells B3:B4: a merged cell keeps its value in its first cell only, the others read "
        "as empty; unmerge them and fill each cell"]


def test_a_text_shared_by_many_cells_counts_each_time(tmp_path: Path, default_catalog: Catalog) -> None:
    # A workbook stores a text once and lets every cell use it: 15 KB standing for gigabytes.
    from openpyxl import Workbook

    from checklist.io.source import Limits

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name"])
    shared = "x" * 20_000
    for i in range(100):
        sheet.append([f"app-{i}", shared])
    path = tmp_path / "apps.xlsx"
    book.save(path)
    assert path.stat().st_size < 40_000
    with pytest.raises(ChecklistError) as refused:
        tabular.read_xlsx(path, "apps.xlsx", default_catalog, Limits(max_bytes=1024 * 1024))
    assert str(refused.value) == ("apps.xlsx:54:1: the cells up to row 54 hold more than the 1 MB of text a file "
                                  "may have (a text shared by many cells counts each time); raise the limit with "
                                  "'checklist --max-input-mb N …'")
    assert len(tabular.read_xlsx(path, "apps.xlsx", default_catalog).data["applications"]) == 100
