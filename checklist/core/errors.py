"""The one error type for problems a user causes: a bad file, answer or rule.

Every problem names where it is (file, line, column, the path inside the
document) and what was expected, so the CLI can print it as one line:
``file:line:col: path: message``. Anything else that escapes is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

PathPart = str | int
DocPath = tuple[PathPart, ...]

INTERRUPTED = 130  # the exit code of a run stopped by Ctrl-C, as shells report it (128 + SIGINT)


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: the run stops as Ctrl-C stops it, cleaning up on the way
    (a temporary file being written is removed), and exits with 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def format_path(path: Sequence[PathPart]) -> str:
    """Render a document path as users write it: ``applications[3].answers.os_family``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    file: str
    message: str
    line: int = 0
    column: int = 0
    path: str = ""

    def __str__(self) -> str:
        from checklist.core.text import clean  # a key or cell from the input must not drive the terminal

        where = clean(self.file)
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {clean(self.path)}: {clean(self.message)}" if self.path else f"{where}: {clean(self.message)}"


class ChecklistError(Exception):
    """A problem the user can fix. Carries one or more located problems."""

    def __init__(self, problems: Problem | Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        self.notes: tuple[Problem, ...] = ()  # not problems: what was read leniently (spreadsheet spellings)
        super().__init__(str(self.problems[0]) if self.problems else "error")

    def __reduce__(self) -> tuple[type[ChecklistError], tuple[tuple[Problem, ...]]]:
        """Pickled with its problems (a worker process reports one so)."""
        return ChecklistError, (self.problems,)


class UsageError(ChecklistError):
    """A bad option or argument rather than a bad file (still exit code 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(Problem(file="checklist", message=message))

    def __str__(self) -> str:
        return self.problems[0].message


class Located(Protocol):
    """A parsed document that can say where any part of it is (YAML, JSON or a table)."""

    name: str
    data: Any

    def problem(self, path: DocPath, message: str, *, key: bool = False) -> Problem: ...
