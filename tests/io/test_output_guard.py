"""One output guard for every command that writes: never an input of any kind (compared by
device and inode, so a link or a hard link of an input is one too), another kind of file only
with --force, and a stream, a loop or a directory refused in one line before any work."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import REPO, write_file
from typer.testing import CliRunner

from checklist.cli import app

INVENTORY = "version: 1\napplications:\n  - id: a\n    answers: {os_family: linux}\n"
QUESTIONNAIRE = REPO / "tests" / "data" / "konveyor" / "cloud-native.yaml"

# Every command that writes a file, as `-o OUT` (or OUT) would make it write.
WRITERS = {
    "assess": ["assess", "inv.yaml", "-o"],
    "assess-json": ["assess", "inv.yaml", "-f", "json", "-o"],
    "report": ["report", "inv.yaml", "-f", "md", "-o"],
    "plan": ["plan", "inv.yaml", "-o"],
    "plan-json": ["plan", "inv.yaml", "-f", "json", "-o"],
    "diff": ["diff", "inv.yaml", "inv.yaml", "-o"],
    "diff-json": ["diff", "inv.yaml", "inv.yaml", "-f", "json", "-o"],
    "export": ["export", "konveyor", "-o"],
    "schema": ["schema", "-o"],
    "init": ["init", "--format", "yaml"],
    "import": ["import", "konveyor-csv", "apps.csv", "-o"],
    "scan": ["scan", "src", "-o"],
    "collect": ["collect", "--script", "-o"],
}


def invoke(cwd: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stderr


@pytest.fixture
def work(tmp_path: Path) -> Path:
    write_file(tmp_path / "inv.yaml", INVENTORY)
    write_file(tmp_path / "apps.csv", "Application Name,Description\nshop,The shop\n")
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    write_file(tmp_path / "templates" / "report.md.j2", "{{ title }}\n")
    write_file(tmp_path / "src" / "app.py", "print('hello')\n")
    return tmp_path


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


# The inputs of each kind a command may read, and the options that make it read them.
INPUTS = {
    "inventory": ("inv.yaml", []),
    "catalog": ("rules/facts.yaml", ["--rules", "rules"]),
    "template": ("templates/report.md.j2", ["--template-dir", "templates"]),
    "baseline": ("base.yaml", ["--baseline", "base.yaml"]),
    "questionnaire": ("q.yaml", ["--questionnaire", "q.yaml"]),
}
READS = {  # which commands read which extra inputs
    "catalog": [w for w in WRITERS if w not in ("import", "collect")],
    "template": ["report"],
    "baseline": ["report"],
    "questionnaire": ["assess", "assess-json", "report"],
    "inventory": ["assess", "assess-json", "report", "plan", "plan-json", "diff", "diff-json"],
}
CASES = [(writer, kind) for kind, writers in READS.items() for writer in writers]


@pytest.mark.parametrize(("writer", "kind"), CASES, ids=[f"{w}-over-{k}" for w, k in CASES])
def test_no_command_writes_over_an_input_even_with_force(work: Path, writer: str, kind: str) -> None:
    name, options = INPUTS[kind]
    write_file(work / "base.yaml", INVENTORY)
    shutil.copy(QUESTIONNAIRE, work / "q.yaml")
    (work / "link.out").symlink_to(name)  # reached through a link, it is the same file
    before = snapshot(work)
    for target in (name, "link.out"):
        code, stderr = invoke(work, *WRITERS[writer], target, *options, "--force")
        assert code == 2, stderr
        if writer == "export" and kind == "catalog":  # a new file there would be read as a rule file too
            assert stderr.startswith(f"{target}: is inside the catalog directory rules")
        else:
            assert stderr == f"{target}: is an input file; choose another --output\n"
    assert snapshot(work) == before


def test_nothing_is_written_into_the_tree_being_scanned(work: Path) -> None:
    before = snapshot(work)
    for target in ("src/app.py", "src/new.txt"):
        code, stderr = invoke(work, "scan", "src", "-o", target, "--force")
        assert (code, stderr) == (2, f"{target}: is inside a directory this command reads; write it elsewhere\n")
    assert snapshot(work) == before


def test_an_input_with_another_name_is_found_by_its_inode(work: Path) -> None:
    os.link(work / "inv.yaml", work / "hard.yaml")  # as a bind mount would show it: same device and inode
    before = snapshot(work)
    for writer in ("assess", "plan", "diff"):
        code, stderr = invoke(work, *WRITERS[writer], "hard.yaml", "--force")
        assert (code, stderr) == (2, "hard.yaml: is an input file; choose another --output\n")
    assert snapshot(work) == before


@pytest.mark.parametrize("writer", ["plan", "plan-json", "diff", "diff-json", "export", "schema", "scan", "collect"])
def test_another_kind_of_file_is_replaced_only_with_force(work: Path, writer: str) -> None:
    pdf = write_file(work / "board.pdf", b"%PDF-1.7\n...")
    code, stderr = invoke(work, *WRITERS[writer], "board.pdf")
    assert code == 2
    assert stderr.startswith("board.pdf: exists and is a PDF, not ") and "add --force" in stderr
    assert pdf.read_bytes() == b"%PDF-1.7\n..."
    code, stderr = invoke(work, *WRITERS[writer], "board.pdf", "--force")
    assert code == 0, stderr
    assert not pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("writer", ["plan-json", "diff-json", "export", "schema", "report"])
def test_writing_again_over_its_own_output_is_normal(work: Path, writer: str) -> None:
    for _ in range(2):
        code, stderr = invoke(work, *WRITERS[writer], "out.x")
        assert code == 0, stderr


@pytest.mark.parametrize("writer", ["init", "import"])
def test_creating_an_inventory_replaces_nothing_without_force(work: Path, writer: str) -> None:
    notes = write_file(work / "notes.yaml", "my notes\n")
    code, stderr = invoke(work, *WRITERS[writer], "notes.yaml")
    assert (code, stderr) == (2, "notes.yaml: exists; choose another name, or add --force to replace it\n")
    assert notes.read_text() == "my notes\n"


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_link_that_loops_a_directory_or_a_closed_descriptor_is_one_line(work: Path, writer: str) -> None:
    (work / "loop.yaml").symlink_to("loop.yaml")
    (work / "out.yaml").mkdir()
    expected = {
        "loop.yaml": "loop.yaml: is a symbolic link that loops back on itself; remove it or choose another --output",
        "out.yaml": "out.yaml: is a directory; give a file name",
        "/dev/fd/999": "/dev/fd/999: cannot write: Bad file descriptor",
    }
    for target, line in expected.items():
        if writer in ("init", "import") and target.startswith("/dev/"):
            continue  # these write an inventory file, never a stream
        code, stderr = invoke(work, *WRITERS[writer], target)
        assert (code, stderr) == (2, line + "\n")
