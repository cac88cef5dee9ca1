"""Editing an inventory file in place without disturbing anything else.

The interview saves every answer as soon as it is given. A YAML inventory is
edited as text: the value that changes is replaced, or the lines of a new key
are inserted, at the place the parser's events give, so every other byte of
the file stays as it was: comments, quoting, indentation, line endings, a
byte-order mark, and every other application. A JSON inventory is written
again whole, with its key order, indentation, line endings and byte-order mark.

Two people must not lose each other's answers: an interview holds a lock on
the file while it runs (`editing_lock`), and before every save the file on
disk is compared, by a hash of its content, with the text this interview last
read or wrote. If it changed (an editor saved it meanwhile), the file is read
again and the answers not yet saved are applied to what is there now: a change
the interview did not make is never reverted. Every save is atomic (see
`checklist.io.output.write_atomic`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from checklist.core.errors import ChecklistError, Problem, format_path
from checklist.core.fields import FOOTPRINT_FIELDS
from checklist.io.output import write_atomic
from checklist.io.source import DEFAULT_LIMITS, Limits, StrictLoader, load_yaml

if TYPE_CHECKING:
    from checklist.core.model import Catalog

PLANNING_FIELDS = ("criticality", "depends_on", *FOOTPRINT_FIELDS)  # what planning reads beside the answers


class Document(Protocol):
    """An inventory open for the interview: YAML or JSON (`InventoryDocument`), CSV or XLSX
    (`checklist.io.table_editing`). Changes are in memory until `save`."""

    path: Path

    def application_ids(self) -> list[str]: ...
    def answers(self, app_id: str | None) -> dict[str, Any]: ...
    def prepare(self, app_id: str | None) -> None: ...
    def add_application(self, app_id: str, name: str, owner: str, criticality: str) -> None: ...
    def set_answer(self, app_id: str | None, fact_id: str, value: Any) -> None: ...
    def discovered(self, app_id: str) -> dict[str, dict[str, Any]]: ...
    def planning(self, app_id: str) -> dict[str, Any]: ...
    def set_planning(self, app_id: str, key: str, value: Any) -> None: ...
    def questionnaire_answers(self, app_id: str, name: str) -> dict[str, Any]: ...
    def set_questionnaire_answer(self, app_id: str, name: str, key: str, value: Any) -> None: ...
    def save(self) -> None: ...


def open_document(path: Path, catalog: Catalog, limits: Limits = DEFAULT_LIMITS) -> Document:
    """An existing inventory of any format, open for editing (validated by `load_inventory` first)."""
    if path.suffix.lower() in (".csv", ".xlsx"):
        from checklist.io.table_editing import load_table

        return load_table(path, catalog)
    return InventoryDocument.load(path, limits)


def new_document(path: Path, catalog: Catalog, organization: str | None, *, org_file: bool = False) -> Document:
    """A new inventory in the format its name says (nothing is written until the first save);
    `org_file`: a CSV is the organisation's (fact and answer columns), not the applications'."""
    if path.suffix.lower() in (".csv", ".xlsx"):
        from checklist.io.table_editing import create_table

        table = create_table(path, catalog, org_file)
        if organization:
            table.set_name(organization)
        return table
    return InventoryDocument.create(path, organization or "")


HEADER = ("# Inventory written by `checklist interview`. Edit freely: comments and order are kept.\n"
          "# Every question and its allowed answers: `checklist schema inventory`.\n")
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a line break
_BREAKS = "\r\n\x85\u2028\u2029"
_ITEM_PREFIX = re.compile(r"[ \t]*(?:-[ \t]+)*")  # what may stand before a block item on its line


class Quoted(str):
    """Text written in double quotes whatever it holds (a Konveyor answer such as Yes or 7
    would otherwise read back as true or a number)."""


@dataclass
class _Node:
    """A YAML node of the edited text, where it is; aliases are not followed."""

    kind: str  # "map", "seq", "scalar" or "alias"
    start: int  # offset of its first character, an anchor or tag included
    end: int  # offset after its last character (a block collection: after its last value)
    flow: bool = False
    anchor: str | None = None
    text: str = ""  # a scalar's value, an alias's anchor name
    items: list[Any] = field(default_factory=list)  # a map: [key, value] pairs; a seq: nodes

    def own(self, key: str) -> tuple[_Node, _Node] | None:
        """This mapping's own (key, value) for `key` (merge keys are not followed), or None."""
        for pair in self.items if self.kind == "map" else ():
            if pair[0].kind == "scalar" and pair[0].text == key:
                return pair[0], pair[1]
        return None

    def anchors(self) -> Iterator[tuple[str, int]]:
        """(anchor, offset) of this node and every node inside it."""
        if self.anchor:
            yield self.anchor, self.start
        for item in self.items:
            for node in item if isinstance(item, list) else (item,):
                if node is not None:
                    yield from node.anchors()


def _compose(text: str, offset: int = 0) -> _Node | None:
    """The node tree of `text` (offsets shifted by `offset`), built from the parser's events."""
    loader = StrictLoader(text)
    stack: list[_Node] = []
    root: _Node | None = None

    def attach(node: _Node) -> None:
        nonlocal root
        if not stack:
            root = node
        elif stack[-1].kind == "seq":
            stack[-1].items.append(node)
        elif stack[-1].items and stack[-1].items[-1][1] is None:
            stack[-1].items[-1][1] = node
        else:
            stack[-1].items.append([node, None])

    try:
        while (event := loader.get_event()) is not None and not isinstance(event, yaml.StreamEndEvent):
            start, end = offset + event.start_mark.index, offset + event.end_mark.index
            if isinstance(event, yaml.ScalarEvent):
                attach(_Node("scalar", start, end, anchor=event.anchor, text=event.value))
            elif isinstance(event, yaml.AliasEvent):
                attach(_Node("alias", start, end, text=str(event.anchor)))
            elif isinstance(event, yaml.CollectionStartEvent):
                node = _Node("map" if isinstance(event, yaml.MappingStartEvent) else "seq", start, start,
                             flow=bool(event.flow_style), anchor=event.anchor)
                attach(node)
                stack.append(node)
            elif isinstance(event, yaml.CollectionEndEvent):
                node = stack.pop()
                last = node.items[-1] if node.items else None
                node.end = end if node.flow else (last[1] if isinstance(last, list) else last).end if last else start
    finally:
        loader.dispose()
    return root


def _scan(text: str) -> tuple[dict[str | None, list[int]], set[str]]:
    """Where the organisation's block (key None) and each application's list item (key: its id)
    are: [where its text to parse alone starts, where its last value ends]; and the anchors
    that aliases use. Read from the parser's events in one pass: composing the node tree
    of 10,000 applications took about twice as long."""
    loader = StrictLoader(text)
    get: Callable[[], Any] = loader.get_event
    spans: dict[str | None, list[int]] = {}
    aliased: set[str] = set()
    last_end = 0  # where the last scalar, alias or flow collection seen ends

    def skip(event: Any) -> None:
        """Pass over the node `event` starts."""
        nonlocal last_end
        depth = 0
        while True:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yaml.AliasEvent):
                aliased.add(str(event.anchor))
            if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent) or (
                    isinstance(event, yaml.CollectionEndEvent) and _is_flow_end(text, event)):
                last_end = _index(event.end_mark)
            if not depth:
                return
            event = get()

    def start_of(offset: int) -> int:
        """Where the text of a node starting at `offset` may be cut out: its line's start, when
        nothing but indentation and list dashes stands before it there."""
        line = _line_start(text, offset)
        return line if _ITEM_PREFIX.fullmatch(text, line, offset) else offset

    try:
        get(), get()  # the stream's and the document's start
        if not isinstance(get(), yaml.MappingStartEvent):
            return spans, aliased
        while isinstance(key := get(), yaml.NodeEvent):
            name = key.value if isinstance(key, yaml.ScalarEvent) else None
            skip(key)
            value = get()
            if name == "organization" and None not in spans and isinstance(value, yaml.MappingStartEvent):
                skip(value)
                spans[None] = [start_of(_index(key.start_mark)), last_end]
            elif name == "applications" and isinstance(value, yaml.SequenceStartEvent):
                while isinstance(item := get(), yaml.NodeEvent):
                    if not isinstance(item, yaml.MappingStartEvent):
                        skip(item)
                        continue
                    app_id = None
                    while isinstance(field_event := get(), yaml.NodeEvent):
                        is_id = isinstance(field_event, yaml.ScalarEvent) and field_event.value == "id"
                        skip(field_event)
                        answer = get()
                        if is_id and isinstance(answer, yaml.ScalarEvent):
                            app_id = answer.value
                        skip(answer)
                    if _is_flow_end(text, field_event):
                        last_end = _index(field_event.end_mark)
                    if app_id is not None and app_id not in spans:
                        spans[app_id] = [start_of(_index(item.start_mark)), last_end]
            else:
                skip(value)
        while (event := get()) is not None:  # aliases after the blocks still count
            if isinstance(event, yaml.AliasEvent):
                aliased.add(str(event.anchor))
    except yaml.YAMLError:
        pass  # the file was checked before editing; a block not found is found in the whole document
    finally:
        loader.dispose()
    return spans, aliased


def _index(mark: Any) -> int:
    """The character offset of a parser's mark."""
    return int(mark.index)


def _is_flow_end(text: str, event: Any) -> bool:
    index = event.start_mark.index
    return isinstance(event, yaml.CollectionEndEvent) and text[index:index + 1] in ("]", "}")


def _line_start(text: str, offset: int) -> int:
    return max(text.rfind(c, 0, offset) for c in _BREAKS) + 1


def _line_end(text: str, offset: int) -> int:
    """The offset after the line break that ends the line `offset` is on (the text's end when it
    has none); `offset` itself when it is the start of a line already."""
    if offset == 0 or text[offset - 1] in _BREAKS:
        return offset
    found = _BREAK.search(text, offset)
    return found.end() if found else len(text)


def _quoted(text: str) -> str:
    """`text` in YAML double quotes, on one line whatever it holds."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _inline(value: Any) -> str:
    """`value` as YAML on one line: text quoted only when it would read back as something else."""
    if isinstance(value, Quoted) or (isinstance(value, str) and not value.isprintable()):
        return _quoted(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(_inline, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_inline(k)}: {_inline(v)}" for k, v in value.items()) + "}"
    # Dumped inside a list, so that the emitter quotes what a flow collection could not hold (`a, b`).
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 30)
    return dumped.strip()[1:-1]


@dataclass(frozen=True)
class _Style:
    """How the file indents: a nested mapping's keys, a list's dash, and what follows the dash."""

    mapping: int = 2
    dash: int = 2
    gap: int = 2
    newline: str = "\n"

    def block(self, value: dict[str, Any], indent: int) -> list[str]:
        """The lines of `value` as a block mapping whose keys start at column `indent`."""
        lines = []
        for key, item in value.items():
            head = f"{' ' * indent}{_inline(key)}:"
            if isinstance(item, dict) and item:
                lines += [head, *self.block(item, indent + self.mapping)]
            elif isinstance(item, list) and item and all(isinstance(i, dict) and i for i in item):
                lines.append(head)
                for entry in item:
                    if any(isinstance(v, dict | list) for v in entry.values()):
                        lines += self.item(entry, indent + self.dash)
                    else:  # a record of plain values reads best on one line
                        lines.append(f"{' ' * (indent + self.dash)}- {_inline(entry)}")
            else:
                lines.append(f"{head} {_inline(item)}")
        return lines

    def item(self, value: dict[str, Any], dash: int) -> list[str]:
        """The lines of a list item holding mapping `value`, its dash at column `dash`."""
        lines = self.block(value, dash + self.gap)
        lines[0] = " " * dash + "-" + lines[0][dash + 1:]
        return lines


def block_yaml(data: dict[str, Any]) -> str:
    """`data` as the block YAML the interview writes (records of plain values on one line)."""
    return "\n".join(_Style().block(data, 0)) + "\n"


def guess_indentation(text: str) -> tuple[int, int]:
    """(mapping indent, dash offset) as the file's top-level blocks use them; (2, 2) if none show."""
    mapping = offset = None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for above, line in itertools.pairwise(lines):
        if above[:1] in (" ", "-") or not above.rstrip().endswith(":"):
            continue  # only blocks that open at the top level tell us the file's style
        indent = len(line) - len(line.lstrip(" "))
        if line.lstrip().startswith("- "):
            offset = indent if offset is None else offset
        elif indent:
            mapping = indent if mapping is None else mapping
    return mapping or 2, 2 if offset is None else offset


def _digest(raw: bytes | None) -> str | None:
    return None if raw is None else hashlib.sha256(raw).hexdigest()


_ROOT = object()  # the owner of a change outside any block (a new application, a new organisation block)

# One change the interview made, kept until it is saved so that it can be made again on a
# file that changed on disk meanwhile: ("answer", app, fact, value), ("questionnaire", app,
# name, key, value), ("discovered", app, mapping) or ("add", id, name, owner, criticality).
Change = tuple[Any, ...]


class InventoryDocument:
    """One inventory file, open for the interview's edits (see the module's docstring)."""

    def __init__(self, path: Path, kind: str, text: str, data: Any, digest: str | None, bom: str = "") -> None:
        self.path = path
        self.kind = kind  # "yaml" or "json"
        self.data = data  # plain data, kept in step with every change
        self.reloads = 0  # how often the file changed on disk under the interview
        self._text = text  # without the byte-order mark, which `bom` keeps
        self._bom = bom
        self._digest = digest  # of the bytes on disk as last read or written; None: no file yet
        self._pending: list[Change] = []
        self._spans: dict[str | None, list[int]] | None = None
        self._aliased: set[str] = set()
        self._style = _Style()
        self._json_indent: str | None = "  "
        self._limits = DEFAULT_LIMITS

    # -- loading and creating -------------------------------------------------
    @classmethod
    def load(cls, path: Path, limits: Limits = DEFAULT_LIMITS) -> InventoryDocument:
        """Open an existing inventory (already validated by `load_inventory` within `limits`,
        which every later reading of it keeps)."""
        raw = path.read_bytes()
        document = cls(path, "json" if path.suffix.lower() == ".json" else "yaml", "", None, _digest(raw))
        document._limits = limits
        document._read(raw)
        return document

    @classmethod
    def create(cls, path: Path, organization: str) -> InventoryDocument:
        """A new, empty inventory for `organization` (not written until the first save)."""
        data = {"version": 1, "organization": {"name": organization, "answers": {}}, "applications": []}
        if path.suffix.lower() == ".json":
            return cls(path, "json", json.dumps(data, indent=2, ensure_ascii=False) + "\n", data, None)
        text = HEADER + "version: 1\norganization:\n" + "\n".join(_Style().block(
            {"name": organization, "answers": {}}, 2)) + "\napplications: []\n"
        return cls(path, "yaml", text, data, None)

    def _read(self, raw: bytes) -> None:
        """Take `raw`, the file's bytes, as the text to edit."""
        text = raw.decode("utf-8")
        self._bom, self._text = ("\ufeff", text[1:]) if text.startswith("\ufeff") else ("", text)
        self.data = (json.loads(self._text) if self.kind == "json"
                     else load_yaml(self._text, str(self.path), self._limits))
        self._spans = None
        newline = _BREAK.search(self._text)
        mapping, dash = guess_indentation(self._text) if self.kind == "yaml" else (2, 2)
        self._style = _Style(mapping, dash, 2, newline.group() if newline else "\n")
        if self.kind == "json":
            indent = re.search(r"[\r\n]([ \t]+)\S", self._text)
            self._json_indent = indent.group(1) if indent else None

    # -- reading ----------------------------------------------------------------
    def application_ids(self) -> list[str]:
        return [str(app.get("id")) for app in self.data.get("applications") or []]

    def answers(self, app_id: str | None) -> dict[str, Any]:
        """A plain copy of the organisation's (None) or an application's answers."""
        holder = self._holder(app_id)
        answers = holder.get("answers") if holder is not None else None
        return {str(k): _plain(v) for k, v in (answers or {}).items()}

    def questionnaire_answers(self, app_id: str, name: str) -> dict[str, Any]:
        """A plain copy of an application's answers to the Konveyor questionnaire `name`."""
        holder = self._holder(app_id)
        for entry in (holder.get("questionnaires") if holder is not None else None) or []:
            if entry.get("name") == name:
                return {str(k): _plain(v) for k, v in (entry.get("answers") or {}).items()}
        return {}

    def discovered(self, app_id: str) -> dict[str, dict[str, Any]]:
        """A plain copy of an application's discovered answers ({fact: {value, evidence}})."""
        holder = self._holder(app_id)
        found = holder.get("discovered") if holder is not None else None
        plain: dict[str, dict[str, Any]] = json.loads(json.dumps(found or {}))  # whatever the parser made
        return plain

    def prepare(self, app_id: str | None) -> None:
        """Find the organisation's and the application's places now, before the first question,
        so that no answer waits for the file to be scanned; and refuse, before any question, an
        application whose answers another part of the file shares through a YAML anchor."""
        if self.kind == "yaml":
            for target in dict.fromkeys((None, app_id)):
                self._refuse_shared(target)

    # -- changing -------------------------------------------------------------
    def add_application(self, app_id: str, name: str, owner: str, criticality: str) -> None:
        self._change(("add", app_id, name, owner, criticality))

    def set_answer(self, app_id: str | None, fact_id: str, value: Any) -> None:
        """Record one answer; call `save` to write it."""
        self._change(("answer", app_id, fact_id, value))

    def set_questionnaire_answer(self, app_id: str, name: str, key: str, value: Any) -> None:
        """Record one answer to a Konveyor questionnaire; call `save` to write it.

        The application gets ``questionnaires: [{name, answers: {"S.Q": answer}}]``,
        the shape `checklist.interop.konveyor` reads.
        """
        self._change(("questionnaire", app_id, name, key, Quoted(value) if isinstance(value, str) else value))

    def set_discovered(self, app_id: str, discovered: dict[str, dict[str, Any]]) -> None:
        """Replace an application's discovered answers (DESIGN.md "Discovery"); call `save` to
        write them. The answers a person gave are not touched."""
        self._change(("discovered", app_id, json.loads(json.dumps(discovered))))

    def planning(self, app_id: str) -> dict[str, Any]:
        """An application's criticality, dependencies and footprint fields that are set."""
        holder = self._holder(app_id)
        if holder is None:
            return {}
        found = {k: _plain(holder[k]) for k in ("criticality", "depends_on") if holder.get(k) not in (None, "")}
        footprint = holder.get("footprint")
        found.update({k: v for k, v in (footprint if isinstance(footprint, dict) else {}).items() if v is not None})
        return found

    def set_planning(self, app_id: str, key: str, value: Any) -> None:
        """Set one of PLANNING_FIELDS (a footprint field inside `footprint`), before the answers."""
        if key in FOOTPRINT_FIELDS:
            self.set_footprint(app_id, {key: value})
        else:
            self._change(("planning", app_id, key, value))

    def set_footprint(self, app_id: str, footprint: dict[str, Any]) -> None:
        """Set these keys of an application's footprint (vcpu, memory_gb, ...), keeping the others
        (vm_count); call `save` to write them."""
        self._change(("footprint", app_id, dict(footprint)))

    def render(self) -> str:
        return self._bom + self._text

    def save(self) -> None:
        """Write the changes not saved yet, atomically. If the file changed on disk since this
        interview last read or wrote it, they are made again on what is there now."""
        try:
            raw: bytes | None = self.path.read_bytes()
        except FileNotFoundError:
            raw = None
        except OSError as exc:
            raise ChecklistError(Problem(str(self.path), f"cannot read: {exc.strerror}")) from None
        if _digest(raw) != self._digest:
            self._merge(raw)
        data = self.render().encode("utf-8")
        write_atomic(self.path, data)
        self._digest = _digest(data)
        self._pending.clear()

    # -- the changes ------------------------------------------------------------
    def _change(self, change: Change) -> None:
        self._apply(change)
        self._pending.append(change)

    def _merge(self, raw: bytes | None) -> None:
        """Apply the changes not saved yet to `raw`, what the file now holds."""
        pending = list(self._pending)
        what = ("the file was removed" if raw is None else
                "someone else changed it since the interview last read it")
        if raw is None:
            if self._digest is not None:  # removed: writing it again would undo that
                raise self._lost(what, pending)
            return  # a file this interview creates
        reading = True
        try:
            self._read(raw)
            reading = False
            for change in pending:
                self._apply(change)
        except (ChecklistError, ValueError, yaml.YAMLError, AttributeError, TypeError, KeyError) as exc:
            raise self._lost(f"{what}, and {_reason(exc, reading)}", pending) from None
        self.reloads += 1

    def _lost(self, what: str, pending: list[Change]) -> ChecklistError:
        names = {"answer": lambda c: f"the answer to {c[2]}", "questionnaire": lambda c: f"the answer to {c[3]}",
                 "add": lambda c: f"the application {c[1]}", "discovered": lambda c: f"what was found for {c[1]}",
                 "footprint": lambda c: f"the footprint of {c[1]}", "planning": lambda c: f"the {c[2]} of {c[1]}"}
        lost = ", ".join(dict.fromkeys(names[c[0]](c) for c in pending))
        return ChecklistError(Problem(str(self.path), f"not saved: {what}; {lost} was not written, and the file "
                                                      "was left as it is. Run the interview again to go on"))

    def _apply(self, change: Change) -> None:
        kind, *args = change
        if kind == "add":
            self._apply_add(*args)
        elif kind == "answer":
            self._apply_answer(*args)
        elif kind == "discovered":
            self._apply_discovered(*args)
        elif kind == "footprint":
            self._apply_footprint(*args)
        elif kind == "planning":
            self._apply_planning(*args)
        else:
            self._apply_questionnaire(*args)

    def _apply_add(self, app_id: str, name: str, owner: str, criticality: str) -> None:
        app: dict[str, Any] = {"id": app_id}
        app.update({k: v for k, v in (("name", name), ("owner", owner), ("criticality", criticality)) if v})
        app["answers"] = {}
        if app_id in self.application_ids():
            return  # made again on a file that has it already
        apps = self.data.get("applications")
        self.data["applications"] = [*(apps or []), app]
        if self.kind == "json":
            self._text = self._json()
            return
        root = self._root()
        found = root.own("applications")
        if found is not None and found[1].kind == "seq" and found[1].items:
            self._append(found[1], app, owner=_ROOT)
        else:
            self._put(root, "applications", [app], owner=_ROOT)
        self._spans = None

    def _apply_answer(self, app_id: str | None, fact_id: str, value: Any) -> None:
        holder = self._holder(app_id, create=True)
        current = dict(holder.get("answers") or {})
        holder["answers"] = {**current, fact_id: value}  # a new mapping: one an alias shares stays as it is
        if self.kind == "json":
            self._text = self._json()
            return
        node = self._node(app_id)
        if node is None:  # no organisation block yet
            self._put(self._root(), "organization", {"answers": {fact_id: value}}, owner=_ROOT)
            self._spans = None
            return
        found = node.own("answers")
        if found is None or found[1].kind != "map" or (found[1].flow and not found[1].items and not node.flow):
            self._put(node, "answers", {**current, fact_id: value}, owner=app_id)  # made, or replaced in full
        else:
            self._put(found[1], fact_id, value, owner=app_id)

    def _apply_discovered(self, app_id: str, discovered: dict[str, dict[str, Any]]) -> None:
        holder = self._holder(app_id, create=True)
        if not discovered and "discovered" not in holder:
            return
        if discovered:
            holder["discovered"] = discovered
        else:
            del holder["discovered"]
        if self.kind == "json":
            self._text = self._json()
            return
        node = self._node(app_id)
        assert node is not None
        if discovered:
            self._put(node, "discovered", discovered, owner=app_id, before="answers")
        else:
            self._delete(node, "discovered", owner=app_id)

    def _apply_footprint(self, app_id: str, footprint: dict[str, Any]) -> None:
        holder = self._holder(app_id, create=True)
        current = holder.get("footprint")
        holder["footprint"] = {**(current if isinstance(current, dict) else {}), **footprint}
        if self.kind == "json":
            self._text = self._json()
            return
        node = self._node(app_id)
        assert node is not None
        found = node.own("footprint")
        if found is None or found[1].kind != "map" or not found[1].items:
            self._put(node, "footprint", holder["footprint"], owner=app_id, before="answers")
            return
        for key, value in footprint.items():
            self._put(found[1], key, value, owner=app_id)

    def _apply_planning(self, app_id: str, key: str, value: Any) -> None:
        holder = self._holder(app_id, create=True)
        holder[key] = value
        if self.kind == "json":
            self._text = self._json()
            return
        node = self._node(app_id)
        assert node is not None
        self._put(node, key, value, owner=app_id, before="answers")

    def _apply_questionnaire(self, app_id: str, name: str, key: str, value: Any) -> None:
        holder = self._holder(app_id)
        entries = [dict(e) for e in holder.get("questionnaires") or []]
        entry = next((e for e in entries if e.get("name") == name), None)
        if entry is None:
            entry = {"name": name, "answers": {}}
            entries.append(entry)
        entry["answers"] = {**(entry.get("answers") or {}), key: value}
        holder["questionnaires"] = entries
        if self.kind == "json":
            self._text = self._json()
            return
        node = self._node(app_id)
        assert node is not None
        found = node.own("questionnaires")
        if found is None or found[1].kind != "seq" or (found[1].flow and not found[1].items):
            self._put(node, "questionnaires", entries, owner=app_id, before="answers")
            return
        place = next((item for item in found[1].items if item.kind == "map" and (n := item.own("name"))
                      and n[1].kind == "scalar" and n[1].text == name), None)
        if place is None:
            self._append(found[1], {"name": name, "answers": {key: value}}, owner=app_id)
            return
        answers = place.own("answers")
        if answers is None or answers[1].kind != "map" or (answers[1].flow and not answers[1].items
                                                            and not place.flow):
            self._put(place, "answers", entry["answers"], owner=app_id)
        else:
            self._put(answers[1], key, value, owner=app_id)

    # -- plain data ---------------------------------------------------------------
    def _holder(self, app_id: str | None, create: bool = False) -> Any:
        """The mapping of the organisation (None) or of an application in `data`."""
        if app_id is None:
            org = self.data.get("organization")
            if org is None and create:
                org = self.data["organization"] = {}
            return org
        for app in self.data.get("applications") or []:
            if app.get("id") == app_id:
                return app
        if create:
            raise ChecklistError(Problem(str(self.path), f"no application {app_id!r} in this inventory"))
        return None

    def _json(self) -> str:
        """The JSON text of `data`, indented and ended as the file was."""
        text = json.dumps(self.data, indent=self._json_indent, ensure_ascii=False) + "\n"
        return text.replace("\n", self._style.newline) if self._style.newline != "\n" else text

    # -- the YAML text --------------------------------------------------------------
    def _root(self) -> _Node:
        root = _compose(self._text)
        if root is None or root.kind != "map":
            raise ChecklistError(Problem(str(self.path), "expected a mapping with 'applications:' at the top", 1, 1))
        return root

    def _node(self, app_id: str | None) -> _Node | None:
        """The mapping of the organisation (None) or an application, from its own block's text
        when that can be read alone, else from the whole document."""
        if self._spans is None:
            self._spans, self._aliased = _scan(self._text)
        span = self._spans.get(app_id)
        if span is not None:
            with contextlib.suppress(yaml.YAMLError):
                block = _compose(self._text[span[0]:span[1]], span[0])
                found = self._find(block, app_id, alone=True)
                if found is not None:
                    return found
            del self._spans[app_id]  # not separable: from now on found in the whole document
        return self._find(self._root(), app_id, alone=False)

    @staticmethod
    def _find(root: _Node | None, app_id: str | None, alone: bool) -> _Node | None:
        if root is None:
            return None
        if app_id is None:
            found = root.own("organization") if root.kind == "map" else None
            return found[1] if found is not None and found[1].kind == "map" else None
        if alone:
            items = root.items if root.kind == "seq" else [root]
        else:
            apps = root.own("applications")
            items = apps[1].items if apps is not None and apps[1].kind == "seq" else []
        for item in items:
            own = item.own("id") if item.kind == "map" else None
            if own is not None and own[1].kind == "scalar" and own[1].text == app_id:
                return item
        return None

    def _refuse_shared(self, app_id: str | None) -> None:
        """Refuse to edit answers that an alias elsewhere shares: the change would be another's too."""
        node = self._node(app_id)
        if node is None:
            return
        anchors = [(node.anchor, node.start)] if node.anchor else []
        for key in ("answers", "questionnaires"):
            if (pair := node.own(key)) is not None:
                anchors += pair[1].anchors()
        shared = [(anchor, at) for anchor, at in anchors if anchor in self._aliased]
        if shared:
            anchor, at = shared[0]
            line = self._text.count("\n", 0, at) + 1
            where = format_path(("organization",) if app_id is None else ("applications", app_id))
            raise ChecklistError(Problem(
                str(self.path), f"these answers are shared through the YAML anchor &{anchor} with another part of "
                                "the file, which an answer here would change too; replace the aliases "
                                f"(*{anchor}) with a copy, then run the interview again",
                line, at - _line_start(self._text, at) + 1, where))

    def _edit(self, start: int, end: int, new: str, owner: object) -> None:
        """Replace text[start:end] with `new`, in the block of `owner` (an application's id, None
        for the organisation's); the places of the blocks after it move along."""
        self._text = self._text[:start] + new + self._text[end:]
        delta = len(new) - (end - start)
        for key, span in (self._spans or {}).items():
            if key == owner:
                span[1] = max(span[1] + delta, start + len(new))
            elif span[0] >= end:
                span[0] += delta
                span[1] += delta

    def _insert_lines(self, at: int, lines: list[str], owner: Any) -> None:
        newline = self._style.newline
        text = newline.join(lines) + newline
        if at == len(self._text) and self._text and self._text[-1] not in _BREAKS:
            text = newline + text
        self._edit(at, at, text, owner)

    def _colon(self, key: _Node) -> int:
        """The offset after the colon that follows mapping key `key`."""
        return self._text.index(":", key.end) + 1

    def _put(self, mapping: _Node, key: str, value: Any, *, owner: Any, before: str | None = None) -> None:
        """Give `mapping` the key `key` with `value`: its value replaced when it has the key
        (text, a number or a list on the key's line; a mapping as a block below it), else the
        key added after its last one (before key `before` if it has that one)."""
        found = mapping.own(key)
        block = isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict))
        if found is not None:
            key_node, old = found
            if old.anchor and old.anchor in self._aliased:
                raise ChecklistError(Problem(str(self.path), f"the value of {key!r} is shared through the YAML "
                                                             f"anchor &{old.anchor}; replace its aliases with a copy"))
            colon = self._colon(key_node)
            same_line = old.start == colon or not any(c in _BREAKS for c in self._text[colon:old.start])
            if block and not mapping.flow:
                self._edit(colon, old.end, "", owner)
                column = key_node.start - _line_start(self._text, key_node.start)
                self._insert_lines(_line_end(self._text, colon), self._lines(value, column), owner)
            elif same_line and old.start != colon:
                self._edit(old.start, old.end, _inline(value), owner)
            else:
                self._edit(colon, old.end, " " + _inline(value), owner)
            return
        if mapping.flow:
            self._into_flow(mapping, f"{_inline(key)}: {_inline(value)}", owner)
            return
        first = mapping.items[0][0]
        column = first.start - _line_start(self._text, first.start)
        lines = self._style.block({key: value}, column)
        after = mapping.own(before) if before else None
        if after is not None and _ITEM_PREFIX.fullmatch(self._text, _line_start(self._text, after[0].start),
                                                        after[0].start) and after[0] is not first:
            self._insert_lines(_line_start(self._text, after[0].start), lines, owner)
        else:
            self._insert_lines(_line_end(self._text, mapping.end), lines, owner)

    def _delete(self, mapping: _Node, key: str, *, owner: Any) -> None:
        """Take `key` and its value out of `mapping` (the lines they are on, in a block)."""
        found = mapping.own(key)
        if found is None:
            return
        key_node, value = found
        line = _line_start(self._text, key_node.start)
        if mapping.flow or not _ITEM_PREFIX.fullmatch(self._text, line, key_node.start) or \
                self._text[line:key_node.start].strip():  # the first key of a list item, or in braces
            self._put(mapping, key, {}, owner=owner)
            return
        self._edit(line, _line_end(self._text, value.end), "", owner)

    def _lines(self, value: Any, column: int) -> list[str]:
        """The lines of a block value under a key at `column`."""
        if isinstance(value, dict):
            return self._style.block(value, column + self._style.mapping)
        return [line for entry in value for line in self._style.item(entry, column + self._style.dash)]

    def _append(self, sequence: _Node, value: dict[str, Any], *, owner: Any) -> None:
        """Add mapping `value` as the last item of `sequence`, written as its items are."""
        if sequence.flow:
            self._into_flow(sequence, _inline(value), owner)
            return
        first = sequence.items[0]
        dash = sequence.start - _line_start(self._text, sequence.start)
        style = self._style
        if first.start > sequence.start and not any(c in _BREAKS for c in self._text[sequence.start:first.start]):
            style = _Style(style.mapping, style.dash, first.start - sequence.start, style.newline)
        self._insert_lines(_line_end(self._text, sequence.end), style.item(value, dash), owner)

    def _into_flow(self, node: _Node, piece: str, owner: Any) -> None:
        """Add `piece` as the last entry of flow collection `node` (`{a: 1}` or `[a]`)."""
        at = node.end - 1  # the closing bracket
        while self._text[at - 1] in " \t" + _BREAKS:
            at -= 1
        last = self._text[at - 1]
        self._edit(at, at, piece if last in "{[" else f" {piece}" if last == "," else f", {piece}", owner)


def _reason(exc: BaseException, reading: bool = False) -> str:
    if isinstance(exc, ChecklistError) and reading:  # the YAML reader refused the file, and says where
        line = exc.problems[0].line
        return f"it is no longer valid{f' at line {line}' if line else ''}"
    if isinstance(exc, ChecklistError):
        return exc.problems[0].message
    if isinstance(exc, yaml.YAMLError | ValueError):
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return f"it is no longer valid{where}"
    return "it no longer has the shape of an inventory"


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


@contextlib.contextmanager
def editing_lock(path: Path) -> Iterator[None]:
    """Hold the interview's lock on `path` for the block: a second interview of the same file
    is refused in one line, naming the process that holds it. The lock is a hidden file beside
    the inventory, locked with flock(2), so a killed interview never leaves a lock that holds."""
    import fcntl

    lock = path.with_name(f".{path.name}.lock")
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ChecklistError(Problem(str(path), f"cannot lock for editing: {exc.strerror}")) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise ChecklistError(Problem(str(path), f"cannot lock for editing: {exc.strerror}")) from None
            who = f" (process {holder})" if holder.isdigit() else ""
            raise ChecklistError(Problem(str(path), f"another checklist interview or scan --into{who} is editing "
                                                    "this file; wait until it ends, then run this one again")) from None
        try:
            if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                break  # still the lock file: not one its last holder removed as we opened it
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)

