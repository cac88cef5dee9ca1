"""Reading a result saved by `assess --format json`, one application at a time.

A saved result is about 17 times the size of its inventory: every application
carries all its findings, with their messages and remediation texts. The 10,000
applications of a 14 MB inventory make a 236 MB result, which parsed whole is
1.5 GB of Python objects, of which a diff keeps a few per cent. Here the text is
decoded a megabyte at a time, and each application is parsed on its own and at
once reduced to what a diff reads (`AppSnapshot`), so memory stays that of the
snapshots plus one application.

Limits, so that a hostile file costs no more than an inventory would:

- the file may have RESULT_SIZE_FACTOR times the size of an input
  (`--max-input-mb`): a result of every application an inventory within the
  limits can hold;
- each value at the top of the document or in its list of applications (an
  application, the organization) is held to the limits of one input: its
  size and its number of values, counted on its text before it is parsed;
- the values kept for the diff (applications, step statuses, answers) are
  held to the limit of values of one input.

Results are recognised by their first key, `schema_version`, as checklist
writes them; a result whose keys come in another order (`jq -S`) is read
whole, within the limits of one input.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from checklist.diffing import AppSnapshot, Snapshot, app_snapshot, count_values, organization_score
from checklist.errors import ChecklistError, DocPath, Problem, format_path
from checklist.source import (
    _JSON_STRING,
    _SURROGATE_ESCAPE,
    LIMITS,
    Source,
    _DuplicateJsonKey,
    _json_pairs,
    _json_values_over,
    _JsonLocator,
    _too_big,
    _without_lone_surrogates,
    not_utf8,
)

RESULT_SIZE_FACTOR = 20
_CHUNK = 1 << 20  # bytes read at a time, at most
_MIN_CHUNK = 1 << 16
# A part that its values pass the limit in is parsed up to there, to learn whether it ends
# first; beyond this many characters (a million values, built only to be dropped) that is
# told from its brackets instead. Likewise a part that failed to parse this far into the
# buffer is parsed again only once its brackets say it is whole.
_PARSE_CUT_UP_TO = 1 << 21
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_SPACE = re.compile(r"[ \t\n\r]*")
_HEAD = re.compile(r'[ \t\n\r]*\{[ \t\n\r]*"schema_version"[ \t\n\r]*:')


NOT_AN_INVENTORY = ("a result saved by 'checklist assess --format json', not an inventory: compare results "
                    "with 'checklist diff BEFORE AFTER', or give the inventory the result was made from")


def result_head(path: Path, display: str) -> Problem | None:
    """When the file begins as a saved result does, the problem of giving it where an
    inventory is expected (told from its first 4 KB, so a result of any size costs nothing)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8-sig", errors="replace")
    except OSError:
        return None  # reading it as an inventory says what is wrong
    found = _HEAD.match(head)
    if found is None:
        return None
    at = head.index('"schema_version"', 0, found.end())
    return Problem(display, NOT_AN_INVENTORY, head.count("\n", 0, at) + 1, at - head.rfind("\n", 0, at),
                   "schema_version")


def read_result(path: Path, display: str, org_facts: Sequence[str]) -> Snapshot | None:
    """The snapshot of the saved result in `path`, or None when the file does not begin
    as a result does (an inventory, or a result with its keys reordered)."""
    try:
        with path.open("rb") as handle:
            return _Result(_Text(handle, display), display, org_facts).read()
    except OSError as exc:
        raise ChecklistError(Problem(display, f"cannot read: {exc.strerror}")) from None


class _Text:
    """A file's text, decoded a chunk at a time into a buffer from which what has been
    read is dropped; positions are in the buffer, lines and columns for the whole file."""

    def __init__(self, handle: BinaryIO, display: str) -> None:
        self.handle = handle
        self.display = display
        self.limit = RESULT_SIZE_FACTOR * LIMITS.max_bytes
        # Text of 2 × --max-nodes characters cannot hold more values than the limit, so with
        # chunks no larger, a value is counted before it is parsed only when it is that long.
        self.chunk = min(_CHUNK, max(_MIN_CHUNK, 2 * LIMITS.max_nodes))
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.start = 0  # offset in the file's text of buf[0]
        self.lines = 0  # newlines before buf[0]
        self.line_start = 0  # offset in the file's text where the line holding buf[0] starts
        self.read_bytes = 0
        self.eof = False
        self.surrogates = False  # whether the text escapes a UTF-16 surrogate anywhere so far

    def more(self, size: int = 0) -> bool:
        """Decode a chunk, or about `size` bytes if more, onto the buffer; False at the end of the file."""
        if self.eof:
            return False
        raw = self.handle.read(max(size, self.chunk))
        self.read_bytes += len(raw)
        if self.read_bytes > self.limit:
            raise ChecklistError(_too_big(self.display, None, self.limit, "a saved result"))
        try:
            text = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise ChecklistError(self._bad_byte(exc)) from None
        self.eof = not raw
        if not self.surrogates and ("\\" in text or "\\" in self.buf[-11:]):  # an escape may span chunks
            self.surrogates = _SURROGATE_ESCAPE.search(self.buf[-11:] + text) is not None
        self.buf += text
        return bool(raw)

    def _bad_byte(self, exc: UnicodeDecodeError) -> Problem:
        """The first byte that is not UTF-8, located in the whole file."""
        before = exc.object[:exc.start]
        line = self.lines + self.buf.count("\n") + before.count(b"\n") + 1
        if b"\n" in before:
            column = exc.start - before.rfind(b"\n")
        else:  # on the buffer's last line: the column counts from that line's start
            last = self.buf.rfind("\n")
            column = (len(self.buf) - last - 1 if last >= 0 else self.start + len(self.buf) - self.line_start) \
                + exc.start + 1
        return Problem(self.display, not_utf8(exc.object[exc.start], self.display), line, column)

    def where(self, pos: int) -> tuple[int, int]:
        """Line and column (1-based) in the file of buffer position `pos`."""
        line = self.lines + self.buf.count("\n", 0, pos) + 1
        last = self.buf.rfind("\n", 0, pos)
        return line, pos - last if last >= 0 else self.start + pos - self.line_start + 1

    def problem(self, pos: int, message: str, path: DocPath = ()) -> Problem:
        return Problem(self.display, message, *self.where(pos), format_path(path))

    def drop(self, pos: int) -> int:
        """Forget the buffer before `pos` once it is large; `pos`'s new position."""
        if pos < self.chunk:
            return pos
        gone = self.buf[:pos]
        newlines = gone.count("\n")
        if newlines:
            self.lines += newlines
            self.line_start = self.start + gone.rfind("\n") + 1
        self.start += pos
        self.buf = self.buf[pos:]
        return 0

    def space(self, pos: int) -> int:
        """The position after the white space at `pos`."""
        while True:
            pos = _SPACE.match(self.buf, pos).end()  # type: ignore[union-attr]
            if pos < len(self.buf) or not self.more():
                return pos

    def char(self, pos: int) -> str:
        """The character at `pos`, or "" at the end of the file."""
        while pos >= len(self.buf) and self.more():
            pass
        return self.buf[pos:pos + 1]


class _Result:
    """The walk of a result's top-level object: applications one by one, other values whole."""

    def __init__(self, text: _Text, display: str, org_facts: Sequence[str]) -> None:
        self.text = text
        self.display = display
        self.org_facts = org_facts
        self.scan = json.JSONDecoder(object_pairs_hook=_json_pairs).scan_once  # type: ignore[attr-defined]
        self.kept = 0  # values kept for the diff

    def read(self) -> Snapshot | None:
        text = self.text
        while len(text.buf) < 4096 and text.more():  # enough for the head, however the chunks fall
            pass
        if not _HEAD.match(text.buf):
            return None
        size = os.fstat(text.handle.fileno()).st_size
        if size > text.limit:
            raise ChecklistError(_too_big(self.display, size, text.limit, "a saved result"))
        pos = text.space(0) + 1  # past the "{" _HEAD found
        seen: set[str] = set()
        org_score: float | None = None
        apps: dict[str, AppSnapshot] | None = None
        while True:
            pos = text.space(pos)
            if text.char(pos) != '"':
                raise self._invalid(pos, "Expecting property name enclosed in double quotes")
            key_at = pos
            key, pos = self.value(pos, ())
            if key in seen:
                raise ChecklistError(text.problem(key_at, f"duplicate key {key!r}"))
            seen.add(key)
            pos = self._expect(pos, ":", "Expecting ':' delimiter")
            if key == "applications" and text.char(pos) == "[":
                apps, pos = self.applications(pos)
            else:
                value_at = pos
                value, pos = self.value(pos, (key,))
                if key == "applications":
                    raise ChecklistError(text.problem(value_at, "a saved result needs 'applications', a list",
                                                      ("applications",)))
                if key == "organization":
                    org_score = organization_score(value)
            pos = text.space(pos)
            if text.char(pos) == "}":
                break
            pos = self._expect(pos, ",", "Expecting ',' delimiter")
        pos = text.space(pos + 1)
        if text.char(pos):
            raise self._invalid(pos, "Extra data")
        if apps is None:
            raise ChecklistError(Problem(self.display, "a saved result needs 'applications', a list", 1, 1))
        return Snapshot(self.display, org_score, apps)

    def applications(self, pos: int) -> tuple[dict[str, AppSnapshot], int]:
        """The snapshots of the applications in the list at `pos`, and the position after it."""
        text = self.text
        apps: dict[str, AppSnapshot] = {}
        pos = text.space(pos + 1)
        if text.char(pos) == "]":
            return apps, pos + 1
        index = 0
        while True:
            pos = text.drop(pos)
            start = pos
            entry, pos = self.value(pos, ("applications", index))
            app = app_snapshot(entry, self.org_facts, self._locator(start, pos, entry, index))
            self.kept += count_values(app)
            if self.kept > LIMITS.max_nodes:
                raise ChecklistError(text.problem(start, f"more than {LIMITS.max_nodes:,} values to compare "
                                                         "in one saved result; raise the limit with "
                                                         "'checklist --max-nodes N …'", ("applications", index)))
            apps[app.id] = app
            index += 1
            pos = text.space(pos)
            if text.char(pos) == "]":
                return apps, pos + 1
            pos = self._expect(pos, ",", "Expecting ',' delimiter")

    def value(self, pos: int, path: DocPath) -> tuple[Any, int]:
        """The JSON value at `pos` and the position after it, within the limits of one input:
        a value longer than 2 × --max-nodes characters has its values counted first, and
        is parsed only up to where the count passes the limit."""
        text = self.text
        failed: tuple[int, str] | None = None
        while True:
            pending = len(text.buf) - pos
            over = _json_values_over(text.buf[pos:]) if pending > 2 * LIMITS.max_nodes else None
            if over is not None and over > _PARSE_CUT_UP_TO and not _ends_within(text.buf[pos:pos + over]):
                raise ChecklistError(self._too_many(pos + over, path))
            if (failed is not None and failed[0] - pos > _MIN_CHUNK and over is None and not text.eof
                    and not _ends_within(text.buf[pos:])):  # a long part, still open: read on, parse it later
                if pending > LIMITS.max_bytes:
                    raise ChecklistError(self._too_long(pos, path))
                text.more(pending)
                continue
            try:
                value, end = self.scan(text.buf if over is None else text.buf[:pos + over], pos)
            except (StopIteration, json.JSONDecodeError) as exc:  # bad, or cut off by the limit or the buffer
                at, message = (exc.value, "Expecting value") if isinstance(exc, StopIteration) else (exc.pos, exc.msg)
                if over is not None and at >= pos + over:  # the cut is outside any string: nothing before it is
                    raise ChecklistError(self._too_many(pos + over, path)) from None
                # A value cut off by the buffer's end fails further on once there is more text;
                # a bad one fails at the same place again (a long string, until it ends).
                if over is None and (failed != (at, message) or message.startswith("Unterminated string")):
                    if pending > LIMITS.max_bytes:
                        raise ChecklistError(self._too_long(pos, path)) from None
                    if text.more(pending):
                        failed = (at, message)
                        continue
                raise self._invalid(at, message) from None
            except _DuplicateJsonKey:
                raise ChecklistError(self._duplicate(pos, path)) from None
            except RecursionError:
                raise ChecklistError(text.problem(pos, "invalid JSON: nested too deeply", path)) from None
            if end - pos > LIMITS.max_bytes:
                raise ChecklistError(self._too_long(pos, path))
            if text.surrogates and _SURROGATE_ESCAPE.search(text.buf, pos, end):
                try:
                    _without_lone_surrogates(Source(self.display, text.buf[pos:end], value, "json"))
                except ChecklistError as error:
                    raise ChecklistError(self._placed(error.problems[0], pos, path)) from None
            return value, end

    def _too_many(self, pos: int, path: DocPath) -> Problem:
        return self.text.problem(pos, f"more than {LIMITS.max_nodes:,} values in one part of a saved result; "
                                      "raise the limit with 'checklist --max-nodes N …'", path)

    def _too_long(self, pos: int, path: DocPath) -> Problem:
        return self.text.problem(pos, f"more than the {LIMITS.max_bytes / 1024 / 1024:g} MB one part of a saved "
                                      "result may have; raise the limit with 'checklist --max-input-mb N …'", path)

    def _duplicate(self, pos: int, path: DocPath) -> Problem:
        """The first repeated key of the value at `pos`, located. The parse stopped at the
        end of the object repeating it, so everything up to that key is in the buffer."""
        found = _JsonLocator(self.text.buf[pos:]).first_duplicate()
        if found is None:  # pragma: no cover - the parse found one
            return self.text.problem(pos, "invalid JSON: duplicate key", path)
        offset, inner, name = found
        return self.text.problem(pos + offset, f"duplicate key {name!r}", (*path, *inner))

    def _locator(self, start: int, end: int, entry: Any, index: int) -> Callable[[DocPath, str], Problem]:
        """A function placing (path in application `index`, message) in the file: the
        application's text is between `start` and `end` in the buffer."""

        def problem(path: DocPath, message: str) -> Problem:
            found = Source(self.display, self.text.buf[start:end], entry, "json").problem(path, message)
            return self._placed(found, start, ("applications", index))

        return problem

    def _placed(self, problem: Problem, start: int, path: DocPath) -> Problem:
        """`problem`, located in the value at `start` whose path is `path`, placed in the file."""
        line0, column0 = self.text.where(start)
        inner, outer = problem.path, format_path(path)
        joined = outer + ("" if not inner else inner if inner.startswith("[") else "." + inner) if outer else inner
        return Problem(problem.file, problem.message, line0 + problem.line - 1,
                       column0 + problem.column - 1 if problem.line == 1 else problem.column, joined)

    def _expect(self, pos: int, char: str, message: str) -> int:
        """The position after `char` (and white space) at `pos`, or the json module's message."""
        pos = self.text.space(pos)
        if self.text.char(pos) != char:
            raise self._invalid(pos, message)
        return self.text.space(pos + 1)

    def _invalid(self, pos: int, message: str) -> ChecklistError:
        return ChecklistError(self.text.problem(pos, f"invalid JSON: {message}"))


def _ends_within(piece: str) -> bool:
    """Whether the JSON value at the start of `piece` ends within it, told at C speed
    without building it: outside its strings only the brackets are kept, the value's own
    opening bracket marked "(", and pairs with nothing between are removed until the mark
    goes too (the value ends), or no more can be removed (it is still open)."""
    if piece[:1] not in ("[", "{"):
        return True
    plain = piece[1:].replace("\\\\", "").replace('\\"', "")
    if plain.count('"') % 2:  # cut inside a string: what follows its quote is in it
        plain = plain[:plain.rfind('"')]
    outside = _JSON_STRING.sub("", plain)
    brackets = b"(" + outside.encode().translate(None, _NOT_BRACKETS)
    for _ in range(LIMITS.max_depth + 1):
        reduced = brackets.replace(b"[]", b"").replace(b"{}", b"").replace(b"(]", b"").replace(b"(}", b"")
        if not reduced.startswith(b"("):
            return True
        if len(reduced) == len(brackets):
            return False
        brackets = reduced
    return False
