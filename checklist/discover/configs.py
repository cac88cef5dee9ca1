"""Configuration files as dotted keys with their values and lines: Java properties, YAML
(Spring's application.yml, with several documents), JSON (.NET appsettings.json) and XML
(web.xml, web.config, logback.xml, log4j2.xml, .csproj): an element is its path of local
names (`web-app.distributable`), an attribute `path@name` (`configuration.appender@class`).
XML is parsed by the standard library's expat, which never fetches anything; a document that
declares entities (or has an internal DTD subset) is not read at all, so no entity is ever
expanded."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

import yaml

Entry = tuple[str, str, int]  # (dotted key, value as text, line)

_PROPERTY = re.compile(r"^[ \t]*([^#!\s=:][^=:\s]*)[ \t]*[=:][ \t]*(.*)$", re.MULTILINE)
_MAX_NODES = 50_000  # a configuration file has far fewer; aliases cannot make a scan explode


def properties(text: str) -> Iterator[Entry]:
    for found in _PROPERTY.finditer(text):
        yield found.group(1), found.group(2).strip(), text.count("\n", 0, found.start()) + 1


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_entries(text: str) -> Iterator[Entry]:
    """Every scalar of every document, with the dotted path of mapping keys above it (list
    items add nothing to the path). The node tree is walked without constructing it, so
    aliases cost nothing and no tag is ever resolved into an object."""
    for document in yaml_documents(text):
        yield from document


def yaml_documents(text: str) -> list[list[Entry]]:
    """The entries of each document of a YAML file, document by document (none when it is
    not YAML, as a Helm template is not)."""
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return []
    budget = [_MAX_NODES]

    def walk(node: Any, prefix: str, depth: int) -> Iterator[Entry]:
        budget[0] -= 1
        if budget[0] < 0 or depth > 50:
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    name = f"{prefix}.{key.value}" if prefix else str(key.value)
                    if isinstance(value, yaml.ScalarNode):
                        yield name, str(value.value), key.start_mark.line + 1
                    else:
                        yield name, "", key.start_mark.line + 1
                        yield from walk(value, name, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.ScalarNode):
                    yield prefix, str(item.value), item.start_mark.line + 1
                else:
                    yield from walk(item, prefix, depth + 1)

    return [list(walk(document, "", 0)) for document in documents if document is not None]


_JSON_COMMENTS = re.compile(r'("(?:[^"\\]|\\.)*")|//[^\n]*|/\*.*?\*/', re.DOTALL)


def json_entries(text: str) -> Iterator[Entry]:
    """JSON (comments allowed, as appsettings.json may have them) as dotted keys; a key's line
    is where its name is first written after its parent's."""
    cleaned = _JSON_COMMENTS.sub(lambda m: m.group(1) or re.sub(r"[^\n]", " ", m.group()), text)
    cleaned = re.sub(r",(\s*[}\]])", r" \1", cleaned)
    try:
        data = json.loads(cleaned)
    except (ValueError, RecursionError):
        return
    budget = [_MAX_NODES]

    def walk(value: Any, prefix: str, at: int) -> Iterator[Entry]:
        budget[0] -= 1
        if budget[0] < 0:
            return
        if isinstance(value, dict):
            for key, item in value.items():
                name = f"{prefix}.{key}" if prefix else str(key)
                found = text.find(f'"{key}"', at)
                here = found if found >= 0 else at
                line = text.count("\n", 0, here) + 1
                if isinstance(item, dict | list):
                    yield name, "", line
                    yield from walk(item, name, here)
                else:
                    yield name, "" if item is None else str(item).lower() if isinstance(item, bool) else str(item), line
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, prefix, at)

    yield from walk(data, "", 0)


class _Refused(Exception):
    """The document declares what a configuration file never needs (entities, a DTD subset)."""


def xml_entries(text: str) -> Iterator[Entry]:
    """Every element (its text as the value) and attribute of an XML document, keyed by the
    path of local names (namespace prefixes dropped), in document order; comments are not
    read. A malformed or refused document has no entries."""
    out: list[list[Any]] = []  # [key, value, line], an element's text filled in at its end
    stack: list[tuple[str, list[Any], list[str]]] = []
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: Any) -> int:
        raise _Refused

    def doctype(_name: str, _system: Any, _public: Any, internal_subset: int) -> None:
        if internal_subset:
            raise _Refused

    def start(name: str, attributes: dict[str, str]) -> None:
        if len(out) >= _MAX_NODES or len(stack) > 50:
            raise _Refused
        local = name.rsplit(":", 1)[-1]
        key = f"{stack[-1][0]}.{local}" if stack else local
        line = parser.CurrentLineNumber
        entry: list[Any] = [key, "", line]
        out.append(entry)
        for attribute, value in attributes.items():
            if attribute == "xmlns" or attribute.startswith("xmlns:"):
                continue
            out.append([f"{key}@{attribute.rsplit(':', 1)[-1]}", value, line])
        stack.append((key, entry, []))

    def end(_name: str) -> None:
        _, entry, texts = stack.pop()
        entry[1] = "".join(texts).strip()

    def data(chunk: str) -> None:
        if stack:
            stack[-1][2].append(chunk)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        parser.Parse(text, True)
    except (_Refused, expat.ExpatError, RecursionError, ValueError):
        return iter(())
    return iter([(key, value, line) for key, value, line in out])


def entries(name: str, text: str) -> Iterator[Entry]:
    """The entries of a configuration file, by its name's suffix."""
    lower = name.lower()
    if lower.endswith((".xml", ".config", ".csproj", ".vbproj", ".fsproj", ".props")):
        return xml_entries(text)
    if lower.endswith((".yml", ".yaml")):
        return yaml_entries(text)
    if lower.endswith(".json"):
        return json_entries(text)
    return properties(text)
