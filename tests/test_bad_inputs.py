"""Bad input through the real CLI: one located line, exit 2, no traceback, nothing written.

The committed corpus lives in tests/bad_inputs/ (see its README); cases too
big to commit are generated here into tmp_path. Surprising inputs that must
load (a BOM, CRLF, an Excel CSV, dates as ids, a dependency cycle) are here too.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import write_file

from checklist.core.errors import ChecklistError
from checklist.io.catalog import load_catalog
from checklist.io.source import Limits, parse
from checklist.io.tabular import read_csv, write_blank_xlsx

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def case_args(case: Path) -> list[str]:
    """The command line of a case: its `args` file, else assess on its inputs with -o."""
    args = case / "args"
    if args.exists():
        return shlex.split(args.read_text(encoding="utf-8"))
    inputs = sorted(p.name for p in case.iterdir() if p.name not in ("args", "expected"))
    return ["assess", *inputs, "-o", "out.json"]


def run(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "checklist", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120, check=False)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def files_in(directory: Path) -> dict[str, int]:
    return {str(p.relative_to(directory)): p.stat().st_mtime_ns for p in directory.rglob("*") if p.is_file()}


def assert_refused(done: subprocess.CompletedProcess[str], before: dict[str, int], cwd: Path) -> str:
    """Exit 2, one line on stderr and nothing else; no file created or changed. Returns the line."""
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert done.stdout == ""
    assert files_in(cwd) == before, "a file was written or changed"
    return lines[0]


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 60
    for case in CASES:
        assert (case / "expected").is_file(), f"{case.name} has no expected message"


@dataclass(frozen=True)
class Outcome:
    done: subprocess.CompletedProcess[str]
    before: dict[str, int]
    after: dict[str, int]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case run once, several processes at a time (each is a whole interpreter start)."""

    # made here, one after the other: pytest's numbered directories are not safe to make from threads
    works = {case: tmp_path_factory.mktemp("case") / case.name for case in CASES}

    def one(case: Path) -> tuple[str, Outcome]:
        work = works[case]
        shutil.copytree(case, work, symlinks=True)  # a link stays a link (some cases are links out)
        before = files_in(work)
        done = run(case_args(case), work)
        return case.name, Outcome(done, before, files_in(work))

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(pool.map(one, CASES))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, corpus: dict[str, Outcome]) -> None:
    outcome = corpus[case.name]
    done = outcome.done
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [(case / "expected").read_text(encoding="utf-8").strip()]
    assert done.stdout == ""
    assert outcome.after == outcome.before, "a file was written or changed"


# ------------------------------------------------------------------ generated: too big to commit


def refused(tmp_path: Path, *args: str, stdin: bytes | None = None) -> str:
    before = files_in(tmp_path)
    return assert_refused(run([*args], tmp_path, stdin), before, tmp_path)


def test_a_200_mb_file_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "huge.yaml"
    with big.open("wb") as handle:  # sparse: costs no disk, but reading it would cost 200 MB
        handle.truncate(200 * 1024 * 1024)
    line = refused(tmp_path, "assess", "huge.yaml", "-o", "out.json")
    assert line == ("huge.yaml:1:1: 200 MB is more than the 50 MB an input may have; "
                    "raise the limit with 'checklist --max-input-mb N …'")


def test_the_size_limit_can_be_raised(tmp_path: Path) -> None:
    padding = "# " + "x" * 1000 + "\n"
    write_file(tmp_path / "padded.yaml", padding * 1500 + "applications:\n  - id: a\n")
    line = refused(tmp_path, "--max-input-mb", "1", "assess", "padded.yaml", "-o", "out.json")
    assert line.startswith("padded.yaml:1:1: 1.4 MB is more than the 1 MB an input may have")
    done = run(["--max-input-mb", "2", "assess", "padded.yaml", "-o", "out.json"], tmp_path)
    assert done.returncode == 0, done.stderr


def test_settings_out_of_range_are_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
    done = run(["--max-input-mb", "99999999999999999999", "assess", "inv.yaml"], tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "--max-input-mb" in done.stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    line = refused(tmp_path, "report", "inv.yaml", "-f", "md", "-o", "out.md")
    assert line == ("checklist: SOURCE_DATE_EPOCH: expected seconds since 1970 that fall before the year 10000, "
                    "got 99999999999999")


@pytest.mark.parametrize(("redirect", "env", "expected"), [
    (">/dev/full", {}, "<stdout>: cannot write: No space left on device; or write to a file with -o FILE"),
    (">&-", {}, "<stdout>: cannot write: standard output is closed; or write to a file with -o FILE"),
    (">/dev/null", {"PYTHONIOENCODING": "ascii"}, "<stdout>: cannot write: its encoding, ascii, cannot hold"),
    ("- <&- >/dev/null", {}, "<stdin>:1:1: empty inventory"),
], ids=["full", "stdout-closed", "ascii", "stdin-closed"])
def test_standard_streams_full_closed_or_narrow_are_one_line(tmp_path: Path, redirect: str, env: dict[str, str],
                                                              expected: str) -> None:
    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n    name: Caf\u00e9 \u2014 billing\n")
    target = "" if redirect.startswith("-") else "inv.yaml "
    done = subprocess.run(f"{shlex.quote(sys.executable)} -m checklist assess {target}{redirect}", shell=True,
                          cwd=tmp_path, capture_output=False, stderr=subprocess.PIPE, text=True,
                          env={**os.environ, **env}, check=False)
    assert done.returncode == 2 and done.stderr.startswith(expected), done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_a_closed_standard_error_still_gives_the_exit_code(tmp_path: Path) -> None:
    write_file(tmp_path / "inv.yaml", "applications: [\n")
    done = subprocess.run(f"{shlex.quote(sys.executable)} -m checklist assess inv.yaml 2>&- >/dev/null",
                          shell=True, cwd=tmp_path, check=False)
    assert done.returncode == 2


def test_standard_input_has_the_same_size_limit(tmp_path: Path) -> None:
    data = b"applications: []\n" + b"#" * (2 * 1024 * 1024)
    line = refused(tmp_path, "--max-input-mb", "1", "assess", "-", "-o", "out.json", stdin=data)
    assert line == ("<stdin>:1:1: more than the 1 MB an input may have; "
                    "raise the limit with 'checklist --max-input-mb N …'")


@pytest.mark.parametrize(("name", "text", "where"), [
    pytest.param("deep.yaml", "applications:\n  - id: a\n    tags: " + "[" * 10_000 + "]" * 10_000 + "\n",
                 "deep.yaml:3:108: applications[0].tags[0][0]", id="yaml-flow-lists"),
    pytest.param("deep.yaml", "applications:\n  - id: a\n    footprint: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
                 "deep.yaml:3:404: applications[0].footprint.a.a.a", id="yaml-flow-mappings"),
    pytest.param("deep.json", '{"applications": [{"id": "a", "tags": ' + "[" * 10_000 + "]" * 10_000 + "}]}",
                 "deep.json:1:136: applications[0].tags[0][0]", id="json"),
    pytest.param("deep.json", '{"applications": [{"id": "a", "tags": ' + "[" * 500 + "]" * 500 + "}]}",
                 "deep.json:1:136: applications[0].tags[0][0]", id="json-500-levels"),
])
def test_10000_levels_of_nesting_are_refused(tmp_path: Path, name: str, text: str, where: str) -> None:
    write_file(tmp_path / name, text)
    line = refused(tmp_path, "assess", name, "-o", "out.json")
    assert line.startswith(where), line
    assert line.endswith("nested more than 100 levels deep; an inventory or catalog needs fewer than 15")


def alias_bomb(levels: int = 9) -> str:
    """The YAML "billion laughs": each level lists the previous one nine times."""
    lines = ["applications:", "  - id: a", "    tags: &l0 [" + ", ".join(['"lol"'] * 9) + "]"]
    for level in range(1, levels):
        lines.append(f"  - id: a{level}")
        lines.append(f"    tags: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_where_it_explodes(tmp_path: Path) -> None:
    write_file(tmp_path / "bomb.yaml", alias_bomb())
    line = refused(tmp_path, "assess", "bomb.yaml", "-o", "out.json")
    assert line == ("bomb.yaml:13:16: applications[5].tags[0]: YAML aliases expand to more than 100,000 values; "
                    "raise the limit with 'checklist --max-aliases N …' if the file is yours")


def test_the_node_limit(tmp_path: Path) -> None:
    apps = "".join(f"  - id: app-{i}\n    tags: [a, b, c, d]\n" for i in range(300))
    write_file(tmp_path / "many.yaml", "applications:\n" + apps)
    line = refused(tmp_path, "--max-nodes", "1000", "assess", "many.yaml", "-o", "out.json")
    # the inventory is refused, not the catalog shipped with checklist (over 1,000 values itself)
    assert line == ("many.yaml:287:15: applications[142].tags[1]: more than 1,000 values in one file; "
                    "raise the limit with 'checklist --max-nodes N …'")
    assert run(["assess", "many.yaml", "-o", "out.json"], tmp_path).returncode == 0


@pytest.mark.parametrize(("kind", "text", "where"), [
    ("json", "[" + ",".join(["[]"] * 2_000_000) + "]", "1:2999: "),
    ("yaml", "- []\n" * 200_000, "1000:3: [999]: "),
])
def test_millions_of_tiny_values_are_refused_before_they_are_built(monkeypatch: pytest.MonkeyPatch, kind: str,
                                                                    text: str, where: str) -> None:
    # three bytes a value: parsed first, such a file took gigabytes (a 48 MB one, 1.5 GB as JSON
    # and 11 GB as YAML) before the value limit refused it; the values are now counted on the text
    tracemalloc.start()
    try:
        with pytest.raises(ChecklistError) as refusal:
            parse(text, f"big.{kind}", kind, Limits(max_nodes=1000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(refusal.value.problems[0]) == (f"big.{kind}:{where}more than 1,000 values in one file; "
                                              "raise the limit with 'checklist --max-nodes N …'")
    assert peak < 3 * len(text)


@pytest.mark.parametrize("text", [
    "- []\n" * 1_100_000,  # a value every five bytes
    "apps:\n" + "  - {}\n" * 1_100_000,  # indented
    "- [" + ", ".join(["[]"] * 1_100_000) + "]\n",  # in flow style
])
def test_a_yaml_file_whose_marks_alone_pass_a_large_limit_is_refused_without_reading_its_values(text: str) -> None:
    # a value costs libyaml and Python about a microsecond: five million of them took five
    # seconds to be refused by the exact count; the marks that start values are counted first
    tracemalloc.start()
    try:
        with pytest.raises(ChecklistError) as refusal:
            parse(text, "big.yaml", "yaml", Limits(max_nodes=2_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    problem = refusal.value.problems[0]
    assert problem.message.startswith("more than 2,000,000 values in one file, counted by the marks that start them")
    assert "--max-nodes N" in problem.message
    offset = sum(len(line) for line in text.splitlines(keepends=True)[: problem.line - 1]) + problem.column - 1
    assert text[offset] in "-[{,", "the place is a mark"
    assert peak < len(text), "no value was built"


def test_a_file_under_the_limit_by_its_marks_is_read_and_a_small_limit_is_counted_exactly() -> None:
    text = "- {a: 1}\n" * 700_000  # 2.1 million marks, 1.4 million values
    assert parse(text, "big.yaml", "yaml", Limits(max_nodes=2_200_000)).data[-1] == {"a": 1}
    with pytest.raises(ChecklistError) as refusal:  # a limit the reader reaches in about a second: its exact count
        parse(text, "big.yaml", "yaml", Limits(max_nodes=1_000_000))
    assert str(refusal.value.problems[0]) == ("big.yaml:500000:7: [499999].a: more than 1,000,000 values in one file; "
                                              "raise the limit with 'checklist --max-nodes N …'")


@pytest.mark.parametrize(("text", "where"), [
    ("id,name\n" + "," * 2_000_000 + "\n", "2:1001"),  # one row of two million empty cells
    ("id,name\n" + "a,b\n" * 600, "501:1"),
    ("id,name\n" + '"x\n,y",' * 3 + "\n" + ",,,\n" * 600, "254:3"),  # a quoted cell over two lines
])
def test_csv_cells_over_the_limit_are_refused_before_their_row_is_built(monkeypatch: pytest.MonkeyPatch, text: str,
                                                                         where: str) -> None:
    catalog = load_catalog()
    tracemalloc.start()
    try:
        with pytest.raises(ChecklistError) as refusal:
            read_csv(text, "big.csv", catalog, Limits(max_nodes=1000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(refusal.value.problems[0]) == (f"big.csv:{where}: more than 1,000 cells in one file; "
                                              "raise the limit with 'checklist --max-nodes N …'")
    assert peak < 6 * len(text) + 1_000_000  # the reader's copy of the text; not a list of every cell


def test_shared_answers_through_anchors_load_within_the_alias_limit(tmp_path: Path) -> None:
    apps = "".join(f"  - id: app-{i}\n    answers: *common\n" for i in range(200))
    write_file(tmp_path / "shared.yaml", "applications:\n  - id: first\n    answers: &common {os_family: linux, "
               "runtime: go, state_location: [stateless]}\n" + apps)
    done = run(["assess", "shared.yaml", "-f", "json", "-o", "out.json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(json.loads((tmp_path / "out.json").read_text())["applications"]) == 201
    line = refused(tmp_path, "--max-aliases", "100", "assess", "shared.yaml", "-o", "out2.json")
    assert line.startswith("shared.yaml:45:14: applications[21].answers: YAML aliases expand to more than 100 values")


@pytest.mark.parametrize("anchored", ["    name: &big {text}\n", "    tags: &big [{text}, b]\n"])
def test_an_alias_repeating_a_long_text_counts_its_text_each_time(tmp_path: Path, anchored: str) -> None:
    # 300 uses of a 10 MB string are 3 GB of result from a 10 MB file: few values, much text
    text = "x" * 20_000
    apps = "".join(f"  - id: app-{i}\n    {'name' if 'name' in anchored else 'tags'}: *big\n" for i in range(60))
    write_file(tmp_path / "long.yaml", "applications:\n  - id: first\n" + anchored.format(text=text) + apps)
    line = refused(tmp_path, "--max-input-mb", "1", "assess", "long.yaml", "-o", "out.json")
    assert line.endswith(": YAML aliases repeat more than 1 MB of text, more than a file may hold; raise the "
                         "limit with 'checklist --max-input-mb N …' if the file is yours")
    assert line.startswith("long.yaml:109:")  # the 53rd use (applications[53]): 53 × 20,000 characters pass 1 MB
    assert run(["assess", "long.yaml", "-o", "out.json"], tmp_path).returncode == 0  # within the default 50 MB


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    with (zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as archive,
          archive.open("xl/worksheets/sheet1.xml", "w") as sheet):
        for _ in range(260):  # streamed, 1 MB at a time, so that making it costs no memory
            sheet.write(b"<" * (1024 * 1024))
    line = refused(tmp_path, "assess", "bomb.xlsx", "-o", "out.json")
    assert line == ("bomb.xlsx:1:1: unpacks to 260 MB, more than the 250 MB a workbook may hold; "
                    "raise the limit with 'checklist --max-input-mb N …'")


def dense_workbook(path: Path, cells: list[int]) -> int:
    """A blank inventory workbook (`checklist init`) with rows of `cells` numbers under its
    header; returns the number of cells in the header."""
    blank = path.with_suffix(".blank.xlsx")
    write_blank_xlsx(blank, load_catalog())
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                end = data.index(b"</row>") + len(b"</row>")  # after the header
                header = data[:end].count(b"<c ")
                rows = b"".join(b'<row r="%d">' % (i + 2) + b"<c><v>1</v></c>" * n + b"</row>"
                                for i, n in enumerate(cells))
                data = data[:end] + rows + data[end:]
            out.writestr(info, data)
    blank.unlink()
    return header


def test_a_workbook_row_of_more_cells_than_a_spreadsheet_has_is_refused_before_it_is_built(tmp_path: Path) -> None:
    # openpyxl builds a whole row (about 600 bytes a cell) before handing it over: a 0.5 MB
    # workbook of one 10-million-cell row took 6.5 GB and a minute, and was then called valid
    dense_workbook(tmp_path / "dense.xlsx", [3, 20_000])
    line = refused(tmp_path, "validate", "dense.xlsx")
    assert line == "dense.xlsx:3:16385: more than 16,384 cells in one row"


def test_a_workbook_whose_sheet_does_not_unpack_is_refused_as_unreadable(tmp_path: Path) -> None:
    # the cells are counted as the sheet unpacks, before openpyxl: damaged deflate data must
    # still be the one-line refusal openpyxl's errors get, not an internal error
    dense_workbook(tmp_path / "good.xlsx", [3])
    data = bytearray((tmp_path / "good.xlsx").read_bytes())
    with zipfile.ZipFile(tmp_path / "good.xlsx") as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 50  # inside the deflated data
    data[start:start + 40] = bytes(b ^ 0x5A for b in data[start:start + 40])
    write_file(tmp_path / "damaged.xlsx", bytes(data))
    line = refused(tmp_path, "validate", "damaged.xlsx")
    assert line.startswith("damaged.xlsx:1:1: not a readable .xlsx workbook (Error -3 while decompressing data")


def test_workbook_cells_over_the_limit_are_refused_where_they_cross_it(tmp_path: Path) -> None:
    header = dense_workbook(tmp_path / "many.xlsx", [400, 400, 400])
    line = refused(tmp_path, "--max-nodes", "1000", "validate", "many.xlsx")
    assert line == (f"many.xlsx:4:{1000 - header - 800 + 1}: more than 1,000 cells in one sheet; "
                    "raise the limit with 'checklist --max-nodes N …'")
    # within a raised limit the rows are read (and their numbers refused as answers)
    assert "cells in one sheet" not in run(["--max-nodes", "1300", "validate", "many.xlsx"], tmp_path).stderr


def test_an_endless_file_is_not_read_to_its_end(tmp_path: Path) -> None:
    line = refused(tmp_path, "assess", "/dev/zero", "-o", "out.json")
    assert line.startswith("/dev/zero:1:1: ")


# ------------------------------------------------------------------ surprising input that must load


MERGE = (b"applications:\n  - id: a\n    answers: &base {os_family: linux, runtime: go}\n"
         b"  - id: b\n    answers:\n      <<: *base\n      runtime: java\n")
GOOD = [
    pytest.param("bom.yaml", b"\xef\xbb\xbfapplications:\n  - id: a\n", id="yaml-with-bom"),
    pytest.param("bom.json", b'\xef\xbb\xbf{"applications": [{"id": "a"}]}', id="json-with-bom"),
    pytest.param("crlf.yaml", b"applications:\r\n  - id: a\r\n    answers: {os_family: linux}\r\n", id="yaml-crlf"),
    pytest.param("excel.csv", b"\xef\xbb\xbfid;name;os_family;state_location\r\na;App A;linux;\"local_disk;"
                              b"external_services\"\r\n;;;\r\n", id="excel-csv-bom-crlf-semicolons"),
    pytest.param("dates.yaml", b"applications:\n  - id: 2024-01-01\n  - id: '2024-02-01'\n", id="date-like-ids"),
    pytest.param("cycle.yaml", b"applications:\n  - {id: a, depends_on: [b]}\n  - {id: b, depends_on: [c]}\n"
                               b"  - {id: c, depends_on: [a]}\n", id="dependency-cycle-is-a-move-group"),
    pytest.param("merge.yaml", MERGE, id="merge-key"),
    pytest.param("pair.json", b'{"applications": [{"id": "a", "name": "Smile \\ud83d\\ude00, not \\\\udc80"}]}',
                 id="json-surrogate-pair-and-escaped-backslash"),
]


@pytest.mark.parametrize(("name", "content"), GOOD)
def test_surprising_but_valid_input_loads(tmp_path: Path, name: str, content: bytes) -> None:
    write_file(tmp_path / name, content)
    done = run(["assess", name, "-f", "json", "-o", "out.json"], tmp_path)
    assert done.returncode == 0, done.stderr
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert document["applications"]


def test_merge_keys_override_the_anchor(tmp_path: Path) -> None:
    write_file(tmp_path / "merge.yaml", MERGE)
    run(["assess", "merge.yaml", "-f", "json", "-o", "out.json"], tmp_path)
    apps = {a["id"]: a for a in json.loads((tmp_path / "out.json").read_text())["applications"]}
    runtime = {a: next(f["facts"]["runtime"] for f in apps[a]["findings"] if "runtime" in f["facts"]) for a in apps}
    assert runtime == {"a": "go", "b": "java"}


# ------------------------------------------------------------------ nothing lost


def test_regenerating_a_report_in_place_is_normal(tmp_path: Path) -> None:
    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
    for fmt, out in (("md", "r.md"), ("html", "r.html"), ("json", "r.json"), ("csv", "r.csv"), ("jsonl", "r.jsonl")):
        for _ in range(2):
            done = run(["assess", "inv.yaml", "-f", fmt, "-o", out], tmp_path)
            assert done.returncode == 0, done.stderr


def test_force_replaces_a_file_of_another_kind(tmp_path: Path) -> None:
    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
    write_file(tmp_path / "notes.csv", "id,name\nx,X\n")
    line = refused(tmp_path, "assess", "inv.yaml", "-f", "json", "-o", "notes.csv")
    assert line == ("notes.csv: exists and is an inventory, catalog or other data file, not json output; "
                    "choose another --output, or add --force to replace it")
    done = run(["assess", "inv.yaml", "-f", "json", "-o", "notes.csv", "--force"], tmp_path)
    assert done.returncode == 0
    assert json.loads((tmp_path / "notes.csv").read_text())["schema_version"] == 2


def test_force_never_overwrites_an_input(tmp_path: Path) -> None:
    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
    line = refused(tmp_path, "assess", "inv.yaml", "-o", "inv.yaml", "--force")
    assert line == "inv.yaml: is an input file; choose another --output"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checklist.io.output import write_atomic

    target = write_file(tmp_path / "report.md", "the old report\n")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ChecklistError, match="cannot write: No space left on device"):
        write_atomic(target, "the new report\n")
    assert target.read_text() == "the old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_streamed_output_is_whole_at_the_end_or_not_there_at_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checklist.io import output

    target = write_file(tmp_path / "result.json", "the old result\n")
    monkeypatch.setattr(output, "BATCH", 500)  # pieces are written in batches of 500 bytes, not 1 MB
    pieces = [f"{i:05d}".encode() * 50 for i in range(200)]  # 50 kB in pieces of 250 bytes

    def stream(fail: bool = False) -> Iterator[bytes]:
        yield from pieces[:100]
        if fail:
            raise OSError(28, "No space left on device")
        yield from pieces[100:]

    output.write_atomic(target, stream())
    assert target.read_bytes() == b"".join(pieces)
    with pytest.raises(ChecklistError, match="No space left on device"):
        output.write_atomic(target, stream(fail=True))
    assert target.read_bytes() == b"".join(pieces)
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_an_output_that_is_a_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/null`, `-o /dev/stdout` or a named pipe: renaming a file over it would break it
    (as root, `/dev/null` itself). A FIFO stands in for them here."""
    import threading

    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
    fifo = tmp_path / "results.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = run(["assess", "inv.yaml", "-f", "json", "-o", "results.pipe"], tmp_path)
    reader.join(timeout=20)
    assert done.returncode == 0, done.stderr
    assert json.loads(b"".join(received))["applications"][0]["id"] == "a"
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a pipe
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inv.yaml", "results.pipe"]  # no temporary left


def test_an_output_through_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
    (tmp_path / "reports").mkdir()
    real = write_file(tmp_path / "reports" / "latest.md", "the previous report\n")
    (tmp_path / "latest.md").symlink_to(real)
    done = run(["assess", "inv.yaml", "-f", "md", "-o", "latest.md"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "latest.md").is_symlink()
    assert "the previous report" not in real.read_text() and real.read_text().startswith("#")


@pytest.mark.parametrize("args", [["assess", "inv.yaml", "-f", "md"], ["report", "inv.yaml"]])
def test_dev_stdout_appends_to_what_standard_output_was_redirected_to(tmp_path: Path, args: list[str]) -> None:
    """`-o /dev/stdout >> log.txt` must add to the log, not replace it with a new file."""
    write_file(tmp_path / "inv.yaml", "applications:\n  - id: a\n")
    log = write_file(tmp_path / "log.txt", "an earlier line\n")
    with log.open("ab") as appended:
        done = subprocess.run([sys.executable, "-m", "checklist", *args, "-o", "/dev/stdout"], cwd=tmp_path,
                              stdout=appended, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("an earlier line\n# ") and len(text.splitlines()) > 10


def test_the_first_lone_surrogate_in_the_file_is_the_one_reported(tmp_path: Path) -> None:
    """A key is checked before its value, and both in the order the file has them."""
    write_file(tmp_path / "inv.json", '{\n  "applications": [\n'
                                      '    {"id": "a", "x\\udc80": 1, "name": "\\udc81"}\n  ]\n}\n')
    line = assert_refused(run(["assess", "inv.json", "-o", "out.json"], tmp_path), files_in(tmp_path), tmp_path)
    assert line.startswith("inv.json:3:17: applications[0].x"), line
    assert "\\udc80 is half of a UTF-16 surrogate pair" in line
