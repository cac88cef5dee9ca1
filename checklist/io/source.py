"""Reading YAML and JSON documents so that any part of them can be located.

Parsing is the fast path: for YAML, libyaml's C parser (when present) with
its events turned into data directly; for JSON, the json module. Positions
are worked out only when a problem has to be reported: in JSON with the json
module's scanner, in YAML from one more pass over the parser's events.
YAML is read with a safe loader that builds plain data only, rejects
duplicate keys, and keeps dates as strings.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import json
import math
import os
import re
import sys
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from checklist.core.errors import ChecklistError, DocPath, PathPart, Problem, format_path

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class StrictLoader(_Base):  # type: ignore[valid-type, misc]
    """Safe loader: plain data only, duplicate keys are errors, dates stay text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[tuple[str, str], yaml.Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                marker = (key_node.tag, key_node.value)
                first = seen.get(marker)
                if first is not None:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {key_node.value!r} (first defined at line "
                        f"{first.start_mark.line + 1})",
                        key_node.start_mark,
                    )
                seen[marker] = key_node
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        for key in mapping:
            if not isinstance(key, Hashable):  # pragma: no cover - PyYAML rejects first
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be scalars", node.start_mark
                )
        return mapping


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
# Tags that build what JSON cannot hold (bytes, dates, sets, ordered pairs): refused as tags are.
for _tag in ("binary", "timestamp", "omap", "pairs", "set"):
    del StrictLoader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"]


class _Unusual(Exception):
    """The text uses something `load_yaml`'s fast path leaves to the full loader."""


_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset({_INT, _FLOAT, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})
_MERGE_TAG = "tag:yaml.org,2002:merge"
_AWAITING_KEY, _MERGE = object(), object()  # what a mapping waits for: a key, or what a merge key brings


def load_yaml(text: str) -> Any:
    """`yaml.load(text, Loader=StrictLoader)`, about three times faster for plain data.

    PyYAML's composer resolves each scalar's tag with a Python call and builds a
    node tree that the constructor then walks; most of a large inventory's parse
    goes there. Here the data is built straight from libyaml's events, and each
    distinct plain scalar is resolved and constructed once, by the loader's own
    resolver and constructors. Anchors, aliases and merge keys (`<<: *defaults`)
    give the same objects in the same order as the full loader. Anything rarer
    (tags, keys that are collections or equal to another key, several documents,
    nesting beyond the depth limit, any error) goes to the full loader, which
    reads the whole text again and decides.
    """
    try:
        return _plain_yaml(text)
    except (_Unusual, yaml.YAMLError, ValueError, OverflowError):
        return yaml.load(text, Loader=StrictLoader)


def _merged(value: Any) -> list[dict[Any, Any]]:
    """The mappings a merge key's value brings, in the order the full loader applies them."""
    if value.__class__ is dict:
        return [value]
    if value.__class__ is list and all(item.__class__ is dict for item in value):
        return value[::-1]  # the first mapping listed wins: it is applied last
    raise _Unusual


def _plain_yaml(text: str) -> Any:
    loader = StrictLoader(text)
    get, resolve, constructors = loader.get_event, loader.resolve, loader.yaml_constructors
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end, scalar_node = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.ScalarNode
    made: dict[str, Any] = {}  # plain scalar text → its value
    anchors: dict[str, Any] = {}
    opened: set[int] = set()  # anchored collections not yet complete
    merges: dict[int, list[dict[Any, Any]]] = {}  # per mapping with merge keys: the mappings they bring
    try:
        if type(get()) is not yaml.StreamStartEvent:
            raise _Unusual
        event = get()
        if type(event) is yaml.StreamEndEvent:
            return None
        if type(event) is not yaml.DocumentStartEvent:
            raise _Unusual
        top: Any = None
        holder: Any = None  # the open list or mapping, None at the top
        key: Any = None  # in a mapping: its pending key, _AWAITING_KEY or _MERGE
        stack: list[tuple[Any, Any]] = []
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_event:
                if event.tag is not None:
                    raise _Unusual
                value = event.value
                if event.implicit[0]:  # plain, untagged: resolved as the composer would
                    known = made.get(value, made)
                    if known is made:
                        tag = resolve(scalar_node, value, (True, False))
                        if tag == _STR or tag in _SCALAR_TAGS:
                            known = value if tag == _STR else constructors[tag](loader, scalar_node(tag, value))
                        elif tag == _MERGE_TAG and key is _AWAITING_KEY:
                            known = _MERGE
                        else:  # the value key `=`, or `<<` where it is not a key
                            raise _Unusual
                        made[value] = known
                    if known is _MERGE and key is not _AWAITING_KEY:  # `<<` where it is not a key
                        raise _Unusual
                    value = known
                if event.anchor is not None:
                    if event.anchor in anchors or value is _MERGE:
                        raise _Unusual
                    anchors[event.anchor] = value
            elif kind is mapping_start or kind is sequence_start:
                if event.tag is not None or key is _AWAITING_KEY or len(stack) >= LIMITS.max_depth:
                    raise _Unusual
                value = {} if kind is mapping_start else []
                if event.anchor is not None:
                    if event.anchor in anchors:
                        raise _Unusual
                    anchors[event.anchor] = value
                    opened.add(id(value))
                if holder.__class__ is list:
                    holder.append(value)
                elif holder is None:
                    top = value
                elif key is not _MERGE:
                    holder[key] = value
                    key = _AWAITING_KEY
                stack.append((holder, key))
                holder, key = value, (_AWAITING_KEY if kind is mapping_start else None)
                continue
            elif kind is mapping_end or kind is sequence_end:
                value = holder
                holder, key = stack.pop()
                opened.discard(id(value))
                brought = merges.pop(id(value), None) if merges else None
                if brought is not None:  # merged keys first, the mapping's own after them
                    own = dict(value)
                    value.clear()
                    for mapping in brought:
                        value.update(mapping)
                    value.update(own)
                if key is _MERGE:
                    merges.setdefault(id(holder), []).extend(_merged(value))
                    key = _AWAITING_KEY
                continue
            elif kind is yaml.AliasEvent:
                value = anchors.get(event.anchor, anchors)
                if value is anchors or id(value) in opened:  # undefined, or a collection that holds itself
                    raise _Unusual
                if key is _MERGE:
                    merges.setdefault(id(holder), []).extend(_merged(value))
                    key = _AWAITING_KEY
                    continue
                if key is _AWAITING_KEY and value.__class__ in (dict, list):
                    raise _Unusual
            elif kind is yaml.DocumentEndEvent and type(get()) is yaml.StreamEndEvent:
                return top
            else:
                raise _Unusual
            # A scalar or an alias: the next item of a list, a key, or a key's value.
            if holder.__class__ is list:
                holder.append(value)
            elif holder is None:
                top = value
            elif key is _AWAITING_KEY:
                if value in holder:  # a duplicate, or a key equal to another (1 and yes)
                    raise _Unusual
                key = value
            elif key is _MERGE:  # `<<: text`
                raise _Unusual
            else:
                holder[key] = value
                key = _AWAITING_KEY
    finally:
        loader.dispose()


@dataclass
class Limits:
    """How much one input file may hold, so that a hostile or broken file is refused
    quickly instead of exhausting memory or time. The CLI's global options
    --max-input-mb, --max-nodes and --max-aliases raise the first three."""

    max_bytes: int = 50 * 1024 * 1024
    max_nodes: int = 5_000_000  # values in one document, aliases counted every time they are used
    max_alias_nodes: int = 100_000  # values that YAML aliases add (a "billion laughs" file adds billions)
    max_depth: int = 100  # nesting levels; real inventories and catalogs use fewer than 15


LIMITS = Limits()
DEFAULT_LIMITS = Limits()


@contextlib.contextmanager
def at_least_default_limits() -> Iterator[None]:
    """Within the block, each limit is at least its default: for the files shipped with
    checklist, which lowering a limit for inventories (`--max-nodes 1000`) must not refuse."""
    saved = {f.name: getattr(LIMITS, f.name) for f in fields(Limits)}
    for name, value in saved.items():
        setattr(LIMITS, name, max(value, getattr(DEFAULT_LIMITS, name)))
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(LIMITS, name, value)


def read_bytes(path: Path, display: str) -> bytes:
    """The bytes of a file within the size limit, or a located refusal.

    The size is checked before reading, and at most one byte over the limit
    is ever read, so a huge file (or an endless one such as /dev/zero) costs nothing.
    """
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > LIMITS.max_bytes:
                raise ChecklistError(too_big(display, size))
            raw = handle.read(LIMITS.max_bytes + 1)
    except FileNotFoundError:
        raise ChecklistError(Problem(display, "file not found")) from None
    except IsADirectoryError:
        raise ChecklistError(Problem(display, "is a directory, expected a file")) from None
    except OSError as exc:
        raise ChecklistError(Problem(display, f"cannot read: {exc.strerror}")) from None
    if len(raw) > LIMITS.max_bytes:  # a device or a file that grew while we read it
        raise ChecklistError(too_big(display, None))
    return raw


def read_stream(stream: BinaryIO, display: str) -> bytes:
    """Standard input within the size limit."""
    raw = stream.read(LIMITS.max_bytes + 1)
    if len(raw) > LIMITS.max_bytes:
        raise ChecklistError(too_big(display, None))
    return raw


def too_big(display: str, size: int | None, limit: int | None = None, what: str = "an input") -> Problem:
    """The refusal of `what` over the size limit (`size` None when unknown, as for a
    stream; `limit` LIMITS.max_bytes unless given)."""
    mb_limit = (LIMITS.max_bytes if limit is None else limit) / 1024 / 1024
    if size is None:
        said = f"more than the {mb_limit:,g} MB {what} may have"
    else:
        mb = size / 1024 / 1024
        said = f"{mb:,.{1 if mb < 10 else 0}f} MB is more than the {mb_limit:,g} MB {what} may have"
    return Problem(display, f"{said}; raise the limit with 'checklist --max-input-mb N …'", 1, 1)


def read_text(path: Path, display: str) -> str:
    """Read a file as UTF-8 text (a BOM is accepted) within the size limit, or explain why not."""
    return decode(read_bytes(path, display), display)


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


def _yaml_problem(display: str, exc: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context and "duplicate key" not in problem else problem
    message = " ".join(str(message).split())
    if "could not determine a constructor for the tag" in message:
        tag = message.split("for the tag", 1)[1].strip(" '")
        tag = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
        message = f"the tag {tag} is not allowed: inputs are plain data"
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
    path = _Scan(text, stop=(mark.line, mark.column)).run().path
    if not message.startswith(_FINITE):  # a well-formed number out of range is no syntax error
        message = f"invalid YAML: {message}"
    return Problem(display, message, mark.line + 1, mark.column + 1, format_path(path))


# What `_Scan` does with each kind of YAML event.
_SCALAR, _ALIAS, _START, _END, _OTHER, _DONE = range(6)
_EVENT_KINDS: dict[type, int] = {
    yaml.ScalarEvent: _SCALAR, yaml.AliasEvent: _ALIAS, yaml.MappingStartEvent: _START,
    yaml.SequenceStartEvent: _START, yaml.MappingEndEvent: _END, yaml.SequenceEndEvent: _END,
    type(None): _DONE, yaml.StreamEndEvent: _DONE,
}


class _Scan:
    """Walk a YAML (or JSON) text's events, keeping the document path of the current
    node, its depth and how many values it holds with aliases expanded.

    Used only once something is wrong, to say where: up to the position `stop`
    (0-based line, column) of a syntax error, or up to the first place where a
    limit is exceeded. Streaming events keeps this cheap for deep or huge input.
    """

    def __init__(self, text: str, stop: tuple[int, int] | None = None) -> None:
        self.text = text
        self.stop = stop
        # one frame per open container: [is_mapping, key or index, awaiting a key, values inside]
        self.frames: list[list[Any]] = []
        self.anchors: dict[str, int] = {}
        self.nodes = 0
        self.aliased = 0
        self.exceeded: tuple[str, Any, DocPath] | None = None  # (which limit, the mark and the path where)
        self.cut = False  # scanning a text cut short at its first bracket nested too deep

    @property
    def path(self) -> DocPath:
        parts: list[PathPart] = []
        for is_map, part, awaiting_key, _, _ in self.frames:
            if is_map and not awaiting_key and part is not None:
                parts.append(str(part))
            elif not is_map and part >= 0:
                parts.append(part)
        return tuple(parts)

    def _begin(self) -> bool:
        """A node starts in the current container; True when it is a mapping key."""
        if not self.frames:
            return False
        frame = self.frames[-1]
        if not frame[0]:
            frame[1] += 1
            return False
        return bool(frame[2])

    def _complete(self, value: Any, size: int) -> None:
        """A node ended: count it and move its mapping from key to value or back."""
        if not self.frames:
            return
        frame = self.frames[-1]
        if frame[0] and frame[2]:
            frame[1], frame[2] = value, False
            return
        frame[3] += size
        if frame[0]:
            frame[2] = True

    def run(self) -> _Scan:
        # The hot loop of refusing a file of millions of values: events are taken straight
        # from the parser and told apart by their type, not by isinstance checks.
        # libyaml refuses an escaped surrogate, which JSON writes an emoji as: a letter of the
        # same length stands in for it, so the scan goes on and its places stay
        text = SURROGATE_ESCAPE.sub(lambda m: m.group()[:-4] + "0041", self.text) if "\\" in self.text else self.text
        loader = StrictLoader(text)
        frames, anchors, stop = self.frames, self.anchors, self.stop
        max_depth, max_aliased, max_nodes = LIMITS.max_depth, LIMITS.max_alias_nodes, LIMITS.max_nodes
        try:
            while True:
                event = loader.get_event()
                kind = _EVENT_KINDS.get(type(event), _OTHER)
                if kind == _DONE:
                    break
                mark: Any = event.start_mark
                # Stop at the error; containers that end right there are closed first.
                if stop is not None and (mark.line, mark.column) >= stop and not (
                        (mark.line, mark.column) == stop and kind == _END):
                    break
                if kind == _END:
                    frame = frames.pop()
                    if frame[4]:
                        anchors[frame[4]] = frame[3] + 1
                    self._complete(None, frame[3] + 1)
                    continue
                if kind == _OTHER:
                    continue
                is_key = self._begin()
                if kind == _START:
                    is_map = type(event) is yaml.MappingStartEvent
                    frames.append([is_map, None if is_map else -1, True, 0, event.anchor])
                    self.nodes += 1
                    over = "depth" if len(frames) > max_depth else "nodes" if self.nodes > max_nodes else None
                else:  # a scalar or an alias
                    size = 1
                    if kind == _ALIAS:
                        size = anchors.get(str(event.anchor), 1)
                        if not is_key:
                            self.aliased += size
                    elif event.anchor:
                        anchors[event.anchor] = 1
                    if not is_key:
                        self.nodes += size
                    over = "aliases" if self.aliased > max_aliased else "nodes" if self.nodes > max_nodes else None
                    if over is None or stop is not None:
                        self._complete(getattr(event, "value", None), size)
                if over is not None and stop is None:  # a value is located before it completes: the path names it
                    self.exceeded = (over, mark, self.path)
                    break
        except yaml.YAMLError as exc:
            if self.exceeded is None and "maximum nesting depth" in str(exc) and not self.cut:
                # libyaml (PyYAML 6.0.4 on) refuses flow collections nested ~1,000 deep, and
                # its look-ahead does so before the events within our limit come out: scan
                # again only up to the bracket that goes past our limit.
                cut = _flow_depth_cut(self.text, max_depth)
                if cut is not None:
                    self.__init__(self.text[:cut], self.stop)  # type: ignore[misc]
                    self.cut = True
                    return self.run()
        except RecursionError:
            pass
        finally:
            loader.dispose()
        return self


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




def _yaml_places(text: str) -> tuple[int, int, Any] | None:
    """Where each part of a YAML document starts, from one pass over the parser's events
    (the node tree PyYAML composes took 1.5 times as long and 2.6 times the memory for
    10,000 applications):
    per node (line, column, inside), 0-based, where `inside` is None for a scalar, a list
    of the items' places for a sequence, and for a mapping a dict from each scalar key's
    text (the first of equal ones) to (key line, key column, the value's place). An alias
    has its anchor's place, as in the node tree. None if the text does not parse."""
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
            else:  # the document's end: the text holds one, as the loader made sure
                return top if isinstance(get(), yaml.StreamEndEvent) else None
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
        return None
    finally:
        loader.dispose()


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
        if not self._places:
            return (1, 1)
        place = self._places
        line, column = place[0], place[1]
        for index, part in enumerate(path):
            inside = place[2]
            if inside.__class__ is dict:
                found = inside.get(str(part))
                if found is None:
                    break
                key_line, key_column, place = found
                line, column = (key_line, key_column) if (key and index == len(path) - 1) else place[:2]
            elif inside.__class__ is list and isinstance(part, int) and 0 <= part < len(inside):
                place = inside[part]
                line, column = place[0], place[1]
            else:
                break
        return (line + 1, column + 1)

    def problem(self, path: DocPath, message: str, *, key: bool = False) -> Problem:
        """A located problem at `path` inside this document."""
        line, column = self.locate(path, key=key)
        return Problem(self.name, message, line, column, format_path(path))


def _shape(data: Any, aliases: bool = True) -> tuple[int, int, int]:
    """(deepest level, values written, values with aliases expanded) of parsed data.

    Breadth-first by levels, so depth needs no bookkeeping; a container met
    twice is an alias, and only then are expanded sizes worked out. JSON has
    no aliases (`aliases` False), which saves tracking what was seen.
    """
    seen: set[int] = set()
    shared = False
    written = 1
    depth = 0
    level = [data] if isinstance(data, dict | list) else []
    while level:
        depth += 1
        if depth > LIMITS.max_depth:
            break
        nested: list[Any] = []
        for container in level:
            if aliases:
                if id(container) in seen:
                    shared = True
                    continue
                seen.add(id(container))
            written += len(container)
            values = container.values() if type(container) is dict else container
            nested += [v for v in values if type(v) is dict or type(v) is list]
        level = nested
        if written > LIMITS.max_nodes:
            break
    if not shared or depth > LIMITS.max_depth:
        return depth, written, written
    # Aliases: what a consumer walks is the expanded tree, so measure that.
    memo: dict[int, tuple[int, int]] = {}

    def expanded(node: Any) -> tuple[int, int]:
        known = memo.get(id(node))
        if known is not None:
            return known
        values = node.values() if isinstance(node, dict) else node
        size, deepest = 1, 0
        for value in values:
            if isinstance(value, dict | list):
                inner, inner_depth = expanded(value)
                size, deepest = size + inner, max(deepest, inner_depth)
            else:
                size += 1
        memo[id(node)] = (size, deepest + 1)
        return memo[id(node)]

    try:
        total, depth = expanded(data)
    except RecursionError:  # aliases chained thousands deep
        return LIMITS.max_depth + 1, written, written
    return depth, written, total


def check_limits(data: Any, text: str, display: str, *, aliases: bool = True) -> None:
    """Refuse data nested too deeply or too big once YAML aliases are expanded.
    (`aliases` False: the text is JSON, which has none.)"""
    depth, written, total = _shape(data, aliases)
    kind = "depth" if depth > LIMITS.max_depth else "aliases" if total - written > LIMITS.max_alias_nodes \
        else "nodes" if total > LIMITS.max_nodes else None
    if kind is None:
        return
    if not aliases:  # the place is found in the parsed data, then in the text (YAML events are slow)
        kind, where = _first_over(data, kind)
        locator = JsonLocator(text)
        _refuse(text, display, kind, (*locator.line_column(locator.offset(where, False)), where))
    _refuse(text, display, kind)


def _first_over(data: Any, kind: str) -> tuple[str, DocPath]:
    """(which limit, path) of the first value, in document order, nested too deep or beyond the
    number of values allowed: where a streaming scan of the text (`_Scan`) would stop."""
    count = 1
    stack: list[tuple[DocPath, Iterator[tuple[PathPart, Any]]]] = [((), _members(data))]  # per open container:
    # its path and the members not yet visited
    while stack:
        path, members = stack[-1]
        for name, value in members:
            here = (*path, name)
            count += 1
            nested = isinstance(value, dict | list)
            if nested and len(here) >= LIMITS.max_depth:
                return "depth", here
            if count > LIMITS.max_nodes:
                return "nodes", here
            if nested:
                stack.append((here, _members(value)))
                break
        else:
            stack.pop()
    return kind, ()


# Counting the values of a JSON text without parsing it (`json_values_over`): with escaped
# backslashes and quotes blanked out, every '"' opens or closes a string, and outside
# strings each ',' and each opener of a non-empty container starts one value.
JSON_STRING = re.compile(r'"[^"]*"')
_JSON_SPACED_EMPTY = re.compile(r"[\[{][ \t\n\r]+[\]}]")
_JSON_BRACKETS = re.compile(r"[ \t\n\r\[\]{}]*")  # a chunk ends after these, so no empty container is cut
_JSON_STARTS = re.compile(r'"[^"]*"|[\[{][ \t\n\r]*[\]}]|[,\[{]')
_JSON_KEY = re.compile(r'[ \t\n\r]*(?:"[^"]*"[ \t\n\r]*:[ \t\n\r]*)?')
_CHUNK = 1 << 18


def json_values_over(text: str) -> int | None:
    """The offset of the first value beyond LIMITS.max_nodes in a JSON text (the value a
    streaming parse would stop at), or None when it has no more. Counted on the text at
    C speed before parsing, so that a file of millions of tiny values (`[[],[],…]`, 3
    bytes each) is refused before it becomes gigabytes of Python objects."""
    limit = LIMITS.max_nodes
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


def _yaml_limits(text: str, display: str) -> None:
    """Refuse, before it is loaded, a YAML text with more values than LIMITS.max_nodes.

    Every value but the first is introduced by one of `- : , [ { ?`, so their count in
    the text bounds the values from above; real inventories stay well under the limit.
    Above it, libyaml counts the events without building anything (a value is at
    least one event), and only if there are too many are the values counted exactly
    by a walk of the events, which also says where the limit is crossed.
    """
    limit = LIMITS.max_nodes
    if len(text) <= limit or 1 + sum(text.count(c) for c in "-:,[{?") <= limit:
        return
    raw_parse = getattr(_Base(text), "raw_parse", None)  # libyaml only
    if raw_parse is not None:
        with contextlib.suppress(yaml.YAMLError):
            if raw_parse() <= limit:
                return
    scan = _Scan(text).run()
    if scan.exceeded is not None:
        kind, mark, where = scan.exceeded
        _refuse(text, display, kind, (mark.line + 1, mark.column + 1, where))


def _members(value: Any) -> Iterator[tuple[PathPart, Any]]:
    if isinstance(value, dict):
        return iter(value.items())
    return enumerate(value) if isinstance(value, list) else iter(())


def _refuse(text: str, display: str, kind: str, place: tuple[int, int, DocPath] | None = None) -> None:
    """Raise the located problem for an exceeded limit; `place` (line, column, path) when
    it is known, else found by scanning the text (`kind` if the scan cannot tell)."""
    line, column, path = 1, 1, ""
    if place is not None:
        line, column, path = place[0], place[1], format_path(place[2])
    else:
        scan = _Scan(text).run()
        if scan.exceeded is not None:
            kind, mark, where = scan.exceeded
            line, column, path = mark.line + 1, mark.column + 1, format_path(where)
    raise ChecklistError(Problem(display, limit_message(kind), line, column, short_path(path)))


def first_too_deep(text: str, below: int) -> tuple[int, int, DocPath] | None:
    """(line, column, path) in JSON `text` of its first value nested deeper than
    LIMITS.max_depth, counting `below` levels above the text's own value, or None. Found
    by streaming the text's events, as `_refuse` does for a whole document; the levels
    above are brackets put before the text, taken out of the place again."""
    scan = _Scan("[" * below + text).run()
    if scan.exceeded is None or scan.exceeded[0] != "depth":
        return None
    _, mark, path = scan.exceeded
    return mark.line + 1, mark.column + 1 - (below if mark.line == 0 else 0), path[below:]


def short_path(path: str) -> str:
    """A path of at most 80 characters: a deeply nested one keeps its two ends."""
    return path if len(path) <= 80 else path[:38] + "…" + path[-38:]


def limit_message(kind: str) -> str:
    """What is wrong with a file over limit `kind` (depth, aliases, nodes), and what to do."""
    return {
        "depth": f"nested more than {LIMITS.max_depth} levels deep; an inventory or catalog needs fewer than 15",
        "aliases": f"YAML aliases expand to more than {LIMITS.max_alias_nodes:,} values; "
                   "raise the limit with 'checklist --max-aliases N …' if the file is yours",
        "nodes": f"more than {LIMITS.max_nodes:,} values in one file; "
                 "raise the limit with 'checklist --max-nodes N …'",
    }[kind]


def parse(text: str, display: str, kind: str) -> Source:
    """Parse `text` as `kind` ("yaml" or "json") into a Source, or raise located errors."""
    if kind == "json":
        over = json_values_over(text)
        if over is not None:
            _refuse(text, display, "nodes", (*_line_column(text, over), ()))
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
            _refuse(text, display, "depth")
            raise ChecklistError(Problem(display, "invalid JSON: nested too deeply", 1, 1)) from None
        except ValueError:  # an integer longer than Python converts
            raise ChecklistError(long_number_problem(text, display)) from None
        check_limits(data, text, display, aliases=False)
        return without_lone_surrogates(Source(display, text, data, kind))
    _yaml_limits(text, display)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):  # libyaml's own limit, far above ours
            _refuse(text, display, "depth")
        raise ChecklistError(_yaml_problem(display, exc, text)) from None
    except RecursionError:
        _refuse(text, display, "depth")
        raise ChecklistError(Problem(display, "invalid YAML: nested too deeply", 1, 1)) from None
    except ValueError:  # an integer longer than Python converts
        raise ChecklistError(long_number_problem(text, display)) from None
    check_limits(data, text, display)
    return without_lone_surrogates(Source(display, text, data, kind))


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


def _not_finite_problem(text: str, display: str) -> Problem:
    """The first number of a JSON text that is not finite, located."""
    for match in _JSON_NUMBER.finditer(text):
        token = match.group(1)
        if token and (not math.isfinite(float(token)) if not token.lstrip("-").isdigit()
                      else abs(int(token)) > sys.float_info.max):
            shown = token if len(token) <= 24 else token[:20] + "…"
            line, column = _line_column(text, match.start(1))
            try:  # JSON is YAML to the event walk that names the place
                path = format_path(_Scan(text, stop=(line - 1, column - 1)).run().path)
            except yaml.YAMLError:
                path = ""
            return Problem(display, f"{_FINITE}, got {shown}", line, column, path)
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


def load_file(path: Path, display: str | None = None) -> Source:
    """Read and parse a YAML or JSON file (chosen by its extension)."""
    name = display or str(path)
    kind = "json" if path.suffix.lower() == ".json" else "yaml"
    return parse(read_text(path, name), name, kind)
