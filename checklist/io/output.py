"""Writing results: atomically, and never over an input file."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from checklist.core.errors import ChecklistError, Problem, UsageError

# What a renderer produces: the whole text or bytes (UTF-8), or pieces of either that
# are written as they come (a portfolio's JSON can be larger than it should take memory).
Content = str | bytes | Iterable[str | bytes]


def _pieces(data: Content) -> Iterable[str | bytes]:
    return (data,) if isinstance(data, str | bytes) else data


# Small pieces are gathered into writes of about this size: each write call costs the
# kernel about as much for 24 KB as for 1 MB (236 MB in 10,000 writes of 24 KB took 0.21 s
# here, in 250 writes of 944 KB 0.08 s).
BATCH = 1 << 20


def _write_pieces(handle: BinaryIO, data: Content) -> None:
    batch: list[bytes] = []
    size = 0
    for piece in _pieces(data):
        batch.append(piece if isinstance(piece, bytes) else piece.encode("utf-8"))
        size += len(batch[-1])
        if size >= BATCH:
            handle.write(b"".join(batch))  # a lone piece is not copied: join returns it
            batch, size = [], 0
    if batch:
        handle.write(b"".join(batch))


def write_atomic(path: Path, data: Content) -> None:
    """Replace `path` with `data` in one step: a temporary file in the same
    directory is written, flushed to disk and renamed over the target, so a
    failure at any point leaves the old file as it was.

    A symbolic link keeps pointing where it did (what it points to is
    replaced). A device, pipe or socket (`/dev/null`, `/dev/stdout`, a FIFO)
    is written in place: a file renamed over it would break it, and when run
    as root would replace `/dev/null` for every program on the machine.
    """
    if path.exists() and not path.is_file() and not path.is_dir():
        _write_in_place(path, str(path), data)
        return
    if path.is_symlink():
        try:
            path = path.resolve()
        except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop, later versions OSError
            raise ChecklistError(Problem(str(path), "is a symbolic link that loops back on itself; "
                                                    "remove it or choose another --output")) from None
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ChecklistError(Problem(str(path), f"cannot write: {exc.strerror}")) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_pieces(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            if path.exists():
                os.chmod(temp, path.stat().st_mode & 0o777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise ChecklistError(Problem(str(path), f"cannot write: {exc.strerror}")) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _write_in_place(target: Path | int, name: str, data: Content) -> None:
    """Write `data` into a device, pipe or open file descriptor, as it is."""
    try:
        with open(target, "wb") as handle:
            _write_pieces(handle, data)
    except OSError as exc:
        raise ChecklistError(Problem(name, f"cannot write: {exc.strerror}")) from None


def _identity(path: Path | str) -> tuple[int, int] | None:
    """(device, inode) of what `path` names, following links; None when it names nothing."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def refuse_inputs(output: Path, inputs: Iterable[Path | str]) -> None:
    """Raise if `output` is one of the input files: results never overwrite inputs. Files are
    compared by device and inode, so a link, a hard link or a bind mount of an input is one too."""
    target = _identity(output)
    if target is None:
        return
    for name in inputs:
        if str(name) != "-" and _identity(name) == target:
            raise ChecklistError(Problem(str(output), "is an input file; choose another --output"))


# Names of streams that are already open: written to as they are (appending to
# whatever the shell redirected them to), never replaced by a file.
_STREAM = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/self/fd/\d+")


def stream_fd(output: Path | None) -> int | None:
    """The file descriptor `output` stands for (1 when there is none, or for "-"),
    or None when it names a file."""
    name = "-" if output is None else str(output)
    if name in ("-", "/dev/stdout"):
        return 1
    if name == "/dev/stderr":
        return 2
    return int(name.rsplit("/", 1)[1]) if _STREAM.fullmatch(name) else None


def _to_stdout(data: Content) -> None:
    text_pending = True  # anything printed before
    for piece in _pieces(data):
        if isinstance(piece, str):
            sys.stdout.write(piece)
            text_pending = True
            continue
        if text_pending:
            sys.stdout.flush()
            text_pending = False
        sys.stdout.buffer.write(piece)
    sys.stdout.flush()


def emit(data: Content, output: Path | None, inputs: Iterable[Path | str] = ()) -> None:
    """Write to `output` (atomically), or to the stream it names (standard output by default)."""
    fd = stream_fd(output)
    if fd == 1:
        try:
            _to_stdout(data)
        except (OSError, UnicodeEncodeError) as exc:
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - what is left unwritten goes nowhere
            if isinstance(exc, UnicodeEncodeError):
                reason = (f"its encoding, {exc.encoding}, cannot hold {exc.object[exc.start]!r}; "
                          "set PYTHONIOENCODING=utf-8")
            else:
                reason = exc.strerror or str(exc)
            raise ChecklistError(Problem("<stdout>", f"cannot write: {reason}; or write to a file with -o FILE")) \
                from None
        return
    if fd is not None:
        sys.stderr.flush()
        try:
            duplicate = os.dup(fd)
        except OSError as exc:  # `-o /dev/fd/9` with nothing open as 9
            raise ChecklistError(Problem(str(output), f"cannot write: {exc.strerror}")) from None
        _write_in_place(duplicate, str(output), data)
        return
    assert output is not None
    refuse_inputs(output, inputs)
    write_atomic(output, data)


# What an existing file is, judged from its first bytes, so that an output never
# replaces a file of another kind (a PDF over an inventory, say) without --force.
KIND_NAMES = {
    "pdf": "a PDF", "zip": "a workbook or other zip archive", "html": "an HTML page",
    "json": "a JSON assessment", "jsonl": "JSON lines of an assessment", "schema": "a JSON Schema",
    "plan": "a JSON plan", "diff": "a JSON comparison", "questionnaire": "a Konveyor questionnaire",
    "csv": "a CSV export of an assessment", "binary": "a binary file",
    "data": "an inventory, catalog or other data file", "text": "a text document",
}
# The kind each output format writes.
FORMAT_KINDS = {"pdf": "pdf", "html": "html", "json": "json", "jsonl": "jsonl", "csv": "csv", "schema": "schema",
                "md": "text", "table": "text", "script": "text", "scan": "data"}
_TABLE_HEADER = re.compile(rb'[^#<\n][\w"\' .-]*([,;\t][\w"\' .-]*)+\r?')  # a CSV inventory's first row
_DATA = re.compile(rb"(?m)^(version|organization|applications|catalog|scoring|steps|facts|rules)\s*:")
_QUESTIONNAIRE = re.compile(rb'(?m)^sections\s*:|^\{\s*"name"\s*:[^\n]*\n(?:[^\n]*\n){0,4}\s*"sections"\s*:')


def file_kind(head: bytes) -> str:
    """The kind of a file from its first few kilobytes."""
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if stripped[:15].lower() == b"<!doctype html>" or stripped[:5].lower() == b"<html":
        return "html"
    if re.match(rb'\{\s*"schema_version"', stripped):
        return "plan" if re.search(rb'\n  "waves"\s*:', stripped) else "json"
    if re.match(rb'\{\s*"before"\s*:', stripped):
        return "diff"
    if re.match(rb'\{\s*"\$schema"', stripped):
        return "schema"
    if re.match(rb'\{"id":', stripped):
        return "jsonl"
    if stripped.startswith(b"id,name,owner,criticality,score,"):
        return "csv"
    if b"\x00" in head:
        return "binary"
    if _QUESTIONNAIRE.search(stripped):
        return "questionnaire"
    first = stripped.split(b"\n", 1)[0]
    if _DATA.search(head) or stripped[:1] in (b"{", b"[") or _TABLE_HEADER.fullmatch(first):
        return "data"
    return "text"


def guard_output(output: Path | None, fmt: str | None, inputs: Iterable[Path | str], *, force: bool,
                 within: Iterable[Path] = ()) -> None:
    """The one check of every command that writes a file, made before any work.

    Never an input of any kind (`inputs`: every inventory, catalog, questionnaire, baseline
    and template file the command reads), compared by device and inode; an existing file
    of another kind than format `fmt` writes only with `force` (`fmt` None: any existing file). A
    stream (`-`, `/dev/stdout`, `/dev/fd/N`) must be open; a link that loops, or a
    directory, is refused here rather than when the result is ready. Nor is anything written
    inside one of the directories `within` (a tree being scanned), and a PDF is not for a terminal.
    """
    if fmt == "pdf" and stream_fd(output) == 1 and sys.stdout.isatty():
        raise UsageError("a PDF is not for the terminal: add -o FILE.pdf")
    if output is None:
        return
    fd = stream_fd(output)
    if fd is not None:
        try:
            os.fstat(fd)
        except OSError as exc:
            raise ChecklistError(Problem(str(output), f"cannot write: {exc.strerror}")) from None
        return
    _refuse_within(output, within)
    try:
        found = os.stat(output)
    except FileNotFoundError:
        return  # a new file (or a dangling link: what it points to is created)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ChecklistError(Problem(str(output), "is a symbolic link that loops back on itself; "
                                                      "remove it or choose another --output")) from None
        raise ChecklistError(Problem(str(output), f"cannot write: {exc.strerror}")) from None
    refuse_inputs(output, inputs)
    if stat.S_ISDIR(found.st_mode):
        raise ChecklistError(Problem(str(output), "is a directory; give a file name"))
    if force or not stat.S_ISREG(found.st_mode) or found.st_size == 0:
        return
    if fmt is None:
        raise ChecklistError(Problem(str(output), "exists; choose another name, or add --force to replace it"))
    try:
        with output.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return  # writing will report it
    existing = file_kind(head)
    if existing != FORMAT_KINDS.get(fmt, fmt):
        raise ChecklistError(Problem(str(output), f"exists and is {KIND_NAMES[existing]}, not {fmt} output; "
                                                  "choose another --output, or add --force to replace it"))


def _refuse_within(output: Path, directories: Iterable[Path]) -> None:
    """Raise if `output` would be written inside one of `directories` (compared by device and inode)."""
    places = {identity for identity in map(_identity, directories) if identity is not None}
    if not places:
        return
    try:
        parent = output.resolve().parent
    except (RuntimeError, OSError):
        return  # a loop: refused on its own
    for directory in (parent, *parent.parents):
        if _identity(directory) in places:
            raise ChecklistError(Problem(str(output), "is inside a directory this command reads; "
                                                      "write it elsewhere"))
