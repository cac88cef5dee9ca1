"""Reading YAML and JSON documents within limits, so that any part of them can be located.

JSON is read by the json module. YAML is read by one walk over libyaml's
events (`_YamlReader`) that builds plain data, counts the values against the
limits and, when something is wrong, knows where it is: the path of the node
it was reading. It is the only YAML reader: `yaml.load` builds PyYAML's node
tree first, which for 10,000 applications took 1.6 times as long and 1.7
times the memory of a whole `assess` (bench/RESULTS.md). Positions of the
parts of a valid document are worked out only when a problem has to be
reported: in JSON with the json module's scanner, in YAML from one more pass
over the parser's events (`_yaml_places`; the node tree took 1.9 times the
memory of `assess` to place its warnings).

YAML is read as plain data only: tags other than the standard scalar ones
are refused, duplicate keys are errors, dates and 1:30 stay text.
"""

from __future__ import annotations

import bisect
import codecs
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from checklist.core.errors import ChecklistError, DocPath, PathPart, Problem, format_path

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})
_COLLECTION_TAGS = {yaml.MappingStartEvent: "tag:yaml.org,2002:map", yaml.SequenceStartEvent: "tag:yaml.org,2002:seq"}
_MERGE_TAG = "tag:yaml.org,2002:merge"


class StrictLoader(_Base):  # type: ignore[valid-type, misc]
    """libyaml's parser with PyYAML's safe resolver, less what must stay text (dates, 1:30)."""


# Dates and times stay strings: an id like 2024-01-01 must not become a date.
# YAML 1.1 reads 1:30 as the base-60 number 90; nobody means that, so it stays text too.
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")


def _not_sexagesimal(tag: str, regexp: re.Pattern[str]) -> re.Pattern[str]:
    if tag not in (_INT, _FLOAT):
        return regexp
    return re.compile(f"(?!{_SEXAGESIMAL.pattern})(?:{regexp.pattern})", regexp.flags)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, _not_sexagesimal(tag, regexp)) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


_FINITE = "expected a finite number"


def _checked(tag: str, construct: Any) -> Any:
    """`construct` for `tag`, refusing what is not a plain, finite value as a located error:
    `!!bool maybe`, `!!int abc`, `.nan`, `.inf`, or a number beyond what a float can hold
    (every score and sum would turn into NaN or overflow)."""
    name = "!!" + tag.rsplit(":", 1)[1]

    def checked(loader: Any, node: yaml.Node) -> Any:
        shown = node.value if len(node.value) <= 24 else node.value[:20] + "…"
        try:
            value = construct(loader, node)
            if not isinstance(value, int | float) or abs(value) <= sys.float_info.max:  # NaN fails too
                return value
            message = f"{_FINITE}, got {shown}"
        except (ValueError, KeyError, TypeError):
            if len(node.value) > 4300 and tag == _INT:
                raise  # an integer longer than Python converts: located by the caller
            message = f"{shown!r} is not a {name} value"
        raise yaml.constructor.ConstructorError(None, None, message, node.start_mark)

    return checked


for _tag in (_INT, _FLOAT, "tag:yaml.org,2002:bool"):
    StrictLoader.add_constructor(_tag, _checked(_tag, StrictLoader.yaml_constructors[_tag]))


@dataclass(frozen=True)
class Limits:
    """How much one input file may hold, so that a hostile or broken file is refused
    quickly instead of exhausting memory or time. The CLI's global options
    --max-input-mb, --max-nodes and --max-aliases set the first three."""

    max_bytes: int = 50 * 1024 * 1024
    max_nodes: int = 5_000_000  # values in one document, aliases counted every time they are used
    max_alias_nodes: int = 100_000  # values that YAML aliases add (a "billion laughs" file adds billions)
    max_depth: int = 100  # nesting levels; real inventories and catalogs use fewer than 15

    def at_least_defaults(self) -> Limits:
        """Each limit at least its default: for the files shipped with checklist, which
        lowering a limit for inventories (`--max-nodes 1000`) must not refuse."""
        default = Limits()
        return Limits(*(max(getattr(self, f.name), getattr(default, f.name)) for f in fields(Limits)))


DEFAULT_LIMITS = Limits()


def read_bytes(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a file within the size limit, or a located refusal.

    The size is checked before reading, and at most one byte over the limit
    is ever read, so a huge file (or an endless one such as /dev/zero) costs nothing.
    """
    most = limits.max_bytes
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > most:
                raise ChecklistError(too_big(display, size, most))
            raw = handle.read(most + 1)
    except FileNotFoundError:
        raise ChecklistError(Problem(display, "file not found")) from None
    except IsADirectoryError:
        raise ChecklistError(Problem(display, "is a directory, expected a file")) from None
    except OSError as exc:
        raise ChecklistError(Problem(display, f"cannot read: {exc.strerror}")) from None
    if len(raw) > most:  # a device or a file that grew while we read it
        raise ChecklistError(too_big(display, None, most))
    return raw


def read_stream(stream: BinaryIO, display: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Standard input within the size limit."""
    raw = stream.read(limits.max_bytes + 1)
    if len(raw) > limits.max_bytes:
        raise ChecklistError(too_big(display, None, limits.max_bytes))
    return raw


def too_big(display: str, size: int | None, limit: int, what: str = "an input") -> Problem:
    """The refusal of `what` over the size limit of `limit` bytes (`size` None when unknown,
    as for a stream)."""
    mb_limit = limit / 1024 / 1024
    if size is None:
        said = f"more than the {mb_limit:,g} MB {what} may have"
    else:
        mb = size / 1024 / 1024
        said = f"{mb:,.{1 if mb < 10 else 0}f} MB is more than the {mb_limit:,g} MB {what} may have"
    return Problem(display, f"{said}; raise the limit with 'checklist --max-input-mb N …'", 1, 1)


def read_text(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read a file as UTF-8 text (a BOM is accepted) within the size limit, or explain why not."""
    return decode(read_bytes(path, display, limits), display)


def decode(raw: bytes, display: str) -> str:
    """Decode UTF-8 bytes, naming the line and column of the first bad byte."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ChecklistError(Problem(display, "UTF-32 text; save the file as UTF-8", 1, 1))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ChecklistError(Problem(display, "UTF-16 text; save the file as UTF-8", 1, 1))
    if b"\x00" in raw[:8192]:
        raise ChecklistError(Problem(display, "binary data, expected a text file", 1, 1))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if raw.startswith(codecs.BOM_UTF8) else 0)  # counted after the BOM
        before = raw[:start]
        line = before.count(b"\n") + 1
        column = start - (before.rfind(b"\n") + 1) + 1
        raise ChecklistError(
            Problem(
                display,
                not_utf8(raw[start], display),
                line,
                column,
            )
        ) from None


def not_utf8(byte: int, display: str) -> str:
    """What is wrong with a byte that is not UTF-8, and how to save the file instead."""
    return (f"byte 0x{byte:02x}{_legacy(byte)} is not UTF-8; save the file as UTF-8"
            + (" (in Excel: Save As, CSV UTF-8)" if display.lower().endswith(".csv") else ""))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _legacy(byte: int) -> str:
    """What a byte would be in Windows-1252, the usual culprit (" ('é' in Latin-1?)")."""
    char = bytes([byte]).decode("cp1252", errors="replace")
    return f" ({char!r} in Latin-1?)" if char.isprintable() and char != "\ufffd" else ""


# ----------------------------------------------------------------------------- reading YAML

_AWAITING_KEY, _MERGE = object(), object()  # what a mapping waits for: a key, or what a merge key brings


class _Stop(Exception):
    """Raised inside the walk, which then says where: why it stops (`kind`: a limit's name,
    "yaml" or "duplicate"), and whether the node is an item still to be added to a list."""

    def __init__(self, kind: str, message: str, adding: bool = False) -> None:
        super().__init__(message)
        self.kind, self.message, self.adding = kind, message, adding


class _Refusal(Exception):
    """Why reading a YAML text stopped and where: `kind` as `_Stop`'s, the message or
    libyaml's error, the mark and the document path of the node being read."""

    def __init__(self, kind: str, reason: str | yaml.YAMLError, mark: Any, path: DocPath) -> None:
        super().__init__(str(reason))
        self.kind, self.reason, self.mark, self.path = kind, reason, mark, path

    def problem(self, display: str, text: str, limits: Limits) -> Problem:
        if isinstance(self.reason, yaml.YAMLError):
            return _yaml_problem(display, self.reason, text, self.path)
        line, column = self.mark.line + 1, self.mark.column + 1
        if self.kind in ("depth", "nodes", "aliases", "alias_text"):
            return Problem(display, limit_message(self.kind, limits), line, column, short_path(format_path(self.path)))
        message = self.reason
        if self.kind == "duplicate":  # with the line of the first one, found only now
            first = _place(_yaml_places(text), (*self.path, self.reason), key=True)
            message = f"duplicate key {self.reason!r}" + (f" (first defined at line {first[0] + 1})"
                                                         if first is not None and first[0] + 1 < line else "")
        return Problem(display, f"invalid YAML: {message}", line, column, format_path(self.path))


def _path(frames: Sequence[tuple[Any, Any]], adding: bool) -> DocPath:
    """The path of the node being read, through the open collections `frames` ((list or
    dict, pending key), outermost first): each list's last item (with `adding`, the
    innermost's next one) and each mapping's pending key."""
    parts: list[PathPart] = []
    for i, (container, key) in enumerate(frames):
        if container.__class__ is list:
            index = len(container) - (0 if adding and i == len(frames) - 1 else 1)
            if index >= 0:
                parts.append(index)
        elif key is _MERGE:
            parts.append("<<")
        elif key is not _AWAITING_KEY:
            parts.append(str(key))
    return tuple(parts)


def _tag_message(tag: str) -> str:
    short = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
    return f"the tag {short} is not allowed: inputs are plain data"


_UNHASHABLE = "found unhashable key (while constructing a mapping)"


def _merged(value: Any) -> list[dict[Any, Any]]:
    """The mappings a merge key's value brings, in the order they apply (the first listed wins)."""
    if value.__class__ is dict:
        return [value]
    if value.__class__ is list and all(item.__class__ is dict for item in value):
        return value[::-1]
    kind = "sequence" if value.__class__ is list else "scalar"
    raise _Stop("yaml", f"expected a mapping or list of mappings for merging, but found {kind} "
                        "(while constructing a mapping)")


def _read_yaml(text: str, limits: Limits) -> Any:
    """The plain data of a YAML text, or a `_Refusal` saying why not and where.

    Built straight from libyaml's events; each distinct plain scalar is resolved
    and constructed once, by PyYAML's own resolver and constructors. Anchors,
    aliases and merge keys (`<<: *defaults`) give what `yaml.load` gives. Values
    are counted as they come (an alias as often as it is used, with what it
    holds), so a file over a limit is refused having built no more than the limit.
    """
    loader = StrictLoader(text)
    get, resolve, constructors = loader.get_event, loader.resolve, loader.yaml_constructors
    scalar_event, alias_event, scalar_node = yaml.ScalarEvent, yaml.AliasEvent, yaml.ScalarNode
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    max_depth, max_nodes, max_aliased = limits.max_depth, limits.max_nodes, limits.max_alias_nodes
    made: dict[str, Any] = {}  # plain scalar text → its value
    anchors: dict[str, tuple[Any, int, Any]] = {}  # name → (value, values it stands for, mark)
    opened: dict[int, tuple[str, int]] = {}  # anchored collections not yet complete: (name, values before)
    # The text an alias repeats counts too: a 10 MB string used 300 times is 3 GB of result.
    texts: dict[str, int] = {}  # anchor name → characters of scalar text it stands for
    started: dict[int, int] = {}  # anchored collections not yet complete: characters before
    chars = 0  # characters of scalar text read inside anchored collections, aliases' included
    max_aliased_chars, aliased_chars = limits.max_bytes, 0
    merges: dict[int, list[dict[Any, Any]]] = {}  # per mapping with merge keys: the mappings they bring
    stack: list[tuple[Any, Any]] = []  # per open collection: its parent and the parent's pending key
    holder: Any = None  # the open list or mapping, None at the top
    key: Any = None  # in a mapping: its pending key, _AWAITING_KEY or _MERGE
    top: Any = None
    nodes = aliased = 0
    event: Any = None
    try:
        get()  # the stream's start
        event = get()
        if type(event) is yaml.StreamEndEvent:
            return None
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_event:
                tag, value = event.tag, event.value
                if tag is None or tag == "!":
                    if event.implicit[0]:  # plain: resolved as PyYAML's composer would
                        known = made.get(value, made)
                        if known is made:
                            tag = resolve(scalar_node, value, (True, False))
                            if tag == _STR:
                                known = value
                            elif tag in _SCALAR_TAGS:
                                known = constructors[tag](loader, scalar_node(tag, value, event.start_mark))
                            elif tag == _MERGE_TAG:
                                known = _MERGE
                            else:  # the value key `=`
                                raise _Stop("yaml", _tag_message(tag))
                            made[value] = known
                        value = known
                        if value is _MERGE and (key is not _AWAITING_KEY or event.anchor is not None):
                            raise _Stop("yaml", _tag_message(_MERGE_TAG))  # `<<` where it is not a key
                elif tag in _SCALAR_TAGS:
                    value = constructors[tag](loader, scalar_node(tag, value, event.start_mark))
                else:
                    raise _Stop("yaml", _tag_message(tag))
                size = 1
                if opened:
                    chars += len(event.value)
                if event.anchor is not None:
                    if event.anchor in anchors:
                        raise _Stop("yaml", f"found duplicate anchor {event.anchor!r}")
                    anchors[event.anchor] = (value, 1, event.start_mark)
                    texts[event.anchor] = len(event.value)
            elif kind is mapping_start or kind is sequence_start:
                if event.tag not in (None, "!", _COLLECTION_TAGS[kind]):
                    raise _Stop("yaml", _tag_message(event.tag))
                if key is _AWAITING_KEY:
                    raise _Stop("yaml", _UNHASHABLE)
                value = {} if kind is mapping_start else []
                if holder.__class__ is list:
                    holder.append(value)
                elif holder is None:
                    top = value
                elif key is not _MERGE:
                    holder[key] = value
                stack.append((holder, key))
                holder, key = value, (_AWAITING_KEY if kind is mapping_start else None)
                nodes += 1
                if event.anchor is not None:
                    if event.anchor in anchors:
                        raise _Stop("yaml", f"found duplicate anchor {event.anchor!r}")
                    anchors[event.anchor] = (value, 1, event.start_mark)
                    opened[id(value)] = (event.anchor, nodes - 1)
                    started[id(value)] = chars
                if len(stack) > max_depth or nodes > max_nodes:
                    raise _Stop("depth" if len(stack) > max_depth else "nodes", "")
                continue
            elif kind is mapping_end or kind is sequence_end:
                value = holder
                holder, key = stack.pop()
                if opened:
                    anchored = opened.pop(id(value), None)
                    if anchored is not None:
                        anchors[anchored[0]] = (value, nodes - anchored[1], anchors[anchored[0]][2])
                        texts[anchored[0]] = chars - started.pop(id(value))
                brought = merges.pop(id(value), None) if merges else None
                if brought is not None:  # merged keys first, the mapping's own after them
                    own = dict(value)
                    value.clear()
                    for mapping in brought:
                        value.update(mapping)
                    value.update(own)
                if key is _MERGE:
                    merges.setdefault(id(holder), []).extend(_merged(value))
                if holder.__class__ is dict:
                    key = _AWAITING_KEY
                continue
            elif kind is alias_event:
                found = anchors.get(event.anchor)
                if found is None:
                    raise _Stop("yaml", "found undefined alias")
                value, size = found[0], found[1]
                if id(value) in opened:  # a collection that holds itself: nested without end
                    raise _Stop("depth", "", adding=True)
                if key is _AWAITING_KEY and value.__class__ in (dict, list):
                    raise _Stop("yaml", _UNHASHABLE)
                if key is not _AWAITING_KEY or holder.__class__ is not dict:
                    aliased += size
                    if aliased > max_aliased:
                        raise _Stop("aliases", "", adding=True)
                text_size = texts.get(event.anchor, 0)
                aliased_chars += text_size
                if aliased_chars > max_aliased_chars:
                    raise _Stop("alias_text", "", adding=True)
                if opened:
                    chars += text_size
                if key is _MERGE:
                    merges.setdefault(id(holder), []).extend(_merged(value))
                    key = _AWAITING_KEY
                    nodes += size
                    if nodes > max_nodes:
                        raise _Stop("nodes", "")
                    continue
            else:  # the document's end
                event = get()
                if type(event) is yaml.StreamEndEvent:
                    return top
                raise _Stop("yaml", "but found another document (expected a single document in the stream)")
            # A scalar or an alias: the next item of a list, a key, or a key's value.
            if holder.__class__ is dict:
                if key is _AWAITING_KEY:
                    if value in holder:  # a duplicate, or a key equal to another (1 and 1.0)
                        raise _Stop("duplicate", event.value if kind is scalar_event else str(value))
                    key = value
                    continue
                if key is _MERGE:  # `<<: text`
                    raise _Stop("yaml", "expected a mapping or list of mappings for merging, but found scalar "
                                        "(while constructing a mapping)")
                nodes += size
                if nodes > max_nodes:
                    raise _Stop("nodes", "")
                holder[key] = value
                key = _AWAITING_KEY
            else:
                nodes += size
                if nodes > max_nodes:
                    raise _Stop("nodes", "", adding=True)
                if holder is None:
                    top = value
                else:
                    holder.append(value)
    except _Stop as stop:
        frames = [*stack[1:], (holder, key)] if holder is not None else stack[1:]
        raise _Refusal(stop.kind, stop.message, event.start_mark, _path(frames, stop.adding)) from None
    except yaml.YAMLError as exc:
        frames = [*stack[1:], (holder, key)] if holder is not None else stack[1:]
        raise _Refusal("yaml", exc, None, _path(frames, False)) from None
    finally:
        loader.dispose()


def _too_deep(text: str, limits: Limits) -> _Refusal | None:
    """Where a YAML or JSON text first nests deeper than the limit, or None if it cannot be told."""
    if "\\" in text:  # libyaml refuses an escaped surrogate, which JSON writes an emoji as: a letter
        # of the same length stands in for it, so that the walk goes on and its places stay
        text = SURROGATE_ESCAPE.sub(lambda m: m.group()[:-4] + "0041", text)
    try:
        _read_yaml(text, limits)
    except _Refusal as refusal:
        if refusal.kind == "depth":
            return refusal
        if "maximum nesting depth" in str(refusal):
            # libyaml (PyYAML 6.0.4 on) refuses flow collections nested ~1,000 deep, and its
            # look-ahead does so before the events within our limit come out: read again
            # only up to the bracket that goes past our limit.
            cut = _flow_depth_cut(text, limits.max_depth)
            if cut is not None and cut < len(text):
                return _too_deep(text[:cut], limits)
    return None


_FLOW_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[\[\]{}]')


def _flow_depth_cut(text: str, most: int) -> int | None:
    """The end of the bracket that opens a flow collection nested deeper than `most`, or None."""
    depth = 0
    for match in _FLOW_TOKEN.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > most:
                return match.end()
        elif char in "]}":
            depth -= 1
    return None


def load_yaml(text: str, display: str = "<yaml>", limits: Limits = DEFAULT_LIMITS) -> Any:
    """The plain data of a YAML text, or a ChecklistError with the located problem."""
    over = yaml_markers_over(text, limits.max_nodes)
    if over is not None:
        raise ChecklistError(Problem(display, limit_message("markers", limits), *_line_column(text, over)))
    try:
        return _read_yaml(text, limits)
    except _Refusal as refusal:
        if "maximum nesting depth" in str(refusal):  # libyaml's own limit, far above ours
            refusal = _too_deep(text, limits) or refusal
        raise ChecklistError(refusal.problem(display, text, limits)) from None


def _yaml_problem(display: str, exc: yaml.YAMLError, text: str, path: DocPath) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = " ".join(str(f"{problem} ({context})" if context else problem).split())
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    if mark is None and isinstance(position, int) and isinstance(character, int | str):
        # the reader rejects control characters before any mark exists
        line, column = _line_column(text, position)
        code = character if isinstance(character, int) else ord(character)
        return Problem(display, f"invalid YAML: control character U+{code:04X} is not allowed; remove it",
                       line, column)
    if mark is None:
        return Problem(display, f"invalid YAML: {message}", 1, 1)
    if not message.startswith(_FINITE):  # a well-formed number out of range is no syntax error
        message = f"invalid YAML: {message}"
    return Problem(display, message, mark.line + 1, mark.column + 1, format_path(path))


# ----------------------------------------------------------------------------- JSON


def json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise DuplicateJsonKey()
    return result


class DuplicateJsonKey(Exception):
    pass


_SPACE = re.compile(r"[ \t\n\r]*")
_SPACE_CHARS = frozenset(" \t\n\r")
# 256 array elements that are strings or other scalars, each with its comma (JsonLocator.STRIDE)
_SCALARS = re.compile(r'(?:(?:"(?:[^"\\]|\\.)*"|[^\s,\[\]{}"]+)[ \t\n\r]*,[ \t\n\r]*){256}')


class JsonLocator:
    """Where parts of a valid JSON text start, found with the json module's own C
    scanner: values before the one wanted are skipped at parsing speed, and where
    every 256th array element starts is kept, so that locating a thousand
    problems in a 10,000-application file walks it about once. (Composing the
    YAML node tree of such a file took 7 s and 300 MB.)
    """

    STRIDE = 256

    def __init__(self, text: str) -> None:
        self.text = text
        self.skip = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
        # array path → where every STRIDE-th element starts, as far as seen, and the furthest one seen
        self.elements: dict[tuple[PathPart, ...], list[int]] = {}
        self.furthest: dict[tuple[PathPart, ...], tuple[int, int]] = {}
        # (offset, its line, where that line starts), sorted: a position is worked out from
        # the nearest one before it, so a thousand problems do not each count from the top
        self.lines = [(0, 1, 0)]

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        start, line, line_start = self.lines[bisect.bisect(self.lines, (offset, 0, 0)) - 1]
        newlines = self.text.count("\n", start, offset)
        if newlines:
            line, line_start = line + newlines, self.text.rfind("\n", start, offset) + 1
        bisect.insort(self.lines, (offset, line, line_start))
        return line, offset - line_start + 1

    def _space(self, pos: int) -> int:
        if self.text[pos:pos + 1] not in _SPACE_CHARS:  # compact JSON: no space to skip
            return pos
        return _SPACE.match(self.text, pos).end()  # type: ignore[union-attr]

    def offset(self, path: Sequence[PathPart], key: bool) -> int:
        """The offset of the part at `path` (of its key if `key`), or of the deepest part that exists."""
        text = self.text
        pos = self._space(0)
        for index, part in enumerate(path):
            char = text[pos:pos + 1]
            if char == "{":
                found = self._member(pos, str(part))
                if found is None:
                    break
                key_pos, pos = found
                if key and index == len(path) - 1:
                    return key_pos
            elif char == "[" and isinstance(part, int) and part >= 0:
                element = self._element(pos, tuple(path[:index]), part)
                if element is None:
                    break
                pos = element
            else:
                break
        return pos

    def first_duplicate(self) -> tuple[int, DocPath, str] | None:
        """(offset, path of the object, key) of the first key, in document order, that its
        object already has; None if there is none."""
        text = self.text
        frames: list[tuple[DocPath, set[str] | None, list[int]]] = []  # per open container:
        # its path, the keys seen (an object) or None (an array), the next index
        path: DocPath = ()
        pos = self._space(0)
        while True:
            char = text[pos:pos + 1]
            if char in ("{", "[") and not text.startswith("}" if char == "{" else "]", self._space(pos + 1)):
                frames.append((path, set() if char == "{" else None, [0]))  # step into the container
                pos = self._space(pos + 1)
            else:  # a scalar or an empty container: step over it, and out of the containers ending here
                pos = self._space(self.skip(text, pos)[1])
                while frames and not text.startswith(",", pos):
                    frames.pop()
                    pos = self._space(pos + 1)
                if not frames:
                    return None
                pos = self._space(pos + 1)
            parent, keys, index = frames[-1]
            if keys is None:
                path = (*parent, index[0])
                index[0] += 1
                continue
            name, end = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
            if name in keys:
                return pos, parent, name
            keys.add(name)
            path, pos = (*parent, name), self._space(self._space(end) + 1)

    def _member(self, pos: int, name: str) -> tuple[int, int] | None:
        """(offset of the key, offset of the value) of member `name` of the object at `pos`."""
        text = self.text
        pos = self._space(pos + 1)
        while text.startswith('"', pos):
            found, end = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
            value = self._space(self._space(end) + 1)  # past the colon
            if found == name:
                return pos, value
            pos = self._space(self.skip(text, value)[1])
            if not text.startswith(",", pos):
                return None
            pos = self._space(pos + 1)
        return None

    def _element(self, pos: int, array: tuple[PathPart, ...], wanted: int) -> int | None:
        """The offset of element `wanted` of the array at `pos` (whose path is `array`)."""
        text = self.text
        starts = self.elements.setdefault(array, [])  # of elements 0, STRIDE, 2 × STRIDE…
        if not starts:
            first = self._space(pos + 1)
            if text.startswith("]", first):
                return None
            starts.append(first)
        index, at = self.furthest.get(array, (0, starts[0]))
        checkpoint = min(wanted // self.STRIDE, len(starts) - 1) * self.STRIDE
        if index > wanted or checkpoint > index:
            index, at = checkpoint, starts[checkpoint // self.STRIDE]
        while index < wanted:
            if not index % self.STRIDE and wanted - index >= self.STRIDE:
                hop = _SCALARS.match(text, at)  # a run of plain values, hopped over in C
                if hop is not None:
                    index, at = index + self.STRIDE, hop.end()
                    if index == len(starts) * self.STRIDE:
                        starts.append(at)
                    continue
            after = self._space(self.skip(text, at)[1])
            if not text.startswith(",", after):
                return None
            index, at = index + 1, self._space(after + 1)
            if index == len(starts) * self.STRIDE:
                starts.append(at)
        self.furthest[array] = max(self.furthest.get(array, (0, 0)), (index, at))
        return at


# ----------------------------------------------------------------------------- locating


def _yaml_places(text: str) -> tuple[int, int, Any] | None:
    """Where each part of a YAML document starts, from one pass over the parser's events
    (PyYAML's node tree took 1.5 times as long and 2.6 times the memory for 10,000
    applications): per node (line, column, inside), 0-based, where `inside` is None for
    a scalar, a list of the items' places for a sequence, and for a mapping a dict from
    each scalar key's text (the first of equal ones) to (key line, key column, the
    value's place). An alias has its anchor's place, as in the node tree. What was
    placed before an error when the text does not parse; None if nothing was."""
    loader = StrictLoader(text)
    get: Any = loader.get_event
    anchors: dict[str, tuple[tuple[int, int, Any], str | None]] = {}  # its place, and its text if a scalar
    collection_start, collection_end = yaml.CollectionStartEvent, yaml.CollectionEndEvent
    top: tuple[int, int, Any] | None = None
    holder: Any = None  # the open sequence's list or mapping's dict
    key: Any = _AWAITING_KEY  # in a mapping: the pending key's (text or None, line, column)
    stack: list[tuple[Any, Any]] = []
    try:
        while not isinstance(event := get(), yaml.DocumentStartEvent):
            if isinstance(event, yaml.StreamEndEvent):
                return None
        while True:
            event = get()
            if isinstance(event, yaml.AliasEvent):
                place, text_value = anchors[str(event.anchor)]
            elif isinstance(event, collection_end):
                holder, key = stack.pop()
                continue
            elif isinstance(event, yaml.NodeEvent):
                mark: Any = event.start_mark
                inside: Any = ({} if isinstance(event, yaml.MappingStartEvent) else []) \
                    if isinstance(event, collection_start) else None
                place = (mark.line, mark.column, inside)
                text_value = event.value if isinstance(event, yaml.ScalarEvent) else None
                if event.anchor is not None:
                    anchors[event.anchor] = (place, text_value)
            else:  # the document's end
                return top
            if holder is None:
                top = place
            elif holder.__class__ is list:
                holder.append(place)
            elif key is _AWAITING_KEY:
                key = (text_value, place[0], place[1])
            else:
                if key[0] is not None and key[0] not in holder:
                    holder[key[0]] = (key[1], key[2], place)
                key = _AWAITING_KEY
            if isinstance(event, collection_start):
                stack.append((holder, key))
                holder, key = place[2], _AWAITING_KEY
    except (yaml.YAMLError, KeyError, IndexError):
        return top
    finally:
        loader.dispose()


def _place(places: tuple[int, int, Any] | None, path: Sequence[PathPart], key: bool) -> tuple[int, int, bool]:
    """0-based (line, column) in `places` of the part at `path` (of its key if `key`), or of
    the deepest part of it that exists; and whether all of it does."""
    if not places:
        return 0, 0, False
    place = places
    line, column = place[0], place[1]
    for index, part in enumerate(path):
        inside = place[2]
        if inside.__class__ is dict:
            found = inside.get(str(part))
            if found is None:
                return line, column, False
            key_line, key_column, place = found
            line, column = (key_line, key_column) if (key and index == len(path) - 1) else place[:2]
        elif inside.__class__ is list and isinstance(part, int) and 0 <= part < len(inside):
            place = inside[part]
            line, column = place[0], place[1]
        else:
            return line, column, False
    return line, column, True


@dataclass
class Source:
    """One parsed document: its data and, on demand, where each part is."""

    name: str
    text: str
    data: Any
    kind: str = "yaml"
    _places: Any = field(default=None, repr=False)  # see _yaml_places; False once it failed
    _json: JsonLocator | None = field(default=None, repr=False)

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the part at `path`; of its key if `key`.

        A path that does not exist (a missing required field, say) resolves to
        the deepest part that does, which is where the user must add it.
        """
        if self.kind == "json":
            if self._json is None:
                self._json = JsonLocator(self.text)
            return self._json.line_column(self._json.offset(path, key))
        if self._places is None:
            self._places = _yaml_places(self.text) or False
        line, column, _ = _place(self._places, path, key)
        return (line + 1, column + 1)

    def problem(self, path: DocPath, message: str, *, key: bool = False) -> Problem:
        """A located problem at `path` inside this document."""
        line, column = self.locate(path, key=key)
        return Problem(self.name, message, line, column, format_path(path))


# ----------------------------------------------------------------------------- limits and parsing


def _deeper_than(data: Any, most: int) -> bool:
    """Whether parsed JSON nests collections more than `most` deep."""
    level = [data] if data.__class__ is dict or data.__class__ is list else []
    for _ in range(most):
        level = [value for container in level
                 for value in (container.values() if container.__class__ is dict else container)
                 if value.__class__ is dict or value.__class__ is list]
        if not level:
            return False
    return bool(level)


def _depth_problem(text: str, display: str, limits: Limits) -> Problem:
    """The refusal of a text nested too deep, at its first collection beyond the limit."""
    refusal = _too_deep(text, limits)
    if refusal is None:
        return Problem(display, limit_message("depth", limits), 1, 1)
    return refusal.problem(display, text, limits)


def short_path(path: str) -> str:
    """A path of at most 80 characters: a deeply nested one keeps its two ends."""
    return path if len(path) <= 80 else path[:38] + "…" + path[-38:]


def limit_message(kind: str, limits: Limits) -> str:
    """What is wrong with a file over limit `kind` (depth, aliases, nodes, markers), and what to do."""
    return {
        "depth": f"nested more than {limits.max_depth} levels deep; an inventory or catalog needs fewer than 15",
        "aliases": f"YAML aliases expand to more than {limits.max_alias_nodes:,} values; "
                   "raise the limit with 'checklist --max-aliases N …' if the file is yours",
        "alias_text": f"YAML aliases repeat more than {limits.max_bytes / 1024 / 1024:g} MB of text, more than a "
                      "file may hold; raise the limit with 'checklist --max-input-mb N …' if the file is yours",
        "nodes": f"more than {limits.max_nodes:,} values in one file; "
                 "raise the limit with 'checklist --max-nodes N …'",
        "markers": f"more than {limits.max_nodes:,} values in one file, counted by the marks that start them "
                   "('- ', ': ', ',', '[', '{'; this is where the count passes the limit); "
                   "raise the limit with 'checklist --max-nodes N …'",
    }[kind]


def parse(text: str, display: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Parse `text` as `kind` ("yaml" or "json") into a Source within `limits`, or raise located errors."""
    if kind == "json":
        over = json_values_over(text, limits.max_nodes)
        if over is not None:
            raise ChecklistError(Problem(display, limit_message("nodes", limits), *_line_column(text, over)))
        try:
            data = json.loads(text, object_pairs_hook=json_pairs, parse_constant=_not_finite,
                              parse_float=_finite_float)
        except _NotFinite:
            raise ChecklistError(_not_finite_problem(text, display)) from None
        except json.JSONDecodeError as exc:
            raise ChecklistError(
                Problem(display, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
            ) from None
        except DuplicateJsonKey:
            source = Source(display, text, None, kind)
            raise ChecklistError(_duplicate_key_problem(source)) from None
        except RecursionError:
            raise ChecklistError(_depth_problem(text, display, limits)) from None
        except ValueError:  # an integer longer than Python converts
            raise ChecklistError(long_number_problem(text, display)) from None
        if _deeper_than(data, limits.max_depth):
            raise ChecklistError(_depth_problem(text, display, limits))
        return without_lone_surrogates(Source(display, text, data, kind))
    try:
        data = load_yaml(text, display, limits)
    except (ValueError, OverflowError):  # an integer longer than Python converts
        raise ChecklistError(long_number_problem(text, display)) from None
    return without_lone_surrogates(Source(display, text, data, kind))


# Counting the values of a JSON text without parsing it (`json_values_over`): with escaped
# backslashes and quotes blanked out, every '"' opens or closes a string, and outside
# strings each ',' and each opener of a non-empty container starts one value.
JSON_STRING = re.compile(r'"[^"]*"')
_JSON_SPACED_EMPTY = re.compile(r"[\[{][ \t\n\r]+[\]}]")
_JSON_BRACKETS = re.compile(r"[ \t\n\r\[\]{}]*")  # a chunk ends after these, so no empty container is cut
_JSON_STARTS = re.compile(r'"[^"]*"|[\[{][ \t\n\r]*[\]}]|[,\[{]')
_JSON_KEY = re.compile(r'[ \t\n\r]*(?:"[^"]*"[ \t\n\r]*:[ \t\n\r]*)?')
_CHUNK = 1 << 18


def json_values_over(text: str, limit: int) -> int | None:
    """The offset of the first value beyond `limit` values in a JSON text (the value a
    streaming parse would stop at), or None when it has no more. Counted on the text at
    C speed before parsing, so that a file of millions of tiny values (`[[],[],…]`, 3
    bytes each) is refused before it becomes gigabytes of Python objects."""
    if len(text) < 2 * limit:  # each value after the first takes at least 2 characters
        return None
    if 1 + text.count(",") + text.count("[") + text.count("{") <= limit:  # strings counted too: an upper bound
        return None
    clean = text.replace("\\\\", "__").replace('\\"', "__") if "\\" in text else text  # same offsets
    count, start, end_of_text = 1, 0, len(clean)
    while start < end_of_text:
        end = min(start + _CHUNK, end_of_text)
        if clean.count('"', start, end) % 2:  # the chunk ends inside a string: end after it
            close = clean.find('"', end)
            end = end_of_text if close < 0 else close + 1
        end = _JSON_BRACKETS.match(clean, end).end()  # type: ignore[union-attr]
        piece = JSON_STRING.sub("0", clean[start:end])  # a string is a value: "[\"\"]" is not empty
        empty = piece.count("[]") + piece.count("{}") + len(_JSON_SPACED_EMPTY.findall(piece))
        here = piece.count(",") + piece.count("[") + piece.count("{") - empty
        if count + here > limit:
            for match in _JSON_STARTS.finditer(clean, start, end):
                if match.end() - match.start() == 1:  # a comma or an opener, not a string or an empty container
                    count += 1
                    if count > limit:
                        return _JSON_KEY.match(clean, match.end()).end()  # type: ignore[union-attr]
        count += here
        start = end
    return None


# Quoted text, YAML comments, and (group 1) the digits of a whole number, YAML's `1_000`
# included, but not those of a fraction or an exponent: Python turns those into floats of
# any length.
_NUMBER_OR_SKIPPED = re.compile(r"""(?m)"[^"]*"|(?:(?<=[\s\[{,:])|^)'[^']*'|(?:(?<=\s)|^)\#[^\n]*"""
                                r"|(?<![\w.+\-])-?(\d[\d_]*)(?![\d_.eE])")


class _NotFinite(ValueError):
    """A JSON number that is NaN, an infinity, or too large for a float."""


def _not_finite(token: str) -> float:
    raise _NotFinite(token)


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _NotFinite(token)
    return value


# JSON strings (skipped) and numbers or the constants Python's json accepts (group 1).
_JSON_NUMBER = re.compile(r'"(?:[^"\\]|\\.)*"|(-?(?:NaN|Infinity)|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)')
_BAD = object()  # stands for a number that is not finite, to find its path


def _not_finite_problem(text: str, display: str) -> Problem:
    """The first number of a JSON text that is not finite, located: its place from the text,
    its path from a second parse in which such a number is a marker (both in document order)."""
    def bad(token: str) -> Any:
        return _BAD

    def finite_or_bad(token: str) -> Any:
        try:
            return _finite_float(token)
        except _NotFinite:
            return _BAD

    path: DocPath = ()
    try:
        stack: list[tuple[Any, DocPath]] = [(json.loads(text, object_pairs_hook=json_pairs, parse_constant=bad,
                                                        parse_float=finite_or_bad), ())]
        while stack:  # in document order
            value, where = stack.pop()
            if value is _BAD:
                path = where
                break
            if isinstance(value, dict):
                stack.extend(((item, (*where, name)) for name, item in reversed(value.items())))
            elif isinstance(value, list):
                stack.extend(((item, (*where, i)) for i, item in reversed(list(enumerate(value)))))
    except (ValueError, DuplicateJsonKey, RecursionError):
        pass  # placed by line and column alone
    for match in _JSON_NUMBER.finditer(text):
        token = match.group(1)
        if token and (not math.isfinite(float(token)) if not token.lstrip("-").isdigit()
                      else abs(int(token)) > sys.float_info.max):
            shown = token if len(token) <= 24 else token[:20] + "…"
            line, column = _line_column(text, match.start(1))
            return Problem(display, f"{_FINITE}, got {shown}", line, column, format_path(path))
    return Problem(display, "a number is not finite; every number must be finite", 1, 1)  # pragma: no cover


def long_number_problem(text: str, display: str) -> Problem:
    """The problem of a number with more digits than Python turns into an integer (4,300
    unless configured), placed at the first such run of digits outside quotes."""
    most = getattr(sys, "get_int_max_str_digits", lambda: 4300)()  # Python 3.10.7 and later
    clean = text.replace("\\\\", "__").replace('\\"', "__").replace("\\'", "__")  # same offsets
    for match in _NUMBER_OR_SKIPPED.finditer(clean):
        digits = len(match.group(1) or "") - (match.group(1) or "").count("_")
        if digits > most:
            line, column = _line_column(text, match.start(1))
            return Problem(display, f"a number of {digits:,} digits, more than the {most:,} a number "
                                    "may have; quote it if it is text", line, column)
    return Problem(display, f"a number of more than {most:,} digits; quote it if it is text", 1, 1)


# An escape of a UTF-16 surrogate (JSON `\ud83d`, YAML `\U0000dc80`): a pair of them is how
# JSON writes an emoji, but one alone is not a character and cannot be written out as UTF-8.
SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")
SURROGATE = re.compile("[\ud800-\udfff]")  # once parsed, a surrogate is always a lone one


def without_lone_surrogates(source: Source) -> Source:
    """`source`, or the located problem of its first text holding an unpaired surrogate.
    Only a file that writes a surrogate escape is walked (a valid pair is one character
    once parsed, so only a lone one is left as a surrogate)."""
    if SURROGATE_ESCAPE.search(source.text) is None:
        return source

    def problem(path: DocPath, text: str, key: bool) -> Problem:
        if source.kind == "json":  # the json scanner reads a lone surrogate as the data holds it
            line, column = source.locate(path, key=key)
        else:  # the YAML composer refuses one: located in a copy whose surrogate escapes are "A"
            plain = SURROGATE_ESCAPE.sub(lambda m: m.group(0)[:-4] + "0041", source.text)
            located = Source(source.name, plain, source.data, source.kind)
            line, column = located.locate([SURROGATE.sub("A", p) if isinstance(p, str) else p for p in path],
                                          key=key)
        return Problem(source.name, surrogate_message(text), line, column, format_path(path))

    stack: list[tuple[Any, DocPath, bool]] = [(source.data, (), False)]  # (value or key, path, is a key)
    while stack:  # in document order: each key before its value
        value, path, key = stack.pop()
        if isinstance(value, dict):
            for name, item in reversed(value.items()):
                stack += [(item, (*path, name), False), (name, (*path, name), True)]
        elif isinstance(value, list):
            stack.extend((item, (*path, i), False) for i, item in reversed(list(enumerate(value))))
        elif isinstance(value, str) and SURROGATE.search(value):
            raise ChecklistError(problem(path, value, key))
    return source


def surrogate_message(text: str) -> str:
    char = SURROGATE.findall(text)[0]
    return (f"\\u{ord(char):04x} is half of a UTF-16 surrogate pair, not a character: "
            "write the character itself, or both halves of the pair")


def _duplicate_key_problem(source: Source) -> Problem:
    """The first repeated key of a JSON document, located."""
    locator = JsonLocator(source.text)
    found = locator.first_duplicate()
    if found is None:
        return Problem(source.name, "invalid JSON: duplicate key", 1, 1)
    offset, path, name = found
    line, column = locator.line_column(offset)
    return Problem(source.name, f"duplicate key {name!r}", line, column, format_path(path))


def load_file(path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Read and parse a YAML or JSON file (chosen by its extension) within `limits`."""
    name = display or str(path)
    kind = "json" if path.suffix.lower() == ".json" else "yaml"
    return parse(read_text(path, name, limits), name, kind, limits)


# Counting the values of a YAML text without parsing it (`yaml_markers_over`): nearly every
# value is started by a mark, a list item's "- ", a key's ": ", a flow collection's "[" or "{"
# or the "," between its items. Reading a value costs libyaml and Python about a microsecond,
# so a file of millions of tiny values (`- []`, 5 bytes each) took seconds to be refused by
# the exact count; the marks are counted at the speed of str.count instead.
_YAML_MARKS = ("- ", "-\n", "-\r", ": ", ":\n", ":\r", ":\t", ",", "[", "{")
_YAML_MARK = re.compile("|".join(re.escape(mark) for mark in _YAML_MARKS))
_EXACT_UP_TO = 1_000_000  # values the reader itself counts, exactly and with their path, in about a second


def yaml_markers_over(text: str, limit: int) -> int | None:
    """The offset of the mark that takes a YAML text's count of value marks beyond `limit`, or
    None. Marks inside strings and comments count too, so a file refused here has more marks
    than values allowed, which is what its message says; under the limit, the exact count of
    the reader still applies. A limit the reader reaches within about a second is left to it."""
    if limit <= _EXACT_UP_TO or len(text) <= limit or sum(text.count(first) for first in "-:,[{") <= limit:
        return None
    count = 0
    for start in range(0, len(text), _CHUNK):
        end = min(start + _CHUNK, len(text))
        here = sum(text.count(mark, start, end + len(mark) - 1) for mark in _YAML_MARKS)  # marks starting here
        if count + here > limit:
            for match in _YAML_MARK.finditer(text, start, end + 1):
                count += 1
                if count > limit:
                    return match.start()
        count += here
    return None
