"""Time and memory of every bad input: the corpus in tests/bad_inputs/ plus the giants.

Each case runs through the real CLI (`python -m checklist …`) in a fresh
process, as a user would run it; the process's own resource usage comes from
os.wait4, so every case gets its own peak RSS. The target is under 2 s and
under 300 MB per case. Prints a Markdown table, slowest first.

    python3 bench/bad_inputs.py [--repeat N] [--generated]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "bad_inputs"
WALL_TARGET = 2.0  # seconds
RSS_TARGET = 300  # MB


@dataclass
class Measure:
    case: str
    code: int
    wall: float  # seconds, the slowest run
    cpu: float  # user + system seconds, the slowest run
    rss: float  # MB, the highest peak


def run_once(args: list[str], cwd: Path) -> tuple[int, float, float, float]:
    """(exit code, wall s, cpu s, peak RSS MB) of one CLI process."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "checklist", *args], cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def corpus_args(case: Path) -> list[str]:
    args = case / "args"
    if args.exists():
        return shlex.split(args.read_text(encoding="utf-8"))
    return ["assess", *sorted(p.name for p in case.iterdir() if p.name not in ("args", "expected")), "-o", "out.json"]


def _sparse(directory: Path) -> list[str]:
    with (directory / "huge.yaml").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    return ["assess", "huge.yaml", "-o", "out.json"]


def _deep_yaml(directory: Path) -> list[str]:
    (directory / "deep.yaml").write_text("applications:\n  - id: a\n    tags: " + "[" * 10_000 + "]" * 10_000 + "\n")
    return ["assess", "deep.yaml", "-o", "out.json"]


def _deep_json(directory: Path) -> list[str]:
    (directory / "deep.json").write_text('{"applications": [{"id": "a", "tags": ' + "[" * 10_000 + "]" * 10_000 + "}]}")
    return ["assess", "deep.json", "-o", "out.json"]


def _alias_bomb(directory: Path) -> list[str]:
    lines = ["applications:", "  - id: a", "    tags: &l0 [" + ", ".join(['"lol"'] * 9) + "]"]
    for level in range(1, 9):
        lines += [f"  - id: a{level}", f"    tags: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]"]
    (directory / "bomb.yaml").write_text("\n".join(lines) + "\n")
    return ["assess", "bomb.yaml", "-o", "out.json"]


def _zip_bomb(directory: Path) -> list[str]:
    with (zipfile.ZipFile(directory / "bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as archive,
          archive.open("xl/worksheets/sheet1.xml", "w") as sheet):
        for _ in range(260):  # streamed, 1 MB at a time, so that making it costs no memory
            sheet.write(b"<" * (1024 * 1024))
    return ["assess", "bomb.xlsx", "-o", "out.json"]


def _portfolio(count: int) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import portfolio  # bench/generate.py

    from checklist.io.catalog import load_catalog

    return portfolio(load_catalog(), count)


def _late_typo(directory: Path) -> list[str]:
    data = _portfolio(10_000)
    data["applications"][-1]["answers"]["os_family"] = "linx"
    (directory / "apps.json").write_text(json.dumps(data, indent=2))
    return ["assess", "apps.json", "-o", "out.json"]


def _dangling(directory: Path) -> list[str]:
    data = _portfolio(10_000)
    for i, app in enumerate(data["applications"][::10]):  # as if the other half of the CMDB were missing
        app["depends_on"] = [f"app-{10_000 + i:06d}"]
    (directory / "apps.json").write_text(json.dumps(data, separators=(",", ":")))
    return ["assess", "apps.json", "-o", "out.json"]


def _many_values(directory: Path) -> list[str]:
    with (directory / "tags.json").open("w") as handle:  # over the 5 million values allowed, in one list
        handle.write('{"version": 1, "applications": [{"id": "a", "tags": [')
        for _ in range(51):
            handle.write('"t",' * 100_000)
        handle.write('"t"]}]}')
    return ["validate", "tags.json"]


def _tiny_values(kind: str) -> Callable[[Path], list[str]]:
    """About 48 MB of values that take 3 bytes each (empty lists, empty cells)."""
    def prepare(directory: Path) -> list[str]:
        name = f"tiny.{kind.split('-')[0]}"
        head, piece, tail = {"json": ("[", "[]," * 1_000_000, "[]]"), "yaml": ("", "- []\n" * 600_000, ""),
                             "yaml-indented": ("apps:\n", "  - {}\n" * 430_000, ""),
                             "yaml-flow": ("[", "[]," * 1_000_000, "[]]"),
                             "yaml-scalars": ("", "- a\n" * 750_000, ""),
                             "csv": ("id,name\n", "," * 3_000_000, "\n")}[kind]
        with (directory / name).open("w") as handle:
            handle.write(head)
            for _ in range(16):
                handle.write(piece)
            handle.write(tail)
        return ["validate", name]
    return prepare


def _saved_result(head: str, repeated: str, tail: str) -> Callable[[Path], list[str]]:
    """A saved result: `head`, `repeated` 10 times, then `tail`, diffed against itself."""
    def prepare(directory: Path) -> list[str]:
        with (directory / "result.json").open("w") as handle:
            handle.write(head)
            for _ in range(10):
                handle.write(repeated)
            handle.write(tail)
        return ["diff", "result.json", "result.json"]
    return prepare


# one application of 16 million empty lists (48 MB)
_result_of_tiny_values = _saved_result(
    '{"schema_version": 1, "applications": [{"id": "a", "score": 1, "verdict": "ready", "findings": [',
    "[]," * 1_600_000, "[]]}]}")
# a wrong first application, then 10 million applications `0` (20 MB)
_result_of_tiny_applications = _saved_result(
    '{"schema_version": 1, "applications": [{"id": "a", "score": -1, "verdict": "ready"}', ",0" * 1_000_000, "]}")


def _sparse_result(directory: Path) -> list[str]:
    """A saved result of 1.1 GB, over the 1,000 MB a result may have (sparse: nothing on the disk)."""
    with (directory / "result.json").open("wb") as handle:
        handle.write(b'{"schema_version": 1, "applications": [' + b" " * 8192)  # then zeros, not on the disk
        handle.truncate(1100 * 1024 * 1024)
    return ["diff", "result.json", "result.json"]


def _dense_workbook(rows: int, cells: int) -> Callable[[Path], list[str]]:
    """A blank inventory workbook with `rows` rows of `cells` numbers: a few hundred KB that
    unpack to up to 150 MB of XML."""
    def prepare(directory: Path) -> list[str]:
        from checklist.io.catalog import load_catalog
        from checklist.io.tabular import write_blank_xlsx

        write_blank_xlsx(directory / "blank.xlsx", load_catalog())
        with zipfile.ZipFile(directory / "blank.xlsx") as blank, \
                zipfile.ZipFile(directory / "dense.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
            for info in blank.infolist():
                data = blank.read(info.filename)
                if info.filename != "xl/worksheets/sheet1.xml":
                    out.writestr(info, data)
                    continue
                end = data.index(b"</row>") + len(b"</row>")  # after the header
                with out.open(info.filename, "w") as sheet:
                    sheet.write(data[:end])
                    row = b"<c><v>1</v></c>" * cells
                    for number in range(2, rows + 2):
                        sheet.write(b'<row r="%d">' % number + row + b"</row>")
                    sheet.write(data[end:])
        return ["validate", "dense.xlsx"]
    return prepare


def _shared_string_workbook(directory: Path) -> list[str]:
    """A workbook whose one 10 MB shared string is used by 300 rows (3 GB of text from a
    small file): written by openpyxl (inline strings), then its name cells pointed at one
    shared string, as spreadsheet programs store a repeated text."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name"])
    for i in range(300):
        sheet.append([f"app-{i}", "PLACEHOLDER"])
    book.save(directory / "made.xlsx")
    main = "http://schemas.openxmlformats.org"
    strings = (f'<sst xmlns="{main}/spreadsheetml/2006/main" count="300" uniqueCount="1"><si><t>'.encode()
               + b"x" * 10 * 1024 * 1024 + b"</t></si></sst>")
    with zipfile.ZipFile(directory / "made.xlsx") as made, \
            zipfile.ZipFile(directory / "shared.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        for info in made.infolist():
            data = made.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b't="inlineStr"><is><t>PLACEHOLDER</t></is>', b't="s"><v>0</v>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", f'<Relationship Type="{main}/officeDocument/2006/'
                                    'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId9"/>'
                                    "</Relationships>".encode())
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                                    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
                                    b'+xml"/></Types>')
            out.writestr(info, data)
        out.writestr("xl/sharedStrings.xml", strings)
    (directory / "made.xlsx").unlink()
    return ["assess", "shared.xlsx", "-o", "out.json"]


def _aliased_text(directory: Path) -> list[str]:
    """A YAML anchor on a 10 MB string, used 299 times (3 GB of text from a 10 MB file)."""
    with (directory / "aliased.yaml").open("w") as handle:
        handle.write("applications:\n  - id: first\n    name: &big " + "x" * 10 * 1024 * 1024 + "\n")
        for i in range(299):
            handle.write(f"  - id: app-{i}\n    name: *big\n")
    return ["assess", "aliased.yaml", "-o", "out.json"]


GENERATED: dict[str, Callable[[Path], list[str]]] = {
    "generated: .xlsx, one row of 10 million cells (0.5 MB file)": _dense_workbook(1, 10_000_000),
    "generated: .xlsx, 625 rows of 16,000 cells (0.3 MB file)": _dense_workbook(625, 16_000),
    "generated: 5.1 million values in one JSON list": _many_values,
    "generated: 16 million empty JSON lists (48 MB)": _tiny_values("json"),
    "generated: 9.6 million YAML lines '- []' (48 MB)": _tiny_values("yaml"),
    "generated: 6.9 million indented YAML lines '  - {}' (48 MB)": _tiny_values("yaml-indented"),
    "generated: 16 million empty lists in YAML's flow style (48 MB)": _tiny_values("yaml-flow"),
    "generated: 12 million YAML lines '- a' (48 MB)": _tiny_values("yaml-scalars"),
    "generated: a CSV row of 48 million empty cells": _tiny_values("csv"),
    "generated: 10,000 applications, a typo in the last (JSON)": _late_typo,
    "generated: 10,000 applications, 1,000 dangling depends_on (JSON, one line)": _dangling,
    "generated: 200 MB sparse file": _sparse,
    "generated: saved result, one application of 16 million empty lists (48 MB)": _result_of_tiny_values,
    "generated: saved result, a wrong application then 10 million applications 0 (20 MB)":
        _result_of_tiny_applications,
    "generated: saved result, 1.1 GB sparse file": _sparse_result,
    "generated: 10,000 nested YAML lists": _deep_yaml,
    "generated: 10,000 nested JSON lists": _deep_json,
    "generated: alias bomb (9^9 values)": _alias_bomb,
    "generated: zip bomb .xlsx (260 MB unpacked)": _zip_bomb,
    "generated: .xlsx, a 10 MB shared string in 300 rows": _shared_string_workbook,
    "generated: YAML anchor on a 10 MB string, 299 aliases": _aliased_text,
}


def _in_child(prepare: Callable[[Path], list[str]], directory: Path) -> list[str]:
    """`prepare(directory)` run in a forked process, so that building a giant does not grow
    this one: a child's peak RSS starts at its parent's size when it forks."""
    results: multiprocessing.SimpleQueue[list[str]] = multiprocessing.get_context("fork").SimpleQueue()
    child = multiprocessing.get_context("fork").Process(target=lambda: results.put(prepare(directory)))
    child.start()
    args = results.get()
    child.join()
    return args


def measure(name: str, prepare: Callable[[Path], list[str]], repeat: int) -> Measure:
    worst = Measure(name, 0, 0.0, 0.0, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        args = _in_child(prepare, Path(tmp))
        for _ in range(repeat):
            code, wall, cpu, rss = run_once(args, Path(tmp))
            worst = Measure(name, code, max(worst.wall, wall), max(worst.cpu, cpu), max(worst.rss, rss))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the worst is reported")
    parser.add_argument("--generated", action="store_true", help="only the generated giants, not the corpus")
    options = parser.parse_args()

    def corpus_case(case: Path) -> Callable[[Path], list[str]]:
        def prepare(directory: Path) -> list[str]:
            shutil.copytree(case, directory, symlinks=True, dirs_exist_ok=True)  # a link stays a link
            return corpus_args(case)
        return prepare

    cases = {} if options.generated else {case.name: corpus_case(case) for case in sorted(CORPUS.iterdir())
                                          if case.is_dir()}
    cases.update(GENERATED)
    results = [measure(name, prepare, options.repeat) for name, prepare in cases.items()]
    results.sort(key=lambda m: -m.wall)
    print(f"{len(results)} cases, worst of {options.repeat} run(s) each\n")
    print("| case | exit | wall s | cpu s | peak RSS MB |")
    print("| --- | --- | --- | --- | --- |")
    for m in results:
        flag = " **over**" if m.wall > WALL_TARGET or m.rss > RSS_TARGET else ""
        print(f"| {m.case} | {m.code} | {m.wall:.2f} | {m.cpu:.2f} | {m.rss:.0f}{flag} |")
    not_two = [m.case for m in results if m.code != 2]
    print(f"\nslowest wall {results[0].wall:.2f} s ({results[0].case}); "
          f"most CPU {max(m.cpu for m in results):.2f} s; highest peak RSS {max(m.rss for m in results):.0f} MB; "
          f"over {WALL_TARGET:g} s wall: {sum(m.wall > WALL_TARGET for m in results)}; "
          f"over {RSS_TARGET} MB: {sum(m.rss > RSS_TARGET for m in results)}; "
          f"exit code other than 2: {', '.join(not_two) or 'none'}")


if __name__ == "__main__":
    main()
