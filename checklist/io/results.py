"""Reading a result saved by `assess --format json`, for a diff.

A saved result is about 25 times the size of its inventory: every application carries
all its findings, with their messages and remediation texts (10,000 applications make
343 MB). A diff keeps a few per cent of it: per application its id, name, score,
verdict, strategy, step statuses and the answers its rules read (`AppSnapshot`).

msgspec decodes the file against that shape: every byte is checked as JSON, only what
a diff keeps is built, and the rest (messages, remediations) is checked and skipped
at C speed, a second for those 343 MB (bench/RESULTS.md). A file that does not decode
so is read again whole by the reader of every input, which names the problem at its
line and column as it does for an inventory; a result too large for that (over
--max-input-mb) is refused with the decoder's own words and the place it stopped.

Limits, so that a hostile file costs no more than an inventory would: the file may
have RESULT_SIZE_FACTOR times the size of an input (a result of every application
an inventory within the limits can hold), and the values kept for the diff are held
to the limit of values of one input. One difference from reading whole: a key
repeated inside an application is read as JSON readers read it, the last one winning.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from checklist.core.errors import ChecklistError, Problem
from checklist.core.snapshot import AppSnapshot, Snapshot, appears_twice, count_values
from checklist.core.vocabulary import VERDICTS
from checklist.io.inventory import RESULT_HEAD
from checklist.io.source import DEFAULT_LIMITS, Limits, too_big

RESULT_SIZE_FACTOR = 20
_BYTE = re.compile(r"\(byte (\d+)\)$")


class _Step(msgspec.Struct, gc=False):
    step: int
    status: str


class _Finding(msgspec.Struct, gc=False):
    facts: dict[str, Any] | None = None


class _App(msgspec.Struct, gc=False):
    id: str
    score: float
    verdict: str
    name: str = ""
    strategy: str = ""
    confidence: Any = None  # read as the whole-document reader reads it: a share from 0 to 1, else unknown
    steps: list[_Step] = []
    findings: list[_Finding] = []


class _Organization(msgspec.Struct, gc=False):
    score: float | None = None


class _Result(msgspec.Struct, gc=False):
    schema_version: int
    applications: list[_App]
    organization: _Organization | None = None


_WHOLE = msgspec.json.Decoder(_Result)
_ONE = msgspec.json.Decoder(_App)
# The compact layout checklist writes a result of more than a few hundred applications in
# (render.json.stream): `"applications":[{"id":"…` and between two applications `},{"id":"`.
# In valid JSON that mark is never inside a string (its quotes are not escaped) and `"id"`
# after `{` opens an application's mapping only at its level: a mark found deeper cuts an
# application short, and the cut piece does not decode, so every piece that decodes is one.
_FIRST = b',"applications":[{"id":"'
_MARK = b'},{"id":"'
_NONE = b',"applications":[]'
STREAM_FROM = 16 * 1024 * 1024  # a smaller result is decoded whole, at once
_BLOCK = 4 * 1024 * 1024
_LAST_TRIES = 64  # ends tried for the last application (each a "}]" in its text)


class _NotAsWritten(Exception):
    """What the decoder or a check found, and the byte of the file where."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


def read_result(path: Path, display: str, org_facts: Sequence[str],
                limits: Limits = DEFAULT_LIMITS) -> Snapshot | None:
    """The snapshot of the saved result in `path`; None when the file is not a result
    (an inventory), or is one that the reader of every input must read whole to place
    its problem."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
            as_written = RESULT_HEAD.match(head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace"))
            size = os.fstat(handle.fileno()).st_size
            limit = RESULT_SIZE_FACTOR * limits.max_bytes if as_written else limits.max_bytes
            if size > limit:
                if not as_written:
                    return None  # refused as any input that size is
                raise ChecklistError(too_big(display, size, limit, "a saved result"))
            handle.seek(0)
            reader = _Reader(display, org_facts, limits)
            try:
                with no_collection():
                    if as_written and size > STREAM_FROM:
                        found = reader.streamed(handle)
                        if found is not None:
                            return found
                        handle.seek(0)
                    raw = handle.read()
                    if not as_written and b'"schema_version"' not in raw:  # an inventory
                        return None
                    return reader.whole(raw)
            except _NotAsWritten as exc:
                if size <= limits.max_bytes:
                    return None  # read whole, the problem is placed as in an inventory
                line, column = _place(handle, exc.offset) if exc.offset is not None else (0, 0)
                raise ChecklistError(Problem(display, f"not a saved result checklist can read: {exc}",
                                             line, column)) from None
    except OSError as exc:
        raise ChecklistError(Problem(display, f"cannot read: {exc.strerror}")) from None


class _Reader:
    """Applications decoded and reduced to their snapshots, checked as they are kept."""

    def __init__(self, display: str, org_facts: Sequence[str], limits: Limits) -> None:
        self.display = display
        self.drop = frozenset(org_facts)
        self.limits = limits
        self.apps: dict[str, AppSnapshot] = {}
        self.kept = 0

    def whole(self, raw: bytes) -> Snapshot:
        """The result in `raw`, decoded at once."""
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        result = _decode(_WHOLE, memoryview(raw)[bom:], bom)
        for app in result.applications:
            self.keep(app)
        return Snapshot(self.display, _score(result.organization), self.apps)

    def streamed(self, handle: BinaryIO) -> Snapshot | None:
        """The result read a block at a time and decoded an application at a time; None
        when it is not in the compact layout (read whole instead)."""
        buf = handle.read(_BLOCK)
        first = buf.find(_FIRST)
        if first < 0:
            return None
        bom = 3 if buf.startswith(b"\xef\xbb\xbf") else 0
        frame = buf[bom:first]
        base, start, searched = 0, first + len(_FIRST) - len(b'{"id":"'), 0
        while True:
            mark = buf.find(_MARK, max(start, searched))
            if mark >= 0:
                self.keep(self.one(buf[start:mark + 1], base + start))
                start = mark + 2
                continue
            more = handle.read(_BLOCK)
            if not more:
                break
            base, buf = base + start, buf[start:] + more
            searched, start = max(0, len(buf) - len(more) - len(_MARK)), 0
        # The last application ends at the first "}]" whose text before it decodes.
        end = buf.find(b"}]", start)
        for _ in range(_LAST_TRIES):
            if end < 0:
                break
            try:
                app = _ONE.decode(buf[start:end + 1])
            except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
                end = buf.find(b"}]", end + 1)
                continue
            self.keep(app)
            try:  # the document without its applications
                result = _decode(_WHOLE, frame + _NONE + buf[end + 2:], 0)
            except _NotAsWritten as exc:  # placed in the file: in the text before the applications, or after
                if exc.offset is not None:
                    exc.offset += bom if exc.offset < len(frame) else base + end + 2 - len(frame) - len(_NONE)
                raise
            return Snapshot(self.display, _score(result.organization), self.apps)
        return None

    def one(self, text: bytes, offset: int) -> _App:
        """The application in `text`, which begins at byte `offset` of the file."""
        try:
            app: _App = _decode(_ONE, text, offset)
        except _NotAsWritten as exc:  # its path is in the application: said in the document
            raise _NotAsWritten(str(exc).replace("`$", f"`$.applications[{len(self.apps)}]"), exc.offset) from None
        return app

    def keep(self, app: _App) -> None:
        i = len(self.apps)
        if not 0 <= app.score <= 100:
            raise _NotAsWritten(f"applications[{i}].score: expected a score from 0 to 100")
        if app.verdict not in VERDICTS:
            raise _NotAsWritten(f"applications[{i}].verdict: {app.verdict!r} is not a verdict")
        if app.id in self.apps:
            raise _NotAsWritten(f"applications[{i}].id: {appears_twice(app.id)}")
        read: dict[str, Any] = {}
        for finding in app.findings:
            if finding.facts:
                read.update(finding.facts)
        for fact in self.drop.intersection(read):  # the organisation's answers are not an application's
            del read[fact]
        confidence = app.confidence
        known = type(confidence) in (int, float) and 0 <= confidence <= 1
        snapshot = AppSnapshot(app.id, app.name or app.id, app.score, app.verdict, app.strategy,
                               {step.step: step.status for step in app.steps},
                               read,
                               float(confidence) if known else None)
        self.kept += count_values(snapshot)
        if self.kept > self.limits.max_nodes:
            raise ChecklistError(Problem(self.display, f"more than {self.limits.max_nodes:,} values to compare in "
                                                       "one saved result; raise the limit with 'checklist "
                                                       "--max-nodes N …'", path=f"applications[{i}]"))
        self.apps[app.id] = snapshot


def _decode(decoder: msgspec.json.Decoder[Any], text: bytes | memoryview, offset: int | None) -> Any:
    """`text` decoded, which begins at byte `offset` of the file (None: not one piece of it)."""
    if not (text.isascii() if isinstance(text, bytes) else text.obj.isascii()):  # type: ignore[attr-defined]
        try:  # the decoder checks only the text it builds; a bad byte in a skipped message counts too
            str(text, "utf-8")
        except UnicodeDecodeError as exc:
            raise _NotAsWritten("a byte that is not UTF-8", None if offset is None else offset + exc.start) from None
    try:
        return decoder.decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        found = _BYTE.search(str(exc))
        message = str(exc) if found is None else str(exc)[:found.start()].rstrip()  # said as line:column
        if offset is None:
            at = None
        elif found is not None:
            at = offset + int(found.group(1))
        else:  # the end of a text cut short; else where the value of the wrong shape begins
            at = offset + len(text) if "truncated" in message else offset
        raise _NotAsWritten(message, at) from None
    except RecursionError:
        raise _NotAsWritten("nested too deep") from None


def _score(organization: _Organization | None) -> float | None:
    score = organization.score if organization is not None else None
    return score if score is not None and 0 <= score <= 100 else None


@contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: a result's snapshot is a million containers and
    none is garbage, yet each allocation threshold crossed walks them all (half the time of
    reading one, and of comparing two)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _place(handle: BinaryIO, offset: int) -> tuple[int, int]:
    """The line and column (in characters: UTF-8 continuation bytes not counted) of byte
    `offset` of the file."""
    handle.seek(0)
    line, column, read = 1, 1, 0
    while read < offset:
        block = handle.read(min(_BLOCK, offset - read))
        if not block:
            break
        read += len(block)
        newline = block.rfind(b"\n")
        if newline >= 0:
            line, column, block = line + block.count(b"\n"), 1, block[newline + 1:]
        column += len(block.translate(None, _CONTINUATION))
    return line, column


_CONTINUATION = bytes(range(0x80, 0xC0))
