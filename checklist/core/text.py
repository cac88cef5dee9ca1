"""Making user-supplied text safe to show in a terminal."""

from __future__ import annotations

import re
from typing import Any

# C0 and C1 control characters (keeping none: tabs and newlines in a name
# are flattened too) and the ESC-introduced sequences they start.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # and the Unicode line and paragraph separators


def clean(value: object) -> str:
    """`value` as one line of text with escape sequences and control characters removed."""
    text = str(value)
    if text.isprintable():
        return text
    return _CONTROLS.sub(" ", _ESCAPES.sub("", text)).strip()


_CONTROLS_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_escapes(value: str) -> str:
    """`value` with escape sequences and control characters removed, keeping line breaks and tabs
    (for catalog prose, which YAML double quotes could fill with "\\e[2J"; for whole documents)."""
    if not _CONTROLS_BUT_LINES.search(value):  # every escape sequence starts with a control character
        return value
    return _CONTROLS_BUT_LINES.sub("", _ESCAPES.sub("", value))


def answer_text(value: object) -> str:
    """An answer as `plan`, `diff` and `explain` print it: as an inventory would hold it,
    lists in brackets, booleans as true/false, no answer as "unanswered"."""
    if value is None:
        return "unanswered"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

_JSON_TYPES = {
    dict: "a mapping", list: "a list", str: "text", bool: "true/false",
    int: "a number", float: "a number", type(None): "nothing (null)",
}

def describe(value: Any) -> str:
    """How a value reads to a user in an error message."""
    kind = _JSON_TYPES.get(type(value), type(value).__name__)
    if isinstance(value, str | int | float | bool) and len(repr(value)) <= 40:
        return f"{kind} {value!r}" if not isinstance(value, bool) else f"{kind} ({value})"
    return kind
