"""Configuration files as dotted keys with their values and lines: Java properties, YAML
(Spring's application.yml, with several documents) and JSON (.NET appsettings.json).
XML configuration (web.xml, web.config, logback.xml) is matched by code patterns instead,
whose XML lexer leaves comments out."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

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
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return
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

    for document in documents:
        if document is not None:
            yield from walk(document, "", 0)


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


def entries(name: str, text: str) -> Iterator[Entry]:
    """The entries of a configuration file, by its name's suffix."""
    lower = name.lower()
    if lower.endswith((".yml", ".yaml")):
        return yaml_entries(text)
    if lower.endswith(".json"):
        return json_entries(text)
    return properties(text)
