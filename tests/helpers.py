"""Small helpers the test modules share (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path

from checklist.errors import ChecklistError, Problem

REPO = Path(__file__).resolve().parents[1]


def write_file(path: Path, content: str | bytes) -> Path:
    """Write `content` to `path` (text is dedented; parents are created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return path


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the `occurrence`-th `needle` in `text`."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column


def problems_of(error: ChecklistError) -> list[Problem]:
    return list(error.problems)


def same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def render(problems: Iterable[Problem]) -> str:
    """All problems as the CLI prints them, for assertion messages."""
    return "\n".join(str(p) for p in problems)
