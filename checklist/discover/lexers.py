"""Where comments and string literals are in a source file, per language, so that a pattern
meant for code never matches inside a comment or a string (and one meant for strings, such as a
hard-coded URL, only inside a string).

A lexer is one regular expression of a language's comment and string tokens, run only on files
in which some pattern matched; a position is then placed by bisection. It is not a parser: it
knows comments, string literals and their escapes, which is what placing a match needs.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping

_DOUBLE = r'"(?:[^"\\\n]|\\.)*"'
_SINGLE = r"'(?:[^'\\\n]|\\.)*'"
_LINE = r"//[^\n]*"
_BLOCK = r"/\*.*?(?:\*/|\Z)"
_HASH = r"(?:^|(?<=[\s;]))#[^\n]*"


def _lexer(comments: list[str], strings: list[str]) -> re.Pattern[str]:
    parts = [f"(?P<c{i}>{c})" for i, c in enumerate(comments)] + [f"(?P<s{i}>{s})" for i, s in enumerate(strings)]
    return re.compile("|".join(parts), re.DOTALL | re.MULTILINE)


_C_LIKE = [_LINE, _BLOCK]
LEXERS: Mapping[str, re.Pattern[str]] = {
    "java": _lexer(_C_LIKE, [r'""".*?(?:"""|\Z)', _DOUBLE, _SINGLE]),
    "kotlin": _lexer(_C_LIKE, [r'""".*?(?:"""|\Z)', _DOUBLE, _SINGLE]),
    "groovy": _lexer(_C_LIKE, [r'""".*?(?:"""|\Z)', r"'''.*?(?:'''|\Z)", _DOUBLE, _SINGLE]),
    "scala": _lexer(_C_LIKE, [r'""".*?(?:"""|\Z)', _DOUBLE, _SINGLE]),
    "csharp": _lexer(_C_LIKE, [r'@"(?:[^"]|"")*"', r'\$@"(?:[^"]|"")*"', r'"""+.*?"""+', _DOUBLE, _SINGLE]),
    "vb": _lexer([r"'[^\n]*", r"^\s*(?i:REM)\b[^\n]*"], [r'"(?:[^"\n]|"")*"']),
    "javascript": _lexer(_C_LIKE, [_DOUBLE, _SINGLE, r"`(?:[^`\\]|\\.)*`"]),
    "typescript": _lexer(_C_LIKE, [_DOUBLE, _SINGLE, r"`(?:[^`\\]|\\.)*`"]),
    "go": _lexer(_C_LIKE, [_DOUBLE, _SINGLE, r"`[^`]*`"]),
    "php": _lexer([*_C_LIKE, r"#(?!\[)[^\n]*"], [_DOUBLE, _SINGLE]),
    "python": _lexer([r"#[^\n]*"], [r'[rRbBuUfF]{0,2}"""(?:[^\\]|\\.)*?(?:"""|\Z)',
                                    r"[rRbBuUfF]{0,2}'''(?:[^\\]|\\.)*?(?:'''|\Z)",
                                    r"[rRbBuUfF]{0,2}" + _DOUBLE, r"[rRbBuUfF]{0,2}" + _SINGLE]),
    "ruby": _lexer([r"^=begin\b.*?(?:^=end\b[^\n]*|\Z)", r"#(?!\{)[^\n]*"], [_DOUBLE, _SINGLE]),
    "shell": _lexer([_HASH], [_DOUBLE, r"'[^']*'"]),
    "dockerfile": _lexer([r"^[ \t]*#[^\n]*"], [_DOUBLE, _SINGLE]),
    "yaml": _lexer([_HASH], [_DOUBLE, _SINGLE]),
    "properties": _lexer([r"^[ \t]*[#!][^\n]*"], []),
    "xml": _lexer([r"<!--.*?(?:-->|\Z)"], [r'"[^"<]*"', r"'[^'<]*'"]),
    "text": _lexer([r"^[ \t]*#[^\n]*"], []),
}

# Languages by file suffix (lower case); a few by whole file name.
SUFFIXES: Mapping[str, str] = {
    ".java": "java", ".kt": "kotlin", ".kts": "kotlin", ".groovy": "groovy", ".gradle": "groovy", ".scala": "scala",
    ".cs": "csharp", ".vb": "vb", ".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".jsx": "javascript", ".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".go": "go",
    ".php": "php", ".rb": "ruby", ".rake": "ruby", ".sh": "shell", ".bash": "shell", ".ksh": "shell",
    ".xml": "xml", ".config": "xml", ".csproj": "xml", ".vbproj": "xml", ".props": "xml", ".xsd": "xml",
    ".yml": "yaml", ".yaml": "yaml", ".properties": "properties", ".conf": "text", ".cfg": "text",
    ".ini": "text", ".toml": "text", ".env": "text", ".json": "text", ".service": "text", ".timer": "text",
    ".dockerfile": "dockerfile", ".txt": "text",
}
NAMES: Mapping[str, str] = {
    "dockerfile": "dockerfile", "containerfile": "dockerfile", "gemfile": "ruby", "rakefile": "ruby",
    "procfile": "text", "crontab": "text", "jenkinsfile": "groovy", "makefile": "text", "vagrantfile": "ruby",
}


def language_of(name: str) -> str | None:
    """The language of a file by its name (None: not a language any detector reads)."""
    lower = name.lower()
    if lower in NAMES:
        return NAMES[lower]
    if lower.startswith(("dockerfile.", "containerfile.")):
        return "dockerfile"
    if lower.startswith(".env"):  # .env.example, .env.dist: variables a deployment sets
        return "text"
    dot = lower.rfind(".")
    return SUFFIXES.get(lower[dot:]) if dot >= 0 else None


class Regions:
    """The comments and strings of one text, found once, asked by position."""

    def __init__(self, text: str, language: str) -> None:
        lexer = LEXERS.get(language)
        spans = [] if lexer is None else [(m.start(), m.end(), (m.lastgroup or "c")[0]) for m in lexer.finditer(text)]
        self._starts = [s for s, _, _ in spans]
        self._spans = spans

    def kind(self, position: int) -> str:
        """'comment', 'string' or 'code' at `position`."""
        i = bisect.bisect_right(self._starts, position) - 1
        if i >= 0:
            start, end, kind = self._spans[i]
            if start <= position < end:
                return "comment" if kind == "c" else "string"
        return "code"

    def allows(self, position: int, where: str) -> bool:
        """Whether a match starting at `position` counts for a pattern meant for `where`."""
        kind = self.kind(position)
        if where == "code":
            return kind == "code"
        if where == "string":
            return kind == "string"
        return kind != "comment"


def line_at(text: str, position: int) -> tuple[int, str]:
    """The 1-based line number of `position` and that line's text."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text.count("\n", 0, position) + 1, text[start: end if end >= 0 else len(text)]
