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
  size in bytes, its number of values (counted on its text before it is
  parsed) and its nesting (told from its brackets at C speed);
- the values kept for the diff (applications, step statuses, answers) are
  held to the limit of values of one input;
- the top of the document may have at most MAX_FIELDS fields.

What it finds is what reading the whole document finds (a test compares the
two on broken files): a byte that is not UTF-8 anywhere, then invalid JSON
(and the first repeated key in the file), then a value nested too deep, a
lone surrogate, and a result's shape, each at the first place in the file.
Once a problem is found nothing more is kept, and the rest of the
applications is parsed as one part at C speed, its mappings not built, to
learn whether a problem ranked higher follows; a rest beyond the limits of
one part reports the problem found.

Results are recognised by their first key, `schema_version`, as checklist
writes them; a result whose keys come in another order (`jq -S`) is read
whole, within the limits of one input.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from checklist.core.errors import ChecklistError, DocPath, Problem, format_path
from checklist.core.snapshot import AppSnapshot, Snapshot, app_snapshot, appears_twice, count_values, organization_score
from checklist.io.inventory import RESULT_HEAD
from checklist.io.source import (
    DEFAULT_LIMITS,
    JSON_STRING,
    SURROGATE,
    SURROGATE_ESCAPE,
    DuplicateJsonKey,
    JsonLocator,
    Limits,
    Source,
    first_too_deep,
    json_pairs,
    json_values_over,
    limit_message,
    long_number_problem,
    not_utf8,
    short_path,
    surrogate_message,
    too_big,
    without_lone_surrogates,
)

RESULT_SIZE_FACTOR = 20
MAX_FIELDS = 1000  # at the top of a result; checklist writes six or seven
_CHUNK = 1 << 20  # bytes read at a time, at most
_MIN_CHUNK = 1 << 16
# A part that its values pass the limit in is parsed up to there, to learn whether it ends
# first; beyond this many characters (a million values, built only to be dropped) that is
# told from its brackets instead. Likewise a part cut off by the buffer's end this far in is
# parsed again only once its brackets say it is whole.
_PARSE_CUT_UP_TO = 1 << 21
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_PIECE = 1 << 20  # characters of a long text looked at a time
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER_GOES_ON = re.compile(r"[.eE][-+]?")  # what a number cut by the buffer's end may end in
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                                    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _trailing_comma(sample: str) -> tuple[bool, str]:
    """Whether the json module places a trailing comma before `sample`'s closing bracket at
    the comma (Python 3.13 and later) or at the bracket, and its message for it."""
    try:
        json.loads(sample)
    except json.JSONDecodeError as exc:
        return sample[exc.pos] == ",", exc.msg
    raise AssertionError(sample)  # pragma: no cover


_TRAILING = {"}": _trailing_comma('{"a":0,}'), "]": _trailing_comma("[0,]")}
# Problems that reading the whole document reports only after all of it has parsed, in the
# order it reports them: a key repeated at the top (its object closes last), a value
# nested too deep (limits come next), a lone surrogate, then the shape of a result.
_DEFERRED = ("duplicate", "depth", "surrogate", "shape")


class _OverPart(ChecklistError):
    """A part beyond the limits of one input."""


class _Unplaced(ChecklistError):
    """A problem placed only roughly when several applications are read as one part."""


def read_result(path: Path, display: str, org_facts: Sequence[str],
                limits: Limits = DEFAULT_LIMITS) -> Snapshot | None:
    """The snapshot of the saved result in `path`, or None when the file does not begin
    as a result does (an inventory, or a result with its keys reordered)."""
    try:
        with path.open("rb") as handle:
            text = _Text(handle, display, limits)
            try:
                return _Result(text, display, org_facts).read()
            except ChecklistError:
                text.drain()  # reading the whole file decodes all of it first: a bad byte anywhere comes first
                raise
    except OSError as exc:
        raise ChecklistError(Problem(display, f"cannot read: {exc.strerror}")) from None


class _Text:
    """A file's text, decoded a chunk at a time into a buffer from which what has been
    read is dropped; positions are in the buffer, lines and columns for the whole file."""

    def __init__(self, handle: BinaryIO, display: str, limits: Limits) -> None:
        self.handle = handle
        self.display = display
        self.limits = limits
        self.limit = RESULT_SIZE_FACTOR * limits.max_bytes
        # Text of 2 × --max-nodes characters cannot hold more values than the limit, so with
        # chunks no larger, a value is counted before it is parsed only when it is that long.
        self.chunk = min(_CHUNK, max(_MIN_CHUNK, 2 * limits.max_nodes))
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.start = 0  # offset in the file's text of buf[0]
        self.lines = 0  # newlines before buf[0]
        self.line_start = 0  # offset in the file's text where the line holding buf[0] starts
        self.read_bytes = 0
        self.line_start_byte = 0  # offset in the file of the line that the bytes read so far end on
        self.eof = False
        self.surrogates = False  # whether the text escapes a UTF-16 surrogate anywhere so far

    def more(self, size: int = 0, raw: bytes | None = None) -> bool:
        """Decode a chunk (or about `size` bytes, if more; or `raw`, read already) onto the
        buffer; False at the end of the file."""
        if self.eof:
            return False
        if raw is None:
            raw = self.handle.read(max(size, self.chunk))
        pending = self.decoder.getstate()[0]
        base = self.read_bytes - len(pending)  # where in the file the bytes decoded now begin
        if self.read_bytes == 0 and raw.startswith(codecs.BOM_UTF8):
            base += 3  # the decoder counts after the BOM it drops
        self.read_bytes += len(raw)
        if self.read_bytes > self.limit:
            self.eof = True
            raise ChecklistError(too_big(self.display, None, self.limit, "a saved result"))
        try:
            text = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            self.eof = True
            raise ChecklistError(self._bad_byte(exc, base)) from None
        newline = raw.rfind(b"\n")  # never inside a character in UTF-8
        if newline >= 0:
            self.line_start_byte = self.read_bytes - len(raw) + newline + 1
        self.eof = not raw
        if not self.surrogates and ("\\" in text or "\\" in self.buf[-11:]):  # an escape may span chunks
            self.surrogates = SURROGATE_ESCAPE.search(self.buf[-11:] + text) is not None
        buf, self.buf = self.buf, ""
        buf += text  # a local the only reference: CPython can grow it in place
        self.buf = buf
        return bool(raw)

    def _bad_byte(self, exc: UnicodeDecodeError, base: int) -> Problem:
        """The first byte that is not UTF-8, at the line and column (in bytes) `decode` gives."""
        data = exc.object
        before = data[:exc.start]
        line = self.lines + self.buf.count("\n") + before.count(b"\n") + 1
        newline = before.rfind(b"\n")
        line_start = base + newline + 1 if newline >= 0 else self.line_start_byte
        return Problem(self.display, not_utf8(data[exc.start], self.display), line, base + exc.start - line_start + 1)

    def drain(self) -> None:
        """Decode the rest of the file, keeping nothing: the problem of a byte that is not UTF-8, if any."""
        while True:
            self.drop(len(self.buf))
            if not self.more():
                return

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
        """The position after the white space at `pos` (the buffer dropped, if it was all space)."""
        while True:
            pos = _SPACE.match(self.buf, pos).end()  # type: ignore[union-attr]
            if pos < len(self.buf):
                return pos
            pos = self.drop(pos)
            if not self.more():
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
        self.limits = text.limits
        self.display = display
        self.org_facts = org_facts
        self.scan = json.JSONDecoder(object_pairs_hook=json_pairs).scan_once  # type: ignore[attr-defined]
        # for the rest of a list once nothing more is kept: keys checked, mappings not built
        self.check = json.JSONDecoder(object_pairs_hook=_checked_pairs).scan_once  # type: ignore[attr-defined]
        self.kept = 0  # values kept for the diff
        self.counted_to = 0  # the text up to here, from the part being read, is within the value limit
        # what reading the whole document would report only once it had parsed all of it, by kind
        self.deferred: dict[str, Problem] = {}
        self.rest_tried_with = -1  # how many problems were deferred when the rest was last tried as one part

    def read(self) -> Snapshot | None:
        text = self.text
        head = text.handle.read(8192)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
            return None  # UTF-16 or binary: reading it whole says so
        text.more(raw=head)
        while len(text.buf) < 4096 and text.more():  # enough for the head, however the chunks fall
            pass
        if not RESULT_HEAD.match(text.buf):
            return None
        size = os.fstat(text.handle.fileno()).st_size
        if size > text.limit:
            text.eof = True  # nothing more is read
            raise ChecklistError(too_big(self.display, size, text.limit, "a saved result"))
        pos = text.space(0)
        top = text.where(pos)
        pos = text.space(pos + 1)  # past the "{" RESULT_HEAD found
        seen: set[str] = set()
        org_score: float | None = None
        apps: dict[str, AppSnapshot] | None = None
        while True:
            pos = text.drop(pos)
            if text.char(pos) != '"':
                raise self._invalid(pos, "Expecting property name enclosed in double quotes")
            key_at = pos
            key, pos = self.value(pos, ())
            if len(seen) == MAX_FIELDS:
                raise ChecklistError(text.problem(key_at, f"more than {MAX_FIELDS:,} fields at the top of a saved "
                                                          "result; checklist writes fewer than ten"))
            name = key if len(key) < 256 else hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
            if name in seen:  # reported only if the rest parses: the object it repeats a key of closes last
                self._defer("duplicate", text.problem(key_at, f"duplicate key {key!r}"))
            seen.add(name)
            if text.surrogates and SURROGATE.search(key):
                self._defer("surrogate", text.problem(key_at, surrogate_message(key), (key,)))
            pos = self._expect(pos, ":", "Expecting ':' delimiter")
            if key == "applications" and text.char(pos) == "[":
                apps, pos = self.applications(pos)
            else:
                value_at = pos
                value, pos = self.value(pos, (key,))
                if key == "applications":
                    self._defer("shape", text.problem(value_at, "a saved result needs 'applications', a list",
                                                      ("applications",)))
                if key == "organization":
                    org_score = organization_score(value)
            pos = text.space(pos)
            if text.char(pos) == "}":
                break
            pos = self._expect(pos, ",", "Expecting ',' delimiter", "}")
        if "duplicate" in self.deferred:  # found as the object closes, before what follows it is read
            raise ChecklistError(self.deferred["duplicate"])
        pos = text.space(pos + 1)
        if text.char(pos):
            raise self._invalid(pos, "Extra data")
        if apps is None:
            self._defer("shape", Problem(self.display, "a saved result needs 'applications', a list", *top))
        if self.deferred:
            raise ChecklistError(self._first_deferred())
        return Snapshot(self.display, org_score, apps or {})

    def applications(self, pos: int) -> tuple[dict[str, AppSnapshot], int]:
        """The snapshots of the applications in the list at `pos`, and the position after it."""
        text = self.text
        apps: dict[str, AppSnapshot] = {}
        index = 0
        while True:  # at the list's "[", or at the "," before application `index`
            pos = text.drop(pos)
            if self.deferred:
                end = self._rest(pos)
                if end is not None:
                    return apps, end
            pos = text.space(pos + 1)
            if text.char(pos) == "]":
                if index:
                    raise self._trailing(pos)
                return apps, pos + 1
            start = pos
            entry, pos = self.value(pos, ("applications", index))
            if not self.deferred:  # nothing more is kept once a problem is found
                try:
                    app = app_snapshot(entry, self.org_facts, self._locator(start, pos, entry, index))
                except ChecklistError as error:
                    self._defer("shape", error.problems[0])
                else:
                    if app.id in apps:
                        self._defer("shape", self._locator(start, pos, entry, index)(("id",), appears_twice(app.id)))
                    self._keep(app, start, index)
                    apps[app.id] = app
            index += 1
            pos = text.space(pos)
            if text.char(pos) == "]":
                return apps, pos + 1
            if text.char(pos) != ",":
                raise self._invalid(pos, "Expecting ',' delimiter")

    def _rest(self, pos: int) -> int | None:
        """Once a problem is found, nothing more is kept, but the rest must still parse: the
        rest of the list from the "[" or "," at `pos` is parsed as one value at C speed, its
        comma standing in for an opening bracket. The position after the list, or None when
        something in it needs the applications read one by one to be placed (a repeated
        key, a value nested too deep, a lone surrogate); they are read so until that
        is found and deferred, and the rest tried as one again."""
        if len(self.deferred) == self.rest_tried_with:
            return None
        self.rest_tried_with = len(self.deferred)
        text = self.text
        comma = text.buf[pos] == ","
        if comma:  # left so: one by one, the applications are read from after it (the buffer is short yet)
            text.buf = f"{text.buf[:pos]}[{text.buf[pos + 1:]}"
        counted = self.counted_to
        try:
            rest, end = self.value(pos, (), checking=True)
        except _OverPart:  # beyond what one input may hold: the problem found is the one to report
            raise ChecklistError(self._first_deferred()) from None
        except _Unplaced:  # a repeated key, or nesting the parser gives up on
            rest, end = None, pos
        if rest is None or self._needs_placing(pos, end):
            self.counted_to = counted
            return None
        if comma and not rest:  # "[…, ]"
            text.buf = f"{text.buf[:pos]},{text.buf[pos + 1:]}"
            raise self._trailing(end - 1)
        return end

    def _needs_placing(self, start: int, end: int) -> bool:
        """Whether the applications between `start` and `end` hold a lone surrogate, or
        nesting too deep, that is not yet found."""
        if "surrogate" not in self.deferred and self.text.surrogates and _lone_surrogate_in(self.text.buf, start, end):
            return True
        # the list is the document's second level
        return "depth" not in self.deferred and _nested_deeper_than(self.text.buf, start + 1, end - 1,
                                                                    self.limits.max_depth - 2)

    def _first_deferred(self) -> Problem:
        return next(self.deferred[kind] for kind in _DEFERRED if kind in self.deferred)

    def _defer(self, kind: str, problem: Problem) -> None:
        self.deferred.setdefault(kind, problem)

    def _keep(self, app: AppSnapshot, start: int, index: int) -> None:
        """Count what `app` keeps against the value limit."""
        self.kept += count_values(app)
        if self.kept > self.limits.max_nodes:
            raise ChecklistError(self.text.problem(
                start, f"more than {self.limits.max_nodes:,} values to compare in one saved result; "
                       "raise the limit with 'checklist --max-nodes N …'", ("applications", index)))

    def value(self, pos: int, path: DocPath, checking: bool = False) -> tuple[Any, int]:
        """The JSON value at `pos` and the position after it, within the limits of one input:
        a value longer than 2 × --max-nodes characters has its values counted first, and
        is parsed only up to where the count passes the limit. `checking`: only checked,
        its mappings not built, and a repeated key or deep nesting not placed."""
        text = self.text
        scan = self.check if checking else self.scan
        failed: tuple[int, str, int] | None = None  # where and how the last parse failed, and the buffer's length
        while True:
            pending = len(text.buf) - pos
            over = None
            if pending > 2 * self.limits.max_nodes and text.start + len(text.buf) > self.counted_to:
                over = json_values_over(text.buf[pos:], self.limits.max_nodes)
                if over is None:
                    self.counted_to = text.start + len(text.buf)
            if (over is not None and over > _PARSE_CUT_UP_TO
                    and not _ends_within(text.buf, pos, pos + over, self.limits.max_depth)):
                raise self._too_many(pos + over, path)
            if (failed is not None and failed[0] >= failed[2] - 1 and failed[0] - pos > _MIN_CHUNK and over is None
                    and not text.eof and not _ends_within(text.buf, pos, len(text.buf), self.limits.max_depth)):
                # cut off far into a long part: read on, and parse it again once it is whole
                if self._too_long_at(pos, len(text.buf)):
                    raise self._too_long(pos, path)
                text.more(pending)
                continue
            try:
                value, end = scan(text.buf if over is None else text.buf[:pos + over], pos)
            except (StopIteration, json.JSONDecodeError) as exc:  # bad, or cut off by the limit or the buffer
                at, message = (exc.value, "Expecting value") if isinstance(exc, StopIteration) else (exc.pos, exc.msg)
                if over is not None and at >= pos + over:  # the cut is outside any string: nothing before it is
                    raise self._too_many(pos + over, path) from None
                # A value cut off by the buffer's end fails further on once there is more text;
                # a bad one fails at the same place again (a long string, until it ends).
                if over is None and (failed is None or failed[:2] != (at, message)
                                     or message.startswith("Unterminated string")):
                    if self._too_long_at(pos, len(text.buf)):
                        raise self._too_long(pos, path) from None
                    failed = (at, message, len(text.buf))
                    if text.more(pending):
                        continue
                raise self._invalid(at, message) from None
            except (DuplicateJsonKey, RecursionError) as exc:
                if checking:  # placed by reading the applications one by one
                    raise _Unplaced(()) from None
                # Reading the whole file places a repeated key at the first in the file, and
                # nesting too deep at the first place too deep, which may be found already.
                kind = "duplicate" if isinstance(exc, DuplicateJsonKey) else "depth"
                if kind in self.deferred:
                    raise ChecklistError(self.deferred[kind]) from None
                raise _Unplaced(self._duplicate(pos, path) if kind == "duplicate" else
                                self._first_too_deep(pos, len(text.buf), path)
                                or text.problem(pos, limit_message("depth", self.limits), path)) from None
            except ValueError:  # an integer longer than Python converts
                if text.buf[-1:].isdigit() and not self._too_long_at(pos, len(text.buf)) and text.more(pending):
                    continue  # its digits may go on: all of them are counted
                found = long_number_problem(text.buf[pos:], self.display)
                raise ChecklistError(self._placed(found, pos, ())) from None
            if self._too_long_at(pos, end):
                raise self._too_long(pos, path)
            if (type(value) in (int, float) and (end >= len(text.buf) or _NUMBER_GOES_ON.fullmatch(text.buf, end))
                    and text.more(end - pos)):
                continue  # a number may go on in the next chunk
            if path and "depth" not in self.deferred and _nested_deeper_than(text.buf, pos, end,
                                                                         self.limits.max_depth - len(path)):
                deep = self._first_too_deep(pos, end, path)
                if deep is not None:
                    self._defer("depth", deep)
            # (a key, path (), is checked by its caller, which knows its path)
            if (path and text.surrogates and "surrogate" not in self.deferred
                    and SURROGATE_ESCAPE.search(text.buf, pos, end)):
                try:
                    without_lone_surrogates(Source(self.display, text.buf[pos:end], value, "json"))
                except ChecklistError as error:
                    self._defer("surrogate", self._placed(error.problems[0], pos, path))
            return value, end

    def _first_too_deep(self, start: int, end: int, path: DocPath) -> Problem | None:
        """The problem of the first value nested too deep in the part between `start` and
        `end` (path `path`), or None if none is found."""
        # a level above it for each step of its path
        found = first_too_deep(self.text.buf[start:end], len(path), self.limits)
        if found is None:
            return None
        line, column, inner = found
        place = self._placed(Problem(self.display, "", line, column, format_path(inner)), start, path)
        return Problem(self.display, limit_message("depth", self.limits), place.line, place.column,
                       short_path(place.path))

    def _too_long_at(self, start: int, end: int) -> bool:
        """Whether the text between `start` and `end` takes more bytes than one input may."""
        chars = end - start
        most = self.limits.max_bytes
        return chars > most or (4 * chars > most and len(self.text.buf[start:end].encode()) > most)

    def _too_many(self, pos: int, path: DocPath) -> _OverPart:
        return _OverPart(self.text.problem(pos, f"more than {self.limits.max_nodes:,} values in one part of a saved "
                                                "result; raise the limit with 'checklist --max-nodes N …'", path))

    def _too_long(self, pos: int, path: DocPath) -> _OverPart:
        return _OverPart(self.text.problem(
            pos, f"more than the {self.limits.max_bytes / 1024 / 1024:g} MB one part of a saved result may have; "
                 "raise the limit with 'checklist --max-input-mb N …'", path))

    def _duplicate(self, pos: int, path: DocPath) -> Problem:
        """The first repeated key of the value at `pos`, located. The parse stopped at the
        end of the object repeating it, so everything up to that key is in the buffer."""
        found = JsonLocator(self.text.buf[pos:]).first_duplicate()
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

    def _expect(self, pos: int, char: str, message: str, closer: str = "") -> int:
        """The position after `char` (and white space) at `pos`, or the json module's message;
        `closer` right after it is a trailing comma."""
        pos = self.text.space(pos)
        if self.text.char(pos) != char:
            raise self._invalid(pos, message)
        pos = self.text.space(pos + 1)
        if closer and self.text.char(pos) == closer:
            raise self._trailing(pos)
        return pos

    def _trailing(self, pos: int) -> ChecklistError:
        """The json module's problem of a comma right before the bracket at `pos`."""
        at_comma, message = _TRAILING[self.text.buf[pos]]
        if at_comma:  # placed at the comma, if it is still in the buffer
            comma = len(self.text.buf[:pos].rstrip(" \t\n\r")) - 1
            pos = comma if comma >= 0 and self.text.buf[comma] == "," else pos
        return self._invalid(pos, message)

    def _invalid(self, pos: int, message: str) -> ChecklistError:
        return ChecklistError(self.text.problem(pos, f"invalid JSON: {message}"))


def _checked_pairs(pairs: list[tuple[str, Any]]) -> None:
    """The members of a mapping only checked: a repeated key is refused, nothing is built."""
    if len(pairs) > 1 and len({key for key, _ in pairs}) != len(pairs):
        raise DuplicateJsonKey()


def _lone_surrogate_in(text: str, start: int, end: int) -> bool:
    """Whether JSON `text` between `start` and `end` escapes half a surrogate pair alone.
    Pairs (an emoji, as JSON written in ASCII has it) are fine. With escaped backslashes
    blanked out (offsets kept), every backslash left starts an escape."""
    piece = text[start:end]
    if "\\\\" in piece:
        piece = piece.replace("\\\\", "__")
    return _LONE_SURROGATE_ESCAPE.search(piece) is not None


def _nested_deeper_than(text: str, start: int, end: int, levels: int) -> bool:
    """Whether the JSON values between `start` and `end` (which parsed) nest more than
    `levels` deep, told at C speed from their brackets: pairs with nothing between are
    removed `levels` times. Brackets in strings count too at first (about 30 µs for an
    application of 24 KB); only if something is left are the strings taken out."""
    if end - start <= _PIECE:
        every = text[start:end].encode().translate(None, _NOT_BRACKETS)
    else:
        every = b"".join(text[at:min(at + _PIECE, end)].encode().translate(None, _NOT_BRACKETS)
                         for at in range(start, end, _PIECE))
    return bool(_unpaired(every, levels)) and bool(_unpaired(_brackets(text, start, end), levels))


def _unpaired(brackets: bytes, rounds: int) -> bytes:
    """`brackets` with empty pairs removed `rounds` times, one level a time (`{[]}` takes two):
    what nests deeper is left."""
    for _ in range(rounds):
        if not brackets:
            break
        # marked first, so that a pair emptied by this round waits for the next
        brackets = brackets.replace(b"[]", b".").replace(b"{}", b".").translate(None, b".")
    return brackets


def _brackets(text: str, start: int, end: int) -> bytes:
    """The brackets of JSON text between `start` and `end` that are outside its strings (of
    a string cut off at `end`, none), taken a piece at a time so that a long text is not
    copied whole."""
    found: list[bytes] = []
    inside = False  # whether the piece begins inside a string
    while start < end:
        stop = min(start + _PIECE, end)
        while stop < end and text[stop - 1] == "\\":  # not between a backslash and what it escapes
            stop += 1
        piece = text[start:stop]
        if "\\" in piece:
            piece = piece.replace("\\\\", "").replace('\\"', "")
        if inside:
            piece = '"' + piece
        inside = piece.count('"') % 2 == 1
        if inside:  # what follows the last quote is in a string
            piece = piece[:piece.rfind('"')]
        found.append(JSON_STRING.sub("", piece).encode().translate(None, _NOT_BRACKETS))
        start = stop
    return b"".join(found)


def _ends_within(text: str, start: int, end: int, max_depth: int) -> bool:
    """Whether the JSON value at `start` in `text` ends before `end`, told at C speed
    without building it: outside its strings only the brackets are kept, the value's own
    opening bracket marked "(", and pairs with nothing between are removed until the mark
    goes too (the value ends), or no more can be removed (it is still open)."""
    if text[start:start + 1] not in ("[", "{"):
        return True
    brackets = b"(" + _brackets(text, start + 1, end)
    for _ in range(max_depth + 1):
        reduced = brackets.replace(b"[]", b"").replace(b"{}", b"").replace(b"(]", b"").replace(b"(}", b"")
        if not reduced.startswith(b"("):
            return True
        if len(reduced) == len(brackets):
            return False
        brackets = reduced
    return False
