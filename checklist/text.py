"""Making user-supplied text safe to show in a terminal."""

from __future__ import annotations

import re

# C0 and C1 control characters (keeping none: tabs and newlines in a name
# are flattened too) and the ESC-introduced sequences they start.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(value: object) -> str:
    """`value` as one line of text with escape sequences and control characters removed."""
    text = str(value)
    if text.isprintable():
        return text
    return _CONTROLS.sub(" ", _ESCAPES.sub("", text)).strip()
