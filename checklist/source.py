"""Reading YAML and JSON documents so that any part of them can be located.

Parsing is the fast path (libyaml's C parser when present, the json module
for JSON); the node tree that knows line and column numbers is composed only
when a problem has to be reported. YAML is read with a safe loader that
builds plain data only, rejects duplicate keys, and keeps dates as strings.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from checklist.errors import ChecklistError, DocPath, PathPart, Problem, format_path

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


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
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def read_text(path: Path, display: str) -> str:
    """Read a file as UTF-8 text (a BOM is accepted), or explain why not."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ChecklistError(Problem(display, "file not found")) from None
    except IsADirectoryError:
        raise ChecklistError(Problem(display, "is a directory, expected a file")) from None
    except OSError as exc:
        raise ChecklistError(Problem(display, f"cannot read: {exc.strerror}")) from None
    return decode(raw, display)


def decode(raw: bytes, display: str) -> str:
    """Decode UTF-8 bytes, naming the line and column of the first bad byte."""
    if b"\x00" in raw[:8192]:
        raise ChecklistError(Problem(display, "binary data, expected a text file", 1, 1))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ChecklistError(
            Problem(
                display,
                f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8",
                line,
                column,
            )
        ) from None


def _yaml_problem(display: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context and "duplicate key" not in problem else problem
    message = " ".join(str(message).split())
    if mark is None:
        return Problem(display, f"invalid YAML: {message}")
    return Problem(display, f"invalid YAML: {message}", mark.line + 1, mark.column + 1)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateJsonKey()
    return result


class _DuplicateJsonKey(Exception):
    pass


class Located(Protocol):
    """A parsed document that can say where any part of it is (YAML, JSON or a table)."""

    name: str
    data: Any

    def problem(self, path: DocPath, message: str, *, key: bool = False) -> Problem: ...


@dataclass
class Source:
    """One parsed document: its data and, on demand, where each part is."""

    name: str
    text: str
    data: Any
    kind: str = "yaml"
    _root: yaml.Node | None = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)

    def root(self) -> yaml.Node | None:
        """The composed node tree (JSON is read as YAML's flow style), or None."""
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self.text, Loader=StrictLoader)
            except yaml.YAMLError:
                self._root = None
        return self._root

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the part at `path`; of its key if `key`.

        A path that does not exist (a missing required field, say) resolves to
        the deepest part that does, which is where the user must add it.
        """
        node = self.root()
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for index, part in enumerate(path):
            last = index == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                        mark = key_node.start_mark if (last and key) else value_node.start_mark
                        node = value_node
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    node = node.value[part]
                    mark = node.start_mark
                else:
                    break
            else:
                break
        return (mark.line + 1, mark.column + 1)

    def problem(self, path: DocPath, message: str, *, key: bool = False) -> Problem:
        """A located problem at `path` inside this document."""
        line, column = self.locate(path, key=key)
        return Problem(self.name, message, line, column, format_path(path))


def parse(text: str, display: str, kind: str) -> Source:
    """Parse `text` as `kind` ("yaml" or "json") into a Source, or raise located errors."""
    if kind == "json":
        try:
            data = json.loads(text, object_pairs_hook=_json_pairs)
        except json.JSONDecodeError as exc:
            raise ChecklistError(
                Problem(display, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
            ) from None
        except _DuplicateJsonKey:
            source = Source(display, text, None, kind)
            raise ChecklistError(_duplicate_key_problem(source)) from None
        except RecursionError:
            raise ChecklistError(Problem(display, "invalid JSON: nested too deeply", 1, 1)) from None
        return Source(display, text, data, kind)
    try:
        data = yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as exc:
        raise ChecklistError(_yaml_problem(display, exc)) from None
    except RecursionError:
        raise ChecklistError(Problem(display, "invalid YAML: nested too deeply", 1, 1)) from None
    return Source(display, text, data, kind)


def _duplicate_key_problem(source: Source) -> Problem:
    """Find the first repeated key in a JSON document's node tree."""
    stack: list[tuple[yaml.Node, DocPath]] = []
    root = source.root()
    if root is not None:
        stack.append((root, ()))
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                name = str(key_node.value)
                if name in seen:
                    mark = key_node.start_mark
                    return Problem(
                        source.name,
                        f"duplicate key {name!r}",
                        mark.line + 1,
                        mark.column + 1,
                        format_path(path),
                    )
                seen.add(name)
                stack.append((value_node, (*path, name)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, (*path, i)) for i, child in enumerate(node.value))
    return Problem(source.name, "invalid JSON: duplicate key", 1, 1)


def load_file(path: Path, display: str | None = None) -> Source:
    """Read and parse a YAML or JSON file (chosen by its extension)."""
    name = display or str(path)
    kind = "json" if path.suffix.lower() == ".json" else "yaml"
    return parse(read_text(path, name), name, kind)
