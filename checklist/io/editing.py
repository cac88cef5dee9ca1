"""Editing an inventory file in place without disturbing anything else.

The interview saves every answer as soon as it is given. YAML is edited
with a round-trip parser (ruamel.yaml) so that the user's comments, key
order, quoting and the other applications survive; JSON keeps its key
order. Every save is atomic (see `checklist.io.output.write_atomic`).
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checklist.core.errors import ChecklistError, Problem
from checklist.io.output import write_atomic

HEADER = ("Inventory written by `checklist interview`. Edit freely: comments and order are kept.\n"
          "Every question and its allowed answers: `checklist schema inventory`.")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    return yaml


class InventoryDocument:
    """One inventory file, loaded for editing.

    YAML is edited block by block: the organisation block, or one
    application's list item, is cut out of the text, round-tripped through
    ruamel.yaml and spliced back, so the rest of the file stays byte for
    byte as it was and a save costs the same for 1 or 10,000 applications.
    A block that cannot stand alone (it uses an alias defined elsewhere, or
    is written in flow style) falls back to round-tripping the whole file.
    """

    def __init__(self, path: Path, data: Any, kind: str, yaml: Any = None, text: str = "") -> None:
        self.path = path
        self.data = data  # plain data (YAML segments) or the editable document (JSON, whole-file YAML)
        self.kind = kind
        self._yaml = yaml
        self._lines = text.splitlines(keepends=True)
        self._spans: dict[str | None, tuple[int, int, int, bool]] | None = None  # see _block_spans
        self._blocks: dict[str | None, _Block] = {}
        self._whole = kind == "json" or not text  # edit the whole document rather than blocks

    # -- loading and creating -------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> InventoryDocument:
        """Open an existing inventory (already validated by `load_inventory`)."""
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".json":
            return cls(path, json.loads(text), "json")
        from checklist.io.source import load_yaml

        yaml = _yaml()
        # Keep the file's own indentation, so untouched parts re-serialise as written.
        mapping, offset = guess_indentation(text)
        yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
        return cls(path, load_yaml(text), "yaml", yaml, text)

    @classmethod
    def create(cls, path: Path, organization: str) -> InventoryDocument:
        """A new, empty inventory for `organization` (not written until the first save)."""
        if path.suffix.lower() == ".json":
            data: Any = {"version": 1, "organization": {"name": organization, "answers": {}}, "applications": []}
            return cls(path, data, "json")
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        yaml = _yaml()
        yaml.indent(mapping=2, sequence=4, offset=2)
        data = CommentedMap()
        data.yaml_set_start_comment(HEADER)
        data["version"] = 1
        org = CommentedMap()
        org["name"] = organization
        org["answers"] = CommentedMap()
        data["organization"] = org
        data["applications"] = CommentedSeq()
        return cls(path, data, "yaml", yaml)

    # -- reading ----------------------------------------------------------------
    def application_ids(self) -> list[str]:
        return [str(app.get("id")) for app in self.data.get("applications") or []]

    def answers(self, app_id: str | None) -> dict[str, Any]:
        """A plain copy of the organisation's (None) or an application's answers."""
        block = self._blocks.get(app_id)
        holder = block.mapping if block is not None else self._holder(self.data, app_id)
        answers = holder.get("answers") if holder is not None else None
        return {str(k): _plain(v) for k, v in (answers or {}).items()}

    def prepare(self, app_id: str | None) -> None:
        """Find the organisation's and the application's blocks now, before the
        first question, so that no answer waits for the file to be scanned."""
        if not self._whole:
            self._block(None)
            if app_id is not None:
                self._block(app_id)

    # -- changing -------------------------------------------------------------
    def add_application(self, app_id: str, name: str, owner: str, criticality: str) -> None:
        if not self._whole:
            self._go_whole()  # adding is rare: the whole-file path keeps it simple
        if self.kind == "yaml":
            from ruamel.yaml.comments import CommentedMap, CommentedSeq

            app: Any = CommentedMap()
            empty_answers: Any = CommentedMap()
            if self.data.get("applications") is None:
                self.data["applications"] = CommentedSeq()
        else:
            app, empty_answers = {}, {}
            self.data.setdefault("applications", [])
        app["id"] = app_id
        if name:
            app["name"] = name
        if owner:
            app["owner"] = owner
        if criticality:
            app["criticality"] = criticality
        app["answers"] = empty_answers
        self.data["applications"].append(app)

    def set_answer(self, app_id: str | None, fact_id: str, value: Any) -> None:
        """Record one answer (in memory); call `save` to write it."""
        holder = self._holder_to_edit(app_id)
        if holder is None:
            if app_id is not None:
                raise ChecklistError(Problem(str(self.path), f"no application {app_id!r} in this inventory"))
            holder = self._mapping()
            self.data["organization"] = holder
        answers = holder.get("answers")
        if answers is None:
            answers = self._mapping()
            holder["answers"] = answers
        elif not answers and hasattr(answers, "fa"):
            answers.fa.set_block_style()  # `answers: {}` grows into a block, one answer a line
        if self.kind == "yaml" and isinstance(value, list):
            from ruamel.yaml.comments import CommentedSeq

            seq = CommentedSeq(value)
            seq.fa.set_flow_style()  # [a, b] reads best for multi answers
            value = seq
        answers[fact_id] = value
        if not self._whole:
            self._splice(self._blocks[app_id])

    def _holder_to_edit(self, app_id: str | None) -> Any:
        """The mapping that holds `app_id`'s answers (None: the organisation's), or None.
        Found in the application's own block when it can be spliced back alone;
        otherwise the whole document is loaded for editing."""
        if self._whole:
            return self._holder(self.data, app_id)
        block = self._block(app_id)
        holder = block.mapping if block is not None else None
        if holder is None:
            self._go_whole()
            holder = self._holder(self.data, app_id)
        return holder

    def discovered(self, app_id: str) -> dict[str, dict[str, Any]]:
        """A plain copy of an application's discovered answers ({fact: {value, evidence}})."""
        block = self._blocks.get(app_id)
        holder = block.mapping if block is not None else self._holder(self.data, app_id)
        found = holder.get("discovered") if holder is not None else None
        plain: dict[str, dict[str, Any]] = json.loads(json.dumps(found or {}))  # whatever the parser made
        return plain

    def set_discovered(self, app_id: str, discovered: dict[str, dict[str, Any]]) -> None:
        """Replace an application's discovered answers (DESIGN.md "Discovery") in memory; call
        `save` to write them. The answers a person gave are not touched."""
        holder = self._holder_to_edit(app_id)
        if holder is None:
            raise ChecklistError(Problem(str(self.path), f"no application {app_id!r} in this inventory"))
        if not discovered:
            if "discovered" in holder:
                del holder["discovered"]
        else:
            block = self._mapping()
            for fact, entry in discovered.items():
                item = self._mapping()
                value = entry["value"]
                if self.kind == "yaml" and isinstance(value, list):
                    from ruamel.yaml.comments import CommentedSeq

                    value = CommentedSeq(value)
                    value.fa.set_flow_style()
                item["value"] = value
                evidence = self._sequence()
                for found in entry.get("evidence", ()):
                    line = self._mapping()
                    line.update(found)
                    if hasattr(line, "fa"):
                        line.fa.set_flow_style()  # one place a line
                    evidence.append(line)
                item["evidence"] = evidence
                block[fact] = item
            holder["discovered"] = block
        if not self._whole:
            self._splice(self._blocks[app_id])

    def questionnaire_answers(self, app_id: str, name: str) -> dict[str, Any]:
        """A plain copy of an application's answers to the Konveyor questionnaire `name`."""
        block = self._blocks.get(app_id)
        holder = block.mapping if block is not None else self._holder(self.data, app_id)
        for entry in (holder.get("questionnaires") if holder is not None else None) or []:
            if entry.get("name") == name:
                return {str(k): _plain(v) for k, v in (entry.get("answers") or {}).items()}
        return {}

    def set_questionnaire_answer(self, app_id: str, name: str, key: str, value: Any) -> None:
        """Record one answer to a Konveyor questionnaire (in memory); call `save` to write it.

        The application gets ``questionnaires: [{name, answers: {"S.Q": answer}}]``,
        the shape `checklist.interop.konveyor` reads.
        """
        holder = self._holder_to_edit(app_id)
        if holder is None:
            raise ChecklistError(Problem(str(self.path), f"no application {app_id!r} in this inventory"))
        entries = holder.get("questionnaires")
        if entries is None:
            entries = self._sequence()
            if hasattr(holder, "insert") and "answers" in holder:  # ruamel: keep answers last
                holder.insert(list(holder).index("answers"), "questionnaires", entries)
            else:
                holder["questionnaires"] = entries
        entry = next((e for e in entries if e.get("name") == name), None)
        if entry is None:
            entry = self._mapping()
            entry["name"] = name
            entry["answers"] = self._mapping()
            entries.append(entry)
        answers = entry.get("answers")
        if answers is None:
            answers = self._mapping()
            entry["answers"] = answers
        elif not answers and hasattr(answers, "fa"):
            answers.fa.set_block_style()
        if self.kind == "yaml" and isinstance(value, str):
            from ruamel.yaml.scalarstring import DoubleQuotedScalarString

            # Answer texts such as Yes, No or 7 would read back as true, false or a number.
            value = DoubleQuotedScalarString(value)
        answers[key] = value
        if not self._whole:
            self._splice(self._blocks[app_id])

    def render(self) -> str:
        if self.kind == "json":
            return json.dumps(self.data, indent=2, ensure_ascii=False) + "\n"
        if not self._whole:
            return "".join(self._lines)
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()

    def save(self) -> None:
        """Write the whole document atomically: the old file stays intact on any failure."""
        write_atomic(self.path, self.render())

    # -- blocks ----------------------------------------------------------------
    def _block(self, app_id: str | None) -> _Block | None:
        """The editable block of the organisation or an application, cut out on first use."""
        if app_id in self._blocks:
            return self._blocks[app_id]
        span = self._span(app_id)
        if span is None:
            return None
        first, last, dash = span
        # Comments and blank lines after the block belong to what follows: leave them in place.
        while last > first + 1 and self._lines[last - 1].lstrip(" ")[:1] in ("#", "\n", ""):
            last -= 1
        lines = self._lines[first:last]
        cut = dash + 2 if dash is not None else 0
        if dash is not None:
            lines = [lines[0][:dash] + " " + lines[0][dash + 1:], *lines[1:]]
        if any(line.strip() and len(line) - len(line.lstrip(" ")) < cut for line in lines):
            return None  # something (a comment) sits left of the block: not safely separable
        text = "".join(line[cut:] if line.strip() else line.lstrip(" ") for line in lines)
        try:
            mapping = self._yaml.load(text)
        except Exception:  # an alias to an anchor outside the block, say
            return None
        if dash is not None:
            holder = mapping
        else:
            holder = mapping.get("organization") if hasattr(mapping, "get") else None
            if holder is None:
                return None
        block = _Block(first, last, dash, mapping, holder)
        self._blocks[app_id] = block
        return block

    def _span(self, app_id: str | None) -> tuple[int, int, int | None] | None:
        """First and last+1 line of a block, and the column of its list dash (apps)."""
        if self._spans is None:
            self._spans = _block_spans("".join(self._lines))
        found = self._spans.get(app_id)
        if found is None:
            return None
        line, column, end, flow = found
        if app_id is None:
            return None if column != 0 or flow else (line, end, None)
        dash = column - 2
        if flow or dash < 0 or self._lines[line][dash:column] != "- ":
            return None
        return line, end, dash

    def _splice(self, block: _Block) -> None:
        """Write the block's current state back into the text, shifting later blocks."""
        out = io.StringIO()
        self._yaml.dump(block.document, out)
        new = out.getvalue().splitlines(keepends=True)
        if block.dash is not None:
            pad = " " * (block.dash + 2)
            new = [pad + line if line.strip() else line for line in new]
            new[0] = new[0][: block.dash] + "-" + new[0][block.dash + 1:]
        old_length = block.last - block.first
        self._lines[block.first: block.last] = new
        shift = len(new) - old_length
        block.last = block.first + len(new)
        for other in self._blocks.values():
            if other is not block and other.first >= block.first:
                other.first += shift
                other.last += shift

    def _go_whole(self) -> None:
        """Switch to round-tripping the whole file (keeps everything edited so far)."""
        self.data = self._yaml.load("".join(self._lines))
        self._blocks.clear()
        self._whole = True

    # -- helpers ---------------------------------------------------------------
    def _mapping(self) -> Any:
        if self.kind == "yaml":
            from ruamel.yaml.comments import CommentedMap

            return CommentedMap()
        return {}

    def _sequence(self) -> Any:
        if self.kind == "yaml":
            from ruamel.yaml.comments import CommentedSeq

            return CommentedSeq()
        return []

    @staticmethod
    def _holder(data: Any, app_id: str | None) -> Any:
        if app_id is None:
            return data.get("organization")
        for app in data.get("applications") or []:
            if app.get("id") == app_id:
                return app
        return None


class _Block:
    """An organisation block or one application item, parsed on its own for editing."""

    def __init__(self, first: int, last: int, dash: int | None, document: Any, mapping: Any) -> None:
        self.first, self.last, self.dash = first, last, dash
        self.document = document  # what is dumped back
        self.mapping = mapping  # the organisation or application mapping inside it


def _block_spans(text: str) -> dict[str | None, tuple[int, int, int, bool]]:
    """Where the organisation block (key None) and each application's list item (key: its id)
    sit in a YAML inventory: (first line, column, line after the end, in flow style), for the
    organisation its key's line and column. Read from the parser's events in one pass:
    composing the node tree of 10,000 applications took about twice as long."""
    import yaml

    from checklist.io.source import StrictLoader

    loader = StrictLoader(text)
    get: Callable[[], Any] = loader.get_event
    spans: dict[str | None, tuple[int, int, int, bool]] = {}

    def skip(event: Any) -> Any:
        """Pass over the node `event` starts; its last event."""
        depth = 1 if isinstance(event, yaml.CollectionStartEvent) else 0
        while depth:
            event = get()
            depth += 1 if isinstance(event, yaml.CollectionStartEvent) else \
                -1 if isinstance(event, yaml.CollectionEndEvent) else 0
        return event

    def start(event: Any) -> tuple[int, int]:
        return event.start_mark.line, event.start_mark.column

    def end_line(event: Any) -> int:  # a block node's end mark sits at column 0 of the next line
        return int(event.end_mark.line) + (1 if event.end_mark.column else 0)

    try:
        get(), get()  # the stream's and the document's start
        if not isinstance(get(), yaml.MappingStartEvent):
            return spans
        while isinstance(key := get(), yaml.NodeEvent):
            name = key.value if isinstance(key, yaml.ScalarEvent) else None
            skip(key)
            value = get()
            if name == "organization" and None not in spans and isinstance(value, yaml.MappingStartEvent):
                spans[None] = (*start(key), end_line(skip(value)), bool(value.flow_style))
            elif name == "applications" and isinstance(value, yaml.SequenceStartEvent):
                while isinstance(item := get(), yaml.NodeEvent):
                    if not isinstance(item, yaml.MappingStartEvent):
                        skip(item)
                        continue
                    app_id = None
                    while isinstance(field := get(), yaml.NodeEvent):
                        is_id = isinstance(field, yaml.ScalarEvent) and field.value == "id"
                        skip(field)
                        answer = get()
                        if is_id and isinstance(answer, yaml.ScalarEvent):
                            app_id = answer.value
                        skip(answer)
                    if app_id is not None and app_id not in spans:
                        spans[app_id] = (*start(item), end_line(field), bool(item.flow_style))
            else:
                skip(value)
    except yaml.YAMLError:
        pass  # the file was checked before editing; blocks not found are edited with the whole file
    finally:
        loader.dispose()
    return spans


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


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value
